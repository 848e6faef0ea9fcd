// MARK: - WAV

/// 16-bit PCM WAV at 48 kHz (any channel count), read 20 ms at a time; the last frame is padded with silence.
/// Other sample rates and formats are refused with a message saying how to convert.
public final class WAVFileSource: AudioSource {
    public let path: String
    public let channels: Int
    public let sampleRate: Int
    public var isLive: Bool { false }
    /// Samples per channel per `read()`.
    public let frameSize = 960
    private let file: BinaryFile
    private var remainingBytes: Int

    public init(path: String) throws {
        self.path = path
        file = try BinaryFile(path: path, mode: "rb")
        let riff = try file.read(12)
        guard riff.count == 12, riff[0..<4].elementsEqual("RIFF".utf8), riff[8..<12].elementsEqual("WAVE".utf8) else {
            throw MediaError(.invalidInput, "\(path) is not a WAV file (no RIFF/WAVE header).")
        }
        var format: (tag: UInt16, channels: Int, rate: Int, bits: Int)?
        // Walk chunks until "data"; bounded by the number of chunks a sane file has.
        for _ in 0..<64 {
            let header = try file.read(8)
            guard header.count == 8, let size32 = MediaFileBytes.read(from: header, UInt32.self, at: 4) else {
                throw MediaError(.invalidInput, "\(path): WAV file ends before its data chunk.")
            }
            let size = Int(size32)
            let id = String(decoding: header[0..<4], as: UTF8.self)
            if id == "fmt " {
                guard size >= 16, size <= 1024 else { throw MediaError(.invalidInput, "\(path): invalid WAV fmt chunk.") }
                let fmt = try file.read(size + size % 2)
                guard fmt.count >= size, var tag = MediaFileBytes.read(from: fmt, UInt16.self, at: 0), let ch = MediaFileBytes.read(from: fmt, UInt16.self, at: 2),
                      let rate = MediaFileBytes.read(from: fmt, UInt32.self, at: 4), let bits = MediaFileBytes.read(from: fmt, UInt16.self, at: 14) else {
                    throw MediaError(.invalidInput, "\(path): truncated WAV fmt chunk.")
                }
                if tag == 0xFFFE, size >= 26, let sub = MediaFileBytes.read(from: fmt, UInt16.self, at: 24) { tag = sub }  // WAVE_FORMAT_EXTENSIBLE
                format = (tag, Int(ch), Int(rate), Int(bits))
            } else if id == "data" {
                guard let f = format else { throw MediaError(.invalidInput, "\(path): WAV data chunk before fmt chunk.") }
                guard f.tag == 1, f.bits == 16 else {
                    throw MediaError(.unsupported, "\(path): only 16-bit PCM WAV is supported (this file has format \(f.tag), \(f.bits) bits). Convert it, e.g. `ffmpeg -i in -ar 48000 -c:a pcm_s16le out.wav`.")
                }
                guard f.rate == 48_000 else {
                    throw MediaError(.unsupported, "\(path): the sample rate is \(f.rate) Hz; only 48000 Hz is supported. Convert it, e.g. `ffmpeg -i in -ar 48000 -c:a pcm_s16le out.wav`.")
                }
                guard (1...8).contains(f.channels) else {
                    throw MediaError(.unsupported, "\(path): \(f.channels) channels is not supported.")
                }
                channels = f.channels
                sampleRate = f.rate
                // Streams written without a final size (0 or 0xFFFFFFFF) are read to the end of the file.
                remainingBytes = size == 0 || size32 == 0xFFFF_FFFF ? Int.max : size
                return
            } else {
                try file.skip(size + size % 2)
            }
        }
        throw MediaError(.invalidInput, "\(path): no data chunk found in the WAV file.")
    }

    public func read() throws -> AudioFrame? {
        let frameBytes = frameSize * channels * 2
        guard remainingBytes > 0 else { return nil }
        let bytes = try file.read(min(frameBytes, remainingBytes))
        let usable = bytes.count - bytes.count % (2 * channels)
        guard usable > 0 else { remainingBytes = 0; return nil }
        remainingBytes = bytes.count < min(frameBytes, remainingBytes) ? 0 : remainingBytes - bytes.count
        var samples = [Int16](repeating: 0, count: frameSize * channels)
        for i in 0..<(usable / 2) { samples[i] = Int16(bitPattern: UInt16(bytes[2 * i]) | UInt16(bytes[2 * i + 1]) << 8) }
        return AudioFrame(samples: samples, channels: channels, sampleRate: sampleRate, timestamp: MediaClock.nowMicros())
    }
}

