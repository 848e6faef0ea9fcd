import Foundation

/// The receiving half of a stream, driven by the network thread only: statistics, NACK and keyframe
/// requests, the audio jitter buffer and playout, video frame assembly and decoding, recording.
final class InboundStream: @unchecked Sendable {
    let stream: NegotiatedStream
    private(set) var remoteSSRCs: [UInt32]
    private var stats: ReceiveStatistics?
    private var packets = 0
    private var bytes = 0

    // Audio
    private var jitter: AudioJitterBuffer?
    private var opus: OpusDecoder?
    private var nextPlayout: UInt64 = 0
    private var concealed = 0
    private var decodedAudio: [Int16] = []
    private var audioSink: WAVFileSink?

    // Video
    private var vp8: VP8Depacketizer?
    private var h264: H264Depacketizer?
    private var decoder: VideoDecoder?
    private var nack: NackGenerator?
    private var framesDecoded = 0
    private var firstFrameAt: UInt64?
    private var lastFrameAt: UInt64?
    private var width: Int?
    private var height: Int?
    private var needKeyframe = true
    private var lastKeyframeRequest: UInt64 = 0
    private var nacksSent = 0
    private var keyframeRequestsSent = 0
    private var encodedSink: IVFFileWriter?
    private var rawSink: Y4MFileSink?
    private var recordDirectory: String?
    private var recordDecodedVideo: Bool
    private var recordingPath: String?

    private let tap: MediaTap

    private let speaker: SpeakerOutput?

    init(stream: NegotiatedStream, recordDirectory: String?, recordDecodedVideo: Bool, tap: MediaTap = MediaTap(),
         speaker: SpeakerOutput? = nil) throws {
        self.stream = stream
        self.tap = tap
        self.speaker = speaker
        self.remoteSSRCs = stream.remoteSSRCs
        self.recordDirectory = recordDirectory
        self.recordDecodedVideo = recordDecodedVideo
        switch stream.kind {
        case .audio:
            jitter = AudioJitterBuffer(clockRate: stream.clockRate)
            opus = try OpusDecoder(channels: 1)
            if let dir = recordDirectory {
                let path = (dir as NSString).appendingPathComponent("audio-\(stream.mid).wav")
                audioSink = try WAVFileSink(path: path, channels: 1)
                recordingPath = path
            }
        case .video:
            switch stream.videoCodec {
            case .vp8:
                vp8 = VP8Depacketizer()
                decoder = try VP8Decoder()
            case .h264:
                h264 = H264Depacketizer()
                decoder = try H264Decoder()
            case nil:
                break
            }
            nack = stream.supportsNACK ? NackGenerator() : nil
        }
    }

    /// When the next 20 ms of audio is due for playout (nil before the first packet, and for video).
    var playoutDue: UInt64? { jitter != nil && nextPlayout != 0 ? nextPlayout : nil }

    /// True while no SSRC has been seen: the first packet with our payload type claims the stream.
    var acceptsNewSSRC: Bool { remoteSSRCs.isEmpty }

    func receive(_ packet: RTPPacket, size: Int, arrival: UInt64) {
        if remoteSSRCs.isEmpty { remoteSSRCs = [packet.ssrc] }
        guard packet.ssrc == remoteSSRCs.first else { return }
        if stats == nil { stats = ReceiveStatistics(ssrc: packet.ssrc, clockRate: stream.clockRate) }
        stats?.received(sequenceNumber: packet.sequenceNumber, timestamp: packet.timestamp, arrival: arrival, payloadBytes: packet.payload.count)
        packets += 1
        bytes += packet.payload.count
        switch stream.kind {
        case .audio:
            jitter?.insert(sequenceNumber: packet.sequenceNumber, timestamp: packet.timestamp, payload: packet.payload, arrival: arrival)
            if nextPlayout == 0 { nextPlayout = arrival }
        case .video:
            nack?.received(sequenceNumber: packet.sequenceNumber, now: arrival)
            // One late packet can complete several frames: take them all, in order.
            let frames: [[UInt8]] =
                if let vp8 {
                    vp8.pushAll(payload: packet.payload, sequenceNumber: packet.sequenceNumber, timestamp: packet.timestamp, marker: packet.marker)
                } else if let h264 {
                    h264.pushAll(payload: packet.payload, sequenceNumber: packet.sequenceNumber, timestamp: packet.timestamp, marker: packet.marker)
                } else { [] }
            for frame in frames { decode(frame, timestamp: packet.timestamp, now: arrival) }
        }
    }

    private func decode(_ data: [UInt8], timestamp: UInt32, now: UInt64) {
        guard let decoder else { return }
        do {
            guard let frame = try decoder.decode(data, timestamp: now) else { return }
            tap.videoDecoded?(frame, timestamp, MediaClock.nowMicros())
            framesDecoded += 1
            needKeyframe = false
            if firstFrameAt == nil { firstFrameAt = now }
            lastFrameAt = now
            width = frame.width
            height = frame.height
            if let dir = recordDirectory {
                // The recording starts at the first frame that decodes (a keyframe), at its size.
                if encodedSink == nil, let codec = stream.videoCodec {
                    let path = (dir as NSString).appendingPathComponent("video-\(stream.mid).ivf")
                    encodedSink = try? IVFFileWriter(
                        path: path, fourcc: codec == .vp8 ? "VP80" : "H264", width: frame.width, height: frame.height)
                    recordingPath = path
                }
                try? encodedSink?.write(data, pts: UInt64(timestamp))
                if recordDecodedVideo {
                    if rawSink == nil {
                        rawSink = try? Y4MFileSink(path: (dir as NSString).appendingPathComponent("video-\(stream.mid).y4m"))
                    }
                    try? rawSink?.write(frame)
                }
            }
        } catch {
            needKeyframe = true
        }
    }

