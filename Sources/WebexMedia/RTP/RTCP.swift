/// RTCP (RFC 3550 §6, RFC 4585, RFC 5104, draft-alvestrand-rmcat-remb): compound packets as values.

/// One reception report block (RFC 3550 §6.4.1).
public struct ReportBlock: Sendable, Equatable {
    public var ssrc: UInt32
    public var fractionLost: UInt8
    /// 24-bit signed on the wire; clamped to -8388608...8388607 when serialized.
    public var cumulativeLost: Int32
    public var highestSequence: UInt32
    public var jitter: UInt32
    /// Middle 32 bits of the NTP timestamp of the last SR received from `ssrc` (0 = none yet).
    public var lastSR: UInt32
    /// Delay since that SR in units of 1/65536 s.
    public var delaySinceLastSR: UInt32

    public init(
        ssrc: UInt32, fractionLost: UInt8 = 0, cumulativeLost: Int32 = 0, highestSequence: UInt32 = 0,
        jitter: UInt32 = 0, lastSR: UInt32 = 0, delaySinceLastSR: UInt32 = 0
    ) {
        self.ssrc = ssrc
        self.fractionLost = fractionLost
        self.cumulativeLost = cumulativeLost
        self.highestSequence = highestSequence
        self.jitter = jitter
        self.lastSR = lastSR
        self.delaySinceLastSR = delaySinceLastSR
    }
}

public struct SenderReport: Sendable, Equatable {
    public var ssrc: UInt32
    public var ntpTimestamp: UInt64
    public var rtpTimestamp: UInt32
    public var packetCount: UInt32
    public var octetCount: UInt32
    /// At most 31 are serialized.
    public var reports: [ReportBlock]

    public init(
        ssrc: UInt32, ntpTimestamp: UInt64, rtpTimestamp: UInt32, packetCount: UInt32, octetCount: UInt32,
        reports: [ReportBlock] = []
    ) {
        self.ssrc = ssrc
        self.ntpTimestamp = ntpTimestamp
        self.rtpTimestamp = rtpTimestamp
        self.packetCount = packetCount
        self.octetCount = octetCount
        self.reports = reports
    }
}

public struct ReceiverReport: Sendable, Equatable {
    public var ssrc: UInt32
    /// At most 31 are serialized.
    public var reports: [ReportBlock]

    public init(ssrc: UInt32, reports: [ReportBlock] = []) {
        self.ssrc = ssrc
        self.reports = reports
    }
}

/// One SDES item (type 1 = CNAME, 2 = NAME, …). Text longer than 255 UTF-8 bytes is cut at a character boundary.
public struct SDESItem: Sendable, Equatable {
    public var type: UInt8
    public var text: String

    public init(type: UInt8, text: String) {
        self.type = type
        self.text = text
    }
}

public struct SDESChunk: Sendable, Equatable {
    public var ssrc: UInt32
    public var items: [SDESItem]

    public init(ssrc: UInt32, items: [SDESItem]) {
        self.ssrc = ssrc
        self.items = items
    }

    public init(ssrc: UInt32, cname: String) {
        self.init(ssrc: ssrc, items: [SDESItem(type: 1, text: cname)])
    }

    /// The CNAME item, if present.
    public var cname: String? { items.first { $0.type == 1 }?.text }
}

public enum RTCPPacket: Sendable, Equatable {
    case senderReport(SenderReport)
    case receiverReport(ReceiverReport)
    case sourceDescription([SDESChunk])
    case goodbye(ssrcs: [UInt32], reason: String?)
    /// Generic NACK (RFC 4585 §6.2.1); `lost` lists every sequence number reported lost.
    case nack(senderSSRC: UInt32, mediaSSRC: UInt32, lost: [UInt16])
    case pictureLossIndication(senderSSRC: UInt32, mediaSSRC: UInt32)
    /// RFC 5104 FIR; `mediaSSRC` is the SSRC in the FCI entry (the header's media SSRC is 0). A FIR with
    /// several FCI entries parses into several cases.
    case fullIntraRequest(senderSSRC: UInt32, mediaSSRC: UInt32, sequence: UInt8)
    /// Receiver Estimated Maximum Bitrate, bits per second.
    case remb(senderSSRC: UInt32, bitrate: UInt64, ssrcs: [UInt32])
    /// Any other packet (XR, APP, transport-cc, …): `bytes` is the whole packet, common header included,
    /// and is serialized unchanged.
    case other(type: UInt8, bytes: [UInt8])

