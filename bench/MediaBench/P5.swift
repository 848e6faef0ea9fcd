import Foundation
import Glibc
import WebexMedia

/// P5 (issue #8): CPU per 10 ms of audio through capture (ALSA, a test PCM that reads a file and has no
/// clock, so only our work and libasound's count) plus echo cancellation, noise suppression and gain control,
/// as a share of the 10 ms real-time budget. The camera half (720p capture + conversion through libv4l2) needs
/// the fake camera in a private mount namespace: bench/media.sh runs `v4l2-check` for it.
enum P5 {
    static func run(seconds: Double) throws {
        let dir = NSTemporaryDirectory() + "media-bench-p5-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Speech-like input: two tones with a syllable-rate envelope plus noise, mono 48 kHz.
        let count = Int(seconds * 48_000)
        var raw = [UInt8]()
        raw.reserveCapacity(count * 2)
        var seed: UInt32 = 1
        for i in 0..<count {
            let t = Double(i) / 48_000
            seed = seed &* 1_103_515_245 &+ 12_345
            let noise = Double(Int32(seed >> 17) % 600)
            let env = 0.5 + 0.5 * sin(2 * .pi * 4 * t)
            let v = Int16(max(-32_000, min(32_000, 6_000 * env * (sin(2 * .pi * 220 * t) + 0.6 * sin(2 * .pi * 1_300 * t)) + noise)))
            raw += [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8)]
        }
        FileManager.default.createFile(atPath: dir + "/in.raw", contents: Data(raw))
        let config = "pcm.benchmic { type file slave { pcm { type null } } file \"/dev/null\" infile \"\(dir)/in.raw\" format \"raw\" }\n"
        FileManager.default.createFile(atPath: dir + "/asound.conf", contents: Data(config.utf8))
        setenv("ALSA_CONFIG_PATH", dir + "/asound.conf", 1)

        let frames = count / 960
        func measure(_ label: String, process: Bool) throws -> Double {
            let mic = try ALSACapture(device: "benchmic", channels: 1, sampleRate: 48_000)
            let processor = process ? try AudioProcessor(sampleRate: 48_000, channels: 1) : nil
            let far = AudioFrame(samples: [Int16](repeating: 0, count: 960), channels: 1)
            var cpu = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu)
            let start = Double(cpu.tv_sec) + Double(cpu.tv_nsec) / 1e9
            var n = 0
            while n < frames, let frame = try mic.read() {
                if let processor {
                    try processor.processReverse(far)
                    _ = try processor.process(frame)
                }
                n += 1
            }
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu)
            let used = Double(cpu.tv_sec) + Double(cpu.tv_nsec) / 1e9 - start
            mic.close()
            let per10ms = used / Double(max(1, n * 2)) * 1e6
            say("P5 \(label): \(n * 20) ms of audio, \(fmt(used * 1000, 1)) ms CPU: \(fmt(per10ms, 1)) µs per 10 ms = \(fmt(per10ms / 100, 2)) % of the real-time budget")
            return per10ms
        }
        let capture = try measure("capture alone", process: false)
        let both = try measure("capture + echo cancellation, noise suppression, gain control", process: true)
        say("P5 audio: \(fmt(both, 1)) µs per 10 ms frame (capture \(fmt(capture, 1)) µs) = \(fmt(both / 10_000, 4))× real time")
    }
}
