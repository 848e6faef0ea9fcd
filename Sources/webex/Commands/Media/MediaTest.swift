import ArgumentParser
import Foundation
import WebexSDK
#if canImport(Glibc)
import Glibc
#endif

struct MediaTest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Check a microphone, a speaker and a camera: levels, a record-and-play-back, frames received.",
        discussion: """
            Microphone: records for --seconds with a level meter on the terminal, and reports the peak and RMS level
            (dBFS), the dominant frequency, how long capture took against the audio's duration (real-time
            pacing) and any overruns. Speaker: plays back what was recorded (or, with --play tone:440, plays that
            while recording: with a loopback cable or snd-aloop this checks both ends at once).
            Camera: opens it at the nearest size and rate to --size/--fps, receives frames for --seconds, and
            reports what was negotiated, frames received and the measured rate; --snapshot FILE keeps the last
            frame as .y4m or .png.
              webex media test --mic default --speaker default
              webex media test --camera /dev/video0 --size 1280x720 --fps 30 --snapshot me.png
              webex media test --mic hw:Loopback,1,0 --speaker hw:Loopback,0,0 --play tone:440 --json
            Exit status: 0 when every device asked for worked; 1 when one failed (its error names it).
            """)
    @Option(help: ArgumentHelp("The microphone: an ALSA PCM name (see `webex media devices`).", valueName: "name"))
    var mic: String?
    @Option(help: ArgumentHelp("The speaker: an ALSA PCM name.", valueName: "name"))
    var speaker: String?
    @Option(help: ArgumentHelp("The camera: a V4L2 device path such as /dev/video0.", valueName: "path"))
    var camera: String?
    @Option(help: ArgumentHelp("How long to record and to receive frames.", valueName: "seconds"))
    var seconds: Double = 3
    @Option(help: ArgumentHelp("With --speaker: play this while recording (tone:FREQ) instead of playing the recording back.", valueName: "source"))
    var play: String?
    @Option(help: ArgumentHelp("Microphone channels: 1 or 2.", valueName: "n"))
    var channels = 1
    @Option(help: ArgumentHelp("Camera size, WxH.", valueName: "size"))
    var size = "640x360"
    @Option(help: ArgumentHelp("Camera frame rate.", valueName: "fps"))
    var fps = 30
    @Option(help: ArgumentHelp("Keep the camera's last frame here (.y4m or .png).", valueName: "file"))
    var snapshot: String?
    @Flag(help: "Print the results as one JSON object.") var json = false

    func validate() throws {
        if mic == nil && speaker == nil && camera == nil {
            throw ValidationError("name a device to test: --mic NAME, --speaker NAME and/or --camera PATH (see `webex media devices`)")
        }
        guard seconds >= 0.1, seconds <= 600 else { throw ValidationError("--seconds must be between 0.1 and 600") }
        guard channels == 1 || channels == 2 else { throw ValidationError("--channels must be 1 or 2") }
        guard parsedSize != nil else { throw ValidationError("--size '\(size)' is not WxH, e.g. 1280x720") }
        guard fps > 0, fps <= 240 else { throw ValidationError("--fps must be between 1 and 240") }
        if let play {
            guard speaker != nil else { throw ValidationError("--play needs --speaker") }
            guard let spec = try? MediaSourceSpec.parse(play), spec.isAudio, !{ if case .microphone = spec { true } else { false } }() else {
                throw ValidationError("--play '\(play)' is not an audio source: use tone:FREQ or a .wav file")
            }
        }
        if let snapshot, !(snapshot.hasSuffix(".y4m") || snapshot.hasSuffix(".png")) {
            throw ValidationError("--snapshot '\(snapshot)' must end in .y4m or .png")
        }
        if snapshot != nil && camera == nil { throw ValidationError("--snapshot needs --camera") }
    }

    var parsedSize: (Int, Int)? {
        let parts = size.lowercased().split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, parts[0] > 0, parts[1] > 0, parts[0] <= 8192, parts[1] <= 8192 else { return nil }
        return (parts[0], parts[1])
    }

    struct AudioReport: Encodable {
        var device: String
        var seconds: Double = 0
        var wallSeconds: Double = 0
        var peakDBFS: Double = -120
        var rmsDBFS: Double = -120
        var frequencyHz: Double?
        var xruns: Int = 0
        var notes: [String] = []
        var error: String?
    }

    struct SpeakerReport: Encodable {
        var device: String
        var played: String
        var seconds: Double = 0
        var wallSeconds: Double = 0
        var error: String?
    }

    struct CameraReport: Encodable {
        var device: String
        var requested: String
        var width: Int?
        var height: Int?
        var framesPerSecond: Double?
        var frames = 0
        var measuredFramesPerSecond: Double?
        var snapshot: String?
        var error: String?
    }

    struct Report: Encodable {
        var microphone: AudioReport?
        var speaker: SpeakerReport?
        var camera: CameraReport?
    }

    func run() async throws {
        let io = CLIContext.current.io
        let meter = io.stderrIsTTY && !json
        let command = self
        let report: Report = await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: command.runDevices(meter: meter, io: io)) }
            thread.name = "webex-media-test"
            thread.start()
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = io.stdoutIsTTY ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
            io.out(String(decoding: try encoder.encode(report), as: UTF8.self) + "\n")
        } else {
            printHuman(report, io: io)
        }
        let errors = [report.microphone?.error, report.speaker?.error, report.camera?.error].compactMap { $0 }
        if !errors.isEmpty {
            if json { for e in errors { io.err("error: \(e)\n") } }
            throw ExitCode(ExitCodeValue.failure.rawValue)
        }
    }

    private func printHuman(_ r: Report, io: IOStreams) {
        if let m = r.microphone {
            if let e = m.error { io.out("microphone \(m.device): FAILED: \(e)\n") } else {
                io.out(String(format: "microphone %@: %.1f s recorded in %.1f s, peak %.1f dBFS, RMS %.1f dBFS", m.device, m.seconds, m.wallSeconds, m.peakDBFS, m.rmsDBFS)
                    + (m.frequencyHz.map { String(format: ", tone %.1f Hz", $0) } ?? "") + (m.xruns > 0 ? ", \(m.xruns) overruns" : "") + "\n")
                for n in m.notes { io.out("  note: \(n)\n") }
            }
        }
        if let s = r.speaker {
            if let e = s.error { io.out("speaker \(s.device): FAILED: \(e)\n") } else {
                io.out(String(format: "speaker %@: played %@ (%.1f s in %.1f s)\n", s.device, s.played, s.seconds, s.wallSeconds))
            }
        }
        if let c = r.camera {
            if let e = c.error { io.out("camera \(c.device): FAILED: \(e)\n") } else {
                io.out("camera \(c.device): asked \(c.requested), got \(c.width ?? 0)x\(c.height ?? 0)@\(c.framesPerSecond.map { String(format: "%g", $0) } ?? "?"), "
                    + "\(c.frames) frames" + (c.measuredFramesPerSecond.map { String(format: " (%.1f fps measured)", $0) } ?? "")
                    + (c.snapshot.map { ", snapshot \($0)" } ?? "") + "\n")
            }
        }
    }

    /// Runs the device checks on a plain thread (devices block; the async pool must not).
    private func runDevices(meter: Bool, io: IOStreams) -> Report {
        var report = Report()
        var recorded: [AudioFrame] = []
        // Playing a source while recording: the speaker runs on its own thread for the same time.
        var playThread: Thread?
        var speakerResult = SpeakerReport(device: speaker ?? "", played: play ?? "the recording")
        let speakerBox = SpeakerBox()
        if let speaker, let play, let spec = try? MediaSourceSpec.parse(play) {
            let seconds = self.seconds
            let thread = Thread {
                speakerBox.set(Self.playSource(spec, device: speaker, seconds: seconds))
            }
            thread.start()
            playThread = thread
        }
        if let mic {
            var r = AudioReport(device: mic)
            do {
                let source = try ALSACapture(device: mic, channels: channels, sampleRate: 48_000)
                r.notes = source.notes
                let start = MediaClock.nowMicros()
                let wanted = Int(seconds * 50)
                var lastDraw: UInt64 = 0
                while recorded.count < wanted, let frame = try source.read() {
                    recorded.append(frame)
                    if meter, MediaClock.nowMicros() - lastDraw > 100_000 {
                        lastDraw = MediaClock.nowMicros()
                        let level = Self.levels(frame.samples).rms
                        let width = max(0, min(40, Int((level + 60) / 60 * 40)))
                        io.err("\r\u{1B}[2Kmic \(String(repeating: "█", count: width))\(String(repeating: "·", count: 40 - width)) \(String(format: "%6.1f dBFS", level))")
                    }
                }
                if meter { io.err("\r\u{1B}[2K") }
                r.wallSeconds = Double(MediaClock.nowMicros() - start) / 1_000_000
                r.xruns = source.xruns
                source.close()
                let samples = recorded.flatMap { f in stride(from: 0, to: f.samples.count, by: f.channels).map { f.samples[$0] } }
                r.seconds = Double(samples.count) / 48_000
                let lv = Self.levels(samples)
                r.peakDBFS = lv.peak
                r.rmsDBFS = lv.rms
                let f = ToneAnalyzer.dominantFrequency(samples: samples, sampleRate: 48_000)
                if f > 0 { r.frequencyHz = (f * 10).rounded() / 10 }
            } catch let e as MediaError {
                r.error = e.message
            } catch {
                r.error = "\(error)"
            }
            report.microphone = r
        }
        if let playThread {
            while !playThread.isFinished { usleep(5_000) }
            speakerResult = speakerBox.get() ?? speakerResult
            report.speaker = speakerResult
        } else if let speaker {
            // Play back what was recorded (or a short tone when nothing was).
            let frames = recorded.isEmpty ? nil : recorded
            report.speaker = Self.playFrames(frames, device: speaker, seconds: seconds)
        }
        if let camera { report.camera = runCamera(camera) }
        return report
    }

    final class SpeakerBox: @unchecked Sendable {
        private let lock = NSLock()
        private var value: SpeakerReport?
        func set(_ v: SpeakerReport) { lock.withLock { value = v } }
        func get() -> SpeakerReport? { lock.withLock { value } }
    }

    static func playSource(_ spec: MediaSourceSpec, device: String, seconds: Double) -> SpeakerReport {
        var r = SpeakerReport(device: device, played: spec.description)
        do {
            let source = try spec.makeAudioSource(channels: 1)
            let sink = try ALSAPlayback(device: device, channels: 1, sampleRate: 48_000)
            let start = MediaClock.nowMicros()
            var frames = 0
            while Double(frames) * 0.02 < seconds, let frame = try source.read() {
                try sink.write(frame)
                frames += 1
            }
            try sink.close()
            r.seconds = Double(frames) * 0.02
            r.wallSeconds = Double(MediaClock.nowMicros() - start) / 1_000_000
        } catch let e as MediaError {
            r.error = e.message
        } catch {
            r.error = "\(error)"
        }
        return r
    }

    static func playFrames(_ frames: [AudioFrame]?, device: String, seconds: Double) -> SpeakerReport {
        guard let frames else { return playSource(.tone(frequency: 440), device: device, seconds: min(seconds, 2)) }
        var r = SpeakerReport(device: device, played: "the recording")
        do {
            let sink = try ALSAPlayback(device: device, channels: frames[0].channels, sampleRate: 48_000)
            let start = MediaClock.nowMicros()
            for f in frames { try sink.write(f) }
            try sink.close()
            r.seconds = Double(frames.count) * 0.02
            r.wallSeconds = Double(MediaClock.nowMicros() - start) / 1_000_000
        } catch let e as MediaError {
            r.error = e.message
        } catch {
            r.error = "\(error)"
        }
        return r
    }

    static func levels(_ samples: [Int16]) -> (peak: Double, rms: Double) {
        guard !samples.isEmpty else { return (-120, -120) }
        var peak = 0.0, sum = 0.0
        for s in samples {
            let v = Double(s) / 32_768
            peak = max(peak, abs(v))
            sum += v * v
        }
        let db = { (x: Double) in x > 0 ? max(-120, (20 * log10(x) * 10).rounded() / 10) : -120 }
        return (db(peak), db((sum / Double(samples.count)).squareRoot()))
    }

    private func runCamera(_ path: String) -> CameraReport {
        let (w, h) = parsedSize ?? (640, 360)
        var r = CameraReport(device: path, requested: "\(w)x\(h)@\(fps)")
        do {
            let cam = try V4L2Camera(path: path, width: w, height: h, framesPerSecond: fps)
            defer { cam.close() }
            r.width = cam.width
            r.height = cam.height
            r.framesPerSecond = cam.actualFramesPerSecond
            let start = MediaClock.nowMicros()
            var first: UInt64?, last: UInt64 = 0
            var lastFrame: VideoFrame?
            while Double(MediaClock.nowMicros() - start) / 1_000_000 < seconds, let frame = try cam.read() {
                r.frames += 1
                first = first ?? frame.timestamp
                last = frame.timestamp
                lastFrame = frame
            }
            if let first, r.frames > 1, last > first {
                r.measuredFramesPerSecond = (Double(r.frames - 1) / (Double(last - first) / 1_000_000) * 10).rounded() / 10
            }
            if let snapshot, let lastFrame {
                if snapshot.hasSuffix(".png") {
                    try PNGSnapshot.write(lastFrame, to: snapshot)
                } else {
                    let sink = try Y4MFileSink(path: snapshot, framesPerSecond: fps)
                    try sink.write(lastFrame)
                    try sink.close()
                }
                r.snapshot = snapshot
            }
        } catch let e as MediaError {
            r.error = e.message
        } catch {
            r.error = "\(error)"
        }
        return r
    }
}
