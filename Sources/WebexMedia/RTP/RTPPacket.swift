/// RTP packets (RFC 3550) with RFC 8285 header extensions, and sequence-number arithmetic.

/// One RFC 8285 header extension element. `id` is 1...14 in the one-byte form, 1...255 in the two-byte form.
public struct RTPHeaderExtension: Sendable, Equatable {
    public var id: UInt8
    public var data: [UInt8]

    public init(id: UInt8, data: [UInt8]) {
        self.id = id
        self.data = data
    }
}

/// A header extension block whose profile is neither RFC 8285 form; kept verbatim so nothing is lost.
public struct RTPRawHeaderExtension: Sendable, Equatable {
    public var profile: UInt16
    /// Always a multiple of 4 bytes when parsed; padded with zeros when serialized.
    public var data: [UInt8]

    public init(profile: UInt16, data: [UInt8]) {
        self.profile = profile
        self.data = data
    }
}

/// An RTP packet as a value. Parsing never traps: bad input throws `MediaError(.invalidInput)`.
public struct RTPPacket: Sendable, Equatable {
    public var marker: Bool
    public var payloadType: UInt8
    public var sequenceNumber: UInt16
    public var timestamp: UInt32
    public var ssrc: UInt32
    /// At most 15 are serialized.
    public var csrcs: [UInt32]
    /// RFC 8285 elements; serialized in the one-byte form when every element fits it, else the two-byte form.
    public var extensions: [RTPHeaderExtension]
    /// A non-RFC 8285 extension block (rare); used only when `extensions` is empty.
    public var rawExtension: RTPRawHeaderExtension?
    public var payload: [UInt8]
    /// Number of padding bytes at the end, including the count byte itself (0 = no padding).
    public var paddingLength: UInt8

    public init(
        marker: Bool = false, payloadType: UInt8, sequenceNumber: UInt16, timestamp: UInt32, ssrc: UInt32,
        csrcs: [UInt32] = [], extensions: [RTPHeaderExtension] = [], payload: [UInt8], paddingLength: UInt8 = 0
    ) {
        self.marker = marker
        self.payloadType = payloadType & 0x7F
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
        self.csrcs = csrcs
        self.extensions = extensions
        self.rawExtension = nil
        self.payload = payload
        self.paddingLength = paddingLength
    }

    public init(parsing bytes: some Collection<UInt8>) throws {
        try self.init(parsing: Array(bytes))
    }

