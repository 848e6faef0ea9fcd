import Foundation
import Testing
import WebexEmulator

// MARK: Helpers

extension TestClient {
    /// Registers a WDM device for `token`'s owner and returns its id.
    func registerDevice(token: String = "alice-token") async throws -> String {
        let r = try await send("POST", "/wdm/api/v1/devices?includeUpstreamServices=all", token: token, json: DeviceTests.jssdkBody)
        guard r.status == 200, let ws = try r.json["webSocketUrl"] as? String else {
            throw HarnessError("device registration answered \(r.status)")
        }
        return String(ws.split(separator: "/").dropLast().last ?? "")
    }

    func connections() async throws -> [[String: Any]] {
        try await send("GET", "/_emulator/mercury/connections", token: nil).items
    }
}

enum Mercury {
    static let jweHeader = "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0.."

    static func path(_ deviceId: String, _ query: String) -> String {
        "/mercury/v1/apps/wx2/registrations/\(deviceId)/messages\(query)"
    }

    static func authorization(_ token: String, bearer: Bool = true) -> String {
        #"{"id":"\#(UUID().uuidString)","type":"authorization","data":{"token":"\#(bearer ? "Bearer " : "")\#(token)"},"trackingId":"test_1"}"#
    }

    /// Opens a socket for an existing device (expects 101).
    static func open(_ emulator: RunningEmulator, _ deviceId: String, query: String = "?outboundWireFormat=text&bufferStates=true")
        async throws -> RawWebSocket
    {
        let handshake = try await RawWebSocket.connect(emulator.endpoint, path: path(deviceId, query))
        guard handshake.status == 101, let socket = handshake.socket else {
            throw HarnessError("upgrade answered \(handshake.status): \(handshake.body)")
        }
        return socket
    }

    /// Registers a device, opens a text/bufferStates socket, authorizes, and waits for the buffer state.
    static func listen(
        _ client: TestClient, _ emulator: RunningEmulator, token: String = "alice-token",
        query: String = "?outboundWireFormat=text&bufferStates=true"
    ) async throws -> (socket: RawWebSocket, deviceId: String) {
        let deviceId = try await client.registerDevice(token: token)
        let socket = try await open(emulator, deviceId, query: query)
        try await socket.send(json: authorization(token))
        let ready = try await socket.nextJSON()
        guard (ready["data"] as? [String: Any])?["eventType"] as? String == "mercury.buffer_state" else {
            throw HarnessError("expected the buffer state, got \(ready)")
        }
        return (socket, deviceId)
    }

    /// The next `conversation.activity`: the envelope and its activity.
    static func nextActivity(_ socket: RawWebSocket) async throws -> (envelope: [String: Any], activity: [String: Any]) {
        let envelope = try await socket.nextJSON()
        guard let data = envelope["data"] as? [String: Any], data["eventType"] as? String == "conversation.activity",
            let activity = data["activity"] as? [String: Any]
        else { throw HarnessError("not an activity: \(envelope)") }
        return (envelope, activity)
    }
}

extension [String: Any] {
    func object(_ key: String) -> [String: Any] { self[key] as? [String: Any] ?? [:] }
    func string(_ key: String) -> String? { self[key] as? String }
}

func uuid(_ hydraId: String) -> String { HydraID.decode(hydraId)?.uuid ?? "" }

// MARK: Tests

