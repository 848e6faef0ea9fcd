import Testing
@testable import WebexMedia
#if canImport(Glibc)
import Glibc
import Foundation
#endif

private func tempPath(_ name: String) -> String {
    "/tmp/webexmedia-codecs-\(getpid())-\(UInt32.random(in: 0...UInt32.max))-\(name)"
}

private func readAll(_ path: String) throws -> [UInt8] {
    let f = try BinaryFile(path: path, mode: "rb")
    return try f.read(64 << 20)
}

private func writeAll(_ path: String, _ bytes: [UInt8]) throws {
    let f = try BinaryFile(path: path, mode: "wb")
    try f.write(bytes)
    try f.close()
}

@Suite struct WAVFileTests {
    @Test func writeReadRoundTripIsExact() throws {
        let path = tempPath("a.wav")
        defer { unlink(path) }
        var rng = SystemRandomNumberGenerator()
        let frames = (0..<5).map { i in
            AudioFrame(samples: (0..<1920).map { _ in Int16.random(in: .min ... .max, using: &rng) }, channels: 2, timestamp: UInt64(i))
        }
        let sink = try WAVFileSink(path: path, channels: 2)
        for f in frames { try sink.write(f) }
        try sink.write(AudioFrame(samples: [1, -1, 2, -2], channels: 2))  // a short tail
        try sink.close()

        let bytes = try readAll(path)
        #expect(bytes.count == 44 + 5 * 1920 * 2 + 8)
        #expect(MediaFileBytes.read(from: bytes, UInt32.self, at: 4) == UInt32(bytes.count - 8))
        #expect(MediaFileBytes.read(from: bytes, UInt32.self, at: 40) == UInt32(bytes.count - 44))
        #expect(MediaFileBytes.read(from: bytes, UInt16.self, at: 22) == 2)
        #expect(MediaFileBytes.read(from: bytes, UInt32.self, at: 24) == 48_000)

        let source = try WAVFileSource(path: path)
        #expect(source.channels == 2 && source.sampleRate == 48_000 && !source.isLive)
        for f in frames { #expect(try source.read()?.samples == f.samples) }
        let tail = try #require(try source.read())
        #expect(tail.samples.count == 1920)
        #expect(Array(tail.samples.prefix(4)) == [1, -1, 2, -2])
        #expect(tail.samples.dropFirst(4).allSatisfy { $0 == 0 })
        #expect(try source.read() == nil)
    }

    @Test func extraChunksAreSkipped() throws {
        let path = tempPath("b.wav")
        defer { unlink(path) }
        var h = WAVFileSink.header(channels: 1, sampleRate: 48_000, dataBytes: 4)
        // insert a LIST chunk with odd size (padded) between fmt and data
        let list: [UInt8] = Array("LIST".utf8) + [3, 0, 0, 0, 1, 2, 3, 0]
        h.insert(contentsOf: list, at: 36)
        try writeAll(path, h + [0x10, 0x00, 0xF0, 0xFF])
        let s = try WAVFileSource(path: path)
        let f = try #require(try s.read())
        #expect(Array(f.samples.prefix(3)) == [16, -16, 0])
    }

    @Test func unsupportedFilesAreRefused() throws {
        let path = tempPath("c.wav")
        defer { unlink(path) }
        try writeAll(path, WAVFileSink.header(channels: 1, sampleRate: 44_100, dataBytes: 0))
        #expect { try WAVFileSource(path: path) } throws: { ($0 as? MediaError)?.kind == .unsupported && "\($0)".contains("44100") }
        try writeAll(path, Array("not a wav file at all".utf8))
        #expect { try WAVFileSource(path: path) } throws: { ($0 as? MediaError)?.kind == .invalidInput }
        try writeAll(path, Array(WAVFileSink.header(channels: 1, sampleRate: 48_000, dataBytes: 0).prefix(30)))
        #expect(throws: MediaError.self) { try WAVFileSource(path: path) }
        #expect { try WAVFileSource(path: "/nonexistent/x.wav") } throws: { ($0 as? MediaError)?.kind == .io }
    }
}

@Suite struct Y4MFileTests {
    @Test func writeReadRoundTripIsByteExact() throws {
        let path = tempPath("a.y4m"), copy = tempPath("b.y4m")
        defer { unlink(path); unlink(copy) }
        let pattern = TestPatternSource(width: 320, height: 180, framesPerSecond: 25)
        let frames = try (0..<4).map { _ in try #require(try pattern.read()) }
        let sink = try Y4MFileSink(path: path, framesPerSecond: 25)
        for f in frames { try sink.write(f) }
        try sink.close()

        let source = try Y4MFileSource(path: path)
        #expect(source.width == 320 && source.height == 180 && source.framesPerSecond == 25)
        var read: [VideoFrame] = []
        while let f = try source.read() { read.append(f) }
        #expect(read.count == 4)
        for (a, b) in zip(frames, read) { #expect(a.y == b.y && a.u == b.u && a.v == b.v) }

        // and a copy through source → sink gives the same bytes
        let again = try Y4MFileSource(path: path)
        let sink2 = try Y4MFileSink(path: copy, framesPerSecond: 25)
        while let f = try again.read() { try sink2.write(f) }
        try sink2.close()
        #expect(try readAll(path) == readAll(copy))
        #expect(try readAll(path).starts(with: Array("YUV4MPEG2 W320 H180 F25:1".utf8)))
    }

    @Test func headerVariants() throws {
        let path = tempPath("c.y4m")
        defer { unlink(path) }
        let frame: [UInt8] = Array("FRAME Ixyz\n".utf8) + [UInt8](repeating: 7, count: 6 * 4 * 3 / 2)
        try writeAll(path, Array("YUV4MPEG2 W6 H4 F30000:1001 It A0:0 C420mpeg2 XYSCSS=420MPEG2\n".utf8) + frame + frame)
        let s = try Y4MFileSource(path: path)
        #expect(s.width == 6 && s.height == 4 && s.framesPerSecond == 30)
        #expect(try s.read()?.y == [UInt8](repeating: 7, count: 24))
        #expect(try s.read() != nil)
        #expect(try s.read() == nil)

        try writeAll(path, Array("YUV4MPEG2 W6 H4 F30:1 C444\n".utf8))
        #expect { try Y4MFileSource(path: path) } throws: { ($0 as? MediaError)?.kind == .unsupported }
        try writeAll(path, Array("YUV4MPEG2 H4 F30:1\n".utf8))
        #expect(throws: MediaError.self) { try Y4MFileSource(path: path) }
        try writeAll(path, Array("YUV4MPEG2 W6 H4\nJUNK\n".utf8))
        let bad = try Y4MFileSource(path: path)
        #expect(throws: MediaError.self) { try bad.read() }
        try writeAll(path, [UInt8](repeating: 0x41, count: 5000))
        #expect(throws: MediaError.self) { try Y4MFileSource(path: path) }
    }
}

@Suite struct IVFFileTests {
    @Test func headerAndFrames() throws {
        let path = tempPath("a.ivf")
        defer { unlink(path) }
        let w = try IVFFileWriter(path: path, fourcc: "VP80", width: 640, height: 360)
        try w.write([1, 2, 3], pts: 0)
        try w.write(EncodedVideoFrame(data: [4, 5], isKeyframe: false, width: 640, height: 360, timestamp: 1_000_000))
        try w.close()
        let b = try readAll(path)
        #expect(b.count == 32 + 12 + 3 + 12 + 2)
        #expect(Array(b[0..<4]) == Array("DKIF".utf8) && Array(b[8..<12]) == Array("VP80".utf8))
        #expect(MediaFileBytes.read(from: b, UInt16.self, at: 6) == 32)
        #expect(MediaFileBytes.read(from: b, UInt16.self, at: 12) == 640 && MediaFileBytes.read(from: b, UInt16.self, at: 14) == 360)
        #expect(MediaFileBytes.read(from: b, UInt32.self, at: 16) == 90_000 && MediaFileBytes.read(from: b, UInt32.self, at: 20) == 1)
        #expect(MediaFileBytes.read(from: b, UInt32.self, at: 24) == 2)
        #expect(MediaFileBytes.read(from: b, UInt32.self, at: 32) == 3 && MediaFileBytes.read(from: b, UInt64.self, at: 36) == 0)
        #expect(MediaFileBytes.read(from: b, UInt32.self, at: 47) == 2 && MediaFileBytes.read(from: b, UInt64.self, at: 51) == 90_000)
        #expect(throws: MediaError.self) { try IVFFileWriter(path: path, fourcc: "VP8", width: 1, height: 1) }
    }
}

@Suite struct SyntheticSourceTests {
    @Test func toneIsExactAndContinuous() throws {
        let tone = ToneSource(frequency: 440, channels: 1, amplitude: 0.3)
        var samples: [Int16] = []
        for _ in 0..<100 { samples += try #require(try tone.read()).samples }
        #expect(abs(ToneAnalyzer.dominantFrequency(samples: samples, sampleRate: 48_000) - 440) < 0.05)
        // continuous phase: no step between neighbouring samples bigger than the sine's slope allows
        let maxStep = 2 * Double.pi * 440 / 48_000 * 0.3 * 32_767 + 2
        for i in 1..<samples.count { #expect(Double(abs(Int(samples[i]) - Int(samples[i - 1]))) <= maxStep) }
        #expect(samples.max()! > 9_800 && samples.max()! <= 9_831)
        let odd = ToneSource(frequency: 997.3, channels: 2)
        var frames: [AudioFrame] = []
        for _ in 0..<60 { frames.append(try #require(try odd.read())) }
        #expect(frames[0].channels == 2 && frames[0].samples.count == 1920)
        #expect(abs(ToneAnalyzer.dominantFrequency(frames, channel: 1) - 997.3) < 0.1)
    }

    @Test func analyzerHandlesSilenceAndNoise() {
        #expect(ToneAnalyzer.dominantFrequency(samples: [Int16](repeating: 0, count: 48_000), sampleRate: 48_000) == 0)
        var seed: UInt32 = 1
        let noisy: [Int16] = (0..<48_000).map { i in
            seed = seed &* 1_664_525 &+ 1_013_904_223
            return Int16(sin(2 * Double.pi * 1000 * Double(i) / 48_000) * 8000) + Int16(Int(seed >> 22) - 512)
        }
        #expect(abs(ToneAnalyzer.dominantFrequency(samples: noisy, sampleRate: 48_000) - 1000) < 1)
    }

    @Test func counterRoundTripsOnRawFrames() throws {
        let p = TestPatternSource(width: 640, height: 360)
        for n in [0, 1, 2, 255, 256, 65_535, 1_000_000, 0xFF_FFFE, 0xFF_FFFF] {
            #expect(TestPattern.readCounter(p.makeFrame(number: n)) == n)
        }
        #expect(TestPattern.readCounter(p.makeFrame(number: 0x100_0005)) == 5)  // wraps at 24 bits
        #expect(TestPattern.readCounter(VideoFrame.black(width: 640, height: 360)) == nil)
        var white = VideoFrame.black(width: 640, height: 360)
        white.y = [UInt8](repeating: 235, count: white.y.count)
        #expect(TestPattern.readCounter(white) == nil)
        // a flipped bit is caught by the CRC
        var f = p.makeFrame(number: 12345)
        let c = 640 / 32
        for row in 0..<c { for x in (5 * c)..<(6 * c) { f.y[row * 640 + x] = 255 - f.y[row * 640 + x] } }
        #expect(TestPattern.readCounter(f) == nil)
        #expect(TestPattern.readCounter(VideoFrame.black(width: 64, height: 8)) == nil)
        #expect(TestPattern.readCounter(VideoFrame(width: 640, height: 360, y: [], u: [], v: [])) == nil)
    }

    @Test func patternFramesMoveAndAreCheap() throws {
        let p = TestPatternSource(width: 1280, height: 720, framesPerSecond: 30)
        let a = try #require(try p.read()), b = try #require(try p.read())
        #expect(a.y.count == 1280 * 720 && a.u.count == 640 * 360 && a.v.count == 640 * 360)
        #expect(a.y != b.y)
        #expect(TestPattern.readCounter(a) == 0 && TestPattern.readCounter(b) == 1)
        let t0 = MediaClock.nowMicros()
        for _ in 0..<30 { _ = try p.read() }
        let perFrame = Double(MediaClock.nowMicros() - t0) / 30
        print("TIMING pattern 1280x720: \(perFrame) µs/frame")
        #expect(perFrame < 20_000)
        let odd = TestPatternSource(width: 99, height: 51)
        let f = try #require(try odd.read())
        #expect(f.width == 100 && f.height == 52 && f.y.count == 100 * 52 && f.u.count == 50 * 26)
    }
}

@Suite struct MediaSourceSpecTests {
    @Test func parsesTheAcceptedForms() throws {
        #expect(try MediaSourceSpec.parse("tone") == .tone(frequency: 440))
        #expect(try MediaSourceSpec.parse("tone:1000.5") == .tone(frequency: 1000.5))
        #expect(try MediaSourceSpec.parse("pattern") == .pattern(width: 640, height: 360, framesPerSecond: 30))
        #expect(try MediaSourceSpec.parse("pattern:1280x720@15") == .pattern(width: 1280, height: 720, framesPerSecond: 15))
        #expect(try MediaSourceSpec.parse("pattern:1280x720") == .pattern(width: 1280, height: 720, framesPerSecond: 30))
        #expect(try MediaSourceSpec.parse("pattern:@25") == .pattern(width: 640, height: 360, framesPerSecond: 25))
        #expect(try MediaSourceSpec.parse("file:speech.wav") == .wavFile(path: "speech.wav"))
        #expect(try MediaSourceSpec.parse("/tmp/Clip.Y4M") == .y4mFile(path: "/tmp/Clip.Y4M"))
        #expect(try MediaSourceSpec.parse("file:/a:b/c.wav") == .wavFile(path: "/a:b/c.wav"))
        #expect(try MediaSourceSpec.parse("tone:300").isAudio)
        #expect(try MediaSourceSpec.parse("pattern").makeVideoSource().width == 640)
        #expect(try MediaSourceSpec.parse("tone:300").makeAudioSource(channels: 2).channels == 2)
    }

    @Test(arguments: ["", "tone:", "tone:abc", "tone:-5", "tone:30000", "pattern:12x", "pattern:640x360@0",
                      "pattern:641x360", "pattern:axb", "movie.mp4", "file:", "pattern:640x360@x"])
    func rejectsBadSpecs(spec: String) {
        #expect { try MediaSourceSpec.parse(spec) } throws: { ($0 as? MediaError)?.kind == .invalidInput }
    }

    @Test func wrongKindIsRefused() throws {
        #expect(throws: MediaError.self) { try MediaSourceSpec.parse("tone").makeVideoSource() }
        #expect(throws: MediaError.self) { try MediaSourceSpec.parse("pattern").makeAudioSource() }
    }
}

/// The PNG snapshot is checked by Python's zlib and PNG reading (a reader we did not write).
@Test func pngSnapshotIsAPictureOtherToolsRead() throws {
    let frame = TestPatternSource(width: 64, height: 36, framesPerSecond: 30).makeFrame(number: 7)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("png-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("snap.png").path
    try PNGSnapshot.write(frame, to: path)
    let script = """
        import struct, sys, zlib
        d = open(sys.argv[1], 'rb').read()
        assert d[:8] == b'\\x89PNG\\r\\n\\x1a\\n'
        pos, chunks = 8, {}
        while pos < len(d):
            n, = struct.unpack('>I', d[pos:pos+4]); t = d[pos+4:pos+8]; body = d[pos+8:pos+8+n]
            assert zlib.crc32(t + body) == struct.unpack('>I', d[pos+8+n:pos+12+n])[0], t
            chunks[t] = chunks.get(t, b'') + body; pos += 12 + n
        w, h = struct.unpack('>II', chunks[b'IHDR'][:8])
        raw = zlib.decompress(chunks[b'IDAT'])
        assert len(raw) == h * (1 + 3 * w)
        print(w, h, raw[1], raw[2], raw[3])
        """
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    p.arguments = ["-c", script, path]
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    p.waitUntilExit()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(p.terminationStatus == 0)
    let fields = text.split(separator: " ").map { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    #expect(fields.count == 5 && fields[0] == 64 && fields[1] == 36, "\(text)")
}

@Test func deviceSourcesParse() throws {
    #expect(try MediaSourceSpec.parse("mic:hw:1,0") == .microphone(device: "hw:1,0"))
    #expect(try MediaSourceSpec.parse("mic:default").isAudio)
    #expect(try MediaSourceSpec.parse("camera:/dev/video2") == .camera(path: "/dev/video2", width: 1280, height: 720, framesPerSecond: 30))
    #expect(try MediaSourceSpec.parse("camera:/dev/video0:640x360@15") == .camera(path: "/dev/video0", width: 640, height: 360, framesPerSecond: 15))
    #expect(try MediaSourceSpec.parse("camera:/dev/video0:640x360") == .camera(path: "/dev/video0", width: 640, height: 360, framesPerSecond: 30))
    #expect(!(try MediaSourceSpec.parse("camera:/dev/video0").isAudio))
    #expect(try MediaSourceSpec.parse("camera:/dev/video0:640x360@15").description == "camera:/dev/video0:640x360@15")
    #expect(throws: MediaError.self) { try MediaSourceSpec.parse("mic:") }
    #expect(throws: MediaError.self) { try MediaSourceSpec.parse("camera:/dev/video0:10x10@15") }
    // A device that is not there is an error naming it, not a crash.
    #expect(throws: MediaError.self) { _ = try MediaSourceSpec.parse("camera:/nonexistent/video9").makeVideoSource() }
}

@Test func cameraPathsWithColonsKeepTheirColons() throws {
    let path = "/dev/v4l/by-path/pci-0000:00:14.0-usb-0:1:1.0-video-index0"
    #expect(try MediaSourceSpec.parse("camera:" + path) == .camera(path: path, width: 1280, height: 720, framesPerSecond: 30))
    #expect(try MediaSourceSpec.parse("camera:\(path):640x360@15") == .camera(path: path, width: 640, height: 360, framesPerSecond: 15))
}
