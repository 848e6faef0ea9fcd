import Foundation

/// A ROAP message (reference §5.1). Carried as JSON inside `localSdp`/`remoteSdp` strings.
public struct ROAPMessage: Sendable, Equatable, Codable {
    public enum MessageType: String, Sendable, Codable {
        case offer = "OFFER", answer = "ANSWER", ok = "OK", error = "ERROR"
        case offerRequest = "OFFER_REQUEST", offerResponse = "OFFER_RESPONSE"
        case turnDiscoveryRequest = "TURN_DISCOVERY_REQUEST", turnDiscoveryResponse = "TURN_DISCOVERY_RESPONSE"
        case shutdown = "SHUTDOWN"
    }
    public enum ErrorType: String, Sendable, Codable {
        case doubleConflict = "DOUBLECONFLICT", conflict = "CONFLICT", failed = "FAILED", invalidState = "INVALID_STATE"
        case noMatch = "NOMATCH", outOfOrder = "OUT_OF_ORDER", refused = "REFUSED", retry = "RETRY", timeout = "TIMEOUT"
    }

    public var messageType: MessageType
    public var seq: Int
    public var version: String = "2"
    public var sdps: [String]?
    public var tieBreaker: UInt32?
    public var errorType: ErrorType?
    public var errorCause: String?
    public var headers: [String]?

    /// The client always offers with the highest tie-breaker, so it wins glare (reference §5.1).
    public static let clientTieBreaker: UInt32 = 0xFFFF_FFFE
    public static let answerInResponse = ["includeAnswerInHttpResponse", "noOkInTransaction"]

    public init(_ type: MessageType, seq: Int, sdp: String? = nil, tieBreaker: UInt32? = nil,
                errorType: ErrorType? = nil, errorCause: String? = nil, headers: [String]? = nil) {
        messageType = type; self.seq = seq; sdps = sdp.map { [$0] }; self.tieBreaker = tieBreaker
        self.errorType = errorType; self.errorCause = errorCause; self.headers = headers
    }

    public var sdp: String? { sdps?.first }
    public var wantsNoOK: Bool { headers?.contains("noOkInTransaction") ?? false }

    /// Reads a ROAP message already parsed as JSON (Mercury `data.message`, `roapMessage`); nil if it is not one.
    public init?(json: JSONValue) {
        guard let data = try? WebexJSON.encoder.encode(json), let m = try? JSONDecoder().decode(ROAPMessage.self, from: data) else { return nil }
        self = m
    }

    /// Reads `{"roapMessage":{…}}` from a `remoteSdp` string; nil if there is none.
    public static func fromRemoteSDP(_ text: String) -> ROAPMessage? {
        guard let json = try? JSONValue.parse(Data(text.utf8)), let m = json["roapMessage"] else { return nil }
        return ROAPMessage(json: m)
    }

    /// TURN servers from a TURN_DISCOVERY_RESPONSE: exactly the three `x-cisco-turn-*` headers, else nil
    /// (reference §5.5: the SDK then carries on without TURN).
    public var turnServer: TURNServer? {
        guard messageType == .turnDiscoveryResponse else { return nil }
        var found: [String: String] = [:]
        for h in headers ?? [] {
            for name in ["x-cisco-turn-url", "x-cisco-turn-username", "x-cisco-turn-password"] where h.hasPrefix(name + "=") {
                found[name] = String(h.dropFirst(name.count + 1))
            }
        }
        guard found.count == 3, let url = found["x-cisco-turn-url"], let user = found["x-cisco-turn-username"],
              let pass = found["x-cisco-turn-password"] else { return nil }
        return TURNServer(url: url, username: user, password: pass)
    }
}

/// TURN credentials from TURN discovery; `urls` adds the UDP variant real clients derive (reference §5.5).
public struct TURNServer: Sendable, Equatable, CustomStringConvertible {
    public var url: String
    public var username: String
    public var password: String

    public var urls: [String] {
        guard !url.isEmpty else { return [] }
        let udp = url.replacingOccurrences(of: "turns:", with: "turn:").replacingOccurrences(of: ":443", with: ":5004")
        return udp == url ? [url] : [url, udp]
    }
    public var description: String { "TURN \(url) (user \(username), password REDACTED)" }
}

