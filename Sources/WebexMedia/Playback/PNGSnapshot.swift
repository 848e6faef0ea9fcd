import Foundation

/// A video frame as a PNG picture (for `webex media test --snapshot`): I420 converted to RGB with the
/// BT.601 limited-range matrix cameras use, stored without compression (deflate "stored" blocks), which
/// every PNG reader accepts and needs no zlib. A 1280×720 snapshot is about 2.8 MB.
public enum PNGSnapshot {
    public static func data(_ frame: VideoFrame) -> [UInt8] {
        let w = frame.width, h = frame.height, cw = frame.chromaWidth
        // Filter byte 0 (none) then RGB for each row.
        var raw = [UInt8]()
        raw.reserveCapacity(h * (1 + 3 * w))
        for y in 0..<h {
            raw.append(0)
            for x in 0..<w {
                let luma = Int(frame.y[y * w + x]) - 16
                let ci = (y / 2) * cw + x / 2
                let u = Int(frame.u[ci]) - 128, v = Int(frame.v[ci]) - 128
                let c = 298 * luma
                raw.append(clamp((c + 409 * v + 128) >> 8))
                raw.append(clamp((c - 100 * u - 208 * v + 128) >> 8))
                raw.append(clamp((c + 516 * u + 128) >> 8))
            }
        }
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header = be32(UInt32(w)) + be32(UInt32(h))
        header += [8, 2, 0, 0, 0]  // 8-bit, truecolour, deflate, adaptive filtering, no interlace
        chunk("IHDR", header, into: &png)
        chunk("IDAT", zlibStored(raw), into: &png)
        chunk("IEND", [], into: &png)
        return png
    }

    public static func write(_ frame: VideoFrame, to path: String) throws {
        do {
            try Data(data(frame)).write(to: URL(fileURLWithPath: path))
        } catch {
            throw MediaError(.io, "Cannot write the snapshot \(path): \(error.localizedDescription)")
        }
    }

    private static func clamp(_ v: Int) -> UInt8 { UInt8(max(0, min(255, v))) }
    private static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }

    private static func chunk(_ type: String, _ body: [UInt8], into png: inout [UInt8]) {
        let typed = Array(type.utf8) + body
        png += be32(UInt32(body.count)) + typed + be32(crc32(typed[...]))
    }

    /// A zlib stream of stored (uncompressed) deflate blocks of at most 65535 bytes, with its Adler-32.
    private static func zlibStored(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var i = 0
        repeat {
            let n = min(65_535, bytes.count - i)
            let last: UInt8 = i + n == bytes.count ? 1 : 0
            out += [last, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            out += bytes[i..<(i + n)]
            i += n
        } while i < bytes.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return out + be32(b << 16 | a)
    }
}
