import Foundation
import Testing
import WebexEmulator

@Suite struct ServerTests {
    @Test func missingOrUnknownTokenIs401WithErrorBody() async throws {
        try await withEmulator { client, _ in
            let none = try await client.send("GET", "/v1/people/me", token: nil)
            #expect(none.status == 401)
            let body = try none.json
            #expect(body["message"] is String)
            let errors = try #require(body["errors"] as? [[String: Any]])
            #expect(errors.first?["description"] is String)
            let trackingId = try #require(body["trackingId"] as? String)
            #expect(none.header("trackingId") == trackingId)

            let unknown = try await client.send("GET", "/v1/rooms", token: "nope")
            #expect(unknown.status == 401)

            let me = try await client.send("GET", "/v1/people/me")
            #expect(me.status == 200)
            #expect(try me.json["displayName"] as? String == "Alice Example")
            #expect(me.header("trackingId") != nil)
        }
    }

    @Test func createRoomIs200WithHydraId() async throws {
        try await withEmulator { client, _ in
            let created = try await client.send("POST", "/v1/rooms", json: #"{"title":"Ops"}"#)
            #expect(created.status == 200)
            let room = try created.json
            let id = try #require(room["id"] as? String)
            #expect(!id.contains("="))
            #expect(HydraID.decode(id)?.type == "ROOM")
            #expect(room["title"] as? String == "Ops")
            #expect(room["type"] as? String == "group")
            let createdAt = try #require(room["created"] as? String)
            #expect(createdAt.hasSuffix("Z") && createdAt.count == 24)

            let missingTitle = try await client.send("POST", "/v1/rooms", json: #"{"title":""}"#)
            #expect(missingTitle.status == 400)
        }
    }

    @Test func roomListFollowsLinkAcrossPages() async throws {
        try await withEmulator { client, _ in
            for i in 1...5 {
                let r = try await client.send("POST", "/v1/rooms", json: #"{"title":"Room \#(i)"}"#)
                #expect(r.status == 200)
            }
            var url: String? = "/v1/rooms?max=2&type=group"
            var titles: [String] = []
            var pages = 0
            while let next = url {
                let page = try await client.send("GET", next)
                #expect(page.status == 200)
                titles += try page.items.compactMap { $0["title"] as? String }
                pages += 1
                if let link = page.header("Link") {
                    #expect(link.hasSuffix(#">; rel="next""#))
                    #expect(link.contains("max=2") && link.contains("type=group"))
                    url = String(link.dropFirst().prefix { $0 != ">" })
                    // Created between pages: must not disturb the next page.
                    if pages == 1 { _ = try await client.send("POST", "/v1/rooms", json: #"{"title":"Late"}"#) }
                } else {
                    url = nil
                }
            }
            #expect(pages == 3)
            #expect(titles == ["Room 5", "Room 4", "Room 3", "Room 2", "Room 1"])
        }
    }

    @Test func nonMemberGets404AndDeleteIs204() async throws {
        try await withEmulator { client, _ in
            let room = try await client.send("POST", "/v1/rooms", json: #"{"title":"Private"}"#)
            let id = try #require(try room.json["id"] as? String)

            let asBob = try await client.send("GET", "/v1/rooms/\(id)", token: "bob-token")
            #expect(asBob.status == 404)
            let bobPosts = try await client.send(
                "POST", "/v1/messages", token: "bob-token", json: #"{"roomId":"\#(id)","text":"hi"}"#)
            #expect(bobPosts.status == 404)
            let bobLists = try await client.send("GET", "/v1/messages?roomId=\(id)", token: "bob-token")
            #expect(bobLists.status == 404)

            let deleted = try await client.send("DELETE", "/v1/rooms/\(id)")
            #expect(deleted.status == 204)
            #expect(deleted.body.isEmpty)
            #expect(try await client.send("GET", "/v1/rooms/\(id)").status == 404)
        }
    }

    @Test func messagesDirectRoomsAndThreads() async throws {
        try await withEmulator { client, _ in
            let first = try await client.send("POST", "/v1/messages", json: #"{"toPersonEmail":"bob@example.com","text":"hi"}"#)
            #expect(first.status == 200)
            let m1 = try first.json
            #expect(m1["roomType"] as? String == "direct")
            let roomId = try #require(m1["roomId"] as? String)
            let second = try await client.send(
                "POST", "/v1/messages", json: #"{"toPersonEmail":"bob@example.com","markdown":"**again**"}"#)
            #expect(try second.json["roomId"] as? String == roomId)
            #expect(try second.json["text"] as? String == "again")

            // Bob sees the room titled with Alice's name.
            let bobRoom = try await client.send("GET", "/v1/rooms/\(roomId)", token: "bob-token")
            #expect(try bobRoom.json["title"] as? String == "Alice Example")

            // Threads: a reply to a reply is refused.
            let parentId = try #require(m1["id"] as? String)
            let reply = try await client.send(
                "POST", "/v1/messages", token: "bob-token", json: #"{"roomId":"\#(roomId)","parentId":"\#(parentId)","text":"re"}"#)
            #expect(reply.status == 200)
            let replyId = try #require(try reply.json["id"] as? String)
            let nested = try await client.send(
                "POST", "/v1/messages", json: #"{"roomId":"\#(roomId)","parentId":"\#(replyId)","text":"re re"}"#)
            #expect(nested.status == 400)

            let list = try await client.send("GET", "/v1/messages?roomId=\(roomId)")
            #expect(try list.items.count == 3)
            #expect(try list.items.first?["id"] as? String == replyId)  // newest first

            let none = try await client.send("POST", "/v1/messages", json: #"{"text":"nowhere"}"#)
            #expect(none.status == 400)
            let unknown = try await client.send("POST", "/v1/messages", json: #"{"toPersonEmail":"ghost@example.com","text":"x"}"#)
            #expect(unknown.status == 404)
            let noRoomId = try await client.send("GET", "/v1/messages")
            #expect(noRoomId.status == 400)

            // Only the author edits; Bob cannot.
            let edit = try await client.send("PUT", "/v1/messages/\(parentId)", token: "bob-token", json: #"{"roomId":"\#(roomId)","text":"x"}"#)
            #expect(edit.status == 403)
            let ok = try await client.send("PUT", "/v1/messages/\(parentId)", json: #"{"roomId":"\#(roomId)","text":"edited"}"#)
            #expect(ok.status == 200)
            #expect(try ok.json["updated"] is String)
        }
    }

    @Test func multipartUploadAndDownload() async throws {
        try await withEmulator { client, _ in
            let room = try await client.send("POST", "/v1/rooms", json: #"{"title":"Files"}"#)
            let roomId = try #require(try room.json["id"] as? String)
            let boundary = "----emu\(UUID().uuidString)"
            var body = Data()
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"roomId\"\r\n\r\n\(roomId)\r\n".utf8))
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nreport\r\n".utf8))
            body.append(
                Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"files\"; filename=\"r.csv\"\r\nContent-Type: text/csv\r\n\r\n".utf8))
            body.append(Data("a,b\r\n1,2\r\n".utf8))
            body.append(Data("\r\n--\(boundary)--\r\n".utf8))
            let posted = try await client.send(
                "POST", "/v1/messages", body: body, contentType: "multipart/form-data; boundary=\(boundary)")
            #expect(posted.status == 200)
            let files = try #require(try posted.json["files"] as? [String])
            #expect(files.count == 1)
            #expect(files[0].hasPrefix(client.origin + "/v1/contents/"))

            let download = try await client.send("GET", files[0])
            #expect(download.status == 200)
            #expect(String(decoding: download.body, as: UTF8.self) == "a,b\r\n1,2\r\n")
            #expect(download.header("Content-Type") == "text/csv")
            #expect(download.header("Content-Disposition") == #"attachment; filename="r.csv""#)
            #expect(try await client.send("GET", files[0], token: "bob-token").status == 404)

            let broken = try await client.send(
                "POST", "/v1/messages", body: Data("--x\r\n".utf8), contentType: "multipart/form-data; boundary=x")
            #expect(broken.status == 400)
        }
    }

    @Test func botsMustAskForMentions() async throws {
        try await withEmulator { client, _ in
            let room = try await client.send("POST", "/v1/rooms", json: #"{"title":"With bot"}"#)
            let roomId = try #require(try room.json["id"] as? String)
            let added = try await client.send(
                "POST", "/v1/memberships", json: #"{"roomId":"\#(roomId)","personEmail":"emubot@webex.bot"}"#)
            #expect(added.status == 200)
            _ = try await client.send("POST", "/v1/messages", json: #"{"roomId":"\#(roomId)","text":"no mention"}"#)
            _ = try await client.send(
                "POST", "/v1/messages", json: #"{"roomId":"\#(roomId)","markdown":"hey <@personEmail:emubot@webex.bot|Emu>"}"#)
            let refused = try await client.send("GET", "/v1/messages?roomId=\(roomId)", token: "bot-token")
            #expect(refused.status == 403)
            #expect(try (refused.json["message"] as? String)?.contains("mentionedPeople=me") == true)
            let mentioned = try await client.send("GET", "/v1/messages?roomId=\(roomId)&mentionedPeople=me", token: "bot-token")
            #expect(mentioned.status == 200)
            #expect(try mentioned.items.count == 1)
        }
    }

    @Test func faultsAndRequestLog() async throws {
        try await withEmulator { client, _ in
            let fault = try await client.send(
                "POST", "/_emulator/faults", token: nil, json: #"{"method":"GET","path":"/v1/people/*","status":429,"retryAfter":3}"#)
            #expect(fault.status == 200)
            let limited = try await client.send("GET", "/v1/people/me", headers: ["trackingid": "test_1"])
            #expect(limited.status == 429)
            #expect(limited.header("Retry-After") == "3")
            #expect(try await client.send("GET", "/v1/people/me").status == 200)

            // afterHandling: the room is created although the client sees a 503.
            _ = try await client.send(
                "POST", "/_emulator/faults", token: nil, json: #"{"method":"POST","path":"/v1/rooms","afterHandling":true}"#)
            let lost = try await client.send("POST", "/v1/rooms", json: #"{"title":"Committed"}"#)
            #expect(lost.status == 503)
            let rooms = try await client.send("GET", "/v1/rooms")
            #expect(try rooms.items.map { $0["title"] as? String } == ["Committed"])

            // drop: no HTTP response at all.
            _ = try await client.send("POST", "/_emulator/faults", token: nil, json: #"{"path":"/v1/rooms","drop":true}"#)
            await #expect(throws: (any Error).self) { _ = try await client.send("GET", "/v1/rooms", freshConnection: true) }

            let log = try await client.send("GET", "/_emulator/requests", token: nil)
            let entries = try log.items
            try #require(entries.count == 5)
            #expect(entries[0]["status"] as? Int == 429)
            #expect(entries[0]["trackingid"] as? String == "test_1")
            #expect(entries[0]["path"] as? String == "/v1/people/me")
            #expect(entries[4]["status"] is NSNull)
            #expect(entries[2]["status"] as? Int == 503)

            let reset = try await client.send("POST", "/_emulator/reset", token: nil)
            #expect(reset.status == 200)
            #expect(try await client.send("GET", "/_emulator/requests", token: nil).items.isEmpty)
            #expect(try await client.send("GET", "/v1/rooms").items.isEmpty)
        }
    }

    @Test func controlPeopleAndSeededIdsAreStable() async throws {
        try await withEmulator { client, emulator in
            let added = try await client.send(
                "POST", "/_emulator/people", token: nil, json: #"{"email":"dave@example.com","displayName":"Dave Dev"}"#)
            #expect(added.status == 200)
            let token = try #require(try added.json["token"] as? String)
            let me = try await client.send("GET", "/v1/people/me", token: token)
            #expect(try me.json["emails"] as? [String] == ["dave@example.com"])

            let search = try await client.send("GET", "/v1/people?displayName=da")
            #expect(try search.items.map { $0["displayName"] as? String } == ["Dave Dev"])
            let noFilter = try await client.send("GET", "/v1/people")
            #expect(noFilter.status == 400)
            let aliceId = try #require(try await client.send("GET", "/v1/people/me").json["id"] as? String)
            let byId = try await client.send("GET", "/v1/people?id=\(aliceId),bogus")
            #expect(try byId.json["notFoundIds"] as? [String] == ["bogus"])
            #expect(try byId.items.count == 1)

            // Seeded ids do not change across restarts.
            let other = try await RunningEmulator.start()
            let again = try await TestClient(other).send("GET", "/v1/people/me")
            await other.stop()
            #expect(try again.json["id"] as? String == aliceId)
            _ = emulator
        }
    }

    @Test func editLimitScanStatesAndHead() async throws {
        try await withEmulator { client, _ in
            let room = try await client.send("POST", "/v1/rooms", json: #"{"title":"Edits"}"#)
            let roomId = try #require(try room.json["id"] as? String)
            let msg = try await client.send("POST", "/v1/messages", json: #"{"roomId":"\#(roomId)","text":"v0"}"#)
            let msgId = try #require(try msg.json["id"] as? String)
            #expect(try msg.json["updated"] == nil)
            for i in 1...10 {
                let r = try await client.send("PUT", "/v1/messages/\(msgId)", json: #"{"roomId":"\#(roomId)","text":"v\#(i)"}"#)
                #expect(r.status == 200)
            }
            let eleventh = try await client.send("PUT", "/v1/messages/\(msgId)", json: #"{"roomId":"\#(roomId)","text":"v11"}"#)
            #expect(eleventh.status == 400)
            let noRoom = try await client.send("PUT", "/v1/messages/\(msgId)", json: #"{"text":"x"}"#)
            #expect(noRoom.status == 400)

            // A file served by the emulator's own blob host, attached by URL.
            let put = try await client.send(
                "PUT", "/_emulator/blobs/notes.txt", token: nil, body: Data("notes".utf8), contentType: "text/plain")
            #expect(put.status == 200)
            let withFile = try await client.send(
                "POST", "/v1/messages", json: #"{"roomId":"\#(roomId)","files":["\#(client.origin)/_emulator/blobs/notes.txt"]}"#)
            #expect(withFile.status == 200)
            let url = try #require((try withFile.json["files"] as? [String])?.first)
            let fileMsgId = try #require(try withFile.json["id"] as? String)
            let editFile = try await client.send("PUT", "/v1/messages/\(fileMsgId)", json: #"{"roomId":"\#(roomId)","text":"x"}"#)
            #expect(editFile.status == 400)

            let head = try await client.send("HEAD", url)
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "5")
            #expect(head.header("Content-Disposition") == #"attachment; filename="notes.txt""#)

            let contentId = String(url.split(separator: "/").last!)
            _ = try await client.send("PUT", "/_emulator/contents/\(contentId)/scan", token: nil, json: #"{"state":"pending","pendingCount":1}"#)
            let locked = try await client.send("GET", url)
            #expect(locked.status == 423)
            #expect(locked.header("Retry-After") == "1")
            #expect(try await client.send("GET", url).status == 200)
            _ = try await client.send("PUT", "/_emulator/contents/\(contentId)/scan", token: nil, json: #"{"state":"unscannable"}"#)
            #expect(try await client.send("GET", url).status == 428)
            #expect(try await client.send("GET", url + "?allow=unscannable").body == Data("notes".utf8))
            _ = try await client.send("PUT", "/_emulator/contents/\(contentId)/scan", token: nil, json: #"{"state":"infected"}"#)
            #expect(try await client.send("GET", url).status == 410)

            let bad = try await client.send(
                "POST", "/v1/messages", json: #"{"roomId":"\#(roomId)","files":["\#(client.origin)/_emulator/blobs/missing"]}"#)
            #expect(bad.status == 400)
            #expect(try (bad.json["message"] as? String)?.contains("/_emulator/blobs/missing") == true)
        }
    }
}
