import COpenSSL

/// STUN method numbers (RFC 8489 binding, RFC 8656 TURN).
public enum STUNMethod {
    public static let binding: UInt16 = 0x001
    public static let allocate: UInt16 = 0x003
    public static let refresh: UInt16 = 0x004
    public static let send: UInt16 = 0x006
    public static let data: UInt16 = 0x007
    public static let createPermission: UInt16 = 0x008
    public static let channelBind: UInt16 = 0x009
}

/// STUN attribute type numbers used by ICE and TURN. Types below 0x8000 are comprehension-required.
public enum STUNAttributeType {
    public static let mappedAddress: UInt16 = 0x0001
    public static let username: UInt16 = 0x0006
    public static let messageIntegrity: UInt16 = 0x0008
    public static let errorCode: UInt16 = 0x0009
    public static let unknownAttributes: UInt16 = 0x000A
    public static let channelNumber: UInt16 = 0x000C
    public static let lifetime: UInt16 = 0x000D
    public static let xorPeerAddress: UInt16 = 0x0012
    public static let data: UInt16 = 0x0013
    public static let realm: UInt16 = 0x0014
    public static let nonce: UInt16 = 0x0015
    public static let xorRelayedAddress: UInt16 = 0x0016
    public static let requestedAddressFamily: UInt16 = 0x0017
    public static let evenPort: UInt16 = 0x0018
    public static let requestedTransport: UInt16 = 0x0019
    public static let dontFragment: UInt16 = 0x001A
    public static let messageIntegritySHA256: UInt16 = 0x001C
    public static let passwordAlgorithm: UInt16 = 0x001D
    public static let userhash: UInt16 = 0x001E
    public static let xorMappedAddress: UInt16 = 0x0020
    public static let reservationToken: UInt16 = 0x0022
    public static let priority: UInt16 = 0x0024
    public static let useCandidate: UInt16 = 0x0025
    public static let passwordAlgorithms: UInt16 = 0x8002
    public static let alternateDomain: UInt16 = 0x8003
    public static let software: UInt16 = 0x8022
    public static let alternateServer: UInt16 = 0x8023
    public static let fingerprint: UInt16 = 0x8028
    public static let iceControlled: UInt16 = 0x8029
    public static let iceControlling: UInt16 = 0x802A
    public static let responseOrigin: UInt16 = 0x802B
    public static let otherAddress: UInt16 = 0x802C
}

/// One attribute as it appears on the wire (value without padding).
public struct STUNAttribute: Sendable, Equatable {
    public var type: UInt16
    public var value: [UInt8]
    public init(type: UInt16, value: [UInt8]) {
        self.type = type
        self.value = value
    }
    /// Comprehension-required attributes (0x0000–0x7FFF) must be understood or the request rejected (420).
    public var isComprehensionRequired: Bool { type < 0x8000 }
}

/// The STUN magic cookie (RFC 5389 and later).
public let stunMagicCookie: UInt32 = 0x2112_A442

/// RFC 7983 demultiplexing: first byte 0...3, at least a header, and the magic cookie in place.
public func isSTUN(_ bytes: [UInt8]) -> Bool {
    guard bytes.count >= 20, bytes[0] < 4 else { return false }
    return bytes[4] == 0x21 && bytes[5] == 0x12 && bytes[6] == 0xA4 && bytes[7] == 0x42
}

/// At least a header, top two bits zero, and the magic cookie in place (any method).
func hasMagicCookie(_ bytes: [UInt8]) -> Bool {
    guard bytes.count >= 20, bytes[0] & 0xC0 == 0 else { return false }
    return bytes[4] == 0x21 && bytes[5] == 0x12 && bytes[6] == 0xA4 && bytes[7] == 0x42
}

/// A STUN message (RFC 8489): header fields plus attributes in wire order. MESSAGE-INTEGRITY and
/// FINGERPRINT are not kept in `attributes`: `serialized(integrityKey:fingerprint:)` adds them, and
/// `validateIntegrity` / `validateFingerprint` check them on the raw bytes. Parsing drops anything after
/// MESSAGE-INTEGRITY other than FINGERPRINT, as the RFC requires.
public struct STUNMessage: Sendable, Equatable {
    public enum Class: Sendable, Equatable { case request, indication, successResponse, errorResponse }

