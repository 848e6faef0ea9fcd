import Foundation

/// Types of public ("Hydra") ids. The raw value is the TYPE segment of `ciscospark://us/<TYPE>/<uuid>`.
public enum HydraType: String, Sendable, CaseIterable {
    case people = "PEOPLE"
    case room = "ROOM"
    case message = "MESSAGE"
    case membership = "MEMBERSHIP"
    case team = "TEAM"
    case organization = "ORGANIZATION"
    case content = "CONTENT"
    case attachmentAction = "ATTACHMENT_ACTION"
    case teamMembership = "TEAM_MEMBERSHIP"
    case webhook = "WEBHOOK"
    case application = "APPLICATION"
}

/// Encoding and lenient decoding of Hydra ids.
///
/// Emits standard base64 of `ciscospark://us/<TYPE>/<uuid>` without `=` padding (reference §1.6).
/// Accepts padded or unpadded input, the standard or the URL-safe alphabet, any cluster, and, where the
/// object named is unambiguous, a raw uuid (reference §1.6 [U]: WXBOT sends raw uuids as `parentId`).
public enum HydraID {
    public struct Decoded: Sendable, Equatable {
        public var cluster: String
        public var type: String
        public var uuid: String
    }

    public static func encode(_ type: HydraType, _ uuid: String, cluster: String = "us") -> String {
        let raw = "ciscospark://\(cluster)/\(type.rawValue)/\(uuid)"
        var b64 = Data(raw.utf8).base64EncodedString()
        while b64.hasSuffix("=") { b64.removeLast() }
        return b64
    }

    /// Decodes any Hydra id (padded/unpadded, standard/URL-safe). Returns nil for anything that is not
    /// base64 of a `ciscospark://<cluster>/<TYPE>/<uuid>` string.
    public static func decode(_ id: String) -> Decoded? {
        var s = id.trimmingCharacters(in: .whitespaces)
        guard !s.isEmpty, s.count < 1024 else { return nil }
        s = s.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.hasSuffix("=") { s.removeLast() }
        guard s.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "/") }) else { return nil }
        switch s.count % 4 {
        case 0: break
        case 2: s += "=="
        case 3: s += "="
        default: return nil
        }
        guard let data = Data(base64Encoded: s), let text = String(data: data, encoding: .utf8) else { return nil }
        let prefix = "ciscospark://"
        guard text.hasPrefix(prefix) else { return nil }
        let rest = text.dropFirst(prefix.count)
        let parts = rest.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty, !parts[2].isEmpty else { return nil }
        return Decoded(cluster: String(parts[0]), type: String(parts[1]), uuid: String(parts[2]))
    }

    /// The uuid part of `id` if it names an object of `type`: a Hydra id of that type, or a raw uuid
    /// in the form that type uses (plain uuid; `<uuid>:<uuid>` for memberships and team memberships;
    /// `<uuid>/<n>` for contents).
    /// Uuids are returned lower-cased.
    public static func uuid(from id: String, as type: HydraType) -> String? {
        let trimmed = id.trimmingCharacters(in: .whitespaces)
        if isRawUUID(trimmed, for: type) { return trimmed.lowercased() }
        guard let decoded = decode(trimmed), decoded.type == type.rawValue else { return nil }
        guard isRawUUID(decoded.uuid, for: type) else { return nil }
        return decoded.uuid.lowercased()
    }

    static func isRawUUID(_ s: String, for type: HydraType) -> Bool {
        switch type {
        case .membership, .teamMembership:
            let parts = s.split(separator: ":", omittingEmptySubsequences: false)
            return parts.count == 2 && parts.allSatisfy { isUUID($0) }
        case .content:
            let parts = s.split(separator: "/", omittingEmptySubsequences: false)
            return parts.count == 2 && isUUID(parts[0]) && !parts[1].isEmpty && parts[1].allSatisfy { $0.isASCII && $0.isNumber }
        default:
            return isUUID(s[...])
        }
    }

    /// 8-4-4-4-12 hexadecimal digits.
    static func isUUID(_ s: Substring) -> Bool {
        let utf8 = Array(s.utf8)
        guard utf8.count == 36 else { return false }
        for (i, c) in utf8.enumerated() {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                if c != UInt8(ascii: "-") { return false }
            } else {
                let isHex = (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)
                if !isHex { return false }
            }
        }
        return true
    }

    /// A new random lower-case uuid.
    static func newUUID() -> String { UUID().uuidString.lowercased() }

    /// A deterministic uuid derived from `name` (used for seeded people and the org so their ids are
    /// stable across restarts and resets). Two FNV-1a 64-bit hashes with different offsets.
    static func stableUUID(_ name: String) -> String {
        func fnv(_ seed: UInt64) -> UInt64 {
            var h: UInt64 = seed
            for b in name.utf8 {
                h ^= UInt64(b)
                h = h &* 0x100_0000_01b3
            }
            return h
        }
        var hi = fnv(0xcbf2_9ce4_8422_2325)
        var lo = fnv(0x84222325_cbf29ce4 ^ 0x5bd1_e995)
        // mark as RFC 4122 variant, version 8 (custom)
        hi = (hi & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_8000
        lo = (lo & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        let h = String(hi, radix: 16).leftPadded(16)
        let l = String(lo, radix: 16).leftPadded(16)
        let all = h + l
        let c = Array(all)
        return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-"
            + String(c[20..<32])
    }
}

extension String {
    func leftPadded(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
