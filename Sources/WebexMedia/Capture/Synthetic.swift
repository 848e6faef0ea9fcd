#if canImport(Glibc)
import Glibc
#endif

/// A sine tone at an exact frequency, 48 kHz, 20 ms per `read()`, with the phase carried across frames
/// (computed from a running sample index, so it never drifts). Not live: the reader paces it.
public final class ToneSource: AudioSource {
    public let frequency: Double
    public let channels: Int
    public let amplitude: Double
    public let sampleRate = 48_000
    public var isLive: Bool { false }
    /// Samples per channel per frame (20 ms).
    public let frameSize = 960
    private var sampleIndex: Int64 = 0
    /// The sample index wraps after a whole number of cycles when that is possible (integer frequencies),
    /// keeping `sin` arguments small.
    private let period: Int64?

    public init(frequency: Double, channels: Int = 1, amplitude: Double = 0.3) {
        self.frequency = frequency
        self.channels = max(1, channels)
        self.amplitude = max(0, min(1, amplitude))
        // f = p/q * 48000 cycles per sample: after 48000 samples an integer frequency completes f cycles.
        period = frequency == frequency.rounded() ? 48_000 : nil
    }

    public func read() throws -> AudioFrame? {
        let step = 2 * Double.pi * frequency / Double(sampleRate)
        let scale = amplitude * 32_767
        var samples = [Int16](repeating: 0, count: frameSize * channels)
        samples.withUnsafeMutableBufferPointer { out in
            for i in 0..<frameSize {
                let v = Int16((sin(step * Double(sampleIndex)) * scale).rounded())
                for c in 0..<channels { out[i * channels + c] = v }
                sampleIndex += 1
                if let period, sampleIndex >= period { sampleIndex -= period }
            }
        }
        return AudioFrame(samples: samples, channels: channels, sampleRate: sampleRate, timestamp: MediaClock.nowMicros())
    }
}

/// Moving colour bars with a frame counter along the top that survives lossy coding (see `TestPattern`).
/// Cheap: every row is a copy of a precomputed doubled row at a moving offset. Not live: the reader paces it.
public final class TestPatternSource: VideoSource {
    public let width: Int
    public let height: Int
    public let framesPerSecond: Int
    public var isLive: Bool { false }
    /// Number of frames produced so far (the counter drawn into the next frame).
    public private(set) var frameNumber: Int = 0

    private let yRow: [UInt8], uRow: [UInt8], vRow: [UInt8]   // two periods of bars, so any offset has a full row
    private let chromaWidth: Int, chromaHeight: Int

    public init(width: Int = 640, height: Int = 360, framesPerSecond: Int = 30) {
        self.width = max(2, width + width % 2)
        self.height = max(2, height + height % 2)
        self.framesPerSecond = max(1, framesPerSecond)
        chromaWidth = self.width / 2
        chromaHeight = self.height / 2
        // Eight bars (BT.601 limited-range colours): white, yellow, cyan, green, magenta, red, blue, grey.
        let bars: [(UInt8, UInt8, UInt8)] = [
            (235, 128, 128), (210, 16, 146), (170, 166, 16), (145, 54, 34),
            (106, 202, 222), (81, 90, 240), (41, 240, 110), (90, 128, 128),
        ]
        let cw = chromaWidth
        var y = [UInt8](repeating: 0, count: 2 * cw * 2), u = [UInt8](repeating: 0, count: 2 * cw), v = [UInt8](repeating: 0, count: 2 * cw)
        for cx in 0..<(2 * cw) {
            let bar = bars[(cx % cw) * bars.count / cw]
            // A luma ramp inside each bar gives the encoder some texture to work on.
            let ramp = UInt8((cx % max(1, cw / bars.count)) * 24 / max(1, cw / bars.count))
            y[2 * cx] = bar.0 &- min(bar.0 - 16, ramp)
            y[2 * cx + 1] = y[2 * cx]
            u[cx] = bar.1
            v[cx] = bar.2
        }
        yRow = y; uRow = u; vRow = v
    }

    public func read() throws -> VideoFrame? {
        let n = frameNumber
        frameNumber += 1
        var frame = makeFrame(number: n)
        frame.timestamp = MediaClock.nowMicros()
        return frame
    }