    public var method: UInt16
    public var messageClass: Class
    /// 12 bytes.
    public var transactionID: [UInt8]
    public var attributes: [STUNAttribute]

    /// A new message; the transaction ID defaults to 12 random bytes.
    public init(method: UInt16, messageClass: Class, transactionID: [UInt8]? = nil, attributes: [STUNAttribute] = []) {
        self.method = method & 0x0FFF
        self.messageClass = messageClass
        self.transactionID = transactionID ?? STUNMessage.randomTransactionID()
        self.attributes = attributes
    }

    public static func randomTransactionID() -> [UInt8] {
        var g = SystemRandomNumberGenerator()
        return (0..<12).map { _ in UInt8.random(in: 0...255, using: &g) }
    }

    /// A response (success or error) to this request: same method and transaction ID.
    public func response(_ messageClass: Class = .successResponse, attributes: [STUNAttribute] = []) -> STUNMessage {
        STUNMessage(method: method, messageClass: messageClass, transactionID: transactionID, attributes: attributes)
    }

    // MARK: parsing

    /// Parses one whole STUN message. The byte count must equal 20 + the header length exactly.
    /// Throws `MediaError(.invalidInput)` for anything malformed; never traps.
    public init(parsing bytes: [UInt8]) throws {
        guard bytes.count >= 20 else { throw MediaError(.invalidInput, "A STUN message needs at least 20 bytes, got \(bytes.count).") }
        guard bytes[0] & 0xC0 == 0 else { throw MediaError(.invalidInput, "Not a STUN message: the first two bits are not zero.") }
        guard hasMagicCookie(bytes) else { throw MediaError(.invalidInput, "Not a STUN message: the magic cookie is missing.") }
        let type = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
        let length = Int(bytes[2]) << 8 | Int(bytes[3])
        guard length % 4 == 0 else { throw MediaError(.invalidInput, "STUN message length \(length) is not a multiple of 4.") }
        guard bytes.count == 20 + length else {
            throw MediaError(.invalidInput, "STUN header says \(length) bytes of attributes, but \(bytes.count - 20) follow.")
        }
        let (method, cls) = STUNMessage.decodeType(type)
        var attributes: [STUNAttribute] = []
        var offset = 20
        var sawIntegrity = false
        while offset < bytes.count {
            guard offset + 4 <= bytes.count else { throw MediaError(.invalidInput, "Truncated STUN attribute header.") }
            let attrType = UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
            let attrLength = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            let valueStart = offset + 4
            let padded = (attrLength + 3) & ~3
            guard valueStart + padded <= bytes.count else {
                throw MediaError(.invalidInput, "STUN attribute 0x\(String(attrType, radix: 16)) runs past the end of the message.")
            }
            let value = Array(bytes[valueStart..<(valueStart + attrLength)])
            offset = valueStart + padded
            switch attrType {
            case STUNAttributeType.messageIntegrity, STUNAttributeType.messageIntegritySHA256:
                sawIntegrity = true
            case STUNAttributeType.fingerprint:
                guard offset == bytes.count else { throw MediaError(.invalidInput, "STUN FINGERPRINT is not the last attribute.") }
                guard attrLength == 4 else { throw MediaError(.invalidInput, "STUN FINGERPRINT has length \(attrLength), not 4.") }
            default:
                if !sawIntegrity { attributes.append(STUNAttribute(type: attrType, value: value)) }
            }
        }
        self.method = method
        self.messageClass = cls
        self.transactionID = Array(bytes[8..<20])
        self.attributes = attributes
    }

    static func decodeType(_ type: UInt16) -> (UInt16, Class) {
        let method = (type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2)
        let c = ((type & 0x0100) >> 7) | ((type & 0x0010) >> 4)
        let cls: Class
        switch c {
        case 0: cls = .request
        case 1: cls = .indication
        case 2: cls = .successResponse
        default: cls = .errorResponse
        }
        return (method, cls)
    }

    static func encodeType(method: UInt16, messageClass: Class) -> UInt16 {
        let c: UInt16
        switch messageClass {
        case .request: c = 0
        case .indication: c = 1
        case .successResponse: c = 2
        case .errorResponse: c = 3
        }
        let m = method & 0x0FFF
        return (m & 0x000F) | ((m & 0x0070) << 1) | ((m & 0x0F80) << 2) | ((c & 1) << 4) | ((c & 2) << 7)
    }