// MARK: - Y4M

/// Parses the parameters of a YUV4MPEG2 stream header.
struct Y4MHeader: Equatable {
    var width: Int
    var height: Int
    var fpsNum: Int
    var fpsDen: Int
    var colorspace: String
    /// Other header tokens (I, A, X…) kept for the record.
    var extra: [String]

    init(width: Int, height: Int, fpsNum: Int, fpsDen: Int, colorspace: String = "420jpeg", extra: [String] = []) {
        self.width = width; self.height = height; self.fpsNum = fpsNum; self.fpsDen = fpsDen
        self.colorspace = colorspace; self.extra = extra
    }

    init(parsing line: [UInt8], path: String) throws {
        let text = MediaFileBytes.trimNewlines(String(decoding: line, as: UTF8.self))
        let tokens = text.split(separator: " ").map(String.init)
        guard tokens.first == "YUV4MPEG2" else { throw MediaError(.invalidInput, "\(path) is not a Y4M file (no YUV4MPEG2 header).") }
        var w: Int?, h: Int?, num = 30, den = 1, cs = "420jpeg", extra: [String] = []
        for t in tokens.dropFirst() {
            guard let key = t.first else { continue }
            let value = String(t.dropFirst())
            switch key {
            case "W": w = Int(value)
            case "H": h = Int(value)
            case "F":
                let parts = value.split(separator: ":")
                guard parts.count == 2, let n = Int(parts[0]), let d = Int(parts[1]), n > 0, d > 0 else {
                    throw MediaError(.invalidInput, "\(path): invalid Y4M frame rate \(value).")
                }
                num = n; den = d
            case "C": cs = value
            default: extra.append(t)
            }
        }
        guard let w, let h, (2...8_192).contains(w), (2...8_192).contains(h) else {
            throw MediaError(.invalidInput, "\(path): Y4M header without a valid size (W/H).")
        }
        guard ["420", "420jpeg", "420mpeg2", "420paldv"].contains(cs) else {
            throw MediaError(.unsupported, "\(path): Y4M colour space C\(cs) is not supported; only 8-bit 4:2:0 (C420, C420jpeg, C420mpeg2). Convert with `ffmpeg -i in -pix_fmt yuv420p out.y4m`.")
        }
        self.init(width: w, height: h, fpsNum: num, fpsDen: den, colorspace: cs, extra: extra)
    }

    var line: [UInt8] {
        var parts = ["YUV4MPEG2", "W\(width)", "H\(height)", "F\(fpsNum):\(fpsDen)"]
        parts += extra.isEmpty ? ["Ip", "A1:1"] : extra
        parts.append("C\(colorspace)")
        return Array((parts.joined(separator: " ") + "\n").utf8)
    }
}

/// Reads a YUV4MPEG2 (.y4m) file with 8-bit 4:2:0 pictures.
public final class Y4MFileSource: VideoSource {
    public let path: String
    public let width: Int
    public let height: Int
    public let framesPerSecond: Int
    public var isLive: Bool { false }
    let header: Y4MHeader
    private let file: BinaryFile

    public init(path: String) throws {
        self.path = path
        file = try BinaryFile(path: path, mode: "rb")
        guard let line = try file.readLine(limit: 1024) else { throw MediaError(.invalidInput, "\(path) is empty.") }
        header = try Y4MHeader(parsing: line, path: path)
        width = header.width
        height = header.height
        framesPerSecond = max(1, Int((Double(header.fpsNum) / Double(header.fpsDen)).rounded()))
    }

    public func read() throws -> VideoFrame? {
        guard let line = try file.readLine(limit: 1024) else { return nil }
        guard line.starts(with: Array("FRAME".utf8)), line.last == 0x0A else {
            throw MediaError(.invalidInput, "\(path): expected a FRAME marker in the Y4M stream.")
        }
        let cw = (width + 1) / 2, ch = (height + 1) / 2
        let y = try file.read(width * height), u = try file.read(cw * ch), v = try file.read(cw * ch)
        guard v.count == cw * ch else { return nil }  // truncated last frame
        return VideoFrame(width: width, height: height, y: y, u: u, v: v, timestamp: MediaClock.nowMicros())
    }
}
