import Glibc

/// Sleeps until `micros` on `MediaClock` (no-op when it has passed).
func sleepUntil(_ micros: UInt64) {
    let now = MediaClock.nowMicros()
    guard micros > now else { return }
    usleep(useconds_t(min(micros - now, 1_000_000)))
}

/// Source → Opus → RTP, one 20 ms frame at a time, paced by the clock (files and tones) or by the device.
struct AudioSender: @unchecked Sendable {
    let session: MediaSession
    let stream: OutboundRTP
    let source: AudioSource

    func run() throws {
        do {
            // opus/48000/2 in SDP names the RTP format, not what we send: mono is fine (RFC 7587).
            let encoder = try OpusEncoder(channels: source.channels, bitrate: session.configuration.audioBitrate)
            let payloader = OpusPayloader()
            var next = MediaClock.nowMicros()
            // RTP time runs from the first frame's capture, 960 ticks per 20 ms frame, on the same clock
            // the sender reports map to wall time (so a receiver can line audio up with video).
            let first = next
            var sentFrames = 0
            while !session.isStopping {
                guard var frame = try source.read() else { break }
                if !source.isLive {
                    sleepUntil(next)
                    next += 20_000
                }
                if !source.isLive || frame.timestamp == 0 { frame.timestamp = MediaClock.nowMicros() }
                if let processor = session.processor { frame = try processor.process(frame) }
                let encoded = try encoder.encode(frame)
                let ts = stream.rtpTimestamp(captureMicros: first + UInt64(sentFrames) * 20_000, startMicros: session.startMicros)
                session.tap.audioCaptured?(ts, frame.timestamp)
                let packets = stream.packets(payloads: [payloader.packetize(encoded)], timestamp: ts, markLast: sentFrames == 0)
                session.sendRTP(packets, stream: stream)
                sentFrames += 1
                stream.counters.withLock { $0.frames += 1 }
            }
        } catch {
            session.noteSenderFailure(error)
            throw error
        }
    }
}

/// Source → VP8/H.264 → RTP at the source's frame rate; a keyframe when the peer asks (PLI/FIR) and
/// every few seconds so a receiver that joins late or lost one recovers.
struct VideoSender: @unchecked Sendable {
    let session: MediaSession
    let stream: OutboundRTP
    let source: VideoSource

    func run() throws {
        do {
            let codec = stream.stream.videoCodec ?? .vp8
            let bitrate = session.configuration.videoBitrate
            let encoder: VideoEncoder =
                switch codec {
                case .vp8: try VP8Encoder(width: source.width, height: source.height, framesPerSecond: source.framesPerSecond, bitrate: bitrate)
                case .h264: try H264Encoder(width: source.width, height: source.height, framesPerSecond: source.framesPerSecond, bitrate: bitrate)
                }
            var vp8 = VP8Payloader()
            let h264 = H264Payloader()
            let interval = UInt64(1_000_000 / max(1, source.framesPerSecond))
            var next = MediaClock.nowMicros()
            var lastKeyframe: UInt64 = 0
            while !session.isStopping {
                guard var frame = try source.read() else { break }
                if !source.isLive {
                    sleepUntil(next)
                    next += interval
                    frame.timestamp = MediaClock.nowMicros()
                }
                let now = frame.timestamp
                let ts = stream.rtpTimestamp(captureMicros: frame.timestamp, startMicros: session.startMicros)
                session.tap.videoCaptured?(frame, ts)
                let asked = stream.keyframeWanted.exchange(false, ordering: .relaxed)
                let periodic = now - lastKeyframe > 10_000_000
                guard let encoded = try encoder.encode(frame, forceKeyframe: asked || periodic) else { continue }
                if encoded.isKeyframe { lastKeyframe = now }
                let payloads = codec == .vp8 ? vp8.packetize(encoded.data) : h264.packetize(encoded.data)
                session.sendRTP(stream.packets(payloads: payloads, timestamp: ts, markLast: true), stream: stream)
                stream.counters.withLock {
                    $0.frames += 1
                    if encoded.isKeyframe { $0.keyframes += 1 }
                    $0.width = encoded.width
                    $0.height = encoded.height
                }
            }
        } catch {
            session.noteSenderFailure(error)
            throw error
        }
    }
}