    static let typeSR: UInt8 = 200, typeRR: UInt8 = 201, typeSDES: UInt8 = 202, typeBYE: UInt8 = 203
    static let typeRTPFB: UInt8 = 205, typePSFB: UInt8 = 206

    /// Parses a compound (or a single, or a reduced-size RFC 5506) RTCP packet. Throws
    /// `MediaError(.invalidInput)` on any framing or body error; never traps.
    public static func parseCompound(_ bytes: [UInt8]) throws -> [RTCPPacket] {
        func bad(_ why: String) -> MediaError { MediaError(.invalidInput, "Invalid RTCP packet: \(why).") }
        guard bytes.count >= 4 else { throw bad("\(bytes.count) bytes is shorter than a header") }
        var result: [RTCPPacket] = []
        var offset = 0
        while offset < bytes.count {
            guard bytes.count - offset >= 4 else { throw bad("\(bytes.count - offset) trailing bytes") }
            guard bytes[offset] >> 6 == 2 else { throw bad("version \(bytes[offset] >> 6), expected 2") }
            let length = (Int(be16(bytes, offset + 2)) + 1) * 4
            guard offset + length <= bytes.count else {
                throw bad("a packet of \(length) bytes runs past the end of the \(bytes.count)-byte datagram")
            }
            let raw = Array(bytes[offset..<(offset + length)])
            offset += length
            result += try parseOne(raw, bad)
        }
        return result
    }