    // MARK: serialization

    /// Wire bytes. With `integrityKey`, appends MESSAGE-INTEGRITY (HMAC-SHA1 over the message so far, the
    /// header length covering it); with `fingerprint`, then appends FINGERPRINT (CRC-32 xor 0x5354554E).
    /// Short-term ICE credentials: the key is the UTF-8 password. Long-term (TURN): MD5(user:realm:pass).
    public func serialized(integrityKey: [UInt8]? = nil, fingerprint: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(20 + attributes.reduce(0) { $0 + 4 + (($1.value.count + 3) & ~3) } + 32)
        let type = STUNMessage.encodeType(method: method, messageClass: messageClass)
        out += [UInt8(type >> 8), UInt8(type & 0xFF), 0, 0, 0x21, 0x12, 0xA4, 0x42]
        var tid = transactionID
        if tid.count != 12 { tid = Array((tid + [UInt8](repeating: 0, count: 12)).prefix(12)) }
        out += tid
        for attribute in attributes {
            let value = attribute.value.prefix(0xFFFF)
            out += [UInt8(attribute.type >> 8), UInt8(attribute.type & 0xFF), UInt8(value.count >> 8), UInt8(value.count & 0xFF)]
            out += value
            let pad = (4 - value.count % 4) % 4
            if pad > 0 { out += [UInt8](repeating: 0, count: pad) }
        }
        if let integrityKey {
            STUNMessage.setLength(&out, out.count - 20 + 24)
            let mac = hmacSHA1(key: integrityKey, data: out)
            out += [0x00, 0x08, 0x00, 0x14] + mac
        }
        if fingerprint {
            STUNMessage.setLength(&out, out.count - 20 + 8)
            let crc = crc32(out[...]) ^ 0x5354_554E
            out += [0x80, 0x28, 0x00, 0x04, UInt8(crc >> 24), UInt8((crc >> 16) & 0xFF), UInt8((crc >> 8) & 0xFF), UInt8(crc & 0xFF)]
        }
        STUNMessage.setLength(&out, out.count - 20)
        return out
    }

    private static func setLength(_ out: inout [UInt8], _ length: Int) {
        out[2] = UInt8((length >> 8) & 0xFF)
        out[3] = UInt8(length & 0xFF)
    }

    /// Walks the raw attributes and returns the offset of the first attribute of `type`, if the framing is sane.
    private static func offsetOfAttribute(_ raw: [UInt8], type wanted: UInt16) -> Int? {
        guard hasMagicCookie(raw) else { return nil }
        let length = Int(raw[2]) << 8 | Int(raw[3])
        guard raw.count == 20 + length else { return nil }
        var offset = 20
        while offset + 4 <= raw.count {
            let type = UInt16(raw[offset]) << 8 | UInt16(raw[offset + 1])
            let attrLength = Int(raw[offset + 2]) << 8 | Int(raw[offset + 3])
            if type == wanted { return offset + 4 + attrLength <= raw.count ? offset : nil }
            offset += 4 + ((attrLength + 3) & ~3)
        }
        return nil
    }

    /// True when `raw` carries a MESSAGE-INTEGRITY that matches `key` (HMAC-SHA1, constant-time compare).
    public static func validateIntegrity(_ raw: [UInt8], key: [UInt8]) -> Bool {
        guard let offset = offsetOfAttribute(raw, type: STUNAttributeType.messageIntegrity) else { return false }
        guard raw[offset + 2] == 0, raw[offset + 3] == 20 else { return false }
        var covered = Array(raw[0..<offset])
        setLength(&covered, offset - 20 + 24)
        let expected = hmacSHA1(key: key, data: covered)
        let actual = raw[(offset + 4)..<(offset + 24)]
        var diff: UInt8 = 0
        for (a, b) in zip(expected, actual) { diff |= a ^ b }
        return diff == 0 && expected.count == 20
    }

