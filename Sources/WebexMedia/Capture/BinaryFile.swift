#if canImport(Glibc)
import Glibc
#endif

/// A buffered binary file (C stdio), single owner. Every error becomes `MediaError(.io)` naming the path.
final class BinaryFile {
    let path: String
    private var handle: UnsafeMutablePointer<FILE>?

    init(path: String, mode: String) throws {
        self.path = path
        guard let h = fopen(path, mode) else {
            let reason = String(cString: strerror(errno))
            throw MediaError(.io, "Cannot open \(path) (\(mode.hasPrefix("r") ? "for reading" : "for writing")): \(reason).")
        }
        handle = h
    }

    deinit { if let handle { fclose(handle) } }

    /// Reads up to `count` bytes; fewer only at the end of the file.
    func read(_ count: Int) throws -> [UInt8] {
        guard let handle, count > 0 else { return [] }
        var buf = [UInt8](repeating: 0, count: count)
        let n = buf.withUnsafeMutableBytes { fread($0.baseAddress, 1, count, handle) }
        if n < count {
            if ferror(handle) != 0 { throw MediaError(.io, "Reading \(path) failed: \(String(cString: strerror(errno))).") }
            buf.removeLast(count - n)
        }
        return buf
    }

    /// Reads bytes up to and including `delimiter`, at most `limit` bytes; nil at end of file.
    func readLine(delimiter: UInt8 = 0x0A, limit: Int) throws -> [UInt8]? {
        guard let handle else { return nil }
        var line: [UInt8] = []
        while line.count < limit {
            let c = getc(handle)
            if c == EOF {
                if ferror(handle) != 0 { throw MediaError(.io, "Reading \(path) failed: \(String(cString: strerror(errno))).") }
                return line.isEmpty ? nil : line
            }
            line.append(UInt8(truncatingIfNeeded: c))
            if UInt8(truncatingIfNeeded: c) == delimiter { return line }
        }
        throw MediaError(.invalidInput, "\(path): a header line is longer than \(limit) bytes.")
    }

    func skip(_ count: Int) throws {
        guard let handle, count > 0 else { return }
        if fseeko(handle, off_t(count), SEEK_CUR) != 0 {
            throw MediaError(.io, "Seeking in \(path) failed: \(String(cString: strerror(errno))).")
        }
    }

    func write(_ bytes: [UInt8]) throws {
        guard let handle else { throw MediaError(.io, "\(path) is already closed.") }
        guard !bytes.isEmpty else { return }
        let n = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, bytes.count, handle) }
        if n != bytes.count { throw MediaError(.io, "Writing \(path) failed: \(String(cString: strerror(errno))).") }
    }

    func seek(to offset: Int) throws {
        guard let handle, fseeko(handle, off_t(offset), SEEK_SET) == 0 else {
            throw MediaError(.io, "Seeking in \(path) failed.")
        }
    }

    func close() throws {
        guard let h = handle else { return }
        handle = nil
        if fclose(h) != 0 { throw MediaError(.io, "Closing \(path) failed: \(String(cString: strerror(errno))).") }
    }
}

/// Little-endian fields of the RIFF/IVF file formats.
enum MediaFileBytes {
    static func append<T: FixedWidthInteger>(to bytes: inout [UInt8], _ value: T) {
        var v = value.littleEndian
        withUnsafeBytes(of: &v) { bytes.append(contentsOf: $0) }
    }

    static func read<T: FixedWidthInteger>(from bytes: [UInt8], _: T.Type, at offset: Int) -> T? {
        let size = MemoryLayout<T>.size
        guard offset >= 0, offset <= bytes.count - size else { return nil }
        var v: T = 0
        for i in 0..<size { v |= T(truncatingIfNeeded: bytes[offset + i]) << (8 * i) }
        return v
    }

    /// The text without trailing CR/LF.
    static func trimNewlines(_ text: String) -> String {
        var s = Substring(text)
        while let last = s.last, last == "\n" || last == "\r" { s = s.dropLast() }
        return String(s)
    }
}
