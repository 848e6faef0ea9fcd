import Foundation
import Testing

/// `webex media devices` and `webex media test` with ALSA PCMs from a test configuration: a fake microphone
/// that plays a known file and a fake speaker that writes one. (Real drivers — snd-aloop and vivid — are
/// exercised by scripts/vm-lane.sh with Tests/VM/media.sh; the V4L2 code path by WebexMediaTests' fake camera.)
@Suite(.serialized)
struct MediaDeviceTests {
    let webex = binDir.appendingPathComponent("webex")

    /// A folder with in.raw (1 s of a 523 Hz tone, mono, 48 kHz, S16_LE) and asound.conf defining
    /// `fakemic` (reads in.raw) and `fakespk` (writes out.raw).
    func fixture() throws -> (dir: TempDir, env: [String: String], input: [UInt8]) {
        let dir = TempDir()
        var input: [UInt8] = []
        for i in 0..<48_000 {
            let v = Int16(12_000 * sin(2 * Double.pi * 523 * Double(i) / 48_000))
            input += [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8)]
        }
        FileManager.default.createFile(atPath: dir.path("in.raw"), contents: Data(input))
        let config = """
            pcm.fakemic { type file slave { pcm { type null } } file "/dev/null" infile "\(dir.path("in.raw"))" format "raw"
                          hint { show on description "Test microphone" } }
            pcm.fakespk { type file slave { pcm { type null } } file "\(dir.path("out.raw"))" format "raw"
                          hint { show on description "Test speaker" } }
            """
        FileManager.default.createFile(atPath: dir.path("asound.conf"), contents: Data(config.utf8))
        let env = ["PATH": "/usr/bin:/bin", "HOME": dir.url.path, "ALSA_CONFIG_PATH": dir.path("asound.conf")]
        return (dir, env, input)
    }

    @Test func devicesListsTheConfiguredMicrophoneAndSpeaker() throws {
        let (dir, env, _) = try fixture()
        _ = dir
        let r = try runProcess(webex, ["media", "devices", "--json"], env: env)
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try r.json() as? [String: Any])
        let mics = try #require(json["microphones"] as? [[String: Any]])
        let speakers = try #require(json["speakers"] as? [[String: Any]])
        #expect(mics.contains { $0["name"] as? String == "fakemic" && $0["description"] as? String == "Test microphone" }, "\(mics)")
        #expect(speakers.contains { $0["name"] as? String == "fakespk" }, "\(speakers)")
        #expect(json["cameras"] is [Any])
        // Piped, the table is tab-separated rows: kind, name, description.
        let rows = try runProcess(webex, ["media", "devices"], env: env)
        #expect(rows.stdout.contains("microphone\tfakemic\tTest microphone"), "\(rows.stdout)")
    }

    @Test func recordAndPlayBackIsByteExact() throws {
        let (dir, env, input) = try fixture()
        let r = try runProcess(webex, ["media", "test", "--mic", "fakemic", "--speaker", "fakespk", "--seconds", "1", "--json"], env: env)
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try r.json() as? [String: Any])
        let mic = try #require(json["microphone"] as? [String: Any])
        #expect(abs((mic["frequencyHz"] as? Double ?? 0) - 523) < 1, "\(mic)")
        #expect(abs((mic["seconds"] as? Double ?? 0) - 1) < 0.01, "\(mic)")
        #expect((mic["peakDBFS"] as? Double ?? 0) > -9 && (mic["peakDBFS"] as? Double ?? 0) < -8, "12000/32768 is -8.7 dBFS: \(mic)")
        let speaker = try #require(json["speaker"] as? [String: Any])
        #expect(speaker["played"] as? String == "the recording")
        // What the speaker got is what the microphone heard, byte for byte (then one period of silence).
        let out = try #require(FileManager.default.contents(atPath: dir.path("out.raw")))
        #expect(Array(out.prefix(input.count)) == input)
        #expect(out.dropFirst(input.count).allSatisfy { $0 == 0 })
    }

    @Test func playingAToneWhileRecording() throws {
        let (dir, env, _) = try fixture()
        let r = try runProcess(webex, ["media", "test", "--mic", "fakemic", "--speaker", "fakespk", "--play", "tone:440",
                                       "--seconds", "1"], env: env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("microphone fakemic:") && r.stdout.contains("speaker fakespk: played tone:440"), "\(r.stdout)")
        let out = try #require(FileManager.default.contents(atPath: dir.path("out.raw")))
        let samples = stride(from: 0, to: out.count - 1, by: 2).map { Int16(bitPattern: UInt16(out[$0]) | UInt16(out[$0 + 1]) << 8) }
        var crossings = 0
        for i in 1..<samples.count where samples[i - 1] < 0 && samples[i] >= 0 { crossings += 1 }
        #expect(samples.count >= 48_000 && abs(Double(crossings) / (Double(samples.count) / 48_000) - 440) < 5)
    }

    @Test func aMissingDeviceIsNamedWithWhatToDo() throws {
        let (dir, env, _) = try fixture()
        _ = dir
        let r = try runProcess(webex, ["media", "test", "--mic", "nosuchmic", "--json"], env: env)
        #expect(r.status == 1)
        let json = try #require(try r.json() as? [String: Any])
        let error = (json["microphone"] as? [String: Any])?["error"] as? String ?? ""
        #expect(error.contains("nosuchmic") && error.contains("webex media devices"), "\(error)")
        #expect(!r.stderr.contains("ALSA lib"), "libasound's own messages stay out of the way: \(r.stderr)")
        let usage = try runProcess(webex, ["media", "test"], env: env)
        #expect(usage.status == 2 && usage.stderr.contains("--mic NAME"), "\(usage.stderr)")
        let camera = try runProcess(webex, ["media", "test", "--camera", dir.path("in.raw"), "--json"], env: env)
        #expect(camera.status == 1 && camera.stdout.contains("\"error\""), "\(camera.stdout)")
    }
}
