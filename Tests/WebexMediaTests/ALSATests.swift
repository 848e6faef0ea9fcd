import CShims
import Testing
@testable import WebexMedia
#if canImport(Glibc)
import Glibc
#endif

/// ALSA against user-space fakes: the `file` plugin over `null` reads a raw file as a microphone and writes
/// one as a speaker. A standalone config (ALSA_CONFIG_PATH) replaces the global one, so `null` and `plug`
/// are defined inline. The fakes have no clock, so these tests run faster than real time.
private struct ALSAFixture: Sendable {
    let dir: String
    /// 1 s of stereo and 0.5 s of mono 48 kHz S16_LE.
    let stereo: [Int16]
    let mono: [Int16]

    static let shared = ALSAFixture()

    private init() {
        dir = "/tmp/webexmedia-alsa-\(getpid())"
        mkdir(dir, 0o700)
        var seed: UInt32 = 12345
        func noise() -> Int16 {
            seed = seed &* 1_664_525 &+ 1_013_904_223
            return Int16(truncatingIfNeeded: Int32(seed >> 16) % 2001 - 1000)
        }
        var s: [Int16] = []
        for i in 0..<48_000 {
            let t = Double(i) / 48_000
            s.append(Int16(12_000 * sin(2 * .pi * 440 * t)) &+ noise())
            s.append(Int16(9_000 * sin(2 * .pi * 330 * t)) &+ noise())
        }
        stereo = s
        mono = (0..<24_000).map { i in Int16(15_000 * sin(2 * .pi * 250 * Double(i) / 48_000)) &+ noise() }
        ALSAFixture.writeFile("\(dir)/in.raw", ALSAFixture.bytes(stereo))
        ALSAFixture.writeFile("\(dir)/inmono.raw", ALSAFixture.bytes(mono))
        let config = """
        pcm.fakemic {
            type file
            slave { pcm { type null } }
            file "/dev/null"
            infile "\(dir)/in.raw"
            format "raw"
            hint { show on description "Fake microphone" }
        }
        pcm.fakemicmono {
            type file
            slave { pcm { type null } }
            file "/dev/null"
            infile "\(dir)/inmono.raw"
            format "raw"
        }
        pcm.fakespk {
            type file
            slave { pcm { type null } }
            file "\(dir)/out.raw"
            format "raw"
            hint { show on description "Fake speaker\nwrites out.raw" }
        }
        pcm.fakespkmono {
            type file
            slave { pcm { type null } }
            file "\(dir)/outmono.raw"
            format "raw"
        }
        pcm.mulawmic { type mulaw slave { pcm fakemic format S16_LE } }
        pcm.plug {
            @args [ SLAVE ]
            @args.SLAVE { type string }
            type plug
            slave.pcm $SLAVE
        }

        """
        ALSAFixture.writeFile("\(dir)/asound.conf", Array(config.utf8))
        atexit {   // remove the folder when the test process ends
            let dir = "/tmp/webexmedia-alsa-\(getpid())"
            for f in ["in.raw", "inmono.raw", "out.raw", "outmono.raw", "asound.conf"] { unlink("\(dir)/\(f)") }
            rmdir(dir)
        }
        setenv("ALSA_CONFIG_PATH", "\(dir)/asound.conf", 1)
        if webex_alsa_load() == 0 { _ = webex_snd_config_update_free_global() }
    }

    static func bytes(_ samples: [Int16]) -> [UInt8] {
        samples.withUnsafeBytes { Array($0) }
    }

    static func writeFile(_ path: String, _ data: [UInt8]) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        precondition(fd >= 0, "cannot create \(path)")
        _ = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    static func readFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            out += buf[0..<n]
        }
        return out
    }
}

/// Runs `body` with fd 2 sent to a file, and returns what was written there.
private func capturingStderr(_ body: () throws -> Void) rethrows -> String {
    let path = "\(ALSAFixture.shared.dir)/stderr-\(UInt32.random(in: 0...UInt32.max))"
    let saved = dup(2)
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    dup2(fd, 2)
    close(fd)
    defer {
        dup2(saved, 2)
        close(saved)
        unlink(path)
    }
    try body()
    return String(decoding: ALSAFixture.readFile(path) ?? [], as: UTF8.self)
}

@Suite(.serialized) struct ALSATests {
    fileprivate let fixture = ALSAFixture.shared