    public init(parsing bytes: [UInt8]) throws {
        func bad(_ why: String) -> MediaError { MediaError(.invalidInput, "Invalid RTP packet: \(why).") }
        guard bytes.count >= 12 else { throw bad("\(bytes.count) bytes is shorter than the 12-byte header") }
        guard bytes[0] >> 6 == 2 else { throw bad("version \(bytes[0] >> 6), expected 2") }
        let hasPadding = bytes[0] & 0x20 != 0
        let hasExtension = bytes[0] & 0x10 != 0
        let csrcCount = Int(bytes[0] & 0x0F)
        marker = bytes[1] & 0x80 != 0
        payloadType = bytes[1] & 0x7F
        sequenceNumber = be16(bytes, 2)
        timestamp = be32(bytes, 4)
        ssrc = be32(bytes, 8)
        var offset = 12
        guard bytes.count >= offset + 4 * csrcCount else { throw bad("the CSRC list runs past the end") }
        csrcs = (0..<csrcCount).map { be32(bytes, 12 + 4 * $0) }
        offset += 4 * csrcCount
        extensions = []
        rawExtension = nil
        if hasExtension {
            guard bytes.count >= offset + 4 else { throw bad("the extension header runs past the end") }
            let profile = be16(bytes, offset)
            let length = Int(be16(bytes, offset + 2)) * 4
            offset += 4
            guard bytes.count >= offset + length else { throw bad("the header extension runs past the end") }
            let end = offset + length
            if profile == 0xBEDE {
                var i = offset
                while i < end {
                    let b = bytes[i]
                    let id = b >> 4
                    if id == 0 { i += 1; continue }  // padding (a non-zero length nibble is ignored too)
                    if id == 15 { break }  // reserved: stop processing (RFC 8285 §4.2)
                    let len = Int(b & 0x0F) + 1
                    guard i + 1 + len <= end else { throw bad("a one-byte extension element runs past the block") }
                    extensions.append(RTPHeaderExtension(id: id, data: Array(bytes[(i + 1)..<(i + 1 + len)])))
                    i += 1 + len
                }
            } else if profile & 0xFFF0 == 0x1000 {
                var i = offset
                while i < end {
                    let id = bytes[i]
                    if id == 0 { i += 1; continue }  // padding
                    guard i + 2 <= end else { throw bad("a two-byte extension element header runs past the block") }
                    let len = Int(bytes[i + 1])
                    guard i + 2 + len <= end else { throw bad("a two-byte extension element runs past the block") }
                    extensions.append(RTPHeaderExtension(id: id, data: Array(bytes[(i + 2)..<(i + 2 + len)])))
                    i += 2 + len
                }
            } else {
                rawExtension = RTPRawHeaderExtension(profile: profile, data: Array(bytes[offset..<end]))
            }
            offset = end
        }
        var payloadEnd = bytes.count
        paddingLength = 0
        if hasPadding {
            guard let last = bytes.last, last > 0 else { throw bad("the padding flag is set but the padding count is 0") }
            guard Int(last) <= bytes.count - offset else { throw bad("padding of \(last) bytes exceeds the payload") }
            paddingLength = last
            payloadEnd -= Int(last)
        }
        payload = Array(bytes[offset..<payloadEnd])
    }

    /// The extension with this id, if present.
    public func headerExtension(id: UInt8) -> [UInt8]? { extensions.first { $0.id == id }?.data }

    /// Header size in bytes as serialized (without payload and padding).
    public var headerSize: Int { 12 + 4 * min(csrcs.count, 15) + extensionBlock().count }

    public func serialized() -> [UInt8] {
        let csrcList = csrcs.prefix(15)
        let ext = extensionBlock()
        var out = [UInt8]()
        out.reserveCapacity(12 + csrcList.count * 4 + ext.count + payload.count + Int(paddingLength))
        out.append(0x80 | (paddingLength > 0 ? 0x20 : 0) | (ext.isEmpty ? 0 : 0x10) | UInt8(csrcList.count))
        out.append((marker ? 0x80 : 0) | (payloadType & 0x7F))
        put16(&out, sequenceNumber)
        put32(&out, timestamp)
        put32(&out, ssrc)
        for c in csrcList { put32(&out, c) }
        out += ext
        out += payload
        if paddingLength > 0 {
            out += [UInt8](repeating: 0, count: Int(paddingLength) - 1)
            out.append(paddingLength)
        }
        return out
    }

    /// The serialized extension block including its 4-byte header, or [] when there is none.
    func extensionBlock() -> [UInt8] {
        let elements = extensions.filter { $0.id != 0 }
        if elements.isEmpty {
            guard let raw = rawExtension else { return [] }
            var data = Array(raw.data.prefix(0xFFFF * 4))
            while data.count % 4 != 0 { data.append(0) }
            var out: [UInt8] = []
            put16(&out, raw.profile)
            put16(&out, UInt16(data.count / 4))
            return out + data
        }
        let oneByte = elements.allSatisfy { $0.id <= 14 && !$0.data.isEmpty && $0.data.count <= 16 }
        var body: [UInt8] = []
        for e in elements {
            if oneByte {
                body.append(e.id << 4 | UInt8(e.data.count - 1))
                body += e.data
            } else {
                let data = e.data.prefix(255)
                body.append(e.id)
                body.append(UInt8(data.count))
                body += data
            }
        }
        while body.count % 4 != 0 { body.append(0) }
        var out: [UInt8] = []
        put16(&out, oneByte ? 0xBEDE : 0x1000)
        put16(&out, UInt16(truncatingIfNeeded: body.count / 4))
        return out + body
    }
}

