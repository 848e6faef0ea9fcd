import Foundation
import Testing
@testable import WebexSDK

@Suite struct WebSocketFramingTests {
    /// Unmasks a client frame the way a server does, to check what we put on the wire.
    func serverView(_ bytes: [UInt8]) -> (fin: Bool, opcode: UInt8, payload: [UInt8]) {
        #expect(bytes[1] & 0x80 != 0, "client frames must be masked")
        var len = Int(bytes[1] & 0x7F), at = 2
        if len == 126 { len = Int(bytes[2]) << 8 | Int(bytes[3]); at = 4 }
        else if len == 127 { len = (0..<8).reduce(0) { $0 << 8 | Int(bytes[2 + $1]) }; at = 10 }
        let key = Array(bytes[at..<(at + 4)])
        let payload = bytes[(at + 4)...].enumerated().map { $0.element ^ key[$0.offset & 3] }
        #expect(payload.count == len)
        return (bytes[0] & 0x80 != 0, bytes[0] & 0x0F, payload)
    }

    @Test(arguments: [0, 5, 125, 126, 65535, 65536, 70000])
    func encodesAllLengthFormsMasked(length: Int) {
        let payload = (0..<length).map { UInt8($0 & 0xFF) }
        let bytes = WebSocketFrame(opcode: .binary, payload: payload).encoded(maskKey: (0x12, 0x34, 0x56, 0x78))
        let v = serverView(bytes)
        #expect(v.fin && v.opcode == 2 && v.payload == payload)
    }

