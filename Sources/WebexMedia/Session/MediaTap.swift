/// Observation points in the media pipeline, for measurements (benchmarks, latency) and for tests. Every
/// closure runs on a media thread and must return quickly. Times are `MediaClock` microseconds; frames
/// are matched across the two ends by their RTP timestamp.
public struct MediaTap: Sendable {
    /// A video frame about to be encoded (its capture time is `frame.timestamp`).
    public var videoCaptured: (@Sendable (_ frame: VideoFrame, _ rtpTimestamp: UInt32) -> Void)?
    /// A video frame decoded at `at`.
    public var videoDecoded: (@Sendable (_ frame: VideoFrame, _ rtpTimestamp: UInt32, _ at: UInt64) -> Void)?
    /// 20 ms of audio read from the source at `at`, about to be encoded.
    public var audioCaptured: (@Sendable (_ rtpTimestamp: UInt32, _ at: UInt64) -> Void)?
    /// 20 ms of audio decoded and handed to playback at `at`.
    public var audioPlayed: (@Sendable (_ rtpTimestamp: UInt32, _ at: UInt64) -> Void)?

    public init() {}
}
