/// WebSocket framing (RFC 6455 §5), client side: frames we send are masked, frames we receive must not be.
/// Pure code over bytes so it can be fuzzed and unit-tested without a socket.
public enum WebSocketOpcode: UInt8, Sendable {
    case continuation = 0x0, text = 0x1, binary = 0x2, close = 0x8, ping = 0x9, pong = 0xA

    public var isControl: Bool { rawValue & 0x8 != 0 }
}

public struct WebSocketFrame: Sendable, Equatable {
    public var fin: Bool
    public var opcode: WebSocketOpcode
    public var payload: [UInt8]

    public init(fin: Bool = true, opcode: WebSocketOpcode, payload: [UInt8]) {
        self.fin = fin; self.opcode = opcode; self.payload = payload
    }

    /// The bytes of this frame as a client sends it: masked with `maskKey` (RFC 6455 §5.3).
    public func encoded(maskKey: (UInt8, UInt8, UInt8, UInt8)) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(payload.count + 14)
        out.append((fin ? 0x80 : 0) | opcode.rawValue)
        let n = payload.count
        if n < 126 {
            out.append(0x80 | UInt8(n))
        } else if n <= 0xFFFF {
            out.append(0x80 | 126)
            out.append(UInt8(n >> 8)); out.append(UInt8(n & 0xFF))
        } else {
            out.append(0x80 | 127)
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8((UInt64(n) >> UInt64(shift)) & 0xFF)) }
        }
        let key = [maskKey.0, maskKey.1, maskKey.2, maskKey.3]
        out.append(contentsOf: key)
        for (i, b) in payload.enumerated() { out.append(b ^ key[i & 3]) }
        return out
    }

    /// A close frame's payload: the code in network order, then a UTF-8 reason (at most 123 bytes).
    public static func closePayload(code: UInt16, reason: String) -> [UInt8] {
        var reasonBytes = Array(reason.utf8)
        if reasonBytes.count > 123 { reasonBytes = Array(reasonBytes.prefix(123)) }
        return [UInt8(code >> 8), UInt8(code & 0xFF)] + reasonBytes
    }

    /// Reads a close frame's payload; an empty payload means "no status" (1005).
    public static func parseClose(_ payload: [UInt8]) -> (code: UInt16, reason: String) {
        guard payload.count >= 2 else { return (1005, "") }
        let code = UInt16(payload[0]) << 8 | UInt16(payload[1])
        return (code, String(decoding: payload[2...], as: UTF8.self))
    }
}

/// Why the peer's bytes are not valid WebSocket; the connection must be failed with `closeCode`.
public struct WebSocketProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// 1002 protocol error, 1007 invalid UTF-8, 1009 too big.
    public var closeCode: UInt16
    public var description: String { message }
}

/// A complete message after reassembling fragments, or a control frame.
public enum WebSocketMessage: Sendable, Equatable {
    case text(String)
    case binary([UInt8])
    case ping([UInt8])
    case pong([UInt8])
    case close(code: UInt16, reason: String)
}

/// Incremental parser: `append` bytes as they arrive, then call `next()` until it returns nil.
/// Reassembles fragmented messages, validates UTF-8 of text, and bounds the size of a message.
public struct WebSocketParser: Sendable {
    public let maxMessageSize: Int
    private var buffer: [UInt8] = []
    private var start = 0
    private var fragments: [UInt8] = []
    private var fragmentOpcode: WebSocketOpcode?

    public init(maxMessageSize: Int = 16 << 20) { self.maxMessageSize = maxMessageSize }

