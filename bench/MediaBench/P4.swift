import Foundation
import Glibc
import Synchronization
import WebexMedia

/// P4: loopback latency. Two sessions in this process over 127.0.0.1, offer/answer in memory; A sends a
/// tone and the test pattern, B only receives. The taps give, per RTP timestamp, A's capture time and B's
/// decode (video) or playout (audio: when the jitter buffer releases the frame to the decoder, so its
/// delay is included) time, on the same monotonic clock.
struct P4Options {
    var width = 640
    var height = 360
    var fps = 30
    var codec: VideoCodecKind = .vp8
    var seconds = 10.0
}

enum P4 {
    final class Times: Sendable {
        let captured = Mutex<[UInt32: UInt64]>([:])
        let arrived = Mutex<[(UInt32, UInt64)]>([])
    }

    static func run(_ o: P4Options) throws {
        say("== P4 loopback latency, tone + \(o.width)x\(o.height)@\(o.fps) \(o.codec.rawValue), \(fmt(o.seconds, 0)) s ==")
        let loopback = [SocketAddress(host: "127.0.0.1", port: 0)!]
        let a = try MediaSession(configuration: MediaSessionConfiguration(
            audio: .tone(frequency: 440), video: .pattern(width: o.width, height: o.height, framesPerSecond: o.fps),
            videoCodecs: [o.codec], hostAddresses: loopback))
        let b = try MediaSession(configuration: MediaSessionConfiguration(
            audio: nil, video: nil, videoCodecs: [o.codec], hostAddresses: loopback))
        let video = Times(), audio = Times()
        a.tap.videoCaptured = { frame, ts in video.captured.withLock { $0[ts] = frame.timestamp } }
        a.tap.audioCaptured = { ts, at in audio.captured.withLock { $0[ts] = at } }
        b.tap.videoDecoded = { _, ts, at in video.arrived.withLock { $0.append((ts, at)) } }
        b.tap.audioPlayed = { ts, at in audio.arrived.withLock { $0.append((ts, at)) } }

        try a.setAnswer(try b.acceptOffer(try a.createOffer()))
        let results = Mutex<[String: Result<MediaSummary, Error>]>([:])
        let done = DispatchGroup()
        for (name, session, seconds) in [("A", a, o.seconds), ("B", b, o.seconds + 5)] {
            done.enter()
            let t = Thread {
                let r = Result { try session.run(for: seconds) }
                results.withLock { $0[name] = r }
                done.leave()
            }
            t.name = "bench-\(name)"
            t.start()
        }
        done.wait()
        let summaries = results.withLock { $0 }
        for (name, r) in summaries.sorted(by: { $0.key < $1.key }) {
            if case .failure(let e) = r { throw BenchError("session \(name) failed: \(e)") }
        }

        let v = latencies(video), au = latencies(audio)
        say(report("video (capture → decoded)", v, target: 40))
        say(report("audio (capture → played)", au, target: 60))
        let vs = latencies(video, skip: 1), aus = latencies(audio, skip: 1)
        if !vs.isEmpty, !aus.isEmpty {
            say("    after the first second: video p95 \(fmt(percentile(vs, 95), 1)) ms, audio p95 \(fmt(percentile(aus, 95), 1)) ms")
        }
        if case .success(let s) = summaries["B"] {
            for st in s.streams where st.received.packets > 0 {
                say("    B received \(st.kind): \(st.received.packets) packets, \(st.received.lost) lost, "
                      + "jitter \(st.received.jitterMs) ms, \(st.received.framesDecoded) frames decoded")
            }
        }
        func p(_ l: [Double], _ q: Double) -> String { l.isEmpty ? "-" : fmt(percentile(l, q), 1) }
        say("RESULT p4 \(o.codec.rawValue) video_p50=\(p(v, 50)) video_p95=\(p(v, 95)) video_max=\(p(v, 100)) "
              + "audio_p50=\(p(au, 50)) audio_p95=\(p(au, 95)) audio_max=\(p(au, 100))")
        say("")
    }

    /// Milliseconds from capture to arrival, matched by RTP timestamp, sorted; `skip` seconds from the
    /// first capture are left out (0: every frame counts, start-up included).
    static func latencies(_ t: Times, skip: Double = 0) -> [Double] {
        let captured = t.captured.withLock { $0 }
        let arrived = t.arrived.withLock { $0 }
        let first = captured.values.min() ?? 0
        var out: [Double] = []
        for (ts, at) in arrived {
            guard let c = captured[ts], c >= first + UInt64(skip * 1_000_000), at >= c else { continue }
            out.append(Double(at - c) / 1000)
        }
        return out.sorted()
    }

    static func report(_ what: String, _ l: [Double], target: Double) -> String {
        guard !l.isEmpty else { return "  \(what): no frames matched" }
        let p95 = percentile(l, 95)
        return "  \(what.padding(toLength: 28, withPad: " ", startingAt: 0)) n=\(l.count)  p50 \(fmt(percentile(l, 50), 1)) ms  "
            + "p95 \(fmt(p95, 1)) ms  max \(fmt(l.last!, 1)) ms   target p95 ≤ \(Int(target)) ms   \(p95 <= target ? "MET" : "MISSED")"
    }
}