    private static func parseOne(_ raw: [UInt8], _ bad: (String) -> MediaError) throws -> [RTCPPacket] {
        let count = Int(raw[0] & 0x1F)
        let type = raw[1]
        var end = raw.count
        if raw[0] & 0x20 != 0 {
            let pad = Int(raw[raw.count - 1])
            guard pad > 0, pad <= raw.count - 4 else { throw bad("padding of \(pad) bytes is invalid") }
            end -= pad
        }
        let body = Array(raw[4..<end])  // everything after the common header
        switch type {
        case typeSR:
            guard body.count >= 24 + 24 * count else { throw bad("sender report too short for \(count) blocks") }
            let sr = SenderReport(
                ssrc: be32(body, 0), ntpTimestamp: be64(body, 4), rtpTimestamp: be32(body, 12),
                packetCount: be32(body, 16), octetCount: be32(body, 20),
                reports: (0..<count).map { parseBlock(body, 24 + 24 * $0) })
            return [.senderReport(sr)]
        case typeRR:
            guard body.count >= 4 + 24 * count else { throw bad("receiver report too short for \(count) blocks") }
            return [.receiverReport(ReceiverReport(ssrc: be32(body, 0), reports: (0..<count).map { parseBlock(body, 4 + 24 * $0) }))]
        case typeSDES:
            var chunks: [SDESChunk] = []
            var i = 0
            for _ in 0..<count {
                guard i + 4 <= body.count else { throw bad("SDES chunk runs past the end") }
                var chunk = SDESChunk(ssrc: be32(body, i), items: [])
                i += 4
                var terminated = false
                while i < body.count {
                    let itemType = body[i]
                    if itemType == 0 {
                        i += 1
                        terminated = true
                        break
                    }
                    guard i + 2 <= body.count else { throw bad("SDES item header runs past the end") }
                    let len = Int(body[i + 1])
                    guard i + 2 + len <= body.count else { throw bad("SDES item runs past the end") }
                    chunk.items.append(SDESItem(type: itemType, text: String(decoding: body[(i + 2)..<(i + 2 + len)], as: UTF8.self)))
                    i += 2 + len
                }
                guard terminated else { throw bad("SDES chunk without its terminating null item") }
                i = (i + 3) & ~3  // chunks are 32-bit aligned
                chunks.append(chunk)
            }
            return [.sourceDescription(chunks)]
        case typeBYE:
            guard body.count >= 4 * count else { throw bad("BYE too short for \(count) SSRCs") }
            let ssrcs = (0..<count).map { be32(body, 4 * $0) }
            var reason: String?
            let r = 4 * count
            if r < body.count {
                let len = Int(body[r])
                guard r + 1 + len <= body.count else { throw bad("BYE reason runs past the end") }
                reason = String(decoding: body[(r + 1)..<(r + 1 + len)], as: UTF8.self)
            }
            return [.goodbye(ssrcs: ssrcs, reason: reason)]
        case typeRTPFB where count == 1:
            guard body.count >= 8, body.count % 4 == 0 else { throw bad("generic NACK has a bad length") }
            var lost: [UInt16] = []
            var i = 8
            while i + 4 <= body.count {
                let pid = be16(body, i)
                let blp = be16(body, i + 2)
                lost.append(pid)
                for bit in 0..<16 where blp & (1 << bit) != 0 { lost.append(pid &+ UInt16(bit + 1)) }
                i += 4
            }
            return [.nack(senderSSRC: be32(body, 0), mediaSSRC: be32(body, 4), lost: lost)]
        case typePSFB where count == 1:
            guard body.count >= 8 else { throw bad("PLI too short") }
            return [.pictureLossIndication(senderSSRC: be32(body, 0), mediaSSRC: be32(body, 4))]
        case typePSFB where count == 4:
            guard body.count >= 16, (body.count - 8) % 8 == 0 else { throw bad("FIR has a bad length") }
            let sender = be32(body, 0)
            return stride(from: 8, to: body.count, by: 8).map {
                .fullIntraRequest(senderSSRC: sender, mediaSSRC: be32(body, $0), sequence: body[$0 + 4])
            }
        case typePSFB where count == 15 && body.count >= 16 && Array(body[8..<12]) == Array("REMB".utf8):
            let n = Int(body[12])
            guard body.count >= 16 + 4 * n else { throw bad("REMB too short for \(n) SSRCs") }
            let exponent = UInt64(body[13] >> 2)
            let mantissa = UInt64(body[13] & 0x03) << 16 | UInt64(body[14]) << 8 | UInt64(body[15])
            var bitrate: UInt64
            if mantissa == 0 {
                bitrate = 0
            } else if UInt64(mantissa.leadingZeroBitCount) < exponent {
                bitrate = UInt64.max
            } else {
                bitrate = mantissa << exponent
            }
            return [.remb(senderSSRC: be32(body, 0), bitrate: bitrate, ssrcs: (0..<n).map { be32(body, 16 + 4 * $0) })]
        default:
            return [.other(type: type, bytes: raw)]
        }
    }

    private static func parseBlock(_ b: [UInt8], _ i: Int) -> ReportBlock {
        let lost24 = be24(b, i + 5)
        let lost = Int32(bitPattern: lost24 << 8) >> 8  // sign-extend 24 bits
        return ReportBlock(
            ssrc: be32(b, i), fractionLost: b[i + 4], cumulativeLost: lost, highestSequence: be32(b, i + 8),
            jitter: be32(b, i + 12), lastSR: be32(b, i + 16), delaySinceLastSR: be32(b, i + 20))
    }

    /// Serializes packets back to back (an RFC 3550 compound packet if the caller put an SR/RR first).
    public static func serializeCompound(_ packets: [RTCPPacket]) -> [UInt8] {
        var out: [UInt8] = []
        for p in packets { out += p.serialized() }
        return out
    }

