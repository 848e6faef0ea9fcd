import Foundation

/// Who an SDP offer comes from, for the media engine that answers it.
public struct LocusMediaParticipant: Sendable {
    public var locusId: String
    public var participantId: String
    public var personEmail: String?
    /// The client's WDM device URL.
    public var deviceURL: String
    /// The confluence id (`mediaConnections[].mediaId`).
    public var mediaId: String
    public var correlationId: String
}

/// Answers the SDP offers clients send in ROAP OFFERs (`PUT {selfUrl}/media`, reference §3.7, §5).
/// A real media engine (ICE-lite, DTLS-SRTP, codecs) plugs in here; throwing makes the emulator answer
/// ROAP `ERROR FAILED` with the error as `errorCause`.
public protocol LocusMediaEndpoint: Sendable {
    func answer(offerSDP: String, participant: LocusMediaParticipant) async throws -> String
}

/// The default media endpoint: no media at all. It answers with a valid SDP in which every offered
/// m-line is rejected (port 0, `a=inactive`, the first offered format kept, as RFC 3264 §6 requires), so
/// signalling completes and clients see that no media flows.
public struct RejectingMediaEndpoint: LocusMediaEndpoint {
    public init() {}

    public func answer(offerSDP: String, participant: LocusMediaParticipant) async throws -> String {
        guard let lines = SDPCheck.mediaLines(offerSDP) else { throw SDPCheck.Invalid() }
        var sdp = "v=0\r\no=webex-emulator \(UInt32.random(in: 1...UInt32.max)) 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
        for m in lines {
            sdp += "m=\(m.media) 0 \(m.proto) \(m.formats.first ?? "0")\r\nc=IN IP4 0.0.0.0\r\n"
            if let mid = m.mid { sdp += "a=mid:\(mid)\r\n" }
            sdp += "a=inactive\r\n"
        }
        return sdp
    }
}

/// The little SDP the emulator itself reads: is it an SDP at all, and which m-lines does it offer.
enum SDPCheck {
    struct Invalid: Error, CustomStringConvertible {
        var description: String { "the offer is not a valid SDP" }
    }

    struct MediaLine {
        var media: String
        var proto: String
        var formats: [String]
        var mid: String?
    }

    /// The m-lines of `sdp`, or nil unless it starts with `v=0`, has an `o=` line and at least one
    /// well-formed m-line.
    static func mediaLines(_ sdp: String) -> [MediaLine]? {
        // "\r\n" is one Character in Swift: split on any newline.
        let lines = sdp.split(whereSeparator: \.isNewline).map(String.init)
        guard lines.first == "v=0", lines.contains(where: { $0.hasPrefix("o=") }) else { return nil }
        var media: [MediaLine] = []
        for line in lines {
            if line.hasPrefix("m=") {
                let parts = line.dropFirst(2).split(separator: " ").map(String.init)
                guard parts.count >= 4, Int(parts[1].split(separator: "/").first ?? "") != nil else { return nil }
                media.append(MediaLine(media: parts[0], proto: parts[2], formats: Array(parts[3...]), mid: nil))
            } else if line.hasPrefix("a=mid:"), !media.isEmpty {
                media[media.count - 1].mid = String(line.dropFirst(6))
            } else if line.count < 2 || line[line.index(after: line.startIndex)] != "=" {
                return nil
            }
        }
        return media.isEmpty ? nil : media
    }
}

/// ROAP messages (reference §5.1): parsed from a client's `localSdp.roapMessage`, built for
/// `mediaConnections[0].remoteSdp` (`{"roapMessage":{…}}`, serialized into a string).
struct RoapMessage: Sendable {
    var messageType: String
    var seq: Int
    var sdps: [String] = []
    var headers: [String] = []
    var errorType: String?
    var errorCause: String?
    var tieBreaker: Int?

    init(messageType: String, seq: Int, sdps: [String] = [], headers: [String] = []) {
        self.messageType = messageType
        self.seq = seq
        self.sdps = sdps
        self.headers = headers
    }

    init?(_ value: JSONValue) {
        guard let o = value.objectValue, let type = o["messageType"]?.stringValue else { return nil }
        messageType = type
        seq = o["seq"]?.intValue ?? 0
        sdps = o["sdps"]?.arrayValue?.compactMap(\.stringValue) ?? []
        headers = o["headers"]?.arrayValue?.compactMap(\.stringValue) ?? []
        errorType = o["errorType"]?.stringValue
        errorCause = o["errorCause"]?.stringValue
        tieBreaker = o["tieBreaker"]?.intValue
    }