    @Test func captureStereoIsByteExactIn20msFrames() throws {
        let mic = try ALSACapture(device: "fakemic", channels: 2)
        #expect(mic.isLive)
        #expect(mic.openedDevice == "fakemic")
        #expect(mic.notes.isEmpty)
        #expect(mic.framesPerRead == 960)
        #expect(mic.periodFrames == 480)
        #expect(mic.bufferFrames == 3840)
        var got: [Int16] = []
        var last: UInt64 = 0
        for _ in 0..<50 {   // exactly the file's length: the fake repeats stale data past its end
            let before = MediaClock.nowMicros()
            let frame = try #require(try mic.read())
            let after = MediaClock.nowMicros()
            #expect(frame.channels == 2 && frame.sampleRate == 48_000)
            #expect(frame.samples.count == 1920)
            #expect(frame.timestamp + 20_000 >= before && frame.timestamp + 20_000 <= after)
            #expect(frame.timestamp >= last)
            last = frame.timestamp
            got += frame.samples
        }
        #expect(got == fixture.stereo)
        #expect(mic.xruns == 0)
        mic.close()
        #expect(try mic.read() == nil)
        mic.close()   // twice is fine
    }

    @Test func captureMonoIsByteExact() throws {
        let mic = try ALSACapture(device: "fakemicmono", channels: 1)
        var got: [Int16] = []
        for _ in 0..<25 {
            let frame = try #require(try mic.read())
            #expect(frame.channels == 1 && frame.samples.count == 960 && frame.frameCount == 960)
            got += frame.samples
        }
        #expect(got == fixture.mono)
    }

    @Test func otherRatesGiveTwentyMillisecondFrames() throws {
        let mic = try ALSACapture(device: "fakemicmono", channels: 1, sampleRate: 16_000, periodMicros: 20_000)
        #expect(mic.framesPerRead == 320)
        let frame = try #require(try mic.read())
        #expect(frame.samples.count == 320 && frame.sampleRate == 16_000)
        #expect(Array(frame.samples) == Array(fixture.mono[0..<320]))
    }

    @Test func playbackStereoIsByteExact() throws {
        let path = "\(fixture.dir)/out.raw"
        unlink(path)
        let speaker = try ALSAPlayback(device: "fakespk", channels: 2)
        #expect(speaker.notes.isEmpty && speaker.openedDevice == "fakespk")
        #expect(speaker.periodFrames == 480 && speaker.bufferFrames == 1920)
        for i in 0..<50 {
            let slice = Array(fixture.stereo[(i * 1920)..<((i + 1) * 1920)])
            try speaker.write(AudioFrame(samples: slice, channels: 2))
        }
        #expect(speaker.outputDelayMicros != nil)
        try speaker.close()
        try speaker.close()
        #expect(speaker.outputDelayMicros == nil)
        // Exactly what was written, then the one period of silence close() adds before draining.
        let out = try #require(ALSAFixture.readFile(path))
        #expect(out.count == 192_000 + 480 * 4)
        #expect(Array(out.prefix(192_000)) == ALSAFixture.bytes(fixture.stereo))
        #expect(out.dropFirst(192_000).allSatisfy { $0 == 0 })
        #expect(speaker.underruns == 0)
        #expect(throws: MediaError.self) { try speaker.write(AudioFrame(samples: [0, 0], channels: 2)) }
    }

    @Test func playbackMonoWithShortFramesIsByteExact() throws {
        let path = "\(fixture.dir)/outmono.raw"
        unlink(path)
        let speaker = try ALSAPlayback(device: "fakespkmono", channels: 1)
        // Odd frame sizes, including one smaller than the start threshold at the end.
        var i = 0
        let sizes = [960, 333, 1000, 7, 2000]
        var k = 0
        while i < fixture.mono.count {
            let n = min(sizes[k % sizes.count], fixture.mono.count - i)
            try speaker.write(AudioFrame(samples: Array(fixture.mono[i..<(i + n)]), channels: 1))
            i += n
            k += 1
        }
        try speaker.close()
        let out = try #require(ALSAFixture.readFile(path))
        #expect(Array(out.prefix(48_000)) == ALSAFixture.bytes(fixture.mono))
        #expect(out.count == 48_000 + 480 * 2 && out.dropFirst(48_000).allSatisfy { $0 == 0 })
    }

    @Test func listingShowsConfiguredPCMs() throws {
        let devices = try ALSADevices.list()
        let mic = try #require(devices.first { $0.name == "fakemic" })
        #expect(mic.description == "Fake microphone")
        let speaker = try #require(devices.first { $0.name == "fakespk" })
        #expect(speaker.description == "Fake speaker — writes out.raw")
        #expect(mic.isCapture && speaker.isPlayback)
        #expect(!devices.contains { $0.name == "null" })
    }

