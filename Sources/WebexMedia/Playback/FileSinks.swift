// MARK: - WAV

/// Writes 16-bit PCM WAV; the RIFF and data sizes are filled in by `close()`.
public final class WAVFileSink: AudioSink {
    public let path: String
    public let channels: Int
    public let sampleRate: Int
    private let file: BinaryFile
    private var dataBytes = 0
    private var closed = false

    public init(path: String, channels: Int, sampleRate: Int = 48_000) throws {
        guard (1...8).contains(channels), sampleRate > 0 else {
            throw MediaError(.invalidInput, "WAV sink: invalid format \(channels) channels at \(sampleRate) Hz.")
        }
        self.path = path
        self.channels = channels
        self.sampleRate = sampleRate
        file = try BinaryFile(path: path, mode: "wb")
        try file.write(Self.header(channels: channels, sampleRate: sampleRate, dataBytes: 0))
    }

    static func header(channels: Int, sampleRate: Int, dataBytes: Int) -> [UInt8] {
        var h: [UInt8] = Array("RIFF".utf8)
        MediaFileBytes.append(to: &h, UInt32(truncatingIfNeeded: 36 + dataBytes))
        h += Array("WAVEfmt ".utf8)
        MediaFileBytes.append(to: &h, UInt32(16)); MediaFileBytes.append(to: &h, UInt16(1)); MediaFileBytes.append(to: &h, UInt16(channels))
        MediaFileBytes.append(to: &h, UInt32(sampleRate)); MediaFileBytes.append(to: &h, UInt32(sampleRate * channels * 2))
        MediaFileBytes.append(to: &h, UInt16(channels * 2)); MediaFileBytes.append(to: &h, UInt16(16))
        h += Array("data".utf8)
        MediaFileBytes.append(to: &h, UInt32(truncatingIfNeeded: dataBytes))
        return h
    }

    public func write(_ frame: AudioFrame) throws {
        guard !closed else { throw MediaError(.io, "WAV sink \(path) is closed.") }
        guard frame.channels == channels, frame.sampleRate == sampleRate else {
            throw MediaError(.invalidInput, "WAV sink \(path): got \(frame.channels) ch at \(frame.sampleRate) Hz, the file is \(channels) ch at \(sampleRate) Hz.")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(frame.samples.count * 2)
        for s in frame.samples { MediaFileBytes.append(to: &bytes, s) }
        try file.write(bytes)
        dataBytes += bytes.count
    }

    public func close() throws {
        guard !closed else { return }
        closed = true
        try file.seek(to: 0)
        try file.write(Self.header(channels: channels, sampleRate: sampleRate, dataBytes: dataBytes))
        try file.close()
    }

    deinit { try? close() }
}

// MARK: - Y4M

/// Writes decoded pictures as YUV4MPEG2; the size comes from the first frame (later frames must match).
public final class Y4MFileSink: VideoSink {
    public let path: String
    public let framesPerSecond: Int
    private let file: BinaryFile
    private var size: (width: Int, height: Int)?

    public init(path: String, framesPerSecond: Int = 30) throws {
        self.path = path
        self.framesPerSecond = max(1, framesPerSecond)
        file = try BinaryFile(path: path, mode: "wb")
    }

    public func write(_ frame: VideoFrame) throws {
        if let size {
            guard size.width == frame.width, size.height == frame.height else {
                throw MediaError(.invalidInput, "Y4M sink \(path): frame size changed from \(size.width)x\(size.height) to \(frame.width)x\(frame.height).")
            }
        } else {
            size = (frame.width, frame.height)
            try file.write(Y4MHeader(width: frame.width, height: frame.height, fpsNum: framesPerSecond, fpsDen: 1).line)
        }
        let ys = frame.width * frame.height, cs = frame.chromaWidth * frame.chromaHeight
        guard frame.y.count >= ys, frame.u.count >= cs, frame.v.count >= cs else {
            throw MediaError(.invalidInput, "Y4M sink \(path): frame planes are too small.")
        }
        try file.write(Array("FRAME\n".utf8))
        try file.write(frame.y.count == ys ? frame.y : Array(frame.y[0..<ys]))
        try file.write(frame.u.count == cs ? frame.u : Array(frame.u[0..<cs]))
        try file.write(frame.v.count == cs ? frame.v : Array(frame.v[0..<cs]))
    }

    public func close() throws { try file.close() }
}

// MARK: - IVF

/// Writes encoded frames into an IVF container (what libvpx tools and ffmpeg read): 32-byte header, then per
/// frame a 12-byte header (size, 64-bit pts in timebase units). The frame count is fixed by `close()`.
public final class IVFFileWriter {
    public let path: String
    private let file: BinaryFile
    private let fourcc: [UInt8]
    private let width: Int, height: Int, timebaseNumerator: Int, timebaseDenominator: Int
    private var frames = 0
    private var closed = false

    /// - Parameters:
    ///   - fourcc: "VP80" or "H264" (any 4 ASCII characters).
    ///   - timebaseNumerator/Denominator: units of `pts` (default 1/90000, the RTP video clock).
    public init(path: String, fourcc: String, width: Int, height: Int,
                timebaseNumerator: Int = 1, timebaseDenominator: Int = 90_000) throws {
        let cc = Array(fourcc.utf8)
        guard cc.count == 4, width > 0, width < 65_536, height > 0, height < 65_536,
              timebaseNumerator > 0, timebaseDenominator > 0 else {
            throw MediaError(.invalidInput, "IVF writer: invalid fourcc \(fourcc) or size \(width)x\(height) or timebase.")
        }
        self.path = path
        self.fourcc = cc
        self.width = width; self.height = height
        self.timebaseNumerator = timebaseNumerator; self.timebaseDenominator = timebaseDenominator
        file = try BinaryFile(path: path, mode: "wb")
        try file.write(header())
    }

    private func header() -> [UInt8] {
        var h: [UInt8] = Array("DKIF".utf8)
        MediaFileBytes.append(to: &h, UInt16(0)); MediaFileBytes.append(to: &h, UInt16(32))
        h += fourcc
        MediaFileBytes.append(to: &h, UInt16(width)); MediaFileBytes.append(to: &h, UInt16(height))
        MediaFileBytes.append(to: &h, UInt32(timebaseDenominator)); MediaFileBytes.append(to: &h, UInt32(timebaseNumerator))
        MediaFileBytes.append(to: &h, UInt32(frames)); MediaFileBytes.append(to: &h, UInt32(0))
        return h
    }

    /// Appends one encoded frame with its presentation time in timebase units.
    public func write(_ data: [UInt8], pts: UInt64) throws {
        guard !closed else { throw MediaError(.io, "IVF writer \(path) is closed.") }
        var h: [UInt8] = []
        MediaFileBytes.append(to: &h, UInt32(data.count)); MediaFileBytes.append(to: &h, pts)
        try file.write(h)
        try file.write(data)
        frames += 1
    }

    /// Appends an encoded frame; pts from its timestamp (µs) converted to the timebase.
    public func write(_ frame: EncodedVideoFrame) throws {
        let pts = frame.timestamp * UInt64(timebaseDenominator) / (1_000_000 * UInt64(timebaseNumerator))
        try write(frame.data, pts: pts)
    }

    public func close() throws {
        guard !closed else { return }
        closed = true
        try file.seek(to: 0)
        try file.write(header())
        try file.close()
    }

    deinit { try? close() }
}
