/// An ICE candidate type. A struct rather than an enum so that unknown types from odd peers survive a
/// parse/print round trip.
public struct ICECandidateType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let host = ICECandidateType(rawValue: "host")
    public static let serverReflexive = ICECandidateType(rawValue: "srflx")
    public static let peerReflexive = ICECandidateType(rawValue: "prflx")
    public static let relay = ICECandidateType(rawValue: "relay")
    /// SDP spellings of the same types.
    public static let srflx = serverReflexive
    public static let prflx = peerReflexive
    public var description: String { rawValue }

    /// RFC 8445 §5.1.2.2 recommended type preferences.
    public var typePreference: UInt32 {
        switch rawValue {
        case "host": return 126
        case "prflx": return 110
        case "srflx": return 100
        default: return 0
        }
    }
}

/// One `a=candidate` value (RFC 8839 §5.1): everything after "candidate:".
/// Parsing is lenient: unknown transports ("xTLS", "tcp") and unknown types are kept as text, extension
/// pairs are kept in order, and the address may be a name (then `socketAddress` is nil).
public struct ICECandidate: Sendable, Hashable, CustomStringConvertible {
    /// A trailing "name value" pair such as "generation 0" or "network-cost 10".
    public struct Extension: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public var foundation: String
    public var component: Int
    /// As written ("udp", "UDP", "tcp", "xTLS" …); compare with `isUDP`.
    public var transport: String
    public var priority: UInt32
    public var address: String
    public var port: Int
    public var type: ICECandidateType
    public var relatedAddress: String?
    public var relatedPort: Int?
    public var tcpType: String?
    public var extensions: [Extension]

    public init(foundation: String, component: Int = 1, transport: String = "udp", priority: UInt32,
                address: String, port: Int, type: ICECandidateType, relatedAddress: String? = nil,
                relatedPort: Int? = nil, tcpType: String? = nil, extensions: [Extension] = []) {
        self.foundation = foundation
        self.component = component
        self.transport = transport
        self.priority = priority
        self.address = address
        self.port = port
        self.type = type
        self.relatedAddress = relatedAddress
        self.relatedPort = relatedPort
        self.tcpType = tcpType
        self.extensions = extensions
    }

    /// Parses the value after "candidate:" (a leading "a=" and/or "candidate:" is tolerated).
    /// Throws `MediaError(.sdp)` when the fixed fields are missing or not numbers.
    public init(sdpValue: String) throws {
        var text = Substring(sdpValue)
        if text.hasPrefix("a=") { text = text.dropFirst(2) }
        if text.lowercased().hasPrefix("candidate:") { text = text.dropFirst("candidate:".count) }
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }).map(String.init)
        func fail(_ why: String) -> MediaError {
            MediaError(.sdp, "Cannot read the ICE candidate \"\(sdpValue.prefix(200))\": \(why).")
        }
        guard tokens.count >= 8 else { throw fail("it has \(tokens.count) fields, at least 8 are needed") }
        guard let component = Int(tokens[1]), (1...256).contains(component) else { throw fail("the component is not a number from 1 to 256") }
        guard let priority = UInt32(tokens[3]) else { throw fail("the priority is not a 32-bit number") }
        guard let port = Int(tokens[5]), (0...65535).contains(port) else { throw fail("the port is not a number from 0 to 65535") }
        guard tokens[6].lowercased() == "typ" else { throw fail("\"typ\" is missing") }
        self.foundation = tokens[0]
        self.component = component
        self.transport = tokens[2]
        self.priority = priority
        self.address = tokens[4]
        self.port = port
        self.type = ICECandidateType(rawValue: tokens[7].lowercased())
        self.relatedAddress = nil
        self.relatedPort = nil
        self.tcpType = nil
        self.extensions = []
        var index = 8
        while index < tokens.count {
            let name = tokens[index]
            let value = index + 1 < tokens.count ? tokens[index + 1] : ""
            switch name.lowercased() {
            case "raddr": relatedAddress = value
            case "rport": relatedPort = Int(value).flatMap { (0...65535).contains($0) ? $0 : nil }
            case "tcptype": tcpType = value
            default: extensions.append(Extension(name: name, value: value))
            }
            index += 2
        }
    }

    /// The value to put after "a=candidate:".
    public var sdpValue: String {
        var parts = [foundation, String(component), transport, String(priority), address, String(port), "typ", type.rawValue]
        if let relatedAddress { parts += ["raddr", relatedAddress] }
        if let relatedPort { parts += ["rport", String(relatedPort)] }
        if let tcpType { parts += ["tcptype", tcpType] }
        for e in extensions { parts += e.value.isEmpty ? [e.name] : [e.name, e.value] }
        return parts.joined(separator: " ")
    }

    public var description: String { sdpValue }

    /// True for "udp" in any case.
    public var isUDP: Bool { transport.lowercased() == "udp" }

    /// The numeric transport address, or nil for names (mDNS ".local", FQDNs) and bad ports.
    public var socketAddress: SocketAddress? {
        guard (0...65535).contains(port) else { return nil }
        return SocketAddress(host: address, port: UInt16(port))
    }

    /// RFC 8445 §5.1.2.1: (2^24)·type preference + (2^8)·local preference + (256 − component).
    public static func computePriority(type: ICECandidateType, localPreference: UInt32, component: Int = 1) -> UInt32 {
        let comp = UInt32(max(1, min(component, 256)))
        return (type.typePreference << 24) | ((localPreference & 0xFFFF) << 8) | (256 - comp)
    }
}

/// Fuzz entry point for candidate lines: parse, print, re-parse; must never trap.
public func fuzzICECandidate(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    guard let candidate = try? ICECandidate(sdpValue: text) else { return }
    _ = candidate.socketAddress
    if let again = try? ICECandidate(sdpValue: candidate.sdpValue) {
        _ = again == candidate
    }
}
