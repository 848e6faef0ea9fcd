// TURN framing helpers (RFC 8656 §12.4 ChannelData, §3.1 TCP framing). Pure functions on bytes: every
// parser here is bounds-checked and returns nil on malformed input instead of trapping.
// STUN messages themselves (attributes, XOR addresses, integrity) come from STUN.swift.

enum TURNWire {
    static func be32(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }

    /// ChannelData message. Padded to a multiple of 4 when `pad` (required over TCP, optional over UDP).
    static func channelData(channel: UInt16, payload: [UInt8], pad: Bool) -> [UInt8] {
        var out: [UInt8] = [UInt8(channel >> 8), UInt8(channel & 0xFF), UInt8((payload.count >> 8) & 0xFF), UInt8(payload.count & 0xFF)]
        out.reserveCapacity(4 + payload.count + 3)
        out += payload
        if pad { while out.count % 4 != 0 { out.append(0) } }
        return out
    }

    /// Parses a ChannelData message (first two bits 01); nil when it is not one or is truncated.
    /// Trailing bytes (padding) are ignored.
    static func parseChannelData(_ b: [UInt8]) -> (channel: UInt16, payload: [UInt8])? {
        guard b.count >= 4, b[0] & 0xC0 == 0x40 else { return nil }
        let channel = UInt16(b[0]) << 8 | UInt16(b[1])
        let length = Int(b[2]) << 8 | Int(b[3])
        guard 4 + length <= b.count else { return nil }
        return (channel, Array(b[4..<(4 + length)]))
    }

    /// Length of the frame at the start of a TCP byte stream: a STUN message (20 + length) or ChannelData
    /// (4 + length, padded to 4). nil = need more bytes; -1 = neither (the stream is broken).
    static func tcpFrameLength(_ b: [UInt8]) -> Int? {
        guard b.count >= 4 else { return nil }
        let length = Int(b[2]) << 8 | Int(b[3])
        switch b[0] & 0xC0 {
        case 0x00: return 20 + length
        case 0x40: return (4 + length + 3) & ~3
        default: return -1
        }
    }
}

/// Fuzz entry point for the TURN client's own parsers (ChannelData, TCP framing) and its frame
/// dispatcher on a client that has no allocation. Must never trap on any input.
public func fuzzTURN(_ bytes: [UInt8]) {
    _ = TURNWire.parseChannelData(bytes)
    var rest = bytes
    var frames = 0
    while frames < 64, let length = TURNWire.tcpFrameLength(rest), length > 0, length <= rest.count {
        let frame = Array(rest[0..<length])
        _ = TURNWire.parseChannelData(frame)
        if let message = try? STUNMessage(parsing: frame) {
            _ = message.xorPeerAddress
            _ = message.data
            _ = message.errorCode
        }
        rest.removeFirst(length)
        frames += 1
    }
    TURNClient.fuzzFrame(bytes)
}
