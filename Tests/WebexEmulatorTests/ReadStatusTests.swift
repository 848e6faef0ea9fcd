import Foundation
import Testing
import WebexEmulator

@Suite struct ReadStatusTests {
    @Test func u2cCatalogPointsBackAtTheEmulator() async throws {
        try await withEmulator { client, emulator in
            let catalog = try await client.send("GET", "/u2c/api/v1/catalog?format=hostmap")
            #expect(catalog.status == 200)
            let body = try catalog.json
            let links = try #require(body["serviceLinks"] as? [String: String])
            let origin = emulator.endpoint.origin
            #expect(links["hydra"] == origin + "/v1")
            #expect(links["conversation"] == origin + "/conversation/api/v1")
            #expect(links["wdm"] == origin + "/wdm/api/v1")
            let hostPort = String(origin.dropFirst("http://".count))
            let hosts = try #require(body["hostCatalog"] as? [String: [[String: Any]]])
            let entries = try #require(hosts[hostPort])
            let conversation = try #require(entries.first { $0["id"] as? String == "urn:TEAM:us-east-2_a:conversation" })
            #expect(conversation["host"] as? String == hostPort)
            #expect(conversation["ttl"] as? Int == -1)
            #expect(conversation["priority"] as? Int == 5)

            #expect(try await client.send("GET", "/u2c/api/v1/catalog?format=hostmap", token: nil).status == 401)
            let limited = try await client.send(
                "GET", "/u2c/api/v1/limited/catalog?format=hostmap&email=alice%40example.com", token: nil)
            #expect(limited.status == 200)
            #expect((try limited.json["serviceLinks"] as? [String: String])?["conversation"] == links["conversation"])
        }
    }

