import Foundation
import Glibc
import Synchronization
import WebexMedia

/// P3: CPU of the whole send pipeline (source → encode → packetize → SRTP → socket) against the same frames
/// encoded by the codec wrapper alone, and against aiortc sending the same size, rate and codec.
///
/// Every number is CPU per sent frame during the sending phase (after the connection is up, until the
/// last frame): connection setup (ICE, DTLS, certificate generation) and process start-up are left out of
/// every side, and reported separately for aiortc.
struct P3Options {
    var width = 640
    var height = 360
    var fps = 30
    var codec: VideoCodecKind = .vp8
    var seconds = 10.0
    var bitrate = 800_000
    var webex: String
    var python: String?
    var aiortcPeer: String?
    var workDir: String
    var rounds = 1
    /// all, or only one side (pipeline, raw) for profiling it under perf.
    var only = "all"
}

struct SendMeasurement {
    var cpu: Double        // seconds, user + system, every thread of the sending process
    var frames: Int
    var wall: Double       // seconds of the sending window
    var keyframes: Int?
    var bytes: Int?
    var threads: [(String, Double)] = []
    var note: String = ""
    var msPerFrame: Double { frames > 0 ? cpu * 1000 / Double(frames) : .nan }
    var cpuPercent: Double { wall > 0 ? cpu / wall * 100 : .nan }
}

enum P3 {
    static func run(_ o: P3Options) throws {
        let label = "\(o.width)x\(o.height)@\(o.fps) \(o.codec.rawValue)"
        say("== P3 \(label), \(fmt(o.seconds, 0)) s, \(o.bitrate / 1000) kbit/s, \(o.rounds) round(s) ==")
        var pipelines: [SendMeasurement] = [], raws: [SendMeasurement] = [], aiortcs: [SendMeasurement] = []
        for round in 1...max(1, o.rounds) {
            if o.rounds > 1 { say("  -- round \(round)") }
            var frames = Int(o.seconds) * o.fps
            if o.only != "raw" {
                let pipeline = try runPipeline(o)
                say(line("pipeline (webex, in-process sender)", pipeline))
                for (name, cpu) in pipeline.threads {
                    say("      threads \(name.padding(toLength: 24, withPad: " ", startingAt: 0)) \(fmt(cpu, 2)) s (/proc ticks, approximate)")
                }
                pipelines.append(pipeline)
                frames = pipeline.frames
            }
            if o.only != "pipeline" {
                // The same number of frames as the pipeline just sent.
                let raw = try runRaw(o, frames: frames)
                say(line("raw (source + codec wrapper)", raw))
                if round == 1 {
                    let source = runSourceOnly(o, frames: frames)
                    say("    of which the test pattern alone: \(fmt(source * 1000 / Double(max(1, frames)), 3)) ms/frame (unpaced)")
                }
                raws.append(raw)
            }
            guard o.only == "all" else { continue }
            if let python = o.python, let peer = o.aiortcPeer {
                do {
                    let a = try runAiortc(o, python: python, peer: peer)
                    say(line("aiortc (python, same pattern)", a))
                    if !a.note.isEmpty { say("    \(a.note)") }
                    aiortcs.append(a)
                } catch {
                    say("  aiortc: skipped (\(error))")
                }
            } else if round == 1 {
                say("  aiortc: skipped (no --python/--aiortc-peer)")
            }
        }
        guard o.only == "all" else { return }

        func median(_ ms: [SendMeasurement]) -> Double {
            let v = ms.map(\.msPerFrame).sorted()
            return v.isEmpty ? .nan : v.count % 2 == 1 ? v[v.count / 2] : (v[v.count / 2 - 1] + v[v.count / 2]) / 2
        }
        let raw = median(raws), pipeline = median(pipelines), aiortc = median(aiortcs)
        if o.rounds > 1 {
            say("  medians over \(o.rounds) rounds: raw \(fmt(raw, 3)), pipeline \(fmt(pipeline, 3)), aiortc \(aiortcs.isEmpty ? "-" : fmt(aiortc, 3)) ms/frame")
            let perRound = zip(pipelines, raws).map { fmt($0.msPerFrame / $1.msPerFrame, 3) }
            say("  pipeline / raw per round: \(perRound.joined(separator: ", "))")
        }
        let vsRaw = pipeline / raw
        say("  pipeline / raw     = \(fmt(vsRaw, 3))×   target ≤ 1.15×   \(vsRaw <= 1.15 ? "MET" : "MISSED")")
        let vsAiortc = aiortc / pipeline
        if !aiortcs.isEmpty {
            say("  aiortc / pipeline  = \(fmt(vsAiortc, 2))×   target ≥ 4×      \(vsAiortc >= 4 ? "MET" : "MISSED")")
        }
        // One machine-readable line for bench/media.sh.
        say("RESULT p3 \(o.width)x\(o.height) \(o.codec.rawValue) raw=\(fmt(raw, 3)) pipeline=\(fmt(pipeline, 3)) "
              + "aiortc=\(aiortcs.isEmpty ? "-" : fmt(aiortc, 3)) vsraw=\(fmt(vsRaw, 3)) vsaiortc=\(aiortcs.isEmpty ? "-" : fmt(vsAiortc, 2))")
        say("")
    }