    public mutating func append<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeFirst(start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete message, nil when more bytes are needed.
    public mutating func next() throws(WebSocketProtocolError) -> WebSocketMessage? {
        while true {
            guard let frame = try nextFrame() else { return nil }
            if frame.opcode.isControl {
                switch frame.opcode {
                case .ping: return .ping(frame.payload)
                case .pong: return .pong(frame.payload)
                default:
                    if frame.payload.count == 1 { throw WebSocketProtocolError(message: "close frame with a 1-byte payload", closeCode: 1002) }
                    let (code, reason) = WebSocketFrame.parseClose(frame.payload)
                    if frame.payload.count >= 2, !Self.validCloseCode(code) {
                        throw WebSocketProtocolError(message: "invalid close code \(code)", closeCode: 1002)
                    }
                    if String(validating: frame.payload.dropFirst(2), as: UTF8.self) == nil {
                        throw WebSocketProtocolError(message: "close reason is not UTF-8", closeCode: 1007)
                    }
                    return .close(code: code, reason: reason)
                }
            }
            switch frame.opcode {
            case .continuation:
                guard let op = fragmentOpcode else {
                    throw WebSocketProtocolError(message: "continuation frame without a message to continue", closeCode: 1002)
                }
                guard fragments.count + frame.payload.count <= maxMessageSize else {
                    throw WebSocketProtocolError(message: "message larger than \(maxMessageSize) bytes", closeCode: 1009)
                }
                fragments.append(contentsOf: frame.payload)
                if frame.fin {
                    let bytes = fragments
                    fragments = []
                    fragmentOpcode = nil
                    return try Self.message(op, bytes)
                }
            case .text, .binary:
                if fragmentOpcode != nil {
                    throw WebSocketProtocolError(message: "new data frame while a fragmented message is open", closeCode: 1002)
                }
                if frame.fin { return try Self.message(frame.opcode, frame.payload) }
                fragmentOpcode = frame.opcode
                fragments = frame.payload
            default:
                continue
            }
        }
    }

    private static func message(_ op: WebSocketOpcode, _ bytes: [UInt8]) throws(WebSocketProtocolError) -> WebSocketMessage {
        guard op == .text else { return .binary(bytes) }
        guard let s = String(validating: bytes, as: UTF8.self) else {
            throw WebSocketProtocolError(message: "text message is not valid UTF-8", closeCode: 1007)
        }
        return .text(s)
    }

    static func validCloseCode(_ code: UInt16) -> Bool {
        switch code {
        case 1000...1003, 1007...1011, 3000...4999: return true
        default: return false
        }
    }

    private mutating func nextFrame() throws(WebSocketProtocolError) -> WebSocketFrame? {
        let available = buffer.count - start
        guard available >= 2 else { return nil }
        let b0 = buffer[start], b1 = buffer[start + 1]
        if b0 & 0x70 != 0 { throw WebSocketProtocolError(message: "reserved bits set (no extension was negotiated)", closeCode: 1002) }
        guard let opcode = WebSocketOpcode(rawValue: b0 & 0x0F) else {
            throw WebSocketProtocolError(message: "unknown opcode \(b0 & 0x0F)", closeCode: 1002)
        }
        let fin = b0 & 0x80 != 0
        if b1 & 0x80 != 0 { throw WebSocketProtocolError(message: "the server masked a frame", closeCode: 1002) }
        var header = 2
        var length = UInt64(b1 & 0x7F)
        if length == 126 {
            guard available >= 4 else { return nil }
            length = UInt64(buffer[start + 2]) << 8 | UInt64(buffer[start + 3])
            header = 4
        } else if length == 127 {
            guard available >= 10 else { return nil }
            length = 0
            for i in 0..<8 { length = length << 8 | UInt64(buffer[start + 2 + i]) }
            if length >> 63 != 0 { throw WebSocketProtocolError(message: "frame length has the high bit set", closeCode: 1002) }
            header = 10
        }
        if opcode.isControl && (length > 125 || !fin) {
            throw WebSocketProtocolError(message: "control frames must be unfragmented and at most 125 bytes", closeCode: 1002)
        }
        guard length <= UInt64(maxMessageSize) else {
            throw WebSocketProtocolError(message: "frame larger than \(maxMessageSize) bytes", closeCode: 1009)
        }
        let total = header + Int(length)
        guard available >= total else { return nil }
        let payload = Array(buffer[(start + header)..<(start + total)])
        start += total
        if start == buffer.count { buffer.removeAll(keepingCapacity: true); start = 0 }
        return WebSocketFrame(fin: fin, opcode: opcode, payload: payload)
    }
}