    /// True when `raw` ends with a FINGERPRINT attribute whose CRC matches.
    public static func validateFingerprint(_ raw: [UInt8]) -> Bool {
        guard hasMagicCookie(raw), raw.count >= 28 else { return false }
        let length = Int(raw[2]) << 8 | Int(raw[3])
        guard raw.count == 20 + length else { return false }
        let offset = raw.count - 8
        guard raw[offset] == 0x80, raw[offset + 1] == 0x28, raw[offset + 2] == 0, raw[offset + 3] == 4 else { return false }
        let crc = crc32(raw[0..<offset]) ^ 0x5354_554E
        let stored = UInt32(raw[offset + 4]) << 24 | UInt32(raw[offset + 5]) << 16 | UInt32(raw[offset + 6]) << 8 | UInt32(raw[offset + 7])
        return crc == stored
    }

    /// True when the raw message contains a MESSAGE-INTEGRITY attribute at all.
    public static func hasIntegrity(_ raw: [UInt8]) -> Bool {
        offsetOfAttribute(raw, type: STUNAttributeType.messageIntegrity) != nil
    }

    // MARK: generic attribute access

    /// The value of the first attribute of `type`.
    public func attribute(_ type: UInt16) -> [UInt8]? {
        attributes.first { $0.type == type }?.value
    }

    /// Replaces (or with nil removes) every attribute of `type`; a new one goes at the end.
    public mutating func setAttribute(_ type: UInt16, _ value: [UInt8]?) {
        if let index = attributes.firstIndex(where: { $0.type == type }) {
            attributes.removeAll { $0.type == type }
            if let value { attributes.insert(STUNAttribute(type: type, value: value), at: min(index, attributes.count)) }
        } else if let value {
            attributes.append(STUNAttribute(type: type, value: value))
        }
    }

    /// Comprehension-required attribute types in this message not in `known`.
    public func unknownComprehensionRequired(known: Set<UInt16>) -> [UInt16] {
        var seen: [UInt16] = []
        for attribute in attributes where attribute.isComprehensionRequired && !known.contains(attribute.type) {
            if !seen.contains(attribute.type) { seen.append(attribute.type) }
        }
        return seen
    }

    // MARK: address attributes

    /// Decodes a (XOR-)MAPPED-ADDRESS style value; nil when malformed.
    public func address(_ type: UInt16, xor: Bool) -> SocketAddress? {
        guard let value = attribute(type), value.count >= 8 else { return nil }
        let family = value[1]
        var port = UInt16(value[2]) << 8 | UInt16(value[3])
        let length = family == 0x01 ? 4 : (family == 0x02 ? 16 : 0)
        guard length > 0, value.count >= 4 + length else { return nil }
        var addr = Array(value[4..<(4 + length)])
        if xor {
            port ^= 0x2112
            let mask: [UInt8] = [0x21, 0x12, 0xA4, 0x42] + transactionID
            for i in 0..<length where i < mask.count { addr[i] ^= mask[i] }
        }
        return SocketAddress(addressBytes: addr, port: port)
    }

    /// Encodes and stores a (XOR-)MAPPED-ADDRESS style attribute (uses this message's transaction ID).
    public mutating func setAddress(_ type: UInt16, _ address: SocketAddress?, xor: Bool) {
        guard let address else { setAttribute(type, nil); return }
        var port = address.port
        var addr = address.addressBytes
        if xor {
            port ^= 0x2112
            let mask: [UInt8] = [0x21, 0x12, 0xA4, 0x42] + transactionID
            for i in 0..<addr.count where i < mask.count { addr[i] ^= mask[i] }
        }
        setAttribute(type, [0, address.family == .ipv4 ? 1 : 2, UInt8(port >> 8), UInt8(port & 0xFF)] + addr)
    }

    public var xorMappedAddress: SocketAddress? {
        get { address(STUNAttributeType.xorMappedAddress, xor: true) }
        set { setAddress(STUNAttributeType.xorMappedAddress, newValue, xor: true) }
    }
    public var mappedAddress: SocketAddress? {
        get { address(STUNAttributeType.mappedAddress, xor: false) }
        set { setAddress(STUNAttributeType.mappedAddress, newValue, xor: false) }
    }
    public var xorRelayedAddress: SocketAddress? {
        get { address(STUNAttributeType.xorRelayedAddress, xor: true) }
        set { setAddress(STUNAttributeType.xorRelayedAddress, newValue, xor: true) }
    }
    public var xorPeerAddress: SocketAddress? {
        get { address(STUNAttributeType.xorPeerAddress, xor: true) }
        set { setAddress(STUNAttributeType.xorPeerAddress, newValue, xor: true) }
    }

