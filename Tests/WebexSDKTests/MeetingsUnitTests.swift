import Foundation
import Testing
@testable import WebexSDK

@Suite struct LocusSequenceTests {
    func seq(_ e: [Int], _ s: Int = 0, _ end: Int = 0) -> LocusSequence { LocusSequence(entries: e, rangeStart: s, rangeEnd: end) }

    @Test func comparesByOverlapRangesAndUniqueEntries() {
        #expect(seq([5]).compare(to: seq([6])) == .less)
        #expect(seq([7]).compare(to: seq([6])) == .greater)
        #expect(seq([5]).compare(to: seq([5])) == .equal)
        // A range stands for all its values: [1…10] covers 4, so [1…10]+[12] is newer than [4,12]? no: 4 is in range.
        #expect(seq([12], 1, 10).compare(to: seq([4, 12])) == .greater)
        #expect(seq([4, 12]).compare(to: seq([12], 1, 10)) == .less)
        // Unique entries on both sides overlapping the other's span cannot be ordered.
        #expect(seq([2, 4, 6]).compare(to: seq([3, 5, 7])) == .desync)
        #expect(seq([]).isEmpty && !seq([1]).isEmpty)
    }

    @Test func realLocusSequenceNumbersBeyondDoublePrecisionStayExact() throws {
        // Real entries are around 1.4e17, past 2^53: they must not be rounded when parsed or echoed.
        let a = try #require(LocusSequence(try JSONValue.parse(Data(#"{"entries":[138781603429640000],"rangeStart":0,"rangeEnd":0}"#.utf8))))
        let b = try #require(LocusSequence(try JSONValue.parse(Data(#"{"entries":[138781603429640001],"rangeStart":0,"rangeEnd":0}"#.utf8))))
        #expect(a.compare(to: b) == .less)
        let echoed = try JSONValue.parse(Data(#"{"entries":[138781603429640001]}"#.utf8)).jsonText
        #expect(echoed == #"{"entries":[138781603429640001]}"#)
    }

    @Test func aDTOWithoutBothRangeKeysIsNotALocus() {
        #expect(LocusSequence(.object(["entries": .array([.number(1)])])) == nil)
        #expect(LocusSequence(.object(["entries": .array([.number(1)]), "rangeStart": .number(0), "rangeEnd": .number(0)])) == seq([1]))
    }
}

/// Locus DTOs in the reference's shape (meetings.md §3.4).
enum LocusFixture {
    static let url = "https://locus.example/locus/api/v1/loci/L1"
    static func seqJSON(_ n: Int) -> JSONValue { .object(["entries": .array([.number(Double(n))]), "rangeStart": .number(0), "rangeEnd": .number(0)]) }
    static func participant(_ id: String, name: String, state: String = "JOINED", moderator: Bool = false, muted: Bool = false,
                            audio: String = "SENDRECV", lobby: Bool = false) -> JSONValue {
        var devices: [JSONValue] = [.object(["url": .string("https://wdm/\(id)"), "state": .string(state)])]
        if lobby { devices = [.object(["url": .string("https://wdm/\(id)"), "state": .string("IDLE"), "intent": .object(["type": .string("WAIT")])])] }
        return .object([
            "id": .string(id), "state": .string(lobby ? "IDLE" : state), "type": .string("USER"),
            "person": .object(["id": .string("u-\(id)"), "name": .string(name)]),
            "moderator": .bool(moderator), "devices": .array(devices),
            "status": .object(["audioStatus": .string(audio), "videoStatus": .string("SENDRECV")]),
            "controls": .object(["audio": .object(["muted": .bool(muted)]), "video": .object(["muted": .bool(false)])]),
        ])
    }
    static func full(seq n: Int, locked: Bool = false, recording: Bool = false, participants: [JSONValue], selfP: JSONValue,
                     hostId: String = "u-a", moderatorHints: [String] = ["LOCK_CONTROL_LOCK", "LOCK_CONTROL_UNLOCK", "ROSTER_WAITING_TO_JOIN"]) -> JSONValue {
        .object([
            "url": .string(url), "syncUrl": .string(url + "/sync"), "sequence": seqJSON(n),
            "fullState": .object(["state": .string("ACTIVE")]),
            "host": .object(["id": .string(hostId)]),
            "info": .object(["displayHints": .object([
                "joined": .array([.string(locked ? "LOCK_STATUS_LOCKED" : "LOCK_STATUS_UNLOCKED"), .string("VOIP_IS_ENABLED")]),
                "moderator": .array(moderatorHints.map(JSONValue.string)),
            ])]),
            "controls": .object(["lock": .object(["locked": .bool(locked)]), "record": .object(["recording": .bool(recording), "paused": .bool(false)])]),
            "participants": .array(participants), "self": selfP,
        ])
    }
    static func delta(base: Int, seq n: Int, _ fields: [String: JSONValue]) -> JSONValue {
        var o = fields
        o["url"] = .string(url); o["baseSequence"] = seqJSON(base); o["sequence"] = seqJSON(n)
        return .object(o)
    }
}

@Suite struct LocusStateTests {
    typealias F = LocusFixture

    func started() -> LocusState {
        var s = LocusState(deviceURL: "https://wdm/b")
        let b = F.participant("b", name: "Bob")
        s.apply(F.full(seq: 10, participants: [F.participant("a", name: "Alice", moderator: true), b], selfP: b))
        return s
    }

    @Test func deltasApplyInOrderAndWaitWhenAheadOrSyncWhenAskedTo() {
        var s = started()
        let d11 = F.delta(base: 10, seq: 11, ["participants": .array([F.participant("a", name: "Alice", moderator: true, muted: true)])])
        let d12 = F.delta(base: 11, seq: 12, ["participants": .array([F.participant("c", name: "Carol")])])
        #expect(s.decide(d12) == .wait)
        #expect(s.decide(d11) == .apply)
        s.apply(d11)
        #expect(s.member(id: "a")?.mutedByHost == true)
        #expect(s.decide(d11) == .ignore)
        #expect(s.decide(d12) == .apply)
        s.apply(d12)
        // Participants are upserted, never dropped.
        #expect(s.members.map(\.id) == ["a", "b", "c"])
        // base == sequence means "too big for Mercury: sync".
        #expect(s.decide(F.delta(base: 15, seq: 15, [:])) == .sync)
        // A full DTO must be newer than the working copy.
        #expect(s.decide(F.full(seq: 12, participants: [], selfP: .object([:]))) == .ignore)
        #expect(s.decide(F.full(seq: 13, participants: [], selfP: .object([:]))) == .apply)
        // Not a locus without range keys.
        #expect(s.decide(.object(["sequence": .object(["entries": .array([.number(99)])])])) == .ignore)
        // Another URL means the meeting moved.
        var moved = F.delta(base: 12, seq: 13, [:]).objectValue!
        moved["url"] = .string("https://locus.example/other")
        #expect(s.decide(.object(moved)) == .urlChanged)
    }

    @Test func capabilitiesComeFromHintsByRoleAndLockFromJoinedHints() {
        var s = started()
        #expect(s.capabilities == ["LOCK_STATUS_UNLOCKED", "VOIP_IS_ENABLED"])
        #expect(s.isLocked == false)
        let bHost = F.participant("b", name: "Bob", moderator: true)
        s.apply(F.full(seq: 20, locked: true, participants: [bHost], selfP: bHost))
        #expect(s.capabilities.contains("LOCK_CONTROL_UNLOCK"))
        #expect(s.isLocked == true)
    }

    @Test func lobbyAndMuteAreDerivedAsTheJSSDKDoes() {
        var s = LocusState(deviceURL: "https://wdm/c")
        let c = F.participant("c", name: "Carol", lobby: true)
        s.apply(F.full(seq: 1, locked: true, participants: [c], selfP: c))
        #expect(s.inLobby)
        #expect(s.member(id: "c")?.status == "IN_LOBBY")
        // Local mute (RECVONLY) counts as muted; server mute too.
        let m = MeetingMember(participant: F.participant("x", name: "X", audio: "RECVONLY"), hostId: nil, selfId: nil)
        #expect(m.muted && !m.mutedByHost)
        let n = MeetingMember(participant: F.participant("x", name: "X", audio: "INACTIVE"), hostId: nil, selfId: nil)
        #expect(!n.muted)
    }

    @Test func changesBecomeJSSDKEvents() {
        let before = started()
        var after = before
        let bMuted = F.participant("b", name: "Bob", muted: true)
        var full = F.full(seq: 11, locked: true, recording: true, participants: [bMuted], selfP: bMuted).objectValue!
        full["fullState"] = .object(["state": .string("ACTIVE")])
        let touched = after.apply(.object(full))
        let names = LocusChanges.events(from: before, to: after, touched: touched).map(\.name)
        #expect(names.contains("meeting:locked"))
        #expect(names.contains("meeting:recording:started"))
        #expect(names.contains("meeting:self:mutedByOthers"))
        #expect(names.contains("members:update"))
        // Admission: lobby → JOINED.
        var lobby = LocusState(deviceURL: "https://wdm/c")
        let c = F.participant("c", name: "Carol", lobby: true)
        let t0 = lobby.apply(F.full(seq: 1, participants: [c], selfP: c))
        #expect(LocusChanges.events(from: LocusState(), to: lobby, touched: t0).map(\.name).contains("meeting:self:lobbyWaiting"))
        let old = lobby
        let joined = F.participant("c", name: "Carol")
        let t1 = lobby.apply(F.delta(base: 1, seq: 2, ["self": joined, "participants": .array([joined])]))
        #expect(LocusChanges.events(from: old, to: lobby, touched: t1).map(\.name).contains("meeting:self:guestAdmitted"))
        // The end.
        let beforeEnd = lobby
        lobby.apply(F.delta(base: 2, seq: 3, ["fullState": .object(["state": .string("INACTIVE")])]))
        let endNames = LocusChanges.events(from: beforeEnd, to: lobby, touched: []).map(\.name)
        #expect(endNames == ["meeting:stateChange", "meeting:removed"])
    }
}

@Suite struct ROAPTests {
    @Test func offerAnswerAndRetryableErrors() {
        var c = ROAPClient()
        #expect(c.startOffer() == 1)
        #expect(c.handle(ROAPMessage(.answer, seq: 1, sdp: "v=0", headers: ["noOkInTransaction"])) == .applyAnswer(sdp: "v=0", seq: 1, sendOK: false))
        #expect(c.startOffer() == 2)
        #expect(c.handle(ROAPMessage(.error, seq: 2, errorType: .retry)) == .reoffer(seq: 3))
        #expect(c.handle(ROAPMessage(.error, seq: 3, errorType: .outOfOrder)) == .reoffer(seq: 4))
        if case .fail = c.handle(ROAPMessage(.error, seq: 4, errorType: .retry)) {} else { Issue.record("a third retry must fail") }
        // Lower sequence numbers are out of order (an old ERROR is ignored).
        #expect(c.handle(ROAPMessage(.offer, seq: 1, sdp: "x")) == .reply(ROAPMessage(.error, seq: 1, errorType: .outOfOrder)))
        #expect(c.handle(ROAPMessage(.error, seq: 1, errorType: .failed)) == .none)
    }

    @Test func glareAndServerOffers() {
        var c = ROAPClient()
        _ = c.startOffer()
        #expect(c.handle(ROAPMessage(.offer, seq: 2, sdp: "s", tieBreaker: 5)) == .reply(ROAPMessage(.error, seq: 2, errorType: .conflict)))
        #expect(c.handle(ROAPMessage(.offer, seq: 2, sdp: "s", tieBreaker: ROAPMessage.clientTieBreaker)) == .reply(ROAPMessage(.error, seq: 2, errorType: .doubleConflict)))
        _ = c.handle(ROAPMessage(.answer, seq: 1, sdp: "a"))
        #expect(c.handle(ROAPMessage(.offer, seq: 5, sdp: "s")) == .answerOffer(sdp: "s", seq: 5))
        #expect(c.handle(ROAPMessage(.ok, seq: 5)) == .none)
        #expect(c.state == .idle)
        #expect(c.handle(ROAPMessage(.answer, seq: 5, sdp: "s")) == .reply(ROAPMessage(.ok, seq: 5)))
    }

    @Test func turnDiscoveryNeedsExactlyThreeHeaders() throws {
        let ok = ROAPMessage(.turnDiscoveryResponse, seq: 0, headers: ["x-cisco-turn-url=turns:t.example:443?transport=tcp",
                                                                        "x-cisco-turn-username=u", "x-cisco-turn-password=p", "noOkInTransaction"])
        let server = try #require(ok.turnServer)
        #expect(server.urls == ["turns:t.example:443?transport=tcp", "turn:t.example:5004?transport=tcp"])
        #expect(!server.description.contains("p)") && server.description.contains("REDACTED"))
        #expect(ROAPMessage(.turnDiscoveryResponse, seq: 0, headers: ["x-cisco-turn-url=turns:x:443"]).turnServer == nil)
        // Round trip through the double-encoded remoteSdp.
        let text = JSONValue.object(["roapMessage": try JSONValue.parse(WebexJSON.encoder.encode(ok))]).jsonText
        #expect(ROAPMessage.fromRemoteSDP(text) == ok)
        #expect(Redact.body("{\"localSdp\":\"{\\\"headers\\\":[\\\"x-cisco-turn-password=s3cret\\\"]}\"}").contains("s3cret") == false)
    }
}

@Suite struct MeetingDestinationTests {
    @Test func destinationsAreReadByFormAndNumbersNeedAType() throws {
        #expect(try MeetingDestination.parse("https://site.webex.com/meet/alice") == .link("https://site.webex.com/meet/alice"))
        #expect(try MeetingDestination.parse("alice@site.webex.com") == .sip("alice@site.webex.com"))
        #expect(try MeetingDestination.parse("sip:2501@site.webex.com") == .sip("2501@site.webex.com"))
        #expect(throws: WebexError.self) { try MeetingDestination.parse("2501234567") }
        #expect(try MeetingDestination.parse("250 123 4567", kind: .number) == .number("2501234567"))
        #expect(throws: WebexError.self) { try MeetingDestination.parse("abc", kind: .number) }
        #expect(try MeetingDestination.parse("me", kind: .pmr) == .personalRoom(nil))
    }

    @Test func meetingInfoErrorsAreClassified() {
        func api(_ status: Int, _ body: JSONValue) -> WebexError {
            var e = APIError(status: status, method: .post, url: "u", message: body["message"]?.stringValue, descriptions: [], trackingId: nil)
            e.body = body; e.code = body["code"]?.intValue
            return .api(e)
        }
        let partial: JSONValue = .object(["code": .number(403004), "message": .string("password"), "data": .object(["meetingInfo": .object(["meetingNumber": .string("123")])])])
        if case .passwordRequired(let p, let wrong) = MeetingsAPI.classify(api(403, partial), passwordGiven: true) {
            #expect(p?.meetingNumber == "123" && wrong)
        } else { Issue.record("403 must mean password required") }
        if case .policy(let code, _) = MeetingsAPI.classify(api(403, .object(["code": .number(403049), "message": .string("no")])), passwordGiven: false) {
            #expect(code == 403049)
        } else { Issue.record("403049 is a policy error") }
        let captcha: JSONValue = .object(["code": .number(423005), "captchaID": .string("c1"), "verificationImageURL": .string("https://img"), "refreshURL": .string("https://r?x=1")])
        if case .captchaRequired(let c, let pw, _) = MeetingsAPI.classify(api(423, captcha), passwordGiven: true) {
            #expect(c.id == "c1" && pw)
        } else { Issue.record("423 means captcha") }
    }

    @Test func permissionTokenExpiryIsReadInMilliseconds() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let claims = Data("{\"exp\":\(Int64((now.timeIntervalSince1970 + 600) * 1000))}".utf8).base64EncodedString()
            .replacingOccurrences(of: "=", with: "")
        let info = MeetingInfo(json: .object(["permissionToken": .string("h.\(claims).s")]))
        let ttl = info.permissionTokenTTL(now: now) ?? 0
        #expect(abs(ttl - 600) < 1)
    }
}