/// RFC 5761 / RFC 7983 demultiplexing on an rtcp-mux socket: RTP version 2 and a second byte 192...223.
public func isRTCP(_ bytes: [UInt8]) -> Bool {
    bytes.count >= 4 && bytes[0] >> 6 == 2 && (192...223).contains(bytes[1])
}

/// RTP or RTCP by RFC 7983 (first byte 128...191).
public func isRTPOrRTCP(_ bytes: [UInt8]) -> Bool {
    bytes.count >= 4 && (128...191).contains(bytes[0])
}

// MARK: - Sequence numbers

/// 16-bit sequence-number arithmetic that survives the wrap at 65536.
public enum SequenceNumber {
    /// Signed distance from `a` to `b` (b - a) in -32768...32767.
    @inlinable public static func distance(from a: UInt16, to b: UInt16) -> Int {
        Int(Int16(bitPattern: b &- a))
    }

    /// True when `a` comes before `b` (RFC 1982 serial number arithmetic).
    @inlinable public static func isNewer(_ b: UInt16, than a: UInt16) -> Bool {
        distance(from: a, to: b) > 0
    }
}

/// Turns 16-bit sequence numbers into monotonically comparable 64-bit ones, across wraps.
public struct SequenceUnwrapper: Sendable {
    public private(set) var highest: Int64?

    public init() {}

    /// The extended number of `seq`, chosen closest to the highest seen so far.
    public mutating func unwrap(_ seq: UInt16) -> Int64 {
        guard let h = highest else {
            highest = Int64(seq) + 65536  // start one cycle in, so early reordering stays positive
            return Int64(seq) + 65536
        }
        let delta = Int64(Int16(bitPattern: seq &- UInt16(truncatingIfNeeded: h)))
        let ext = h + delta
        if ext > h { highest = ext }
        return ext
    }

    /// The extended value without updating state.
    public func peek(_ seq: UInt16) -> Int64 {
        guard let h = highest else { return Int64(seq) + 65536 }
        return h + Int64(Int16(bitPattern: seq &- UInt16(truncatingIfNeeded: h)))
    }
}

// MARK: - Byte helpers (callers check bounds first)

@inline(__always) func be16(_ b: [UInt8], _ i: Int) -> UInt16 { UInt16(b[i]) << 8 | UInt16(b[i + 1]) }
@inline(__always) func be24(_ b: [UInt8], _ i: Int) -> UInt32 {
    UInt32(b[i]) << 16 | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2])
}
@inline(__always) func be32(_ b: [UInt8], _ i: Int) -> UInt32 {
    UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
}
@inline(__always) func be64(_ b: [UInt8], _ i: Int) -> UInt64 { UInt64(be32(b, i)) << 32 | UInt64(be32(b, i + 4)) }
@inline(__always) func put16(_ o: inout [UInt8], _ v: UInt16) { o.append(UInt8(v >> 8)); o.append(UInt8(v & 0xFF)) }
@inline(__always) func put24(_ o: inout [UInt8], _ v: UInt32) {
    o.append(UInt8((v >> 16) & 0xFF)); o.append(UInt8((v >> 8) & 0xFF)); o.append(UInt8(v & 0xFF))
}
@inline(__always) func put32(_ o: inout [UInt8], _ v: UInt32) {
    o.append(UInt8(v >> 24)); o.append(UInt8((v >> 16) & 0xFF)); o.append(UInt8((v >> 8) & 0xFF)); o.append(UInt8(v & 0xFF))
}
@inline(__always) func put64(_ o: inout [UInt8], _ v: UInt64) { put32(&o, UInt32(v >> 32)); put32(&o, UInt32(v & 0xFFFF_FFFF)) }