    // MARK: typed attributes

    private func string(_ type: UInt16) -> String? {
        attribute(type).map { String(decoding: $0, as: UTF8.self) }
    }
    private func uint32(_ type: UInt16) -> UInt32? {
        guard let v = attribute(type), v.count >= 4 else { return nil }
        return UInt32(v[0]) << 24 | UInt32(v[1]) << 16 | UInt32(v[2]) << 8 | UInt32(v[3])
    }
    private func uint64(_ type: UInt16) -> UInt64? {
        guard let v = attribute(type), v.count >= 8 else { return nil }
        return v[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }
    private static func bytes(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }
    private static func bytes(_ v: UInt64) -> [UInt8] {
        (0..<8).map { UInt8((v >> (56 - 8 * UInt64($0))) & 0xFF) }
    }

    public var username: String? {
        get { string(STUNAttributeType.username) }
        set { setAttribute(STUNAttributeType.username, newValue.map { Array($0.utf8) }) }
    }
    public var realm: String? {
        get { string(STUNAttributeType.realm) }
        set { setAttribute(STUNAttributeType.realm, newValue.map { Array($0.utf8) }) }
    }
    public var nonce: String? {
        get { string(STUNAttributeType.nonce) }
        set { setAttribute(STUNAttributeType.nonce, newValue.map { Array($0.utf8) }) }
    }
    public var software: String? {
        get { string(STUNAttributeType.software) }
        set { setAttribute(STUNAttributeType.software, newValue.map { Array($0.utf8) }) }
    }

    /// ERROR-CODE as (300...699, reason phrase).
    public var errorCode: (code: Int, reason: String)? {
        get {
            guard let v = attribute(STUNAttributeType.errorCode), v.count >= 4 else { return nil }
            let code = Int(v[2] & 0x07) * 100 + Int(v[3])
            return (code, String(decoding: v[4...], as: UTF8.self))
        }
        set {
            guard let newValue else { setAttribute(STUNAttributeType.errorCode, nil); return }
            let code = max(0, min(newValue.code, 799))
            setAttribute(STUNAttributeType.errorCode, [0, 0, UInt8(code / 100), UInt8(code % 100)] + Array(newValue.reason.utf8))
        }
    }

    /// UNKNOWN-ATTRIBUTES (in a 420 response).
    public var unknownAttributes: [UInt16] {
        get {
            guard let v = attribute(STUNAttributeType.unknownAttributes) else { return [] }
            return stride(from: 0, to: v.count - 1, by: 2).map { UInt16(v[$0]) << 8 | UInt16(v[$0 + 1]) }
        }
        set {
            setAttribute(STUNAttributeType.unknownAttributes,
                         newValue.isEmpty ? nil : newValue.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })
        }
    }

    public var priority: UInt32? {
        get { uint32(STUNAttributeType.priority) }
        set { setAttribute(STUNAttributeType.priority, newValue.map { STUNMessage.bytes($0) }) }
    }
    /// USE-CANDIDATE (an empty attribute; true when present).
    public var useCandidate: Bool {
        get { attribute(STUNAttributeType.useCandidate) != nil }
        set { setAttribute(STUNAttributeType.useCandidate, newValue ? [] : nil) }
    }
    /// ICE-CONTROLLING tie-breaker.
    public var iceControlling: UInt64? {
        get { uint64(STUNAttributeType.iceControlling) }
        set { setAttribute(STUNAttributeType.iceControlling, newValue.map { STUNMessage.bytes($0) }) }
    }
    /// ICE-CONTROLLED tie-breaker.
    public var iceControlled: UInt64? {
        get { uint64(STUNAttributeType.iceControlled) }
        set { setAttribute(STUNAttributeType.iceControlled, newValue.map { STUNMessage.bytes($0) }) }
    }
    /// LIFETIME in seconds.
    public var lifetime: UInt32? {
        get { uint32(STUNAttributeType.lifetime) }
        set { setAttribute(STUNAttributeType.lifetime, newValue.map { STUNMessage.bytes($0) }) }
    }
    /// DATA (TURN Send/Data indications).
    public var data: [UInt8]? {
        get { attribute(STUNAttributeType.data) }
        set { setAttribute(STUNAttributeType.data, newValue) }
    }
    /// CHANNEL-NUMBER (0x4000...0x7FFF), followed by two reserved bytes on the wire.
    public var channelNumber: UInt16? {
        get {
            guard let v = attribute(STUNAttributeType.channelNumber), v.count >= 2 else { return nil }
            return UInt16(v[0]) << 8 | UInt16(v[1])
        }
        set { setAttribute(STUNAttributeType.channelNumber, newValue.map { [UInt8($0 >> 8), UInt8($0 & 0xFF), 0, 0] }) }
    }
    /// REQUESTED-TRANSPORT protocol number (17 = UDP), followed by three reserved bytes.
    public var requestedTransport: UInt8? {
        get { attribute(STUNAttributeType.requestedTransport).flatMap { $0.first } }
        set { setAttribute(STUNAttributeType.requestedTransport, newValue.map { [$0, 0, 0, 0] }) }
    }
}

