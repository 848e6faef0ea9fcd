import Glibc

/// A numeric IPv4 or IPv6 address with a UDP/TCP port. Value type, hashable, so it can key tables
/// (candidate pairs, TURN permissions). Host names are never resolved here.
public struct SocketAddress: Hashable, Sendable, CustomStringConvertible {
    public enum Family: Sendable, Hashable { case ipv4, ipv6 }

    /// 4 bytes (IPv4) or 16 bytes (IPv6), network order.
    public let addressBytes: [UInt8]
    public var port: UInt16

    public var family: Family { addressBytes.count == 4 ? .ipv4 : .ipv6 }

    /// Parses a numeric address ("192.0.2.1", "::1", "[::1]"). Returns nil for names or garbage.
    /// A zone suffix ("fe80::1%eth0") is dropped.
    public init?(host: String, port: UInt16) {
        var text = host
        if text.hasPrefix("["), text.hasSuffix("]"), text.count >= 2 {
            text = String(text.dropFirst().dropLast())
        }
        if let percent = text.firstIndex(of: "%") { text = String(text[..<percent]) }
        guard !text.isEmpty, text.utf8.count < 64 else { return nil }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            self.addressBytes = withUnsafeBytes(of: &v4) { Array($0) }
            self.port = port
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            self.addressBytes = withUnsafeBytes(of: &v6) { Array($0) }
            self.port = port
            return
        }
        return nil
    }

    /// From raw address bytes (4 or 16 of them).
    public init?(addressBytes: [UInt8], port: UInt16) {
        guard addressBytes.count == 4 || addressBytes.count == 16 else { return nil }
        self.addressBytes = addressBytes
        self.port = port
    }

    /// The numeric host without brackets ("192.0.2.1", "::1").
    public var host: String {
        var buffer = [CChar](repeating: 0, count: 64)
        let ok: Bool = addressBytes.withUnsafeBytes { raw in
            buffer.withUnsafeMutableBufferPointer { out in
                inet_ntop(family == .ipv4 ? AF_INET : AF_INET6, raw.baseAddress, out.baseAddress, 64) != nil
            }
        }
        guard ok else { return "?" }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// "192.0.2.1:3478" or "[::1]:3478".
    public var description: String {
        family == .ipv4 ? "\(host):\(port)" : "[\(host)]:\(port)"
    }

    /// True for 0.0.0.0 and ::.
    public var isWildcard: Bool { addressBytes.allSatisfy { $0 == 0 } }

    /// True for 127.0.0.0/8 and ::1.
    public var isLoopback: Bool {
        if family == .ipv4 { return addressBytes[0] == 127 }
        return addressBytes == [UInt8](repeating: 0, count: 15) + [1]
    }

    /// True for IPv6 link-local fe80::/10.
    public var isLinkLocal: Bool {
        family == .ipv6 && addressBytes[0] == 0xFE && (addressBytes[1] & 0xC0) == 0x80
    }

    // MARK: sockaddr bridging (used by UDPSocket and interface enumeration)

    /// Calls `body` with a filled `sockaddr_in`/`sockaddr_in6` and its length.
    func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> R) rethrows -> R {
        if family == .ipv4 {
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = port.bigEndian
            withUnsafeMutableBytes(of: &sin.sin_addr) { $0.copyBytes(from: addressBytes) }
            return try withUnsafePointer(to: &sin) {
                try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    try body($0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        } else {
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = port.bigEndian
            withUnsafeMutableBytes(of: &sin6.sin6_addr) { $0.copyBytes(from: addressBytes) }
            return try withUnsafePointer(to: &sin6) {
                try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    try body($0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
    }

    /// Reads an AF_INET/AF_INET6 `sockaddr`; nil for other families.
    init?(sockaddr pointer: UnsafePointer<sockaddr>) {
        switch Int32(pointer.pointee.sa_family) {
        case AF_INET:
            let sin = UnsafeRawPointer(pointer).loadUnaligned(as: sockaddr_in.self)
            var a = sin.sin_addr
            self.addressBytes = withUnsafeBytes(of: &a) { Array($0) }
            self.port = UInt16(bigEndian: sin.sin_port)
        case AF_INET6:
            let sin6 = UnsafeRawPointer(pointer).loadUnaligned(as: sockaddr_in6.self)
            var a = sin6.sin6_addr
            self.addressBytes = withUnsafeBytes(of: &a) { Array($0) }
            self.port = UInt16(bigEndian: sin6.sin6_port)
        default:
            return nil
        }
    }
}

extension SocketAddress {
    /// `203.0.113.7:3478` or `[2001:db8::1]:3478` (numeric hosts only, as everywhere in the media engine).
    public init?(hostPort text: String) {
        let host: Substring, port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[close...].hasPrefix("]:") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else { return nil }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
        }
        guard let number = UInt16(port), number > 0 else { return nil }
        self.init(host: String(host), port: number)
    }
}