    @Test func acknowledgeMovesLastSeen() async throws {
        try await withEmulator { client, _ in
            let roomId = try await client.create("/v1/rooms", #"{"title":"Unread"}"#)
            let roomUUID = try #require(HydraID.decode(roomId)?.uuid)
            _ = try await client.create("/v1/memberships", #"{"roomId":"\#(roomId)","personEmail":"bob@example.com"}"#)
            let first = try await client.send("POST", "/v1/messages", json: #"{"roomId":"\#(roomId)","text":"one"}"#).json
            let second = try await client.send("POST", "/v1/messages", json: #"{"roomId":"\#(roomId)","text":"two"}"#).json
            let firstId = try #require(first["id"] as? String)
            let firstUUID = try #require(HydraID.decode(firstId)?.uuid)
            let secondCreated = try #require(second["created"] as? String)

            // Bob has seen nothing yet; Alice has seen her own latest message.
            let bobView = try await client.send("GET", "/conversation/api/v1/conversations/\(roomUUID)", token: "bob-token").json
            #expect(bobView["lastSeenActivityDate"] == nil)
            #expect(bobView["displayName"] as? String == "Unread")
            #expect(bobView["objectType"] as? String == "conversation")
            #expect(bobView["lastReadableActivityDate"] as? String == secondCreated)
            #expect((bobView["url"] as? String)?.hasSuffix("/conversation/api/v1/conversations/\(roomUUID)") == true)
            let aliceList = try await client.send("GET", "/conversation/api/v1/conversations?conversationsLimit=10&isActive=true")
            #expect(try aliceList.items.first?["lastSeenActivityDate"] as? String == secondCreated)

            let ack = try await client.send(
                "POST", "/conversation/api/v1/activities?personRefresh=true", token: "bob-token",
                json: #"{"verb":"acknowledge","objectType":"activity","clientTempId":"tmp-1","actor":{"objectType":"person","id":"x"},"object":{"objectType":"activity","id":"\#(firstUUID)"},"target":{"id":"\#(roomUUID)","objectType":"conversation","url":"u"}}"#)
            #expect(ack.status == 200)
            let answer = try ack.json
            #expect(answer["verb"] as? String == "acknowledge")
            #expect(answer["objectType"] as? String == "activity")
            #expect((answer["object"] as? [String: Any])?["id"] as? String == firstUUID)
            #expect((answer["target"] as? [String: Any])?["id"] as? String == roomUUID)
            #expect(answer["published"] is String && answer["id"] is String)

            let after = try await client.send(
                "GET", "/conversation/api/v1/conversations/\(roomUUID)?participantAckFilter=all", token: "bob-token").json
            #expect(after["lastSeenActivityDate"] as? String == first["created"] as? String)
            let participants = try #require((after["participants"] as? [String: Any])?["items"] as? [[String: Any]])
            let bob = try #require(participants.first { $0["emailAddress"] as? String == "bob@example.com" })
            #expect(bob["entryEmailAddress"] as? String == "bob@example.com")
            #expect(bob["id"] as? String == bob["entryUUID"] as? String)
            let bobProps = try #require(bob["roomProperties"] as? [String: Any])
            #expect(bobProps["lastSeenActivityUUID"] as? String == firstUUID)
            #expect(bobProps["lastSeenActivityDate"] as? String == first["created"] as? String)
            #expect(bobProps["isModerator"] as? Bool == false)
            let alice = try #require(participants.first { $0["displayName"] as? String == "Alice Example" })
            #expect((alice["roomProperties"] as? [String: Any])?["lastSeenActivityDate"] as? String == secondCreated)

            // Errors: another verb, a room the caller is not in, a message from another room.
            let otherVerb = try await client.send(
                "POST", "/conversation/api/v1/activities", token: "bob-token",
                json: #"{"verb":"post","object":{"id":"\#(firstUUID)"},"target":{"id":"\#(roomUUID)"}}"#)
            #expect(otherVerb.status == 400)
            let outsider = try await client.send(
                "POST", "/conversation/api/v1/activities", token: "carol-token",
                json: #"{"verb":"acknowledge","object":{"id":"\#(firstUUID)"},"target":{"id":"\#(roomUUID)"}}"#)
            #expect(outsider.status == 404)
            #expect(try await client.send("GET", "/conversation/api/v1/conversations/\(roomUUID)", token: "carol-token").status == 404)
            let otherRoom = try await client.create("/v1/rooms", #"{"title":"Elsewhere"}"#)
            let otherUUID = try #require(HydraID.decode(otherRoom)?.uuid)
            let wrongRoom = try await client.send(
                "POST", "/conversation/api/v1/activities",
                json: #"{"verb":"acknowledge","object":{"id":"\#(firstUUID)"},"target":{"id":"\#(otherUUID)"}}"#)
            #expect(wrongRoom.status == 404)
        }
    }

    @Test func conversationListTagsAndOrder() async throws {
        try await withEmulator { client, _ in
            _ = try await client.create("/v1/rooms", #"{"title":"Older","isLocked":true}"#)
            try await Task.sleep(for: .milliseconds(5))
            let direct = try await client.send("POST", "/v1/messages", json: #"{"toPersonEmail":"bob@example.com","text":"hi"}"#).json
            let directRoomId = try #require(direct["roomId"] as? String)
            let directUUID = try #require(HydraID.decode(directRoomId)?.uuid)
            let list = try await client.send("GET", "/conversation/api/v1/conversations").items
            #expect(list.count == 2)
            #expect(list.first?["id"] as? String == directUUID)
            #expect(list.first?["tags"] as? [String] == ["ONE_ON_ONE"])
            #expect(list.first?["displayName"] == nil)
            #expect(list.last?["tags"] as? [String] == ["LOCKED"])
            #expect(list.last?["displayName"] as? String == "Older")
            #expect(try await client.send("GET", "/conversation/api/v1/conversations?conversationsLimit=1").items.count == 1)
            let future = Int64(Date().timeIntervalSince1970 * 1000) + 60_000
            #expect(try await client.send("GET", "/conversation/api/v1/conversations?sinceDate=\(future)").items.isEmpty)
            #expect(try await client.send("GET", "/conversation/api/v1/conversations", token: nil).status == 401)
        }
    }
}