    /// This packet alone, with its common header.
    public func serialized() -> [UInt8] {
        switch self {
        case .senderReport(let sr):
            let blocks = sr.reports.prefix(31)
            var body: [UInt8] = []
            put32(&body, sr.ssrc)
            put64(&body, sr.ntpTimestamp)
            put32(&body, sr.rtpTimestamp)
            put32(&body, sr.packetCount)
            put32(&body, sr.octetCount)
            for b in blocks { Self.putBlock(&body, b) }
            return Self.frame(count: blocks.count, type: Self.typeSR, body: body)
        case .receiverReport(let rr):
            let blocks = rr.reports.prefix(31)
            var body: [UInt8] = []
            put32(&body, rr.ssrc)
            for b in blocks { Self.putBlock(&body, b) }
            return Self.frame(count: blocks.count, type: Self.typeRR, body: body)
        case .sourceDescription(let chunks):
            var body: [UInt8] = []
            for c in chunks.prefix(31) {
                put32(&body, c.ssrc)
                for item in c.items where item.type != 0 {
                    let text = Self.utf8Prefix(item.text, maxBytes: 255)
                    body.append(item.type)
                    body.append(UInt8(text.count))
                    body += text
                }
                body.append(0)
                while body.count % 4 != 0 { body.append(0) }
            }
            return Self.frame(count: min(chunks.count, 31), type: Self.typeSDES, body: body)
        case .goodbye(let ssrcs, let reason):
            let list = ssrcs.prefix(31)
            var body: [UInt8] = []
            for s in list { put32(&body, s) }
            if let reason {
                let text = Self.utf8Prefix(reason, maxBytes: 255)
                body.append(UInt8(text.count))
                body += text
                while body.count % 4 != 0 { body.append(0) }
            }
            return Self.frame(count: list.count, type: Self.typeBYE, body: body)
        case .nack(let sender, let media, let lost):
            var body: [UInt8] = []
            put32(&body, sender)
            put32(&body, media)
            var pid: UInt16?
            var blp: UInt16 = 0
            for seq in lost {
                if let p = pid {
                    let d = Int(seq &- p)
                    if d >= 1 && d <= 16 {
                        blp |= 1 << (d - 1)
                        continue
                    }
                    put16(&body, p)
                    put16(&body, blp)
                }
                pid = seq
                blp = 0
            }
            if let p = pid {
                put16(&body, p)
                put16(&body, blp)
            }
            return Self.frame(count: 1, type: Self.typeRTPFB, body: body)
        case .pictureLossIndication(let sender, let media):
            var body: [UInt8] = []
            put32(&body, sender)
            put32(&body, media)
            return Self.frame(count: 1, type: Self.typePSFB, body: body)
        case .fullIntraRequest(let sender, let media, let sequence):
            var body: [UInt8] = []
            put32(&body, sender)
            put32(&body, 0)
            put32(&body, media)
            body += [sequence, 0, 0, 0]
            return Self.frame(count: 4, type: Self.typePSFB, body: body)
        case .remb(let sender, let bitrate, let ssrcs):
            let list = ssrcs.prefix(255)
            var exponent: UInt64 = 0
            while exponent < 63 && bitrate >> exponent >= 1 << 18 { exponent += 1 }
            let mantissa = UInt32(truncatingIfNeeded: min(bitrate >> exponent, (1 << 18) - 1))
            var body: [UInt8] = []
            put32(&body, sender)
            put32(&body, 0)
            body += Array("REMB".utf8)
            body.append(UInt8(list.count))
            body.append(UInt8(exponent) << 2 | UInt8((mantissa >> 16) & 0x03))
            put16(&body, UInt16(mantissa & 0xFFFF))
            for s in list { put32(&body, s) }
            return Self.frame(count: 15, type: Self.typePSFB, body: body)
        case .other(_, let bytes):
            return bytes
        }
    }

    private static func frame(count: Int, type: UInt8, body: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x80 | UInt8(count & 0x1F), type]
        put16(&out, UInt16(truncatingIfNeeded: body.count / 4))
        return out + body
    }

    private static func putBlock(_ o: inout [UInt8], _ b: ReportBlock) {
        put32(&o, b.ssrc)
        o.append(b.fractionLost)
        let lost = max(-8_388_608, min(8_388_607, b.cumulativeLost))
        put24(&o, UInt32(bitPattern: lost) & 0xFF_FFFF)
        put32(&o, b.highestSequence)
        put32(&o, b.jitter)
        put32(&o, b.lastSR)
        put32(&o, b.delaySinceLastSR)
    }

    /// The longest prefix of `s` whose UTF-8 form fits in `maxBytes`, cut at a scalar boundary.
    static func utf8Prefix(_ s: String, maxBytes: Int) -> [UInt8] {
        var out: [UInt8] = []
        for scalar in s.unicodeScalars {
            let encoded = Array(String(scalar).utf8)
            if out.count + encoded.count > maxBytes { break }
            out += encoded
        }
        return out
    }
}