    /// A server frame (unmasked) of `opcode`.
    func serverFrame(_ opcode: UInt8, _ payload: [UInt8], fin: Bool = true) -> [UInt8] {
        var out: [UInt8] = [(fin ? 0x80 : 0) | opcode]
        if payload.count < 126 { out.append(UInt8(payload.count)) }
        else if payload.count <= 0xFFFF { out += [126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)] }
        else { out.append(127); for s in stride(from: 56, through: 0, by: -8) { out.append(UInt8((payload.count >> s) & 0xFF)) } }
        return out + payload
    }

    @Test func parsesByteByByteAndReassemblesFragments() throws {
        var stream = serverFrame(1, Array("hel".utf8), fin: false)
        stream += serverFrame(9, [1, 2])                      // a ping may come between fragments
        stream += serverFrame(0, Array("lo".utf8), fin: true)
        stream += serverFrame(2, Array(repeating: 7, count: 300))
        stream += serverFrame(8, WebSocketFrame.closePayload(code: 4000, reason: "replaced"))
        var parser = WebSocketParser()
        var messages: [WebSocketMessage] = []
        for b in stream {
            parser.append([b])
            while let m = try parser.next() { messages.append(m) }
        }
        #expect(messages == [.ping([1, 2]), .text("hello"), .binary(Array(repeating: 7, count: 300)),
                             .close(code: 4000, reason: "replaced")])
    }

    @Test func rejectsProtocolViolations() {
        let cases: [([UInt8], UInt16)] = [
            ([0x81, 0x81, 0, 0, 0, 0, 0x41], 1002),            // masked server frame
            ([0xC1, 0x00], 1002),                              // RSV1 without an extension
            ([0x83, 0x00], 1002),                              // reserved opcode
            ([0x09, 0x00], 1002),                              // fragmented control frame
            (serverFrame(9, Array(repeating: 0, count: 126)), 1002),  // control frame too long
            ([0x80, 0x00], 1002),                              // continuation with nothing to continue
            (serverFrame(1, [0xFF, 0xFE]), 1007),              // invalid UTF-8 text
            (serverFrame(8, [0x03, 0xED]), 1002),              // close code 1005 on the wire
            (serverFrame(8, [0x03]), 1002),                    // 1-byte close payload
        ]
        for (bytes, code) in cases {
            var parser = WebSocketParser()
            parser.append(bytes)
            var thrown: UInt16?
            do { _ = try parser.next() } catch { thrown = error.closeCode }
            #expect(thrown == code, "\(bytes)")
        }
    }

    @Test func boundsMessageSize() {
        var parser = WebSocketParser(maxMessageSize: 100)
        parser.append(serverFrame(1, Array(repeating: 0x61, count: 60), fin: false) + serverFrame(0, Array(repeating: 0x61, count: 60)))
        var failed = false
        do { while try parser.next() != nil {} } catch { failed = error.closeCode == 1009 }
        #expect(failed)
        var huge = WebSocketParser(maxMessageSize: 100)
        huge.append([0x82, 127, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        var tooBig = false
        do { _ = try huge.next() } catch { tooBig = error.closeCode == 1009 }
        #expect(tooBig)
    }

    @Test func randomInputNeverCrashes() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            var parser = WebSocketParser(maxMessageSize: 4096)
            parser.append((0..<Int.random(in: 0..<64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
            do { while try parser.next() != nil {} } catch {}
        }
    }
}

@Suite struct WebSocketHandshakeTests {
    @Test func acceptValueMatchesRFC6455Example() {
        #expect(WebSocketHandshake.acceptValue(for: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test func validatesTheUpgradeAnswer() throws {
        let hs = WebSocketHandshake(host: "h:1", target: "/x?y=1", headers: [], key: "dGhlIHNhbXBsZSBub25jZQ==")
        let text = String(decoding: hs.request, as: UTF8.self)
        #expect(text.hasPrefix("GET /x?y=1 HTTP/1.1\r\nHost: h:1\r\n"))
        #expect(text.contains("Sec-WebSocket-Version: 13\r\n") && text.hasSuffix("\r\n\r\n"))
        let good = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"
        let bytes = Array(good.utf8) + [0x81, 0x01, 0x41]
        #expect(try WebSocketHandshake.parseResponse(Array(bytes.prefix(20))) == .incomplete)
        guard case .complete(let r) = try WebSocketHandshake.parseResponse(bytes) else { Issue.record("incomplete"); return }
        #expect(r.rest == [0x81, 0x01, 0x41])
        try hs.validate(r)

        let wrong = good.replacingOccurrences(of: "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", with: "AAAA")
        guard case .complete(let w) = try WebSocketHandshake.parseResponse(Array(wrong.utf8)) else { return }
        #expect(throws: WebSocketError.self) { try hs.validate(w) }
        guard case .complete(let nf) = try WebSocketHandshake.parseResponse(Array("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".utf8)) else { return }
        #expect(throws: WebSocketError.rejected(status: 404, reason: "Not Found")) { try hs.validate(nf) }
    }
}

@Suite struct ActivityMappingTests {
    let room = "0b5a4c2e-1111-4a5b-9c8d-000000000001"
    let alice = "a11ce000-0000-4000-8000-000000000001"
    let bob = "b0b00000-0000-4000-8000-000000000002"

    func activity(_ verb: String, id: String = "ac7e0000-0000-4000-8000-00000000000a", object: [String: JSONValue], tags: [String] = [],
                  parent: String? = nil) -> JSONValue {
        var a: [String: JSONValue] = [
            "id": .string(id), "objectType": .string("activity"), "verb": .string(verb), "published": .string("2026-11-25T10:00:00.000Z"),
            "actor": .object(["id": .string(alice), "objectType": .string("person"), "emailAddress": .string("alice@example.com"),
                              "displayName": .string("Alice"), "orgId": .string("0e600000-0000-4000-8000-000000000000")]),
            "object": .object(object),
            "target": .object(["id": .string(room), "objectType": .string("conversation"), "tags": .array(tags.map(JSONValue.string)),
                               "url": .string("http://127.0.0.1/conversation/api/v1/conversations/\(room)")]),
        ]
        if let parent { a["parent"] = .object(["id": .string(parent), "type": .string("reply")]) }
        return .object(a)
    }

    var roomId: String { HydraID(type: HydraID.room, uuid: room).encoded }

    @Test func postAndShareAreFetchedOverREST() {
        for verb in ["post", "share"] {
            let mapped = ActivityMapper.map(activity(verb, object: ["objectType": .string("comment"), "displayName": .string("eyJhbGciOi…")]))
            #expect(mapped == [.fetchMessage(id: HydraID(type: HydraID.message, uuid: "ac7e0000-0000-4000-8000-00000000000a").encoded,
                                             actorId: HydraID(type: HydraID.people, uuid: alice).encoded,
                                             created: "2026-11-25T10:00:00.000Z", roomId: roomId)])
        }
    }

    @Test func deleteBuildsTheEventWithoutAFetch() throws {
        let msg = "de1e7e00-0000-4000-8000-000000000003"
        let mapped = ActivityMapper.map(activity("delete", object: ["id": .string(msg), "objectType": .string("activity")], tags: ["ONE_ON_ONE"]))
        guard case .event(let e)? = mapped.first, mapped.count == 1 else { Issue.record("\(mapped)"); return }
        #expect(e.resource == "messages" && e.event == "deleted")
        #expect(e.data["id"]?.stringValue == HydraID(type: HydraID.message, uuid: msg).encoded)
        #expect(e.data["roomType"]?.stringValue == "direct")
        #expect(e.data["personEmail"]?.stringValue == "alice@example.com")
        #expect(e.roomId == roomId)
    }

    @Test func membershipVerbs() throws {
        let person: [String: JSONValue] = ["id": .string(bob), "objectType": .string("person"), "emailAddress": .string("bob@example.com"),
                                           "displayName": .string("Bob")]
        let expected: [(String, String, Bool)] = [("add", "created", false), ("leave", "deleted", false),
                                                  ("assignModerator", "updated", true), ("unassignModerator", "updated", false)]
        for (verb, event, moderator) in expected {
            guard case .event(let e)? = ActivityMapper.map(activity(verb, object: person)).first else { Issue.record("\(verb)"); continue }
            #expect(e.resource == "memberships" && e.event == event, "\(verb)")
            #expect(e.data["id"]?.stringValue == HydraID(type: HydraID.membership, uuid: "\(bob):\(room)").encoded)
            #expect(e.data["personEmail"]?.stringValue == "bob@example.com")
            #expect(e.data["isModerator"] == .bool(moderator), "\(verb)")
        }
        let seen = ActivityMapper.map(activity("acknowledge", object: ["id": .string("5ee00000-0000-4000-8000-000000000004"), "objectType": .string("activity")]))
        guard case .event(let s)? = seen.first else { Issue.record("acknowledge"); return }
        #expect(s.event == "seen" && s.data["personEmail"]?.stringValue == "alice@example.com")
        #expect(s.data["lastSeenId"]?.stringValue == HydraID(type: HydraID.message, uuid: "5ee00000-0000-4000-8000-000000000004").encoded)
    }

    @Test func roomCreateEmitsTheRoomAndOneMembershipPerParticipant() {
        let participants: JSONValue = .object(["items": .array([
            .object(["id": .string(alice), "objectType": .string("person")]), .object(["id": .string(bob), "objectType": .string("person")]),
        ])])
        let mapped = ActivityMapper.map(activity("create", object: ["objectType": .string("conversation"), "id": .string(room), "participants": participants], tags: ["LOCKED"]))
        let names = mapped.compactMap { m -> String? in if case .event(let e) = m { "\(e.resource):\(e.event)" } else { nil } }
        #expect(names == ["rooms:created", "memberships:created", "memberships:created"])
        if case .event(let r)? = mapped.first { #expect(r.data["isLocked"] == .bool(true) && r.data["id"]?.stringValue == roomId) }
    }

    @Test func roomUpdatesButNotContentUpdates() {
        let lock = ActivityMapper.map(activity("lock", object: ["objectType": .string("conversation")]))
        if case .event(let e)? = lock.first { #expect(e.resource == "rooms" && e.event == "updated" && e.data["isLocked"] == .bool(true)) }
        else { Issue.record("lock") }
        // A file passing the malware scan is an `update` of content: not a room change.
        #expect(ActivityMapper.map(activity("update", object: ["objectType": .string("content"), "contentCategory": .string("documents")])).isEmpty)
    }

    @Test func cardAction() {
        let card = "ca7d0000-0000-4000-8000-000000000005"
        let mapped = ActivityMapper.map(activity("cardAction", object: ["objectType": .string("submit"), "inputs": .object(["choice": .string("yes")])], parent: card))
        guard case .event(let e)? = mapped.first else { Issue.record("cardAction"); return }
        #expect(e.resource == "attachmentActions" && e.event == "created")
        #expect(e.data["messageId"]?.stringValue == HydraID(type: HydraID.message, uuid: card).encoded)
        #expect(e.data["inputs"]?["choice"]?.stringValue == "yes")
        #expect(e.data["type"]?.stringValue == "submit")
    }

    @Test func unknownVerbsAreIgnored() {
        #expect(ActivityMapper.map(activity("favorite", object: [:])).isEmpty)
        #expect(ActivityMapper.map(.object(["id": .string("x")])).isEmpty)
    }
}

@Suite struct ListenPlumbingTests {
    @Test func recentKeysForgetTheOldest() {
        var keys = RecentKeys(capacity: 3)
        let results = ["a", "b", "c", "a", "d", "a", "d"].map { keys.insert($0) }
        // The second "a" is a duplicate; "d" evicts the oldest ("a"), so "a" is new again; "d" is still known.
        #expect(results == [true, true, true, false, true, true, false])
    }

    @Test func socketURLCarriesJSSDKParameters() throws {
        let url = try #require(EventsAPI.socketURL("wss://mercury.example/v1/apps/wx2/registrations/abc/messages", now: Date(timeIntervalSince1970: 1)))
        let q = URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? []
        let map = Dictionary(uniqueKeysWithValues: q.map { ($0.name, $0.value ?? "") })
        #expect(map["outboundWireFormat"] == "text" && map["bufferStates"] == "true" && map["aliasHttpStatus"] == "true")
        #expect(map["multipleConnections"] == "true" && map["clientTimestamp"] == "1000")
    }

    @Test func backoffDoublesToTheCapWithJitter() throws {
        let client = try Webex(configuration: WebexConfiguration(tokenSource: StaticTokenSource(token: "t", sourceDescription: "test")))
        let (_, cont) = AsyncThrowingStream<WebexEvent, any Error>.makeStream()
        let session = ListenSession(client: client, options: EventListenOptions(), output: cont)
        for (attempt, cap) in [(1, 1.0), (2, 2.0), (3, 4.0), (6, 32.0), (9, 32.0)] {
            for _ in 0..<20 {
                let d = session.backoff(attempt)
                #expect(d >= cap / 2 && d <= cap, "attempt \(attempt): \(d)")
            }
        }
    }

    @Test func deviceStateIsPrivateAndPerUser() throws {
        let dir = NSTemporaryDirectory() + "webex-devices-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = DeviceStateStore(directory: dir, key: "profile-work/../x")
        #expect(!store.path(userId: "u1").contains(".."))
        let device = Device(json: .object(["url": .string("https://wdm.example/wdm/api/v1/devices/d1"), "webSocketUrl": .string("wss://m/x")]))
        try store.save(DeviceState(wdmURL: "https://wdm.example/wdm/api/v1", userId: "u1", device: device))
        #expect(store.load(userId: "u1")?.device.id == "d1")
        #expect(store.load(userId: "u2") == nil)
        let attrs = try FileManager.default.attributesOfItem(atPath: store.path(userId: "u1"))
        #expect((attrs[.posixPermissions] as? Int) == 0o600)
        #expect(store.delete(userId: "u1") && store.load(userId: "u1") == nil)
    }
}
