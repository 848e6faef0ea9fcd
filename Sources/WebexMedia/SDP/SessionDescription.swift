// SDP (RFC 8866) session descriptions: a lenient parser and a serializer that round-trips what it parsed.
// Real peers (Webex media servers, aiortc, browsers) disagree on details, so the parser keeps every line
// it does not understand instead of rejecting the whole description.

/// One `a=` line: `a=name:value` or the flag form `a=name` (value nil).
public struct SDPAttribute: Sendable, Equatable {
    public var name: String
    public var value: String?

    public init(_ name: String, _ value: String? = nil) {
        self.name = name
        self.value = value
    }

    public init(name: String, value: String?) {
        self.init(name, value)
    }

    /// The text after `a=`.
    public var lineValue: String {
        if let value { return name + ":" + value }
        return name
    }

    /// Splits the text after `a=` at the first colon.
    init(lineValue: Substring) {
        if let colon = lineValue.firstIndex(of: ":") {
            name = String(lineValue[..<colon])
            value = String(lineValue[lineValue.index(after: colon)...])
        } else {
            name = String(lineValue)
            value = nil
        }
    }
}

/// A whole SDP: session-level fields and its media sections.
public struct SessionDescription: Sendable, Equatable {
    public var version: Int
    /// The whole `o=` value, e.g. `- 4611731400430051336 2 IN IP4 127.0.0.1`.
    public var origin: String
    public var sessionName: String
    public var connection: String?
    /// The first `t=` value.
    public var timing: String
    public var bandwidths: [String]
    public var attributes: [SDPAttribute]
    public var media: [MediaDescription]
    /// Session-level lines of other types (`i=`, `u=`, `e=`, `p=`, extra `t=`, `r=`, `z=`, `k=`, unknown
    /// letters), kept whole (`"i=Meeting"`) so serialization keeps them.
    public var otherLines: [String]

    /// Largest text accepted; real descriptions are a few kilobytes.
    public static let maximumLength = 1 << 20

    public init(version: Int = 0, origin: String, sessionName: String = "-", connection: String? = nil,
                timing: String = "0 0", bandwidths: [String] = [], attributes: [SDPAttribute] = [],
                media: [MediaDescription] = [], otherLines: [String] = []) {
        self.version = version
        self.origin = origin
        self.sessionName = sessionName
        self.connection = connection
        self.timing = timing
        self.bandwidths = bandwidths
        self.attributes = attributes
        self.media = media
        self.otherLines = otherLines
    }

    /// Parses leniently: CRLF or LF line ends, blank lines and leading blanks ignored, unknown line types
    /// and attributes kept. Throws `MediaError(.sdp)` when the text is not SDP at all (no `v=` first, a
    /// line without the `x=` shape, a malformed `m=` line).
    public init(parsing text: String) throws {
        try self.init(parsingBytes: Array(text.utf8))
    }

    /// Byte-level entry used by `init(parsing:)` and the fuzz target. Splitting is done on bytes because
    /// Swift treats "\r\n" as a single Character.
    init(parsingBytes bytes: [UInt8]) throws {
        guard bytes.count <= Self.maximumLength else {
            throw MediaError(.sdp, "The SDP is \(bytes.count) bytes long, more than the \(Self.maximumLength) accepted.")
        }
        var lines: [(type: UInt8, value: Substring, number: Int)] = []
        var number = 0
        for rawLine in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            var line = rawLine[...]
            if line.last == 0x0D { line = line.dropLast() }
            while let first = line.first, first == 0x20 || first == 0x09 { line = line.dropFirst() }
            if line.isEmpty { continue }
            guard line.count >= 2, line[line.startIndex + 1] == UInt8(ascii: "="),
                  Self.isLetter(line[line.startIndex]) else {
                let shown = String(decoding: line.prefix(40), as: UTF8.self)
                throw MediaError(.sdp, "SDP line \(number) is not of the form x=value: \"\(shown)\".")
            }
            let type = line[line.startIndex]
            let value = Substring(String(decoding: line.dropFirst(2), as: UTF8.self))
            lines.append((type, value, number))
        }
        guard let first = lines.first, first.type == UInt8(ascii: "v") else {
            throw MediaError(.sdp, "The text is not an SDP: it does not start with a v= line.")
        }
        guard let version = Int(first.value.trimmingSpaces), version >= 0 else {
            throw MediaError(.sdp, "The SDP version \"\(first.value.prefix(20))\" is not a number.")
        }
        self.version = version
        origin = ""
        sessionName = "-"
        connection = nil
        timing = "0 0"
        bandwidths = []
        attributes = []
        media = []
        otherLines = []
        var sawOrigin = false, sawName = false, sawTiming = false
        var current: MediaDescription?
        for line in lines.dropFirst() {
            let value = line.value
            if line.type == UInt8(ascii: "m") {
                if let current { media.append(current) }
                current = try MediaDescription(mLine: value, lineNumber: line.number)
                continue
            }
            if current != nil {
                switch line.type {
                case UInt8(ascii: "c"): if current?.connection == nil { current?.connection = String(value) } else { current?.otherLines.append("c=" + value) }
                case UInt8(ascii: "b"): current?.bandwidths.append(String(value))
                case UInt8(ascii: "a"): current?.attributes.append(SDPAttribute(lineValue: value))
                default: current?.otherLines.append(String(UnicodeScalar(line.type)) + "=" + value)
                }
                continue
            }
            switch line.type {
            case UInt8(ascii: "o") where !sawOrigin: origin = String(value); sawOrigin = true
            case UInt8(ascii: "s") where !sawName: sessionName = String(value); sawName = true
            case UInt8(ascii: "c") where connection == nil: connection = String(value)
            case UInt8(ascii: "t") where !sawTiming: timing = String(value); sawTiming = true
            case UInt8(ascii: "b"): bandwidths.append(String(value))
            case UInt8(ascii: "a"): attributes.append(SDPAttribute(lineValue: value))
            default: otherLines.append(String(UnicodeScalar(line.type)) + "=" + value)
            }
        }
        if let current { media.append(current) }
        guard sawOrigin else { throw MediaError(.sdp, "The SDP has no o= (origin) line.") }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    /// The description as SDP text, every line CRLF-terminated, in RFC 8866 order.
    public var text: String {
        var out = "v=\(version)\r\n"
        out += "o=" + origin + "\r\n"
        out += "s=" + sessionName + "\r\n"
        func other(_ letters: String) {
            for line in otherLines where line.first.map({ letters.contains($0) }) == true { out += line + "\r\n" }
        }
        other("iuep")
        if let connection { out += "c=" + connection + "\r\n" }
        for b in bandwidths { out += "b=" + b + "\r\n" }
        out += "t=" + timing + "\r\n"
        other("trzk")
        // Lines with letters RFC 8866 does not define come last before the attributes.
        for line in otherLines where line.first.map({ !"iueptrzk".contains($0) }) ?? true { out += line + "\r\n" }
        for a in attributes { out += "a=" + a.lineValue + "\r\n" }
        for m in media { out += m.text }
        return out
    }