    /// Timers: audio playout every 20 ms, NACKs, keyframe requests. Returns RTCP feedback to send.
    func tick(now: UInt64) -> [RTCPPacket] {
        var feedback: [RTCPPacket] = []
        if let jitter, nextPlayout != 0 {
            while nextPlayout <= now {
                nextPlayout += 20_000
                switch jitter.pop(now: now) {
                case .packet(let payload):
                    if let frame = try? opus?.decode(payload) {
                        play(frame)
                        if let ts = jitter.lastPoppedTimestamp { tap.audioPlayed?(ts, MediaClock.nowMicros()) }
                    }
                case .lost:
                    // The next packet's in-band FEC carries a copy of this one; without it, conceal.
                    concealed += 1
                    let frame: AudioFrame? =
                        if let next = jitter.peekNext() { try? opus?.decodeFEC(from: next) } else { try? opus?.conceal() }
                    if let frame { play(frame) }
                case .empty:
                    break
                }
            }
        }
        guard stream.kind == .video, let media = remoteSSRCs.first else { return feedback }
        if let nack, stream.supportsNACK {
            let lost = nack.nacks(now: now, rttMicros: rttMicros)
            if !lost.isEmpty {
                nacksSent += 1
                feedback.append(.nack(senderSSRC: stream.localSSRC, mediaSSRC: media, lost: lost))
            }
        }
        let dropped = (vp8?.lostFrames ?? 0) + (h264?.lostFrames ?? 0)
        if dropped > droppedSeen {
            droppedSeen = dropped
            needKeyframe = true
        }
        if needKeyframe, packets > 0, now - lastKeyframeRequest > 500_000 {
            lastKeyframeRequest = now
            keyframeRequestsSent += 1
            feedback.append(
                stream.supportsPLI || !stream.supportsFIR
                    ? .pictureLossIndication(senderSSRC: stream.localSSRC, mediaSSRC: media)
                    : .fullIntraRequest(senderSSRC: stream.localSSRC, mediaSSRC: media, sequence: UInt8(truncatingIfNeeded: keyframeRequestsSent)))
        }
        return feedback
    }
    private var droppedSeen = 0

    private func play(_ frame: AudioFrame) {
        // Keep the first channel for analysis.
        if frame.channels == 1 {
            decodedAudio.append(contentsOf: frame.samples)
        } else {
            decodedAudio.append(contentsOf: stride(from: 0, to: frame.samples.count, by: frame.channels).map { frame.samples[$0] })
        }
        // Keep the last 30 to 40 s; trimmed 10 s at a time so a long call does not move the buffer every frame.
        if decodedAudio.count > 48_000 * 40 { decodedAudio.removeFirst(decodedAudio.count - 48_000 * 30) }
        try? audioSink?.write(frame)
        speaker?.enqueue(frame)
    }

    func noteSenderReport(_ sr: SenderReport, at now: UInt64) {
        stats?.receivedSenderReport(ntpTimestamp: sr.ntpTimestamp, arrival: now)
    }

    /// Our reception report about this stream for the next SR/RR (LSR/DLSR included).
    func reportBlock(now: UInt64) -> ReportBlock? { stats?.makeReportBlock(now: now) }

    /// The round-trip time measured on our sending streams, used to space NACKs.
    var rttMicros: UInt64 = 100_000

    func finish() {
        try? audioSink?.close()
        try? encodedSink?.close()
        try? rawSink?.close()
    }

    func summary() -> MediaSummary.Received {
        var r = MediaSummary.Received()
        r.packets = packets
        r.bytes = bytes
        let jitterMs = Double(stats?.jitterTimestampUnits ?? 0) * 1000 / Double(stream.clockRate)
        r.lost = Int(stats?.cumulativeLost ?? 0)
        r.jitterMs = (jitterMs * 10).rounded() / 10
        r.recording = recordingPath
        switch stream.kind {
        case .audio:
            r.framesDecoded = packets
            r.concealed = concealed
            // Skip the first half second (the jitter buffer filling) when measuring the tone.
            let analysed = decodedAudio.count > 48_000 ? Array(decodedAudio.dropFirst(24_000)) : decodedAudio
            if analysed.count >= 4_800 {
                r.frequencyHz = (ToneAnalyzer.dominantFrequency(samples: analysed, sampleRate: 48_000) * 10).rounded() / 10
                let power = analysed.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(analysed.count)
                r.levelDBFS = power > 0 ? ((10 * log10(power / (32_768.0 * 32_768.0))) * 10).rounded() / 10 : -120
            }
        case .video:
            r.framesDecoded = framesDecoded
            r.framesDropped = (vp8?.lostFrames ?? 0) + (h264?.lostFrames ?? 0)
            r.width = width
            r.height = height
            r.nacksSent = nacksSent
            r.keyframeRequestsSent = keyframeRequestsSent
            if let first = firstFrameAt, let last = lastFrameAt, last > first, framesDecoded > 1 {
                r.framesPerSecond = (Double(framesDecoded - 1) / (Double(last - first) / 1_000_000) * 10).rounded() / 10
            }
        }
        return r
    }
}
