import Foundation
import Testing
import WebexEmulator

@Suite struct MembershipTests {
    @Test func duplicateMembershipIs409AndListsNeedRoomIdForPersonFilters() async throws {
        try await withEmulator { client, _ in
            let roomId = try await client.create("/v1/rooms", #"{"title":"Team"}"#)
            let added = try await client.send(
                "POST", "/v1/memberships", json: #"{"roomId":"\#(roomId)","personEmail":"bob@example.com"}"#)
            #expect(added.status == 200)
            let m = try added.json
            #expect(m["roomType"] as? String == "group")
            #expect(m["isMonitor"] as? Bool == false)
            #expect(m["personDisplayName"] as? String == "Bob Example")
            #expect(HydraID.decode(try #require(m["id"] as? String))?.type == "MEMBERSHIP")

            let again = try await client.send(
                "POST", "/v1/memberships", json: #"{"roomId":"\#(roomId)","personEmail":"bob@example.com"}"#)
            #expect(again.status == 409)
            #expect(try again.json["trackingId"] is String)

            let filtered = try await client.send("GET", "/v1/memberships?roomId=\(roomId)&personEmail=bob@example.com")
            #expect(try filtered.items.count == 1)
            #expect(try await client.send("GET", "/v1/memberships?personEmail=bob@example.com").status == 400)
            let mine = try await client.send("GET", "/v1/memberships", token: "bob-token")
            #expect(try mine.items.map { $0["roomId"] as? String } == [roomId])
            #expect(try await client.send("GET", "/v1/memberships?roomId=\(roomId)", token: "carol-token").status == 404)
        }
    }

    @Test func lockedRoomChangesNeedAModerator() async throws {
        try await withEmulator { client, _ in
            let roomId = try await client.create("/v1/rooms", #"{"title":"Locked","isLocked":true}"#)
            let bobMembership = try await client.create(
                "/v1/memberships", #"{"roomId":"\#(roomId)","personEmail":"bob@example.com"}"#)
            // Bob is not a moderator: he cannot add Carol, promote himself or remove Alice.
            let add = try await client.send(
                "POST", "/v1/memberships", token: "bob-token", json: #"{"roomId":"\#(roomId)","personEmail":"carol@example.com"}"#)
            #expect(add.status == 403)
            let promote = try await client.send(
                "PUT", "/v1/memberships/\(bobMembership)", token: "bob-token", json: #"{"isModerator":true}"#)
            #expect(promote.status == 403)
            let aliceMembership = try #require(
                try await client.send("GET", "/v1/memberships?roomId=\(roomId)&personEmail=alice@example.com").items.first?["id"]
                    as? String)
            let remove = try await client.send("DELETE", "/v1/memberships/\(aliceMembership)", token: "bob-token")
            #expect(remove.status == 403)
            // He may leave, though.
            #expect(try await client.send("DELETE", "/v1/memberships/\(bobMembership)", token: "bob-token").status == 204)
        }
    }

    @Test func lastModeratorOfALockedRoomCannotLeaveOrBeDemoted() async throws {
        try await withEmulator { client, _ in
            let roomId = try await client.create("/v1/rooms", #"{"title":"Locked","isLocked":true}"#)
            _ = try await client.create("/v1/memberships", #"{"roomId":"\#(roomId)","personEmail":"bob@example.com"}"#)
            let alice = try #require(
                try await client.send("GET", "/v1/memberships?roomId=\(roomId)&personEmail=alice@example.com").items.first)
            #expect(alice["isModerator"] as? Bool == true)
            let aliceId = try #require(alice["id"] as? String)

            let leave = try await client.send("DELETE", "/v1/memberships/\(aliceId)")
            #expect(leave.status == 409)
            #expect(client.errorMessage(leave).contains("last moderator"))
            let demote = try await client.send("PUT", "/v1/memberships/\(aliceId)", json: #"{"isModerator":false}"#)
            #expect(demote.status == 409)
            #expect(client.errorMessage(demote).contains("last moderator"))

            // With a second moderator she may go.
            let bobId = try #require(
                try await client.send("GET", "/v1/memberships?roomId=\(roomId)&personEmail=bob@example.com").items.first?["id"]
                    as? String)
            let promoted = try await client.send("PUT", "/v1/memberships/\(bobId)", json: #"{"isModerator":true}"#)
            #expect(try promoted.json["isModerator"] as? Bool == true)
            #expect(try await client.send("DELETE", "/v1/memberships/\(aliceId)").status == 204)
            #expect(try await client.send("GET", "/v1/rooms/\(roomId)").status == 404)

            // Unlocked rooms: anyone may leave.
            let open = try await client.create("/v1/rooms", #"{"title":"Open"}"#)
            let mine = try #require(try await client.send("GET", "/v1/memberships?roomId=\(open)").items.first?["id"] as? String)
            #expect(try await client.send("DELETE", "/v1/memberships/\(mine)").status == 204)
        }
    }
}

@Suite struct TeamTests {
    @Test func creatingATeamMakesAGeneralRoom() async throws {
        try await withEmulator { client, _ in
            let created = try await client.send("POST", "/v1/teams", json: #"{"name":"Platform","description":"infra"}"#)
            #expect(created.status == 200)
            let team = try created.json
            let teamId = try #require(team["id"] as? String)
            #expect(HydraID.decode(teamId)?.type == "TEAM")
            #expect(team["name"] as? String == "Platform")
            #expect(team["description"] as? String == "infra")
            #expect(team["creatorId"] as? String == (try await client.send("GET", "/v1/people/me").json["id"] as? String))
            #expect(team["created"] is String)
            #expect(try await client.send("POST", "/v1/teams", json: #"{"description":"x"}"#).status == 400)

            let rooms = try await client.send("GET", "/v1/rooms?teamId=\(teamId)")
            let general = try #require(try rooms.items.first)
            #expect(try rooms.items.count == 1)
            #expect(general["title"] as? String == "Platform")
            #expect(general["teamId"] as? String == teamId)

            let teamMembers = try await client.send("GET", "/v1/team/memberships?teamId=\(teamId)")
            #expect(try teamMembers.items.map { $0["isModerator"] as? Bool } == [true])
            #expect(try await client.send("GET", "/v1/team/memberships").status == 400)
            #expect(try await client.send("GET", "/v1/teams").items.map { $0["id"] as? String } == [teamId])
            #expect(try await client.send("GET", "/v1/teams/\(teamId)", token: "bob-token").status == 404)

            // Rooms in a team: only for team members.
            let denied = try await client.send(
                "POST", "/v1/rooms", token: "bob-token", json: #"{"title":"Side","teamId":"\#(teamId)"}"#)
            #expect(denied.status == 404)
            let side = try await client.send("POST", "/v1/rooms", json: #"{"title":"Side","teamId":"\#(teamId)"}"#)
            #expect(try side.json["teamId"] as? String == teamId)
            #expect(try await client.send("GET", "/v1/rooms?teamId=\(teamId)").items.count == 2)

            let renamed = try await client.send("PUT", "/v1/teams/\(teamId)", json: #"{"name":"Platform 2"}"#)
            #expect(try renamed.json["name"] as? String == "Platform 2")
            #expect(try await client.send("GET", "/v1/rooms/\(general["id"] as! String)").json["title"] as? String == "Platform 2")

            #expect(try await client.send("DELETE", "/v1/teams/\(teamId)").status == 204)
            #expect(try await client.send("GET", "/v1/rooms").items.isEmpty)
        }
    }

    @Test func teamMembershipsJoinTheGeneralRoomAndRefuseDuplicates() async throws {
        try await withEmulator { client, _ in
            let teamId = try await client.create("/v1/teams", #"{"name":"Ops"}"#)
            let added = try await client.send(
                "POST", "/v1/team/memberships", json: #"{"teamId":"\#(teamId)","personEmail":"bob@example.com"}"#)
            #expect(added.status == 200)
            let m = try added.json
            #expect(m["teamId"] as? String == teamId)
            #expect(m["personEmail"] as? String == "bob@example.com")
            #expect(m["isModerator"] as? Bool == false)
            let membershipId = try #require(m["id"] as? String)
            #expect(HydraID.decode(membershipId)?.type == "TEAM_MEMBERSHIP")

            let duplicate = try await client.send(
                "POST", "/v1/team/memberships", json: #"{"teamId":"\#(teamId)","personEmail":"bob@example.com"}"#)
            #expect(duplicate.status == 409)

            // Bob is now in the General room and sees the team.
            let bobRooms = try await client.send("GET", "/v1/rooms?teamId=\(teamId)", token: "bob-token")
            #expect(try bobRooms.items.map { $0["title"] as? String } == ["Ops"])
            #expect(try await client.send("GET", "/v1/teams", token: "bob-token").items.count == 1)
            // Not a moderator: cannot add others.
            let bobAdds = try await client.send(
                "POST", "/v1/team/memberships", token: "bob-token", json: #"{"teamId":"\#(teamId)","personEmail":"carol@example.com"}"#)
            #expect(bobAdds.status == 403)

            // The last team moderator cannot leave.
            let aliceId = try #require(
                try await client.send("GET", "/v1/team/memberships?teamId=\(teamId)").items.first { $0["isModerator"] as? Bool == true }?["id"]
                    as? String)
            #expect(try await client.send("DELETE", "/v1/team/memberships/\(aliceId)").status == 409)
            #expect(try await client.send("PUT", "/v1/team/memberships/\(aliceId)", json: #"{"isModerator":false}"#).status == 409)

            // Bob leaves: out of the team and its General room.
            #expect(try await client.send("DELETE", "/v1/team/memberships/\(membershipId)", token: "bob-token").status == 204)
            #expect(try await client.send("GET", "/v1/rooms", token: "bob-token").items.isEmpty)
            #expect(try await client.send("GET", "/v1/team/memberships/\(membershipId)").status == 404)
        }
    }
}

@Suite struct AttachmentActionTests {
    static let card = #"{"contentType":"application/vnd.microsoft.card.adaptive","content":{"type":"AdaptiveCard","version":"1.2","body":[],"actions":[{"type":"Action.Submit","title":"OK"}]}}"#

    @Test func submitAndGet() async throws {
        try await withEmulator { client, _ in
            let roomId = try await client.create("/v1/rooms", #"{"title":"Cards"}"#)
            _ = try await client.create("/v1/memberships", #"{"roomId":"\#(roomId)","personEmail":"bob@example.com"}"#)
            let cardMessage = try await client.create(
                "/v1/messages", #"{"roomId":"\#(roomId)","text":"card","attachments":[\#(Self.card)]}"#)
            let plain = try await client.create("/v1/messages", #"{"roomId":"\#(roomId)","text":"plain"}"#)

            let submitted = try await client.send(
                "POST", "/v1/attachment/actions", token: "bob-token",
                json: #"{"type":"submit","messageId":"\#(cardMessage)","inputs":{"choice":"yes","n":2}}"#)
            #expect(submitted.status == 200)
            let action = try submitted.json
            let actionId = try #require(action["id"] as? String)
            #expect(HydraID.decode(actionId)?.type == "ATTACHMENT_ACTION")
            #expect(action["type"] as? String == "submit")
            #expect(action["messageId"] as? String == cardMessage)
            #expect(action["roomId"] as? String == roomId)
            #expect((action["inputs"] as? [String: Any])?["choice"] as? String == "yes")
            #expect(action["personId"] as? String == (try await client.send("GET", "/v1/people/me", token: "bob-token").json["id"] as? String))
            #expect(action["created"] is String)

            let fetched = try await client.send("GET", "/v1/attachment/actions/\(actionId)")
            #expect(fetched.status == 200)
            #expect(try fetched.json["id"] as? String == actionId)
            #expect(try await client.send("GET", "/v1/attachment/actions/\(actionId)", token: "carol-token").status == 404)

            let wrongType = try await client.send(
                "POST", "/v1/attachment/actions", json: #"{"type":"click","messageId":"\#(cardMessage)","inputs":{}}"#)
            #expect(wrongType.status == 400)
            let noCard = try await client.send(
                "POST", "/v1/attachment/actions", json: #"{"type":"submit","messageId":"\#(plain)","inputs":{}}"#)
            #expect(noCard.status == 400)
            let outsider = try await client.send(
                "POST", "/v1/attachment/actions", token: "carol-token", json: #"{"type":"submit","messageId":"\#(cardMessage)","inputs":{}}"#)
            #expect(outsider.status == 404)
        }
    }
}