    static func line(_ what: String, _ m: SendMeasurement) -> String {
        var s = "  \(what.padding(toLength: 38, withPad: " ", startingAt: 0)) CPU \(fmt(m.cpu, 3)) s for \(m.frames) frames in \(fmt(m.wall, 1)) s "
            + "= \(fmt(m.msPerFrame, 3)) ms/frame (\(fmt(m.cpuPercent, 1)) % of a core)"
        if let k = m.keyframes { s += ", \(k) keyframes" }
        if let b = m.bytes, m.wall > 0 { s += ", \(Int(Double(b) * 8 / m.wall / 1000)) kbit/s" }
        return s
    }

    // MARK: - (b) our pipeline

    /// Our sender in this process (video only), a receive-only `webex media call` in another. The CPU
    /// window opens when the session reports "connected" (right before the send thread starts) and closes
    /// when `run` returns (after the send thread, the BYE and the network thread have stopped).
    static func runPipeline(_ o: P3Options) throws -> SendMeasurement {
        let dir = o.workDir + "/p3-pipeline-\(o.width)x\(o.height)-\(o.codec.rawValue)"
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let offerPath = dir + "/offer.sdp", answerPath = dir + "/answer.sdp"
        let receiver = try Child(o.webex, [
            "media", "call", "--bind", "127.0.0.1", "--offer-in", offerPath, "--answer-out", answerPath,
            "--audio", "none", "--video", "none", "--codec", o.codec.rawValue.lowercased(),
            "--duration", String(Int(o.seconds + 10)), "--wait", "30",
        ], logPrefix: dir + "/receiver")

        let config = MediaSessionConfiguration(
            audio: nil, video: .pattern(width: o.width, height: o.height, framesPerSecond: o.fps),
            videoCodecs: [o.codec], hostAddresses: [SocketAddress(host: "127.0.0.1", port: 0)!],
            videoBitrate: o.bitrate)
        let session = try MediaSession(configuration: config)
        let monitor = ThreadMonitor()
        let start = Mutex<(cpu: Double, wall: Double)?>(nil)
        session.onProgress = { message in
            guard message == "connected" else { return }
            monitor.begin()
            start.withLock { $0 = (processCPUSeconds(), wallSeconds()) }
        }
        try writeAtomically(try session.createOffer(), to: offerPath)
        try session.setAnswer(try waitForFile(answerPath, timeout: 30))
        let summary = try session.run(for: o.seconds)
        let endCPU = processCPUSeconds(), endWall = wallSeconds()
        let (threads, monitorCPU) = monitor.end()
        let status = receiver.wait(timeout: 15)
        guard let begin = start.withLock({ $0 }) else { throw BenchError("the pipeline never connected") }
        guard let video = summary.streams.first(where: { $0.kind == "video" && $0.sent.frames > 0 }) else {
            throw BenchError("the pipeline sent no video (\(summary.error ?? "no error")); receiver: \(receiver.stderr)")
        }
        var m = SendMeasurement(
            cpu: endCPU - begin.cpu - monitorCPU, frames: video.sent.frames, wall: endWall - begin.wall,
            keyframes: video.sent.keyframes, bytes: video.sent.bytes, threads: threads)
        if let received = jsonObject(receiver.stdout),
           let streams = received["streams"] as? [[String: Any]],
           let v = streams.first(where: { $0["kind"] as? String == "video" }),
           let r = v["received"] as? [String: Any] {
            m.note = "receiver (webex media call, exit \(status)) decoded \(r["framesDecoded"] ?? "?") frames"
            say("    \(m.note)")
        }
        return m
    }

    // MARK: - (a) raw codec

