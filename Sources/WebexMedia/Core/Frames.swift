import Glibc

/// Microseconds on the monotonic clock: capture timestamps, pacing and latency all use this one clock.
public enum MediaClock {
    public static func nowMicros() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec) / 1_000
    }
}

/// 20 ms (or any length) of 16-bit PCM, channels interleaved.
public struct AudioFrame: Sendable, Equatable {
    public var samples: [Int16]
    public var channels: Int
    public var sampleRate: Int
    /// Capture time on `MediaClock`, in microseconds.
    public var timestamp: UInt64

    public init(samples: [Int16], channels: Int, sampleRate: Int = 48_000, timestamp: UInt64 = 0) {
        self.samples = samples
        self.channels = channels
        self.sampleRate = sampleRate
        self.timestamp = timestamp
    }

    /// Samples per channel.
    public var frameCount: Int { channels == 0 ? 0 : samples.count / channels }
}

/// One picture in I420 (planar Y, then U and V at half width and half height), tightly packed:
/// the Y stride is `width`, the chroma strides are `(width + 1) / 2`.
public struct VideoFrame: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var y: [UInt8]
    public var u: [UInt8]
    public var v: [UInt8]
    /// Capture time on `MediaClock`, in microseconds.
    public var timestamp: UInt64

    public init(width: Int, height: Int, y: [UInt8], u: [UInt8], v: [UInt8], timestamp: UInt64 = 0) {
        self.width = width
        self.height = height
        self.y = y
        self.u = u
        self.v = v
        self.timestamp = timestamp
    }

    public var chromaWidth: Int { (width + 1) / 2 }
    public var chromaHeight: Int { (height + 1) / 2 }

    /// A black frame of the given size.
    public static func black(width: Int, height: Int, timestamp: UInt64 = 0) -> VideoFrame {
        let cw = (width + 1) / 2, ch = (height + 1) / 2
        return VideoFrame(
            width: width, height: height, y: [UInt8](repeating: 16, count: width * height),
            u: [UInt8](repeating: 128, count: cw * ch), v: [UInt8](repeating: 128, count: cw * ch),
            timestamp: timestamp)
    }
}

/// An encoded video frame: Annex B byte stream for H.264 (start codes between NAL units), the frame as
/// libvpx produced it for VP8.
public struct EncodedVideoFrame: Sendable, Equatable {
    public var data: [UInt8]
    public var isKeyframe: Bool
    public var width: Int
    public var height: Int
    /// Capture time of the source frame on `MediaClock`, in microseconds.
    public var timestamp: UInt64

    public init(data: [UInt8], isKeyframe: Bool, width: Int, height: Int, timestamp: UInt64) {
        self.data = data
        self.isKeyframe = isKeyframe
        self.width = width
        self.height = height
        self.timestamp = timestamp
    }
}

/// Where audio comes from: a file, a synthetic tone, a microphone. `read()` returns the next 20 ms, or nil
/// at the end. Sources that are not live (files, synthetic) are paced by whoever reads them.
public protocol AudioSource: AnyObject {
    var channels: Int { get }
    var sampleRate: Int { get }
    /// True for devices that deliver in real time by themselves (the reader must not pace them again).
    var isLive: Bool { get }
    func read() throws -> AudioFrame?
}

/// Where video comes from: a file, a test pattern, a camera.
public protocol VideoSource: AnyObject {
    var width: Int { get }
    var height: Int { get }
    var framesPerSecond: Int { get }
    var isLive: Bool { get }
    func read() throws -> VideoFrame?
}

public protocol AudioSink: AnyObject {
    func write(_ frame: AudioFrame) throws
    func close() throws
}

public protocol VideoSink: AnyObject {
    func write(_ frame: VideoFrame) throws
    func close() throws
}

/// Media errors carry a sentence a person can act on.
public struct MediaError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable {
        case invalidInput, codec, transport, dtls, srtp, sdp, ice, turn, io, unsupported, timeout
    }
    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