    // MARK: Session-level accessors

    /// The value of the first session-level attribute with this name (`""` for a flag), nil when absent.
    public func attribute(_ name: String) -> String? {
        attributes.first(where: { $0.name == name }).map { $0.value ?? "" }
    }

    /// `a=ice-lite` at session level (or, leniently, on any media section).
    public var isICELite: Bool {
        get { attributes.contains { $0.name == "ice-lite" } || media.contains { $0.attributes.contains { $0.name == "ice-lite" } } }
        set {
            attributes.removeAll { $0.name == "ice-lite" }
            if newValue { attributes.insert(SDPAttribute("ice-lite"), at: 0) }
        }
    }

    /// Every `a=group:` line split on blanks: `a=group:BUNDLE 0 1 2` -> `["BUNDLE","0","1","2"]`.
    public var groups: [[String]] {
        get {
            attributes.filter { $0.name == "group" }.map { ($0.value ?? "").split(separator: " ").map(String.init) }
        }
        set {
            let index = attributes.firstIndex { $0.name == "group" } ?? attributes.count
            attributes.removeAll { $0.name == "group" }
            let lines = newValue.filter { !$0.isEmpty }.map { SDPAttribute("group", $0.joined(separator: " ")) }
            attributes.insert(contentsOf: lines, at: min(index, attributes.count))
        }
    }

    /// The mids of the first BUNDLE group, empty without one.
    public var bundleMids: [String] {
        guard let group = groups.first(where: { $0.first?.uppercased() == "BUNDLE" }) else { return [] }
        return Array(group.dropFirst())
    }

    /// ICE credentials for media section `index`: its own, else the session-level ones.
    public func iceCredentials(for index: Int) -> (ufrag: String, password: String)? {
        let m = media.indices.contains(index) ? media[index] : nil
        guard let ufrag = m?.iceUfrag ?? attribute("ice-ufrag"),
              let pwd = m?.icePwd ?? attribute("ice-pwd") else { return nil }
        return (ufrag, pwd)
    }

    /// DTLS fingerprint for media section `index`: its own, else the session-level one.
    public func fingerprint(for index: Int) -> (algorithm: String, value: String)? {
        if media.indices.contains(index), let own = media[index].fingerprint { return own }
        let all = attributes.filter { $0.name == "fingerprint" }.compactMap { MediaDescription.parseFingerprint($0.value ?? "") }
        return MediaDescription.preferredFingerprint(all)
    }

    /// `a=setup` role for media section `index`: its own, else the session-level one.
    public func setup(for index: Int) -> String? {
        if media.indices.contains(index), let own = media[index].setup { return own }
        return attribute("setup")
    }
}

extension Substring {
    /// The substring without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return s
    }
}

/// Fuzz entry: parse arbitrary bytes, serialize, parse again, and check the second round is stable.
/// Must never trap; a parse error is a normal outcome.
public func fuzzSDP(_ bytes: [UInt8]) {
    guard let first = try? SessionDescription(parsingBytes: bytes) else { return }
    for m in first.media {
        _ = m.payloadFormats; _ = m.direction; _ = m.ssrcs; _ = m.ssrcGroups; _ = m.extmaps
        _ = m.fingerprint; _ = m.candidates; _ = m.rtcpMux; _ = m.isSlides
    }
    _ = first.groups; _ = first.isICELite
    for i in 0..<min(first.media.count, 64) { _ = first.iceCredentials(for: i); _ = first.fingerprint(for: i) }
    // Negotiation on an untrusted remote description must not trap either.
    let transport = SDPTransportParameters(iceUfrag: "fuzz", icePwd: "fuzzfuzzfuzzfuzzfuzzfu", fingerprint: "00:11")
    if let (answer, _) = try? SDPNegotiation.makeAnswer(to: first, options: SDPAnswerOptions(), transport: transport,
                                                        cname: "fuzz", sessionID: 1) {
        _ = try? SDPNegotiation.processAnswer(answer, toOffer: first)
    }
    _ = try? SDPNegotiation.processAnswer(first, toOffer: first)
    let text = first.text
    guard let second = try? SessionDescription(parsing: text) else {
        fatalError("fuzzSDP: re-parsing serialized SDP failed")
    }
    if second.text != text { fatalError("fuzzSDP: serialization is not stable") }
}
