// One media section (`m=` line and what follows it) with typed accessors over its attributes.

/// Media direction attribute (RFC 3264 §5.1). `sendrecv` when none is given.
public enum MediaDirection: String, Sendable, CaseIterable {
    case sendrecv, sendonly, recvonly, inactive

    /// The direction the other side sees: sendonly <-> recvonly.
    public var reversed: MediaDirection {
        switch self {
        case .sendonly: return .recvonly
        case .recvonly: return .sendonly
        default: return self
        }
    }

    public var sends: Bool { self == .sendrecv || self == .sendonly }
    public var receives: Bool { self == .sendrecv || self == .recvonly }

    public init(sends: Bool, receives: Bool) {
        switch (sends, receives) {
        case (true, true): self = .sendrecv
        case (true, false): self = .sendonly
        case (false, true): self = .recvonly
        case (false, false): self = .inactive
        }
    }

    /// What both directions allow.
    public func intersection(_ other: MediaDirection) -> MediaDirection {
        MediaDirection(sends: sends && other.sends, receives: receives && other.receives)
    }
}

/// An RTP payload format assembled from `a=rtpmap`, `a=fmtp` and `a=rtcp-fb`.
public struct PayloadFormat: Sendable, Equatable {
    public var payloadType: UInt8
    public var name: String
    public var clockRate: Int
    /// Audio channel count from rtpmap (`opus/48000/2` -> 2); nil when not given.
    public var channels: Int?
    /// fmtp parameters as given (keys keep their case; look them up with `parameter(_:)`).
    public var parameters: [String: String]
    /// rtcp-fb values such as "nack", "nack pli", "ccm fir", "goog-remb", "transport-cc".
    public var feedback: [String]

    public init(payloadType: UInt8, name: String, clockRate: Int, channels: Int? = nil,
                parameters: [String: String] = [:], feedback: [String] = []) {
        self.payloadType = payloadType
        self.name = name
        self.clockRate = clockRate
        self.channels = channels
        self.parameters = parameters
        self.feedback = feedback
    }

    /// An fmtp parameter looked up case-insensitively.
    public func parameter(_ key: String) -> String? {
        if let exact = parameters[key] { return exact }
        let lower = key.lowercased()
        return parameters.first { $0.key.lowercased() == lower }?.value
    }

    /// rtpmap value: `opus/48000/2`.
    public var rtpmapValue: String {
        var s = "\(payloadType) \(name)/\(clockRate)"
        if let channels { s += "/\(channels)" }
        return s
    }

    /// fmtp value after the payload type, keys sorted for a stable text; nil without parameters.
    public var fmtpValue: String? {
        guard !parameters.isEmpty else { return nil }
        return parameters.sorted { $0.key < $1.key }
            .map { $0.value.isEmpty ? $0.key : "\($0.key)=\($0.value)" }
            .joined(separator: ";")
    }

    /// Parses `key=value;key2=value2` (blanks around entries ignored; a key without `=` gets "").
    public static func parseParameters(_ text: Substring) -> [String: String] {
        var result: [String: String] = [:]
        for entry in text.split(separator: ";") {
            let item = entry.trimmingSpaces
            if item.isEmpty { continue }
            if let eq = item.firstIndex(of: "=") {
                let key = String(item[..<eq].trimmingSpaces)
                if result[key] == nil { result[key] = String(item[item.index(after: eq)...].trimmingSpaces) }
            } else if result[String(item)] == nil {
                result[String(item)] = ""
            }
        }
        return result
    }

    /// Static payload types of RFC 3551 that may appear without rtpmap.
    static func staticFormat(_ pt: UInt8) -> PayloadFormat? {
        switch pt {
        case 0: return PayloadFormat(payloadType: 0, name: "PCMU", clockRate: 8000, channels: 1)
        case 3: return PayloadFormat(payloadType: 3, name: "GSM", clockRate: 8000, channels: 1)
        case 4: return PayloadFormat(payloadType: 4, name: "G723", clockRate: 8000, channels: 1)
        case 8: return PayloadFormat(payloadType: 8, name: "PCMA", clockRate: 8000, channels: 1)
        case 9: return PayloadFormat(payloadType: 9, name: "G722", clockRate: 8000, channels: 1)
        case 13: return PayloadFormat(payloadType: 13, name: "CN", clockRate: 8000, channels: 1)
        case 18: return PayloadFormat(payloadType: 18, name: "G729", clockRate: 8000, channels: 1)
        case 34: return PayloadFormat(payloadType: 34, name: "H263", clockRate: 90000)
        default: return nil
        }
    }
}