/// The Mercury websocket (reference §5.3–§5.8).
@Suite struct MercuryTests {
    @Test func authorizationBufferStatePingsAndAcks() async throws {
        try await withEmulator { client, emulator in
            let deviceId = try await client.registerDevice()
            let socket = try await Mercury.open(emulator, deviceId)
            defer { socket.close() }
            // Nothing is sent before authorization.
            #expect(try await socket.isQuiet(for: 0.2))
            try await socket.send(json: Mercury.authorization("alice-token"))
            let ready = try #require(try await socket.receive())
            #expect(ready.opcode == RawWebSocket.Frame.text)
            let state = try ready.json
            #expect(state["type"] == nil && state["id"] is String)
            #expect(state.object("data").string("eventType") == "mercury.buffer_state")
            #expect(state.object("data").object("buffer_state") as? [String: String] == ["conversation": "UNKNOWN", "locus": "UNKNOWN"])

            try await socket.send(json: #"{"id":"p-1","type":"ping"}"#)
            let pong = try await socket.nextJSON()
            #expect(pong["id"] as? String == "p-1" && pong["type"] as? String == "pong")
            #expect(pong["sequenceNumber"] as? Int == 1)

            // Websocket-protocol pings are answered with the same payload.
            try await socket.sendPing("are you there")
            let wsPong = try #require(try await socket.receive())
            #expect(wsPong.opcode == RawWebSocket.Frame.pong && wsPong.text == "are you there")

            // Acks are counted, unknown ids included; other frames are ignored.
            try await socket.send(json: #"{"messageId":"no-such-message","type":"ack"}"#)
            try await socket.send(json: #"{"type":"something-new"}"#)
            try await socket.send(text: "not json")
            try await socket.send(json: #"{"id":"p-2","type":"ping"}"#)
            #expect(try await socket.nextJSON()["sequenceNumber"] as? Int == 2)
            let info = try #require(try await client.connections().first)
            #expect(info["deviceId"] as? String == deviceId)
            #expect(info["email"] as? String == "alice@example.com")
            #expect(info["authorized"] as? Bool == true)
            #expect(info["wireFormat"] as? String == "text")
            #expect(info["bufferStates"] as? Bool == true)
            #expect(info["multipleConnections"] as? Bool == false)
            #expect(info["pings"] as? Int == 2)
            #expect(info["acks"] as? Int == 1)
            #expect(info["lastAckIds"] as? [String] == ["no-such-message"])
            #expect(info["eventsSent"] as? Int == 0)
            #expect(info["connectedAt"] is String)

            // A client-initiated close is answered with the same code.
            try await socket.sendClose(code: 1000, reason: "Done")
            let close = try #require(try await socket.nextClose())
            #expect(close.closeCode == 1000)
            #expect(try await eventually { try await client.connections().isEmpty })
        }
    }

    @Test func binaryFramesAndAWebsocketPingWithoutBufferStates() async throws {
        try await withEmulator { client, emulator in
            let deviceId = try await client.registerDevice()
            let socket = try await Mercury.open(emulator, deviceId, query: "")
            defer { socket.close() }
            // The raw token (no "Bearer ") is accepted too.
            try await socket.send(json: Mercury.authorization("alice-token", bearer: false))
            let ping = try #require(try await socket.receive())
            #expect(ping.opcode == RawWebSocket.Frame.ping)
            let roomId = try await client.create("/v1/rooms", #"{"title":"Binary"}"#)
            let frame = try #require(try await socket.receive())
            #expect(frame.opcode == RawWebSocket.Frame.binary)
            let activity = try frame.json.object("data").object("activity")
            #expect(activity.string("verb") == "create")
            #expect(activity.object("object").string("id") == uuid(roomId))
            let info = try #require(try await client.connections().first)
            #expect(info["wireFormat"] as? String == "binary" && info["bufferStates"] as? Bool == false)
        }
    }

    @Test func postedMessageActivityIsOpaqueAndResolvable() async throws {
        try await withEmulator { client, emulator in
            let roomId = try await client.create("/v1/rooms", #"{"title":"Activities"}"#)
            _ = try await client.create("/v1/memberships", #"{"roomId":"\#(roomId)","personEmail":"bob@example.com"}"#)
            let (socket, _) = try await Mercury.listen(client, emulator)
            defer { socket.close() }
            let me = try await client.send("GET", "/v1/people/me").json
            let sent = try await client.send(
                "POST", "/v1/messages", token: "bob-token",
                json: #"{"roomId":"\#(roomId)","markdown":"secret plans for <@personEmail:alice@example.com>"}"#
            ).json
            let messageId = try #require(sent["id"] as? String)
            let (envelope, activity) = try await Mercury.nextActivity(socket)
            #expect(envelope["sequenceNumber"] as? Int == 1)
            #expect(envelope["alertType"] as? String == "none" && envelope["filterMessage"] as? Bool == false)
            #expect(envelope["id"] is String && envelope["trackingId"] is String)
            let timestamp = try #require(envelope["timestamp"] as? Int)
            let written = try #require(envelope["wsWriteTimestamp"] as? Int)
            #expect(written >= timestamp && timestamp > 1_600_000_000_000)

            #expect(activity.string("verb") == "post")
            #expect(activity.string("objectType") == "activity")
            #expect(activity.string("id") == uuid(messageId))
            #expect(HydraID.encode(.message, activity.string("id") ?? "") == messageId)
            #expect(activity.string("published") == sent["created"] as? String)
            #expect(activity.string("url")?.hasSuffix("/conversation/api/v1/activities/\(uuid(messageId))") == true)
            let actor = activity.object("actor")
            #expect(actor.string("emailAddress") == "bob@example.com")
            #expect(actor.string("id") == uuid(sent["personId"] as! String) && actor.string("entryUUID") == actor.string("id"))
            #expect(actor.string("objectType") == "person" && actor.string("type") == "PERSON")
            #expect(actor.string("orgId") == uuid(me["orgId"] as! String) && actor.string("displayName") == "Bob Example")
            let object = activity.object("object")
            #expect(object.string("objectType") == "comment" && object.string("id") == uuid(messageId))
            #expect(object.string("displayName")?.hasPrefix(Mercury.jweHeader) == true)
            #expect(object.string("content")?.hasPrefix(Mercury.jweHeader) == true)
            let mentions = object.object("mentions")["items"] as? [[String: String]]
            #expect(mentions == [["id": uuid(me["id"] as! String), "objectType": "person"]])
            let target = activity.object("target")
            #expect(target.string("id") == uuid(roomId) && target.string("globalId") == roomId)
            #expect(target.string("objectType") == "conversation" && (target["tags"] as? [String]) == [])
            let conversationURL = emulator.endpoint.origin + "/conversation/api/v1/conversations/\(uuid(roomId))"
            #expect(target.string("url") == conversationURL)
            // The text is nowhere in the frame.
            let raw = try JSONSerialization.data(withJSONObject: envelope)
            #expect(!String(decoding: raw, as: UTF8.self).contains("secret"))

            // webex-bot's lookup: the conversation URL with messages/<activity id>.
            let lookupURL = conversationURL.replacingOccurrences(
                of: "conversations/\(uuid(roomId))", with: "messages/\(uuid(messageId))")
            let lookup = try await client.send("GET", lookupURL)
            #expect(try lookup.json["id"] as? String == messageId)
            #expect(try await client.send("GET", lookupURL, token: "carol-token").status == 404)
            let unknown = lookupURL.replacingOccurrences(of: uuid(messageId), with: UUID().uuidString.lowercased())
            #expect(try await client.send("GET", unknown).status == 404)

            // A threaded reply names its parent; the sequence goes on.
            let reply = try await client.send(
                "POST", "/v1/messages", json: #"{"roomId":"\#(roomId)","parentId":"\#(messageId)","text":"ok"}"#
            ).json
            let (second, replyActivity) = try await Mercury.nextActivity(socket)
            #expect(second["sequenceNumber"] as? Int == 2)
            #expect(replyActivity.string("id") == uuid(reply["id"] as! String))
            let parent = replyActivity.object("parent")
            #expect(parent.string("id") == uuid(messageId) && parent.string("type") == "reply")
            #expect(parent.string("actorId") == actor.string("id"))

            // Deleting: a `delete` whose object is the message.
            #expect(try await client.send("DELETE", "/v1/messages/\(messageId)", token: "bob-token").status == 204)
            let (_, deleted) = try await Mercury.nextActivity(socket)
            #expect(deleted.string("verb") == "delete")
            #expect(deleted.object("object") as? [String: String] == ["objectType": "activity", "id": uuid(messageId)])
            #expect(deleted.string("id") != uuid(messageId))
            #expect(try await eventually { try await client.connections().first?["eventsSent"] as? Int == 3 })
        }
    }

    @Test func refusedAuthorizationsCloseWithMercuryCodes() async throws {
        try await withEmulator { client, emulator in
            let deviceId = try await client.registerDevice()
            func closeAfter(_ first: String) async throws -> RawWebSocket.Frame? {
                let socket = try await Mercury.open(emulator, deviceId)
                defer { socket.close() }
                try await socket.send(text: first)
                return try await socket.nextClose()
            }
            let badToken = try #require(try await closeAfter(Mercury.authorization("not-a-token")))
            #expect(badToken.closeCode == 4401 && badToken.closeReason == "NotAuthorized")
            let otherPerson = try #require(try await closeAfter(Mercury.authorization("bob-token")))
            #expect(otherPerson.closeCode == 4403 && otherPerson.closeReason == "Forbidden")
            let malformed = try #require(try await closeAfter("hello"))
            #expect(malformed.closeCode == 4400)
            let notAuthorization = try #require(try await closeAfter(#"{"id":"1","type":"ping"}"#))
            #expect(notAuthorization.closeCode == 4400)

            // Issued tokens work until they expire or are revoked.
            let issued = try #require(try await client.tokens()["access_token"] as? String)
            let socket = try await Mercury.open(emulator, deviceId)
            try await socket.send(json: Mercury.authorization(issued))
            #expect(try await socket.nextJSON().object("data").string("eventType") == "mercury.buffer_state")
            socket.close()
            #expect(try await client.control("POST", "/_emulator/tokens/expire", #"{"token":"\#(issued)"}"#).status == 200)
            #expect(try #require(try await closeAfter(Mercury.authorization(issued))).closeCode == 4401)
            let another = try #require(try await client.tokens()["access_token"] as? String)
            #expect(try await client.control("POST", "/_emulator/tokens/revoke", #"{"token":"\#(another)"}"#).status == 200)
            #expect(try #require(try await closeAfter(Mercury.authorization(another))).closeCode == 4401)

            // No authorization in time.
            _ = try await client.send("PUT", "/_emulator/settings", token: nil, json: #"{"mercuryAuthTimeout":0.3}"#)
            let silent = try await Mercury.open(emulator, deviceId)
            defer { silent.close() }
            let timeout = try #require(try await silent.nextClose(timeout: 3))
            #expect(timeout.closeCode == 1008)
            #expect(timeout.closeReason == "authentication did not happen within the timeout window of 300 seconds.")
            #expect(try await eventually { try await client.connections().isEmpty })
        }
    }

    @Test func upgradesAre404ForUnknownDevicesAnd503WhileRefusing() async throws {
        try await withEmulator { client, emulator in
            let unknown = try await RawWebSocket.connect(emulator.endpoint, path: Mercury.path(UUID().uuidString.lowercased(), ""))
            #expect(unknown.status == 404)
            #expect(unknown.body.contains("\"message\""))
            let deviceId = try await client.registerDevice()
            let refused = try await client.send("POST", "/_emulator/mercury/refuse", token: nil, json: #"{"seconds":30}"#)
            #expect(try refused.json["refusing"] as? Bool == true)
            #expect(try await RawWebSocket.connect(emulator.endpoint, path: Mercury.path(deviceId, "")).status == 503)
            _ = try await client.send("POST", "/_emulator/mercury/refuse", token: nil, json: #"{"seconds":0}"#)
            let accepted = try await RawWebSocket.connect(emulator.endpoint, path: Mercury.path(deviceId, "?bufferStates=true"))
            #expect(accepted.status == 101)
            accepted.socket?.close()
            // A refusal that runs out by itself.
            _ = try await client.send("POST", "/_emulator/mercury/refuse", token: nil, json: #"{"seconds":2}"#)
            #expect(try await RawWebSocket.connect(emulator.endpoint, path: Mercury.path(deviceId, "")).status == 503)
            try await Task.sleep(for: .milliseconds(2300))
            let later = try await RawWebSocket.connect(emulator.endpoint, path: Mercury.path(deviceId, ""))
            #expect(later.status == 101)
            later.socket?.close()
            // Deleted devices are unknown again.
            let devices = try await client.send("GET", "/wdm/api/v1/devices").json["devices"] as? [[String: Any]]
            _ = try await client.send("DELETE", try #require(devices?.first?["url"] as? String))
            #expect(try await RawWebSocket.connect(emulator.endpoint, path: Mercury.path(deviceId, "")).status == 404)
            // Every attempt is in the request log.
            let log = try await client.send("GET", "/_emulator/requests", token: nil).items
            #expect(log.filter { ($0["path"] as? String)?.hasPrefix("/mercury/") == true }.compactMap { $0["status"] as? Int }
                == [404, 503, 101, 503, 101, 404])
            // Plain HTTP on the path is not an upgrade.
            #expect(try await client.send("GET", Mercury.path(deviceId, ""), token: nil).status == 404)
        }
    }

    @Test func aNewConnectionReplacesTheOldOneUnlessMultipleConnections() async throws {
        try await withEmulator { client, emulator in
            let (first, deviceId) = try await Mercury.listen(client, emulator)
            defer { first.close() }
            let second = try await Mercury.open(emulator, deviceId, query: "?outboundWireFormat=text&bufferStates=true&multipleConnections=true")
            defer { second.close() }
            try await second.send(json: Mercury.authorization("alice-token"))
            _ = try await second.nextJSON()
            // Both stay open and both hear events.
            _ = try await client.create("/v1/rooms", #"{"title":"Both"}"#)
            #expect(try await Mercury.nextActivity(first).activity.string("verb") == "create")
            #expect(try await Mercury.nextActivity(second).activity.string("verb") == "create")

            let third = try await Mercury.open(emulator, deviceId)
            defer { third.close() }
            try await third.send(json: Mercury.authorization("alice-token"))
            _ = try await third.nextJSON()
            for old in [first, second] {
                let close = try #require(try await old.nextClose())
                #expect(close.closeCode == 4000 && close.closeReason == "replaced")
            }
            #expect(try await eventually { try await client.connections().count == 1 })
            // Another device of the same person is not affected.
            let (other, _) = try await Mercury.listen(client, emulator)
            defer { other.close() }
            #expect(try await third.isQuiet(for: 0.2))
            #expect(try await client.connections().count == 2)
        }
    }

    @Test func controlDropCloseAndNoBufferingWhileAway() async throws {
        try await withEmulator { client, emulator in
            let roomId = try await client.create("/v1/rooms", #"{"title":"Away"}"#)
            _ = try await client.create("/v1/memberships", #"{"roomId":"\#(roomId)","personEmail":"bob@example.com"}"#)
            let (alice, deviceId) = try await Mercury.listen(client, emulator)
            defer { alice.close() }
            let (bob, _) = try await Mercury.listen(client, emulator, token: "bob-token")
            defer { bob.close() }

            // Drop only Alice's socket: no close frame, the TCP connection just ends.
            let dropped = try await client.send("POST", "/_emulator/mercury/drop", token: nil, json: #"{"email":"alice@example.com"}"#)
            #expect(try dropped.json["dropped"] as? Int == 1)
            #expect(try await alice.nextClose() == nil)
            #expect(try await eventually { try await client.connections().map { $0["email"] as? String } == ["bob@example.com"] })

            // What happens while Alice is away is lost for her (clients catch up over REST).
            let missed = try await client.send("POST", "/v1/messages", token: "bob-token", json: #"{"roomId":"\#(roomId)","text":"missed"}"#).json
            #expect(try await Mercury.nextActivity(bob).activity.string("id") == uuid(missed["id"] as! String))
            let back = try await Mercury.open(emulator, deviceId)
            defer { back.close() }
            try await back.send(json: Mercury.authorization("alice-token"))
            _ = try await back.nextJSON()
            let seen = try await client.send("POST", "/v1/messages", token: "bob-token", json: #"{"roomId":"\#(roomId)","text":"seen"}"#).json
            let (envelope, activity) = try await Mercury.nextActivity(back)
            #expect(activity.string("id") == uuid(seen["id"] as! String))
            #expect(envelope["sequenceNumber"] as? Int == 1)

            // A chosen close frame for everyone.
            let closed = try await client.send("POST", "/_emulator/mercury/close", token: nil, json: #"{"code":4001,"reason":"custom"}"#)
            #expect(try closed.json["closed"] as? Int == 2)
            for socket in [back, bob] {
                let close = try #require(try await socket.nextClose())
                #expect(close.closeCode == 4001 && close.closeReason == "custom")
            }
            #expect(try await eventually { try await client.connections().isEmpty })
            #expect(try await client.send("POST", "/_emulator/mercury/close", token: nil, json: #"{"code":1006}"#).status == 400)
            #expect(try await client.send("POST", "/_emulator/mercury/drop", token: nil, json: #"{"email":"x@y.z"}"#).status == 404)
            #expect(try await client.send("POST", "/_emulator/mercury/drop", token: nil, json: "{}").json["dropped"] as? Int == 0)
        }
    }

    @Test func unregisteringAndResetCloseSockets() async throws {
        try await withEmulator { client, emulator in
            let (socket, deviceId) = try await Mercury.listen(client, emulator)
            defer { socket.close() }
            let url = emulator.endpoint.origin + "/wdm/api/v1/devices/\(deviceId)"
            #expect(try await client.send("DELETE", url).status == 204)
            let close = try #require(try await socket.nextClose())
            #expect(close.closeCode == 4404 && close.closeReason == "device unregistered")

            let (again, _) = try await Mercury.listen(client, emulator)
            defer { again.close() }
            _ = try await client.send("POST", "/_emulator/reset", token: nil)
            #expect(try await again.nextClose()?.closeCode == 4404)
        }
    }

    @Test func roomAndMembershipActivities() async throws {
        try await withEmulator { client, emulator in
            let (alice, _) = try await Mercury.listen(client, emulator)
            defer { alice.close() }
            let (bob, _) = try await Mercury.listen(client, emulator, token: "bob-token")
            defer { bob.close() }
            let me = try await client.send("GET", "/v1/people/me").json
            let aliceUUID = uuid(me["id"] as! String)

            let roomId = try await client.create("/v1/rooms", #"{"title":"Team room"}"#)
            let created = try await Mercury.nextActivity(alice).activity
            #expect(created.string("verb") == "create")
            let conversation = created.object("object")
            #expect(conversation.string("objectType") == "conversation" && conversation.string("id") == uuid(roomId))
            #expect(conversation.string("displayName")?.hasPrefix(Mercury.jweHeader) == true)
            #expect(conversation["tags"] as? [String] == [])
            #expect(conversation.string("url")?.hasSuffix("/conversations/\(uuid(roomId))") == true)
            let participants = conversation.object("participants")["items"] as? [[String: Any]] ?? []
            #expect(participants.map { $0.string("entryUUID") } == [aliceUUID])
            #expect(participants.first?.string("emailAddress") == "alice@example.com")
            #expect(participants.first?.object("roomProperties")["isModerator"] as? Bool == false)

            let membershipId = try await client.create("/v1/memberships", #"{"roomId":"\#(roomId)","personEmail":"bob@example.com"}"#)
            for socket in [alice, bob] {
                let added = try await Mercury.nextActivity(socket).activity
                #expect(added.string("verb") == "add")
                #expect(added.object("object").string("emailAddress") == "bob@example.com")
                #expect(added.object("object").string("objectType") == "person")
                #expect(added.object("actor").string("emailAddress") == "alice@example.com")
                #expect(added.object("target").string("id") == uuid(roomId))
            }

            _ = try await client.send("PUT", "/v1/memberships/\(membershipId)", json: #"{"isModerator":true}"#)
            let promoted = try await Mercury.nextActivity(bob).activity
            #expect(promoted.string("verb") == "assignModerator")
            #expect(promoted.object("object").object("roomProperties")["isModerator"] as? Bool == true)
            _ = try await Mercury.nextActivity(alice)

            _ = try await client.send("PUT", "/v1/rooms/\(roomId)", json: #"{"title":"Renamed"}"#)
            #expect(try await Mercury.nextActivity(bob).activity.string("verb") == "update")
            _ = try await Mercury.nextActivity(alice)
            _ = try await client.send("PUT", "/v1/rooms/\(roomId)", json: #"{"title":"Renamed","isLocked":true}"#)
            let locked = try await Mercury.nextActivity(bob).activity
            #expect(locked.string("verb") == "lock")
            #expect(locked.object("object")["tags"] as? [String] == ["LOCKED"])
            #expect(locked.object("target")["tags"] as? [String] == ["LOCKED"])
            // Locking made Alice a moderator.
            #expect(try await Mercury.nextActivity(bob).activity.string("verb") == "assignModerator")

            // A card submission and a read receipt.
            let card = try await client.send(
                "POST", "/v1/messages",
                json: #"{"roomId":"\#(roomId)","text":"card","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","content":{"type":"AdaptiveCard","version":"1.2","body":[]}}]}"#
            ).json
            #expect(try await Mercury.nextActivity(bob).activity.string("verb") == "post")
            let action = try await client.send(
                "POST", "/v1/attachment/actions", token: "bob-token",
                json: #"{"type":"submit","messageId":"\#(card["id"] as! String)","inputs":{"answer":"42"}}"#
            ).json
            let submitted = try await Mercury.nextActivity(bob).activity
            #expect(submitted.string("verb") == "cardAction")
            #expect(submitted.string("id") == uuid(action["id"] as! String))
            #expect(submitted.object("object").string("objectType") == "submit")
            #expect(submitted.object("object").object("inputs") as? [String: String] == ["answer": "42"])
            #expect(submitted.object("parent").string("id") == uuid(card["id"] as! String))
            let actionLookup = try #require(submitted.object("target").string("url")).replacingOccurrences(
                of: "conversations/\(uuid(roomId))", with: "attachment/actions/\(submitted.string("id")!)")
            #expect(try await client.send("GET", actionLookup, token: "bob-token").json["id"] as? String == action["id"] as? String)

            _ = try await client.send(
                "POST", "/conversation/api/v1/activities", token: "bob-token",
                json: #"{"verb":"acknowledge","object":{"objectType":"activity","id":"\#(uuid(card["id"] as! String))"},"target":{"id":"\#(uuid(roomId))","objectType":"conversation"}}"#)
            let ack = try await Mercury.nextActivity(bob).activity
            #expect(ack.string("verb") == "acknowledge")
            #expect(ack.object("actor").string("emailAddress") == "bob@example.com")
            #expect(ack.object("object") as? [String: String] == ["objectType": "activity", "id": uuid(card["id"] as! String)])

            // Removing Bob: he hears it too, and then nothing more from the room.
            #expect(try await client.send("DELETE", "/v1/memberships/\(membershipId)").status == 204)
            let left = try await Mercury.nextActivity(bob).activity
            #expect(left.string("verb") == "leave" && left.object("object").string("emailAddress") == "bob@example.com")
            _ = try await client.send("POST", "/v1/messages", json: #"{"roomId":"\#(roomId)","text":"after"}"#)
            #expect(try await bob.isQuiet(for: 0.3))
        }
    }

    @Test func directRoomsHideAndBotMentions() async throws {
        try await withEmulator { client, emulator in
            let (alice, _) = try await Mercury.listen(client, emulator)
            defer { alice.close() }
            let (bot, _) = try await Mercury.listen(client, emulator, token: "bot-token")
            defer { bot.close() }

            // The first direct message creates the room (both participants), then the post.
            let direct = try await client.send("POST", "/v1/messages", json: #"{"toPersonEmail":"emubot@webex.bot","text":"hi bot"}"#).json
            let created = try await Mercury.nextActivity(bot).activity
            #expect(created.string("verb") == "create")
            #expect(created.object("object")["tags"] as? [String] == ["ONE_ON_ONE"])
            #expect((created.object("object").object("participants")["items"] as? [[String: Any]])?.count == 2)
            let post = try await Mercury.nextActivity(bot).activity
            #expect(post.string("verb") == "post" && post.object("target")["tags"] as? [String] == ["ONE_ON_ONE"])
            #expect(post.string("id") == uuid(direct["id"] as! String))

            // Hiding is only for the one who hid it.
            _ = try await Mercury.nextActivity(alice)
            _ = try await Mercury.nextActivity(alice)
            let membership = try await client.send("GET", "/v1/memberships?roomId=\(direct["roomId"] as! String)&personEmail=alice@example.com").items.first
            _ = try await client.send("PUT", "/v1/memberships/\(membership?["id"] as! String)", json: #"{"isRoomHidden":true}"#)
            let hidden = try await Mercury.nextActivity(alice).activity
            #expect(hidden.string("verb") == "hide" && hidden.object("object").string("id") == uuid(direct["roomId"] as! String))
            #expect(try await bot.isQuiet(for: 0.2))

            // In a group room a bot hears only messages that mention it.
            let roomId = try await client.create("/v1/rooms", #"{"title":"With bot"}"#)
            _ = try await client.create("/v1/memberships", #"{"roomId":"\#(roomId)","personEmail":"emubot@webex.bot"}"#)
            #expect(try await Mercury.nextActivity(bot).activity.string("verb") == "add")
            _ = try await client.send("POST", "/v1/messages", json: #"{"roomId":"\#(roomId)","text":"not for the bot"}"#)
            let mention = try await client.send(
                "POST", "/v1/messages", json: #"{"roomId":"\#(roomId)","markdown":"<@personEmail:emubot@webex.bot> help"}"#
            ).json
            let heard = try await Mercury.nextActivity(bot).activity
            #expect(heard.string("id") == uuid(mention["id"] as! String))
        }
    }

    @Test func filesAreSharedThenUpdatedWhenSafe() async throws {
        try await withEmulator { client, emulator in
            let roomId = try await client.create("/v1/rooms", #"{"title":"Files"}"#)
            let (socket, _) = try await Mercury.listen(client, emulator)
            defer { socket.close() }
            let boundary = "XyZ"
            var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"roomId\"\r\n\r\n\(roomId)\r\n"
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"files\"; filename=\"secret-name.png\"\r\n"
            body += "Content-Type: image/png\r\n\r\nPNGDATA\r\n--\(boundary)--\r\n"
            let sent = try await client.send(
                "POST", "/v1/messages", body: Data(body.utf8), contentType: "multipart/form-data; boundary=\(boundary)").json
            let (_, share) = try await Mercury.nextActivity(socket)
            #expect(share.string("verb") == "share" && share.string("id") == uuid(sent["id"] as! String))
            let object = share.object("object")
            #expect(object.string("objectType") == "content" && object.string("contentCategory") == "images")
            let file = try #require((object.object("files")["items"] as? [[String: Any]])?.first)
            #expect(file.string("objectType") == "file" && file.string("displayName")?.hasPrefix(Mercury.jweHeader) == true)
            let (_, update) = try await Mercury.nextActivity(socket)
            #expect(update.string("verb") == "update")
            let updated = update.object("object")
            #expect(updated.string("objectType") == "content" && updated.string("contentCategory") == "documents")
            #expect((updated.object("files")["items"] as? [[String: Any]])?.first?.string("malwareQuarantineState") == "safe")
            #expect(updated.string("id") == uuid(sent["id"] as! String))
            let raw = try JSONSerialization.data(withJSONObject: update)
            #expect(!String(decoding: raw, as: UTF8.self).contains("secret-name"))

            // A file whose scan turns safe later produces another update.
            let contentId = ((sent["files"] as? [String])?.first?.split(separator: "/").last).map(String.init) ?? ""
            _ = try await client.send("PUT", "/_emulator/contents/\(contentId)/scan", token: nil, json: #"{"state":"pending"}"#)
            #expect(try await socket.isQuiet(for: 0.2))
            _ = try await client.send("PUT", "/_emulator/contents/\(contentId)/scan", token: nil, json: #"{"state":"clean"}"#)
            #expect(try await Mercury.nextActivity(socket).activity.string("verb") == "update")
        }
    }

    @Test func floodDeliversEveryMessageInOrderBeforeAnswering() async throws {
        try await withEmulator { client, emulator in
            let roomId = try await client.create("/v1/rooms", #"{"title":"Flood"}"#)
            _ = try await client.create("/v1/memberships", #"{"roomId":"\#(roomId)","personEmail":"bob@example.com"}"#)
            let (socket, _) = try await Mercury.listen(client, emulator)
            defer { socket.close() }
            let count = 300
            let flood = try await client.send(
                "POST", "/_emulator/mercury/flood", token: nil,
                json: #"{"email":"bob@example.com","roomId":"\#(roomId)","count":\#(count)}"#)
            #expect(flood.status == 200)
            let answer = try flood.json
            #expect(answer["count"] as? Int == count)
            // Answered only after every event was written.
            #expect(try await client.connections().first?["eventsSent"] as? Int == count)
            var ids: [String] = []
            for i in 1...count {
                let (envelope, activity) = try await Mercury.nextActivity(socket)
                #expect(envelope["sequenceNumber"] as? Int == i)
                ids.append(activity.string("id") ?? "")
            }
            #expect(HydraID.encode(.message, ids.first!) == answer["firstId"] as? String)
            #expect(HydraID.encode(.message, ids.last!) == answer["lastId"] as? String)
            // They are real messages.
            let last = try await client.send("GET", "/v1/messages/\(answer["lastId"] as! String)").json
            #expect(last["text"] as? String == "flood \(count)")
            #expect(try await client.send("GET", "/v1/messages?roomId=\(roomId)&max=1000").items.count == count)
            #expect(try await client.send(
                "POST", "/_emulator/mercury/flood", token: nil,
                json: #"{"email":"carol@example.com","roomId":"\#(roomId)","count":1}"#).status == 404)
        }
    }
}