    /// Draws frame `number` (bars shifted by 4 px per frame, counter on top).
    public func makeFrame(number: Int) -> VideoFrame {
        let w = width, h = height, cw = chromaWidth, ch = chromaHeight
        let shift = (number * 2) % cw  // chroma pixels; luma moves twice as far
        // Every row is a straight copy of the precomputed bar row at this frame's offset.
        let y = yRow.withUnsafeBufferPointer { src in
            [UInt8](unsafeUninitializedCapacity: w * h) { dst, count in
                for row in 0..<h { (dst.baseAddress! + row * w).initialize(from: src.baseAddress! + shift * 2, count: w) }
                count = w * h
            }
        }
        func chroma(_ rowData: [UInt8]) -> [UInt8] {
            rowData.withUnsafeBufferPointer { src in
                [UInt8](unsafeUninitializedCapacity: cw * ch) { dst, count in
                    for row in 0..<ch { (dst.baseAddress! + row * cw).initialize(from: src.baseAddress! + shift, count: cw) }
                    count = cw * ch
                }
            }
        }
        let u = chroma(uRow), v = chroma(vRow)
        var frame = VideoFrame(width: w, height: h, y: y, u: u, v: v)
        TestPattern.drawCounter(number, into: &frame)
        return frame
    }
}

/// A frame counter drawn as 32 black/white cells across the top of a picture: 24 bits of counter (most
/// significant first) and an 8-bit CRC (CRC-8/0x07, xor 0x5A), each cell `width / 32` pixels square, in a neutral-chroma band. Large
/// flat cells survive VP8/H.264 at low bitrates; the CRC rejects a misread.
public enum TestPattern {
    public static let cells = 32
    static let counterBits = 24

    /// Cell size in pixels for a frame width, or nil when the frame is too small to carry the counter.
    static func cellSize(width: Int, height: Int) -> Int? {
        let c = width / cells
        return c >= 4 && height >= 2 * c ? c : nil
    }

    static func crc8(_ value: Int) -> UInt8 {
        var crc: UInt8 = 0
        for byte in [UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)] {
            crc ^= byte
            for _ in 0..<8 { crc = crc & 0x80 != 0 ? (crc << 1) ^ 0x07 : crc << 1 }
        }
        return crc ^ 0x5A  // so that an all-black or all-white band is not a valid reading
    }

    static func bits(for counter: Int) -> [Bool] {
        let value = counter & 0xFF_FFFF
        let crc = Int(crc8(value))
        return (0..<cells).map { i in
            i < counterBits ? (value >> (counterBits - 1 - i)) & 1 == 1 : (crc >> (cells - 1 - i)) & 1 == 1
        }
    }

    /// Draws `counter` (mod 2^24) into the top band of `frame`.
    public static func drawCounter(_ counter: Int, into frame: inout VideoFrame) {
        guard let c = cellSize(width: frame.width, height: frame.height),
              frame.y.count >= frame.width * frame.height else { return }
        let w = frame.width, bitsList = bits(for: counter)
        frame.y.withUnsafeMutableBufferPointer { y in
            for row in 0..<c {
                for (i, bit) in bitsList.enumerated() {
                    let start = row * w + i * c
                    y[start..<(start + c)].update(repeating: bit ? 235 : 16)
                }
                let tail = row * w + cells * c
                if tail < (row + 1) * w { y[tail..<((row + 1) * w)].update(repeating: 16) }
            }
        }
        let cw = frame.chromaWidth, chRows = min(frame.chromaHeight, (c + 1) / 2)
        if frame.u.count >= cw * chRows, frame.v.count >= cw * chRows {
            frame.u.withUnsafeMutableBufferPointer { $0[0..<(cw * chRows)].update(repeating: 128) }
            frame.v.withUnsafeMutableBufferPointer { $0[0..<(cw * chRows)].update(repeating: 128) }
        }
    }

    /// Reads the counter back from a (possibly lossy decoded) frame: the mean luma of the inner half of each
    /// cell against the midpoint; nil if the CRC does not match or the frame is too small.
    public static func readCounter(_ frame: VideoFrame) -> Int? {
        guard let c = cellSize(width: frame.width, height: frame.height),
              frame.y.count >= frame.width * frame.height else { return nil }
        let w = frame.width, lo = c / 4, hi = c - c / 4
        var value = 0, crc = 0
        for i in 0..<cells {
            var sum = 0
            for row in lo..<hi {
                let start = row * w + i * c
                for x in (start + lo)..<(start + hi) { sum += Int(frame.y[x]) }
            }
            let mean = sum / ((hi - lo) * (hi - lo))
            let bit = mean > 125 ? 1 : 0
            if i < counterBits { value = value << 1 | bit } else { crc = crc << 1 | bit }
        }
        return Int(crc8(value)) == crc ? value : nil
    }
}