/// `a=ssrc-group:FID 1 2`.
public struct SSRCGroup: Sendable, Equatable {
    public var semantics: String
    public var ssrcs: [UInt32]
    public init(semantics: String, ssrcs: [UInt32]) {
        self.semantics = semantics
        self.ssrcs = ssrcs
    }
}

/// One media section.
public struct MediaDescription: Sendable, Equatable {
    /// "audio" | "video" | "application" | anything the peer wrote.
    public var kind: String
    public var port: Int
    /// The `/2` in `m=video 9/2 …`, rarely used.
    public var portCount: Int?
    public var proto: String
    public var formats: [String]
    public var connection: String?
    public var bandwidths: [String]
    public var attributes: [SDPAttribute]
    /// Lines of other types (`i=`, `k=`, a second `c=`, unknown letters), kept whole.
    public var otherLines: [String]

    public init(kind: String, port: Int, proto: String, formats: [String], connection: String? = nil,
                bandwidths: [String] = [], attributes: [SDPAttribute] = [], otherLines: [String] = []) {
        self.kind = kind
        self.port = port
        self.proto = proto
        self.formats = formats
        self.connection = connection
        self.bandwidths = bandwidths
        self.attributes = attributes
        self.otherLines = otherLines
    }

    /// Parses the value of an `m=` line: `audio 9 UDP/TLS/RTP/SAVPF 111 0`.
    init(mLine value: Substring, lineNumber: Int) throws {
        let tokens = value.split(separator: " ")
        guard tokens.count >= 3 else {
            throw MediaError(.sdp, "SDP line \(lineNumber): the m= line \"\(value.prefix(60))\" needs at least media, port and protocol.")
        }
        let portToken = tokens[1]
        var portText = portToken
        var count: Int?
        if let slash = portToken.firstIndex(of: "/") {
            portText = portToken[..<slash]
            guard let c = Int(portToken[portToken.index(after: slash)...]), c >= 0, c <= 65535 else {
                throw MediaError(.sdp, "SDP line \(lineNumber): bad port count in \"\(portToken.prefix(20))\".")
            }
            count = c
        }
        guard let port = Int(portText), port >= 0, port <= 65535 else {
            throw MediaError(.sdp, "SDP line \(lineNumber): the m= port \"\(portToken.prefix(20))\" is not a port number.")
        }
        self.init(kind: String(tokens[0]), port: port, proto: String(tokens[2]), formats: tokens.dropFirst(3).map(String.init))
        portCount = count
    }

    /// This section as SDP text (CRLF line ends).
    public var text: String {
        var out = "m=\(kind) \(port)"
        if let portCount { out += "/\(portCount)" }
        out += " " + proto
        for f in formats { out += " " + f }
        out += "\r\n"
        for line in otherLines where line.hasPrefix("i=") { out += line + "\r\n" }
        if let connection { out += "c=" + connection + "\r\n" }
        for b in bandwidths { out += "b=" + b + "\r\n" }
        for line in otherLines where !line.hasPrefix("i=") { out += line + "\r\n" }
        for a in attributes { out += "a=" + a.lineValue + "\r\n" }
        return out
    }

    // MARK: Generic attribute access

    /// Value of the first attribute with this name (`""` for a flag), nil when absent.
    public func attribute(_ name: String) -> String? {
        attributes.first(where: { $0.name == name }).map { $0.value ?? "" }
    }

    /// Values of every attribute with this name.
    public func attributeValues(_ name: String) -> [String] {
        attributes.filter { $0.name == name }.map { $0.value ?? "" }
    }

    /// Replaces the first attribute with this name in place (others removed), appends it when missing,
    /// removes all when `value` is nil.
    public mutating func setAttribute(_ name: String, _ value: String?, flag: Bool = false) {
        guard value != nil || flag else {
            attributes.removeAll { $0.name == name }
            return
        }
        let new = SDPAttribute(name, flag ? nil : value)
        if let i = attributes.firstIndex(where: { $0.name == name }) {
            attributes[i] = new
            var j = attributes.count - 1
            while j > i {
                if attributes[j].name == name { attributes.remove(at: j) }
                j -= 1
            }
        } else {
            attributes.append(new)
        }
    }

    // MARK: Typed accessors

    public var mid: String? {
        get { attribute("mid") }
        set { setAttribute("mid", newValue) }
    }