    static func error(_ type: String, seq: Int, cause: String) -> RoapMessage {
        var m = RoapMessage(messageType: "ERROR", seq: seq)
        m.errorType = type
        m.errorCause = cause
        return m
    }

    var wantsNoOk: Bool { headers.contains("noOkInTransaction") }

    var json: JSONValue {
        var b = JSONObjectBuilder()
        b.set("messageType", messageType)
        b.set("seq", .int(seq))
        b.set("version", "2")
        if !sdps.isEmpty { b.set("sdps", .array(sdps.map { .string($0) })) }
        if !headers.isEmpty { b.set("headers", .array(headers.map { .string($0) })) }
        b.set("errorType", errorType)
        b.set("errorCause", errorCause)
        if let tieBreaker { b.set("tieBreaker", .int(tieBreaker)) }
        return b.value
    }

    /// The `remoteSdp` string: `{"roapMessage":{…}}`.
    var remoteSdp: String { JSONValue.object(["roapMessage": json]).serialized() }
}

/// What to do with a client's ROAP message, decided before any await.
enum RoapPlan: Sendable {
    /// Answer this right away.
    case reply(RoapMessage)
    /// Ask the media endpoint for an answer to this offer.
    case answer(offer: RoapMessage)
    /// Nothing to answer (OK, or the client's own ERROR).
    case accept(RoapMessage)
}

extension EmulatorStore {
    /// Decides how to answer `message` from a device whose highest answered OFFER seq is `lastSeq`
    /// (reference §5.4–§5.5): TURN discovery is answered at once; a lower seq than the last (or an OFFER
    /// repeating it) is `ERROR OUT_OF_ORDER`; an unparsable offer is `ERROR FAILED`; OK and ERROR are
    /// accepted; anything else is `ERROR INVALID_STATE`.
    nonisolated func planRoap(_ message: RoapMessage, lastSeq: Int, host: String, participantId: String) -> RoapPlan {
        switch message.messageType {
        case "TURN_DISCOVERY_REQUEST":
            return .reply(turnDiscoveryResponse(message, host: host, participantId: participantId))
        case "ERROR":
            return .accept(message)
        default:
            break
        }
        if message.seq < lastSeq || (message.messageType == "OFFER" && message.seq == lastSeq) {
            return .reply(.error("OUT_OF_ORDER", seq: message.seq, cause: "seq \(message.seq) is not after \(lastSeq)"))
        }
        switch message.messageType {
        case "OFFER":
            guard let sdp = message.sdps.first, SDPCheck.mediaLines(sdp) != nil else {
                return .reply(.error("FAILED", seq: message.seq, cause: "the offer is not a valid SDP"))
            }
            return .answer(offer: message)
        case "OK":
            return .accept(message)
        default:
            return .reply(
                .error("INVALID_STATE", seq: message.seq, cause: "\(message.messageType) is not expected from a client"))
        }
    }

    /// `TURN_DISCOVERY_RESPONSE` with exactly three `x-cisco-turn-*` headers (TURN over TLS on 443 of the
    /// emulator's host name), plus `noOkInTransaction` when the request had it.
    nonisolated func turnDiscoveryResponse(_ request: RoapMessage, host: String, participantId: String) -> RoapMessage {
        var headers = [
            "x-cisco-turn-url=turns:\(Self.hostName(host)):443?transport=tcp",
            "x-cisco-turn-username=webexturn-\(participantId.prefix(8))",
            "x-cisco-turn-password=\(OAuthCrypto.randomHex(12))",
        ]
        if request.wantsNoOk { headers.append("noOkInTransaction") }
        return RoapMessage(messageType: "TURN_DISCOVERY_RESPONSE", seq: request.seq, headers: headers)
    }

    /// `127.0.0.1:8080` → `127.0.0.1`, `[::1]:80` → `[::1]`.
    nonisolated static func hostName(_ host: String) -> String {
        if host.hasPrefix("["), let end = host.firstIndex(of: "]") { return String(host[...end]) }
        return host.split(separator: ":").first.map(String.init) ?? host
    }

    /// Runs the media endpoint for an offer: the ANSWER (same seq, echoing `noOkInTransaction`), or
    /// `ERROR FAILED` when the endpoint throws.
    func answerOffer(_ offer: RoapMessage, participant: LocusMediaParticipant) async -> RoapMessage {
        do {
            let sdp = try await mediaEndpoint.answer(offerSDP: offer.sdps.first ?? "", participant: participant)
            return RoapMessage(
                messageType: "ANSWER", seq: offer.seq, sdps: [sdp], headers: offer.wantsNoOk ? ["noOkInTransaction"] : [])
        } catch {
            return .error("FAILED", seq: offer.seq, cause: "\(error)")
        }
    }
}