// MARK: - HMAC-SHA1 (OpenSSL) and CRC-32

/// HMAC-SHA1 through OpenSSL's one-shot `HMAC()`.
func hmacSHA1(key: [UInt8], data: [UInt8]) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var outLength: UInt32 = 0
    let ok = key.withUnsafeBufferPointer { k in
        data.withUnsafeBufferPointer { d in
            out.withUnsafeMutableBufferPointer { o in
                HMAC(EVP_sha1(), k.baseAddress, Int32(k.count), d.baseAddress, d.count, o.baseAddress, &outLength)
            }
        }
    }
    guard ok != nil, outLength == 20 else { return [UInt8](repeating: 0, count: 20) }
    return Array(out.prefix(20))
}

/// MD5 through OpenSSL EVP (TURN long-term credential key: MD5(username:realm:password)).
public func stunLongTermKey(username: String, realm: String, password: String) -> [UInt8] {
    let input = Array("\(username):\(realm):\(password)".utf8)
    var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var outLength: UInt32 = 0
    let ok = input.withUnsafeBufferPointer { i in
        out.withUnsafeMutableBufferPointer { o in
            EVP_Digest(i.baseAddress, i.count, o.baseAddress, &outLength, EVP_md5(), nil)
        }
    }
    guard ok == 1, outLength == 16 else { return [UInt8](repeating: 0, count: 16) }
    return Array(out.prefix(16))
}

private let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
    var c = UInt32(n)
    for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
}

/// CRC-32 (ISO-HDLC, the zlib one) as STUN FINGERPRINT uses it.
func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    var c: UInt32 = 0xFFFF_FFFF
    for b in bytes { c = crcTable[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
    return c ^ 0xFFFF_FFFF
}

// MARK: - fuzz entry

/// Fuzz entry point: parse, re-serialize with integrity and fingerprint, re-parse, validate, and touch
/// every accessor. Must never trap on any input.
public func fuzzSTUN(_ bytes: [UInt8]) {
    _ = isSTUN(bytes)
    _ = STUNMessage.validateFingerprint(bytes)
    _ = STUNMessage.validateIntegrity(bytes, key: Array("pass".utf8))
    guard let message = try? STUNMessage(parsing: bytes) else { return }
    _ = message.xorMappedAddress; _ = message.mappedAddress; _ = message.xorRelayedAddress
    _ = message.xorPeerAddress; _ = message.username; _ = message.errorCode; _ = message.realm
    _ = message.nonce; _ = message.priority; _ = message.useCandidate; _ = message.iceControlling
    _ = message.iceControlled; _ = message.lifetime; _ = message.data; _ = message.channelNumber
    _ = message.software; _ = message.unknownAttributes; _ = message.requestedTransport
    _ = message.unknownComprehensionRequired(known: [])
    let again = message.serialized(integrityKey: Array("pass".utf8), fingerprint: true)
    if let reparsed = try? STUNMessage(parsing: again) {
        precondition(reparsed == message, "STUN round trip changed the message")
    }
    precondition(STUNMessage.validateIntegrity(again, key: Array("pass".utf8)))
    precondition(STUNMessage.validateFingerprint(again))
}