    /// The last direction attribute given, sendrecv when none.
    public var direction: MediaDirection {
        get {
            for a in attributes.reversed() where a.value == nil {
                if let d = MediaDirection(rawValue: a.name) { return d }
            }
            return .sendrecv
        }
        set {
            let names = Set(MediaDirection.allCases.map(\.rawValue))
            if let i = attributes.firstIndex(where: { $0.value == nil && names.contains($0.name) }) {
                attributes[i] = SDPAttribute(newValue.rawValue)
                var j = attributes.count - 1
                while j > i {
                    if attributes[j].value == nil && names.contains(attributes[j].name) { attributes.remove(at: j) }
                    j -= 1
                }
            } else {
                attributes.append(SDPAttribute(newValue.rawValue))
            }
        }
    }

    /// Media-level `a=ice-ufrag`; use `SessionDescription.iceCredentials(for:)` for the session fallback.
    public var iceUfrag: String? {
        get { attribute("ice-ufrag") }
        set { setAttribute("ice-ufrag", newValue) }
    }

    public var icePwd: String? {
        get { attribute("ice-pwd") }
        set { setAttribute("ice-pwd", newValue) }
    }

    /// `a=fingerprint:sha-256 AB:CD:…` split into algorithm (lowercased) and value. aiortc lists
    /// sha-256, sha-384 and sha-512; the sha-256 one is returned when present, else the first.
    /// Setting replaces all fingerprint lines with one.
    public var fingerprint: (algorithm: String, value: String)? {
        get { Self.preferredFingerprint(fingerprints) }
        set { setAttribute("fingerprint", newValue.map { "\($0.algorithm) \($0.value)" }) }
    }

    /// Every `a=fingerprint` line, in order.
    public var fingerprints: [(algorithm: String, value: String)] {
        attributeValues("fingerprint").compactMap(Self.parseFingerprint)
    }

    static func preferredFingerprint(_ all: [(algorithm: String, value: String)]) -> (algorithm: String, value: String)? {
        all.first { $0.algorithm == "sha-256" } ?? all.first
    }

    static func parseFingerprint(_ text: String) -> (algorithm: String, value: String)? {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count >= 2 else { return nil }
        return (parts[0].lowercased(), String(parts[1]))
    }

    /// `a=setup`: actpass | active | passive | holdconn.
    public var setup: String? {
        get { attribute("setup") }
        set { setAttribute("setup", newValue) }
    }

    public var rtcpMux: Bool {
        get { attributes.contains { $0.name == "rtcp-mux" } }
        set {
            if newValue { if !rtcpMux { attributes.append(SDPAttribute("rtcp-mux")) } }
            else { attributes.removeAll { $0.name == "rtcp-mux" } }
        }
    }

    /// `a=content:slides` marks the screen-share video section.
    public var isSlides: Bool {
        attributeValues("content").contains { $0.lowercased() == "slides" }
    }

    /// Values after `candidate:`, unparsed (transports like Webex's `xTLS` are kept as text).
    public var candidates: [String] {
        get { attributeValues("candidate") }
        set {
            let index = attributes.firstIndex { $0.name == "candidate" } ?? attributes.count
            attributes.removeAll { $0.name == "candidate" }
            attributes.insert(contentsOf: newValue.map { SDPAttribute("candidate", $0) }, at: min(index, attributes.count))
        }
    }

    public var endOfCandidates: Bool { attributes.contains { $0.name == "end-of-candidates" } }

