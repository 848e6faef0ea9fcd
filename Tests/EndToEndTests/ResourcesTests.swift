import Foundation
import Testing

/// Memberships, teams, team memberships, cards and read status through the real binaries.
@Suite(.serialized) struct ResourcesTests {
    func id(_ r: Result) -> String { r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) }

    @Test func membershipsAndTheirRules() throws {
        let emu = try Emulator()
        #expect(try emu.webex(["rooms", "create", "--title", "Ops"]).status == 0)
        let add = try emu.webex(["memberships", "create", "--room", "Ops", "--person", "bob@example.com", "--json"])
        #expect(add.status == 0, "\(add.stderr)")
        let m = try #require(try add.json() as? [String: Any])
        #expect(m["personEmail"] as? String == "bob@example.com")
        #expect(m["isModerator"] as? Bool == false)
        let membershipId = try #require(m["id"] as? String)

        let again = try emu.webex(["memberships", "create", "--room", "Ops", "--person", "bob@example.com"])
        #expect(again.status == 1)
        #expect(again.stderr.contains("409"))

        let list = try emu.webex(["memberships", "list", "--room", "Ops", "--jq", "[.[].personEmail] | sort | join(\",\")"])
        #expect(list.stdout == "alice@example.com,bob@example.com\n", "\(list.stderr)")
        let one = try emu.webex(["memberships", "list", "--room", "Ops", "--person", "bob@example.com", "--jq", "length"])
        #expect(one.stdout == "1\n")
        let mine = try emu.webex(["memberships", "list", "--jq", "length"], as: "bob@example.com")
        #expect(mine.stdout == "1\n", "\(mine.stderr)")

        let upd = try emu.webex(["memberships", "update", membershipId, "--moderator", "--jq", ".isModerator"])
        #expect(upd.stdout == "true\n", "\(upd.stderr)")
        let get = try emu.webex(["memberships", "get", membershipId, "--jq", ".personEmail"])
        #expect(get.stdout == "bob@example.com\n")

        // Carol is not in the room: its ID gets her a 404, its title finds nothing.
        let roomId = id(try emu.webex(["rooms", "get", "Ops", "--jq", ".id"]))
        let carol = try emu.webex(["memberships", "list", "--room", roomId], as: "carol@example.com")
        #expect(carol.status == 4)

        #expect(try emu.webex(["memberships", "delete", membershipId]).status == 0)
        let after = try emu.webex(["memberships", "list", "--room", "Ops", "--jq", "length"])
        #expect(after.stdout == "1\n")
    }

    @Test func lockedRoomsNeedModerators() throws {
        let emu = try Emulator()
        let room = id(try emu.webex(["rooms", "create", "--title", "Locked", "--locked", "--jq", ".id"]))
        #expect(try emu.webex(["memberships", "create", "--room", room, "--person", "bob@example.com"]).status == 0)
        let byBob = try emu.webex(["memberships", "create", "--room", room, "--person", "carol@example.com"], as: "bob@example.com")
        #expect(byBob.status == 1)
        #expect(byBob.stderr.contains("403"))
        // Alice is the only moderator: she cannot leave.
        let aliceMembership = id(try emu.webex(["memberships", "list", "--room", room, "--person", "alice@example.com", "--jq", ".[0].id"]))
        let leave = try emu.webex(["memberships", "delete", aliceMembership])
        #expect(leave.status == 1)
        #expect(leave.stderr.contains("409") || leave.stderr.contains("403"))
    }

    @Test func teamsAndTeamMemberships() throws {
        let emu = try Emulator()
        let create = try emu.webex(["teams", "create", "--name", "Platform", "--description", "infra", "--json"])
        #expect(create.status == 0, "\(create.stderr)")
        let team = try #require((try create.json() as? [String: Any])?["id"] as? String)
        let general = try emu.webex(["rooms", "list", "--team", team, "--jq", ".[].title"])
        #expect(general.stdout == "Platform\n", "\(general.stderr)")
        let room = try emu.webex(["rooms", "create", "--title", "Platform builds", "--team", "Platform", "--jq", ".teamId"])
        #expect(room.stdout == team + "\n", "\(room.stderr)")

        let add = try emu.webex(["team-memberships", "create", "--team", "Platform", "--person", "bob@example.com", "--jq", ".id"])
        #expect(add.status == 0, "\(add.stderr)")
        let tm = id(add)
        let dup = try emu.webex(["team-memberships", "create", "--team", team, "--person", "bob@example.com"])
        #expect(dup.status == 1)
        #expect(dup.stderr.contains("409"))
        let list = try emu.webex(["team-memberships", "list", "--team", team, "--jq", "[.[].personEmail] | sort | join(\",\")"])
        #expect(list.stdout == "alice@example.com,bob@example.com\n")
        #expect(try emu.webex(["team-memberships", "update", tm, "--moderator", "--jq", ".isModerator"]).stdout == "true\n")
        #expect(try emu.webex(["team-memberships", "get", tm, "--jq", ".personEmail"]).stdout == "bob@example.com\n")
        #expect(try emu.webex(["team-memberships", "delete", tm]).status == 0)
        let missing = try emu.webex(["team-memberships", "list", "--team", "Nope"])
        #expect(missing.status == 4)

        let renamed = try emu.webex(["teams", "update", team, "--name", "Platform team", "--jq", ".name"])
        #expect(renamed.stdout == "Platform team\n", "\(renamed.stderr)")
        #expect(try emu.webex(["teams", "get", "Platform team", "--jq", ".description"]).stdout == "infra\n")
        #expect(try emu.webex(["teams", "list", "--jq", "length"]).stdout == "1\n")
        #expect(try emu.webex(["teams", "delete", team]).status == 2)  // needs --yes without a terminal
        #expect(try emu.webex(["teams", "delete", team, "--yes"]).status == 0)
        #expect(try emu.webex(["teams", "get", team]).status == 4)
    }

    @Test func cardSubmissions() throws {
        let emu = try Emulator()
        let tmp = TempDir()
        try #"{"type":"AdaptiveCard","version":"1.2","body":[{"type":"Input.Text","id":"comment"}],"actions":[{"type":"Action.Submit","title":"OK"}]}"#
            .write(toFile: tmp.path("card.json"), atomically: true, encoding: .utf8)
        let room = id(try emu.webex(["rooms", "create", "--title", "Approvals", "--jq", ".id"]))
        #expect(try emu.webex(["memberships", "create", "--room", room, "--person", "bob@example.com"]).status == 0)
        let msg = id(try emu.webex(["messages", "send", "--room", room, "--card", tmp.path("card.json"), "--jq", ".id"]))
        let submit = try emu.webex(["cards", "submit", "--message", msg, "--input", "comment=ship it", "--input", "approved=yes", "--json"], as: "bob@example.com")
        #expect(submit.status == 0, "\(submit.stderr)")
        let action = try #require(try submit.json() as? [String: Any])
        #expect(action["type"] as? String == "submit")
        #expect((action["inputs"] as? [String: String]) == ["comment": "ship it", "approved": "yes"])
        let actionId = try #require(action["id"] as? String)
        let get = try emu.webex(["attachment-actions", "get", actionId, "--jq", ".inputs.comment"], as: "bob@example.com")
        #expect(get.stdout == "ship it\n", "\(get.stderr)")
        let outsider = try emu.webex(["attachment-actions", "get", actionId], as: "carol@example.com")
        #expect(outsider.status == 4)
        let noInputs = try emu.webex(["cards", "submit", "--message", msg])
        #expect(noInputs.status == 2)
    }

    @Test func readStatusAndReceipts() throws {
        let emu = try Emulator()
        let room = id(try emu.webex(["rooms", "create", "--title", "Standup", "--jq", ".id"]))
        #expect(try emu.webex(["memberships", "create", "--room", room, "--person", "bob@example.com"]).status == 0)
        let msg = id(try emu.webex(["messages", "send", "--room", room, "--text", "anyone?", "--jq", ".id"], as: "bob@example.com"))

        let unread = try emu.webex(["rooms", "list", "--unread", "--jq", ".[].title"])
        #expect(unread.status == 0, "\(unread.stderr)")
        #expect(unread.stdout == "Standup\n")
        let status = try emu.webex(["rooms", "get", room, "--read-status", "--json"])
        let rs = try #require(try status.json() as? [String: Any])
        #expect(rs["id"] as? String == room)
        #expect(rs["lastSeenActivityDate"] as? String == "1970-01-01T00:00:00.000Z")

        let seen = try emu.webex(["memberships", "seen", msg, "--jq", ".lastSeenId"])
        #expect(seen.stdout == msg + "\n", "\(seen.stderr)")
        let none = try emu.webex(["rooms", "list", "--unread", "--jq", "length"])
        #expect(none.stdout == "0\n")
        let members = try emu.webex(["memberships", "list", "--room", room, "--read-status", "--json"])
        #expect(members.status == 0, "\(members.stderr)")
        let rows = try #require(try members.json() as? [[String: Any]])
        let alice = try #require(rows.first { $0["personEmail"] as? String == "alice@example.com" })
        #expect(alice["lastSeenId"] as? String == msg)
        // Bob wrote it, so he has seen it too.
        let bob = try #require(rows.first { $0["personEmail"] as? String == "bob@example.com" })
        #expect(bob["lastSeenId"] as? String == msg)
    }

    @Test func botsOnlySeeMentionsInGroupRooms() throws {
        let emu = try Emulator()
        let room = id(try emu.webex(["rooms", "create", "--title", "Bots", "--jq", ".id"]))
        #expect(try emu.webex(["memberships", "create", "--room", room, "--person", "emubot@webex.bot"]).status == 0)
        #expect(try emu.webex(["messages", "send", "--room", room, "--text", "not for the bot"]).status == 0)
        #expect(try emu.webex(["messages", "send", "--room", room, "--markdown", "<@personEmail:emubot@webex.bot|Emu Bot> status?"]).status == 0)
        let all = try emu.webex(["messages", "list", "--room", room], as: "emubot@webex.bot")
        #expect(all.status == 1)
        #expect(all.stderr.contains("403"))
        let mentions = try emu.webex(["messages", "list", "--room", room, "--mentioned", "me", "--jq", "length"], as: "emubot@webex.bot")
        #expect(mentions.stdout == "1\n", "\(mentions.stderr)")
    }
}
