import Foundation

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
public enum WebexDate {
    public static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!))
    }

    /// Accepts with or without fractional seconds, `Z` or an offset.
    public static func parse(_ s: String) -> Date? {
        if let d = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(s) { return d }
        return try? Date.ISO8601FormatStyle().parse(s)
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
        e.outputFormatting = pretty ? [.withoutEscapingSlashes, .prettyPrinted, .sortedKeys] : [.withoutEscapingSlashes]
        e.dateEncodingStrategy = .custom { date, enc in
            var c = enc.singleValueContainer()
            try c.encode(WebexDate.format(date))
        }
        return e
    }
}