    /// Payload formats in m= order, built from rtpmap, fmtp and rtcp-fb (`*` feedback applies to all).
    /// Formats that are not numbers (e.g. `webrtc-datachannel`) or unknown dynamic types are skipped.
    public var payloadFormats: [PayloadFormat] {
        get {
            var rtpmaps: [UInt8: Substring] = [:]
            var fmtps: [UInt8: Substring] = [:]
            var feedback: [UInt8: [String]] = [:]
            var wildcard: [String] = []
            func split(_ value: String?) -> (Substring, Substring)? {
                guard let value else { return nil }
                let v = Substring(value).trimmingSpaces
                guard let space = v.firstIndex(where: { $0 == " " || $0 == "\t" }) else { return (v, "") }
                return (v[..<space], v[v.index(after: space)...].trimmingSpaces)
            }
            for a in attributes {
                switch a.name {
                case "rtpmap":
                    if let (pt, rest) = split(a.value), let n = UInt8(pt), rtpmaps[n] == nil { rtpmaps[n] = rest }
                case "fmtp":
                    if let (pt, rest) = split(a.value), let n = UInt8(pt), fmtps[n] == nil { fmtps[n] = rest }
                case "rtcp-fb":
                    if let (pt, rest) = split(a.value), !rest.isEmpty {
                        if pt == "*" { wildcard.append(String(rest)) }
                        else if let n = UInt8(pt) { feedback[n, default: []].append(String(rest)) }
                    }
                default: break
                }
            }
            var result: [PayloadFormat] = []
            var seen = Set<UInt8>()
            for f in formats {
                guard let pt = UInt8(f), pt < 128, !seen.contains(pt) else { continue }
                seen.insert(pt)
                var format: PayloadFormat
                if let map = rtpmaps[pt] {
                    let parts = map.split(separator: "/", omittingEmptySubsequences: false)
                    guard parts.count >= 2, let rate = Int(parts[1].trimmingSpaces), rate > 0 else { continue }
                    format = PayloadFormat(payloadType: pt, name: String(parts[0].trimmingSpaces), clockRate: rate)
                    if parts.count >= 3, let ch = Int(parts[2].trimmingSpaces), ch > 0 { format.channels = ch }
                } else if let known = PayloadFormat.staticFormat(pt) {
                    format = known
                } else {
                    continue
                }
                if let fmtp = fmtps[pt] { format.parameters = PayloadFormat.parseParameters(fmtp) }
                format.feedback = (feedback[pt] ?? []) + wildcard
                result.append(format)
            }
            return result
        }
        set {
            formats = newValue.map { String($0.payloadType) }
            let codecNames: Set<String> = ["rtpmap", "fmtp", "rtcp-fb"]
            let index = attributes.firstIndex { codecNames.contains($0.name) } ?? attributes.count
            attributes.removeAll { codecNames.contains($0.name) }
            var lines: [SDPAttribute] = []
            for f in newValue {
                lines.append(SDPAttribute("rtpmap", f.rtpmapValue))
                for fb in f.feedback { lines.append(SDPAttribute("rtcp-fb", "\(f.payloadType) \(fb)")) }
                if let fmtp = f.fmtpValue { lines.append(SDPAttribute("fmtp", "\(f.payloadType) \(fmtp)")) }
            }
            attributes.insert(contentsOf: lines, at: min(index, attributes.count))
        }
    }

    /// Distinct SSRCs named by `a=ssrc:` lines, in order of first appearance.
    public var ssrcs: [UInt32] {
        var result: [UInt32] = []
        var seen = Set<UInt32>()
        for value in attributeValues("ssrc") {
            guard let id = value.split(separator: " ", maxSplits: 1).first.flatMap({ UInt32($0) }) else { continue }
            if seen.insert(id).inserted { result.append(id) }
        }
        return result
    }

    /// `a=ssrc:<id> cname:<cname>` for this SSRC.
    public func cname(for ssrc: UInt32) -> String? {
        for value in attributeValues("ssrc") {
            let parts = value.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, UInt32(parts[0]) == ssrc, parts[1].hasPrefix("cname:") else { continue }
            return String(parts[1].dropFirst(6))
        }
        return nil
    }

    /// `a=ssrc-group` lines (e.g. FID for RTX, SIM for simulcast).
    public var ssrcGroups: [SSRCGroup] {
        attributeValues("ssrc-group").compactMap { value in
            let parts = value.split(separator: " ")
            guard let semantics = parts.first else { return nil }
            return SSRCGroup(semantics: String(semantics), ssrcs: parts.dropFirst().compactMap { UInt32($0) })
        }
    }

    /// `a=extmap:<id>[/direction] <uri> …` as (id, uri).
    public var extmaps: [(id: Int, uri: String)] {
        attributeValues("extmap").compactMap { value in
            let parts = value.split(separator: " ")
            guard parts.count >= 2 else { return nil }
            let idText = parts[0].split(separator: "/").first ?? parts[0]
            guard let id = Int(idText), id >= 0, id <= 255 else { return nil }
            return (id, String(parts[1]))
        }
    }

    /// The payload type whose RTX format (`rtx/…` with `apt=`) points at `payloadType`.
    public func rtxPayloadType(for payloadType: UInt8) -> UInt8? {
        payloadFormats.first {
            $0.name.lowercased() == "rtx" && $0.parameter("apt").flatMap { UInt8($0) } == payloadType
        }?.payloadType
    }
}