    @Test func missingDeviceSaysSoQuietly() throws {
        var thrown: MediaError?
        let stderrText = capturingStderr {
            do { _ = try ALSACapture(device: "nosuchmic") } catch let e as MediaError { thrown = e } catch {}
        }
        let error = try #require(thrown)
        #expect(error.kind == .io)
        #expect(error.message.contains("The microphone 'nosuchmic' does not exist"))
        #expect(error.message.contains("webex media devices"))
        #expect(error.message.contains("Unknown PCM nosuchmic"))
        #expect(!stderrText.contains("ALSA lib"), "libasound printed: \(stderrText)")
        #expect(ALSAPCM.lastLibraryMessage().hasPrefix("ALSA lib pcm.c:"))

        #expect {
            _ = try ALSAPlayback(device: "nosuchspeaker")
        } throws: { e in
            (e as? MediaError)?.message.hasPrefix("The speaker 'nosuchspeaker' does not exist") == true
        }
    }

    @Test func unsuitableDeviceIsOpenedThroughPlug() throws {
        // mulawmic only speaks MU_LAW to its client: S16_LE needs plug's conversion.
        let mic = try ALSACapture(device: "mulawmic", channels: 2)
        #expect(mic.openedDevice == "plug:'mulawmic'")
        #expect(mic.notes.count == 1)
        #expect(mic.notes.first?.contains("through plug:'mulawmic'") == true)
        let frame = try #require(try mic.read())
        // mu-law keeps about 3 % of each sample's magnitude.
        for (a, b) in zip(frame.samples, fixture.stereo.prefix(1920)) {
            #expect(abs(Int(a) - Int(b)) <= abs(Int(b)) / 16 + 32)
        }
    }

    @Test func overrunIsRecoveredAndCaptureContinues() throws {
        let mic = try ALSACapture(device: "fakemic", channels: 2)
        var got: [Int16] = []
        for _ in 0..<10 { got += try #require(try mic.read()).samples }
        try mic.handleReadError(-EPIPE)   // what readi returns after an overrun
        try mic.handleReadError(-ESTRPIPE)
        #expect(mic.xruns == 2)
        for _ in 0..<10 {
            let frame = try #require(try mic.read())
            #expect(frame.samples.count == 1920)
            got += frame.samples
        }
        #expect(Array(got.prefix(19_200)) == Array(fixture.stereo.prefix(19_200)))
    }

    @Test func underrunIsRecoveredAndPlaybackContinues() throws {
        unlink("\(fixture.dir)/out.raw")
        let speaker = try ALSAPlayback(device: "fakespk", channels: 2)
        try speaker.write(AudioFrame(samples: Array(fixture.stereo.prefix(1920)), channels: 2))
        try speaker.handleWriteError(-EPIPE)
        #expect(speaker.underruns == 1)
        try speaker.write(AudioFrame(samples: Array(fixture.stereo[1920..<3840]), channels: 2))
        try speaker.close()
        let out = try #require(ALSAFixture.readFile("\(fixture.dir)/out.raw"))
        #expect(Array(out.dropLast(1920).suffix(3840)) == ALSAFixture.bytes(Array(fixture.stereo[1920..<3840])))
    }

    @Test func errorSentences() {
        #expect(ALSAPCM.openError(device: "hw:1,0", direction: .capture, code: -EBUSY).message ==
            "The microphone 'hw:1,0' is busy: another program is using it. Close it, or open it through dmix/dsnoop (e.g. --mic default or --mic plug:dsnoop).")
        #expect(ALSAPCM.openError(device: "hw:1,0", direction: .playback, code: -EBUSY).message ==
            "The speaker 'hw:1,0' is busy: another program is using it. Close it, or open it through dmix (e.g. --speaker default or --speaker plug:dmix).")
        let missing = ALSAPCM.openError(device: "hw:3,0", direction: .capture, code: -ENODEV)
        #expect(missing.kind == .io && missing.message.contains("'hw:3,0' does not exist")
            && missing.message.contains("`webex media devices`"))
        #expect(ALSAPCM.plugName(for: "hw:1,0") == "plug:'hw:1,0'")
    }

    @Test func badOptionsAreRejected() throws {
        #expect(throws: MediaError(.invalidInput, "ALSA devices are opened with 1 or 2 channels, not 3.")) {
            _ = try ALSACapture(device: "fakemic", channels: 3)
        }
        #expect(throws: MediaError.self) { _ = try ALSACapture(device: "fakemic", sampleRate: 44_101) }
        #expect(throws: MediaError.self) { _ = try ALSAPlayback(device: "fakespk", periodMicros: 0) }
        #expect(throws: MediaError.self) { _ = try ALSAPlayback(device: "fakespk", bufferPeriods: 1) }
        let speaker = try ALSAPlayback(device: "fakespkmono", channels: 1)
        #expect(throws: MediaError.self) { try speaker.write(AudioFrame(samples: [1, 2], channels: 2)) }
        #expect(throws: MediaError.self) {
            try speaker.write(AudioFrame(samples: [1, 2], channels: 1, sampleRate: 16_000))
        }
        try speaker.close()
    }
}