    /// The same source, the same encoder wrapper and settings, the same number of frames at the same pace
    /// (30 fps, slept between frames exactly as the send thread does), keyframes at the same points (the
    /// first frame, then every 10 s): only packetizing, SRTP, the socket and the network thread are missing.
    static func runRaw(_ o: P3Options, frames: Int) throws -> SendMeasurement {
        let source = TestPatternSource(width: o.width, height: o.height, framesPerSecond: o.fps)
        let encoder = try o.codec.makeEncoder(width: o.width, height: o.height, framesPerSecond: o.fps, bitrate: o.bitrate)
        let interval = UInt64(1_000_000 / o.fps)
        let cpu0 = processCPUSeconds(), wall0 = wallSeconds()
        var next = MediaClock.nowMicros()
        var lastKeyframe: UInt64 = 0
        var keyframes = 0, bytes = 0, encoded = 0
        for _ in 0..<frames {
            guard var frame = try source.read() else { break }
            let now = MediaClock.nowMicros()
            if next > now { usleep(useconds_t(next - now)) }
            next += interval
            frame.timestamp = MediaClock.nowMicros()
            let force = frame.timestamp - lastKeyframe > 10_000_000
            guard let out = try encoder.encode(frame, forceKeyframe: force) else { continue }
            if out.isKeyframe { lastKeyframe = frame.timestamp; keyframes += 1 }
            bytes += out.data.count
            encoded += 1
        }
        return SendMeasurement(cpu: processCPUSeconds() - cpu0, frames: encoded, wall: wallSeconds() - wall0,
                               keyframes: keyframes, bytes: bytes)
    }

    /// The test pattern alone, unpaced: how much of "raw" is the source rather than the codec.
    static func runSourceOnly(_ o: P3Options, frames: Int) -> Double {
        let source = TestPatternSource(width: o.width, height: o.height, framesPerSecond: o.fps)
        let cpu0 = processCPUSeconds()
        var sink = 0
        for _ in 0..<frames { if let f = try? source.read() { sink &+= Int(f.y[f.y.count / 2]) } }
        if sink == -1 { say("") }  // keeps the frames from being optimised away
        return processCPUSeconds() - cpu0
    }

    // MARK: - (c) aiortc

    /// aiortc offers and sends only video (our test pattern, drawn the same way in Python, same bitrate), a
    /// receive-only `webex media call` answers. aiortc reports its own CPU (resource.getrusage, every
    /// thread) when its connection state becomes "connected" and when it stops sending.
    static func runAiortc(_ o: P3Options, python: String, peer: String) throws -> SendMeasurement {
        let dir = o.workDir + "/p3-aiortc-\(o.width)x\(o.height)-\(o.codec.rawValue)"
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let offerPath = dir + "/offer.sdp", answerPath = dir + "/answer.sdp", cpuPath = dir + "/cpu.json"
        let sender = try Child(python, [
            peer, "--role", "offer", "--offer-out", offerPath, "--answer-in", answerPath,
            "--codec", o.codec.rawValue.lowercased(), "--size", "\(o.width)x\(o.height)", "--fps", String(o.fps),
            "--duration", fmt(o.seconds + 1, 1), "--no-audio", "--pattern", "webex",
            "--video-bitrate", String(o.bitrate / 1000), "--cpu-out", cpuPath,
        ], logPrefix: dir + "/aiortc")
        let receiver = try Child(o.webex, [
            "media", "call", "--bind", "127.0.0.1", "--offer-in", offerPath, "--answer-out", answerPath,
            "--audio", "none", "--video", "none", "--codec", o.codec.rawValue.lowercased(),
            "--duration", String(Int(o.seconds + 10)), "--wait", "60",
        ], logPrefix: dir + "/receiver")
        let status = sender.wait(timeout: o.seconds + 60)
        receiver.wait(timeout: 10)
        guard let cpu = try? String(contentsOfFile: cpuPath, encoding: .utf8), let r = jsonObject(cpu),
              let connected = r["connected"] as? [String: Any], let end = r["end"] as? [String: Any],
              let c0 = connected["cpu"] as? Double, let c1 = end["cpu"] as? Double,
              let f0 = connected["frames"] as? Int, let f1 = end["frames"] as? Int,
              let t0 = connected["t"] as? Double, let t1 = end["t"] as? Double
        else {
            throw BenchError("aiortc reported no CPU (exit \(status)): \(sender.stderr.suffix(600))")
        }
        var m = SendMeasurement(cpu: c1 - c0, frames: f1 - f0, wall: t1 - t0)
        var note = ""
        if let total = (r["exit"] as? [String: Any])?["cpu"] as? Double {
            note += "aiortc whole process incl. Python start-up and connecting: \(fmt(total, 2)) s CPU"
        }
        if let received = jsonObject(receiver.stdout),
           let streams = received["streams"] as? [[String: Any]],
           let v = streams.first(where: { $0["kind"] as? String == "video" }),
           let rr = v["received"] as? [String: Any] {
            let kbps = ((rr["bytes"] as? Int).map { Double($0) * 8 / max(0.1, m.wall) / 1000 }).map { Int($0) }
            note += "; our receiver decoded \(rr["framesDecoded"] ?? "?") frames" + (kbps.map { ", ≈\($0) kbit/s" } ?? "")
        }
        m.note = note
        return m
    }
}
