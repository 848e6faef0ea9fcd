import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A Webex public ("Hydra") ID: base64 of `ciscospark://<cluster>/<TYPE>/<uuid>`.
/// Emitted without `=` padding (as Webex does); parsed leniently: padded or not, standard or URL-safe alphabet.
public struct HydraID: Hashable, Sendable, CustomStringConvertible {
    public var cluster: String
    public var type: String
    public var uuid: String

    public static let people = "PEOPLE", room = "ROOM", message = "MESSAGE", membership = "MEMBERSHIP",
        team = "TEAM", organization = "ORGANIZATION", attachmentAction = "ATTACHMENT_ACTION", content = "CONTENT",
        webhook = "WEBHOOK"

    public init(type: String, uuid: String, cluster: String = "us") {
        self.type = type; self.uuid = uuid
        // PEOPLE and ORGANIZATION ids always use the `us` cluster.
        self.cluster = (type == Self.people || type == Self.organization) ? "us" : cluster
    }

    /// Decodes an encoded ID; nil when it is not base64 of a `ciscospark://` URI.
    public init?(_ encoded: String) {
        guard let text = Self.base64Decode(encoded), text.hasPrefix("ciscospark://") else { return nil }
        let rest = text.dropFirst("ciscospark://".count)
        // The cluster may itself contain ':' (urn:TEAM:eu-central-1_k) but not '/'.
        let parts = rest.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty, !parts[2].isEmpty else { return nil }
        cluster = String(parts[0]); type = String(parts[1]); uuid = String(parts[2])
    }

    public var uri: String { "ciscospark://\(cluster)/\(type)/\(uuid)" }

    /// Unpadded standard base64.
    public var encoded: String {
        var s = Data(uri.utf8).base64EncodedString()
        while s.hasSuffix("=") { s.removeLast() }
        return s
    }
    public var description: String { encoded }

    static func base64Decode(_ s: String) -> String? {
        var t = s.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty, t.count < 4096 else { return nil }
        t = t.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while t.hasSuffix("=") { t.removeLast() }
        if t.count % 4 == 1 { return nil }
        t += String(repeating: "=", count: (4 - t.count % 4) % 4)
        guard let d = Data(base64Encoded: t) else { return nil }
        return String(data: d, encoding: .utf8)
    }

    /// True when `s` is an encoded ID of `type`.
    public static func isID(_ s: String, ofType type: String) -> Bool { HydraID(s)?.type == type }
}

/// ISO-8601 UTC with milliseconds, as Webex writes dates (`2015-10-18T14:26:16.203Z`).
/// Hand-written for speed (lists decode two dates per item) and exact millisecond rounding.
public enum WebexDate {
    public static func format(_ date: Date) -> String {
        let totalMs = (date.timeIntervalSince1970 * 1000).rounded()
        var secs = time_t((totalMs / 1000).rounded(.down))
        let ms = Int(totalMs - Double(secs) * 1000)
        var t = tm()
        gmtime_r(&secs, &t)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let msText = ms < 10 ? "00\(ms)" : ms < 100 ? "0\(ms)" : "\(ms)"
        return "\(t.tm_year + 1900)-\(two(t.tm_mon + 1))-\(two(t.tm_mday))T\(two(t.tm_hour)):\(two(t.tm_min)):\(two(t.tm_sec)).\(msText)Z"
    }

    /// Accepts `YYYY-MM-DDTHH:MM:SS`, optional fractional seconds, then `Z` or `±HH:MM` (or `±HHMM`).
    public static func parse(_ s: String) -> Date? {
        let b = Array(s.utf8)
        var i = 0
        func num(_ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for k in 0..<n { let c = b[i + k]; guard c >= 48 && c <= 57 else { return nil }; v = v * 10 + Int(c - 48) }
            i += n
            return v
        }
        func expect(_ c: UInt8) -> Bool { guard i < b.count, b[i] == c else { return false }; i += 1; return true }
        guard let year = num(4), expect(45), let month = num(2), expect(45), let day = num(2) else { return nil }
        guard i < b.count, b[i] == 84 || b[i] == 116 || b[i] == 32 else { return nil }
        i += 1
        guard let hour = num(2), expect(58), let minute = num(2), expect(58), let second = num(2) else { return nil }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60 else { return nil }
        var fraction = 0.0
        if i < b.count, b[i] == 46 || b[i] == 44 {
            i += 1
            var scale = 0.1
            let start = i
            while i < b.count, b[i] >= 48 && b[i] <= 57 { fraction += Double(b[i] - 48) * scale; scale /= 10; i += 1 }
            guard i > start else { return nil }
        }
        var offset = 0
        guard i < b.count else { return nil }
        if b[i] == 90 || b[i] == 122 { i += 1 } else if b[i] == 43 || b[i] == 45 {
            let sign = b[i] == 45 ? -1 : 1
            i += 1
            guard let oh = num(2) else { return nil }
            _ = expect(58)
            guard let om = num(2) else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else { return nil }
        guard i == b.count else { return nil }
        var t = tm()
        t.tm_year = Int32(year - 1900); t.tm_mon = Int32(month - 1); t.tm_mday = Int32(day)
        t.tm_hour = Int32(hour); t.tm_min = Int32(minute); t.tm_sec = Int32(second)
        let epoch = timegm(&t)
        return Date(timeIntervalSince1970: Double(epoch - offset) + fraction)
    }
}

/// The JSON coders the SDK uses: Webex dates, no escaped slashes.
public enum WebexJSON {
    public static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .custom { dec in
            let c = try dec.singleValueContainer()
            let s = try c.decode(String.self)
            guard let date = WebexDate.parse(s) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "not an ISO-8601 date: \(s)")
            }
            return date
        }
        return d
    }()

    public static let encoder: JSONEncoder = makeEncoder(pretty: false)
    public static let prettyEncoder: JSONEncoder = makeEncoder(pretty: true)

    static func makeEncoder(pretty: Bool) -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = pretty ? [.withoutEscapingSlashes, .prettyPrinted, .sortedKeys] : [.withoutEscapingSlashes, .sortedKeys]
        e.dateEncodingStrategy = .custom { date, enc in
            var c = enc.singleValueContainer()
            try c.encode(WebexDate.format(date))
        }
        return e
    }
}