/// The client side of ROAP (reference §5.3–§5.4): sequence numbers, glare, retries, out-of-order
/// detection. Pure state; the session sends what `handle` returns and builds offers when asked.
public struct ROAPClient: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        case idle
        /// Our offer `seq` is out; waiting for the answer.
        case waitingForAnswer(seq: Int)
        /// We answered a server offer `seq`; waiting for its OK.
        case waitingForOK(seq: Int)
    }
    public private(set) var state: State = .idle
    /// The last sequence number used in either direction (kept across reconnects).
    public private(set) var seq = 0
    public private(set) var retries = 0
    public static let maxRetries = 2

    public init(seq: Int = 0) { self.seq = seq }

    /// Starts a new local offer: returns its sequence number.
    public mutating func startOffer() -> Int {
        seq += 1
        retries = 0
        state = .waitingForAnswer(seq: seq)
        return seq
    }

    /// Gives up the current transaction (e.g. a server offer this client cannot answer).
    public mutating func abandon() { state = .idle }

    public enum Action: Sendable, Equatable {
        /// Apply this answer; send OK with `seq` unless `sendOK` is false (the server said noOkInTransaction).
        case applyAnswer(sdp: String, seq: Int, sendOK: Bool)
        /// The server offered: answer it with `seq` (the session builds the SDP).
        case answerOffer(sdp: String, seq: Int)
        /// Send this message back (an ERROR or a repeated OK).
        case reply(ROAPMessage)
        /// Offer again with a new sequence number (after a retryable ERROR).
        case reoffer(seq: Int)
        /// The transaction failed for good.
        case fail(String)
        /// Nothing to do (duplicates, a late ERROR).
        case none
    }

    public mutating func handle(_ m: ROAPMessage) -> Action {
        // Messages below the current sequence are out of order (an old ERROR is just ignored).
        if m.seq < seq, m.messageType != .turnDiscoveryResponse {
            return m.messageType == .error ? .none : .reply(ROAPMessage(.error, seq: m.seq, errorType: .outOfOrder))
        }
        switch (state, m.messageType) {
        case (.waitingForAnswer(let s), .answer) where m.seq == s:
            state = .idle
            return .applyAnswer(sdp: m.sdp ?? "", seq: s, sendOK: !m.wantsNoOK)
        case (.waitingForAnswer(let s), .error) where m.seq == s:
            switch m.errorType {
            case .doubleConflict?, .invalidState?, .outOfOrder?, .retry?:
                guard retries < Self.maxRetries else {
                    state = .idle
                    return .fail("the media server refused the offer \(retries + 1) times (\(m.errorType?.rawValue ?? "ERROR"))")
                }
                retries += 1
                seq += 1
                state = .waitingForAnswer(seq: seq)
                return .reoffer(seq: seq)
            default:
                state = .idle
                return .fail("the media server refused the offer: \(m.errorType?.rawValue ?? "ERROR") \(m.errorCause ?? "")")
            }
        case (.waitingForAnswer, .offer), (.waitingForAnswer, .offerRequest):
            // Glare: the client always wins; the server is expected to answer our offer.
            let type: ROAPMessage.ErrorType = m.tieBreaker == ROAPMessage.clientTieBreaker ? .doubleConflict : .conflict
            return .reply(ROAPMessage(.error, seq: m.seq, errorType: type))
        case (.idle, .offer):
            if m.seq == seq { return .reply(ROAPMessage(.error, seq: m.seq, errorType: .outOfOrder)) }
            seq = m.seq
            state = .waitingForOK(seq: m.seq)
            return .answerOffer(sdp: m.sdp ?? "", seq: m.seq)
        case (.waitingForOK(let s), .ok) where m.seq == s:
            state = .idle
            return .none
        case (.waitingForOK(let s), .offer) where m.seq == s:
            return .none // a repeated offer while we wait for its OK
        case (.idle, .answer) where m.seq == seq:
            // The answer again: our OK was lost (unless the server wants none).
            return m.wantsNoOK ? .none : .reply(ROAPMessage(.ok, seq: m.seq))
        case (_, .error):
            return .none
        default:
            return .reply(ROAPMessage(.error, seq: m.seq, errorType: .invalidState))
        }
    }
}
