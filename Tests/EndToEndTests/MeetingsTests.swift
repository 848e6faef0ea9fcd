import Foundation
import Testing

/// `webex meetings …` and `webex meeting …` against the emulator's meeting info, Locus and events socket.
@Suite(.serialized) struct MeetingsTests {
    func lines(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    func events(_ b: Background) -> [String] { lines(b.stdout).compactMap { $0["event"] as? String } }

    func has(_ b: Background, _ event: String, count: Int = 1) -> Bool { events(b).filter { $0 == event }.count >= count }

    /// The `command:result` lines of a join, in order.
    func results(_ b: Background) -> [[String: Any]] {
        lines(b.stdout).filter { $0["event"] as? String == "command:result" }.compactMap { $0["data"] as? [String: Any] }
    }

    func pid(_ b: Background) -> String {
        let joined = lines(b.stdout).first { $0["event"] as? String == "meeting:joined" }
        let status = (joined?["data"] as? [String: Any])?["status"] as? [String: Any]
        return String(describing: (status?["pid"] as? Int) ?? -1)
    }

    @Test func scheduledMeetingsCanBeCreatedListedChangedAndDeleted() throws {
        let emu = try Emulator()
        let created = try emu.webex(["meetings", "create", "--title", "Planning", "--start", "+1h", "--end", "+90m", "--json"],
                                    extraEnv: ["WEBEX_MEETING_PASSWORD": "Plan-2026"])
        #expect(created.status == 0, "\(created.stderr)")
        let m = try #require(try created.json() as? [String: Any])
        let id = try #require(m["id"] as? String)
        #expect(m["title"] as? String == "Planning")
        #expect(m["password"] as? String == "Plan-2026")
        #expect((m["webLink"] as? String)?.hasPrefix("https://") == true)
        let list = try emu.webex(["meetings", "list", "--json", "--jq", "[.[].id]"])
        #expect(list.stdout.contains(id), "\(list.stderr)")
        let updated = try emu.webex(["meetings", "update", id, "--title", "Planning (moved)", "--json"])
        #expect(updated.status == 0, "\(updated.stderr)")
        #expect((try updated.json() as? [String: Any])?["title"] as? String == "Planning (moved)")
        // Someone else cannot change it.
        #expect(try emu.webex(["meetings", "delete", id, "--yes"], as: "bob@example.com").status != 0)
        #expect(try emu.webex(["meetings", "delete", id, "--yes"]).status == 0)
        #expect(try emu.webex(["meetings", "get", id]).status == 4)
        // Bad input is refused before anything is sent.
        let bad = try emu.webex(["meetings", "create", "--title", "x", "--start", "tomorrow", "--end", "+1h"])
        #expect(bad.status == 2 && bad.stderr.contains("--start"))
    }

    @Test func meetingInfoFindsPersonalRoomsAndRefusesBareNumbers() throws {
        let emu = try Emulator()
        let pmr = try emu.webex(["meeting", "pmr", "--json"])
        #expect(pmr.status == 0, "\(pmr.stderr)")
        let room = try #require(try pmr.json() as? [String: Any])
        let link = try #require(room["link"] as? String)
        let info = try emu.webex(["meeting", "info", link, "--json"], as: "bob@example.com")
        #expect(info.status == 0, "\(info.stderr)")
        let number = try #require((try info.json() as? [String: Any])?["meetingNumber"] as? String)
        let bare = try emu.webex(["meeting", "info", number])
        #expect(bare.status == 2 && bare.stderr.contains("--type number"), "\(bare.stderr)")
        let byNumber = try emu.webex(["meeting", "info", number, "--type", "number", "--json"], as: "bob@example.com")
        #expect(byNumber.status == 0, "\(byNumber.stderr)")
        let unknown = try emu.webex(["meeting", "info", "https://emulator.webex.com/meet/nobody-here"])
        #expect(unknown.status == 4, "\(unknown.stderr)")
        let noMedia = try emu.webex(["meeting", "join", link])
        #expect(noMedia.status == 2 && noMedia.stderr.contains("--no-media"))
        let noJoin = try emu.webex(["meeting", "members"], extraEnv: ["XDG_RUNTIME_DIR": emu.configDir.path("run-empty")])
        #expect(noJoin.status == 4 && noJoin.stderr.contains("no `webex meeting join` is running"), "\(noJoin.stderr)")
    }

    @Test func ctrlCLeavesTheMeetingAndExits130() async throws {
        let emu = try Emulator()
        let run = emu.configDir.path("run")
        let join = try emu.webexInBackground(["meeting", "join", "https://emulator.webex.com/meet/alice", "--no-media"],
                                             extraEnv: ["XDG_RUNTIME_DIR": run])
        defer { join.stop() }
        #expect(await join.wait(timeout: 30) { self.has($0, "meeting:joined") }, "\(join.stderr)")
        join.process.interrupt()
        #expect(await join.exitStatus(timeout: 20) == 130, "\(join.stderr)")
        #expect(has(join, "meeting:self:left") && has(join, "meeting:ended"))
        // Webex saw the leave: nobody is left in the personal room's meeting.
        let (_, data) = try await emu.http("GET", "/_emulator/loci")
        let loci = ((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["items"] as? [[String: Any]]) ?? []
        let present = loci.flatMap { ($0["participants"] as? [[String: Any]]) ?? [] }.filter { $0["state"] as? String == "JOINED" }
        #expect(!loci.isEmpty && present.isEmpty, "\(String(decoding: data, as: UTF8.self))")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: run + "/webex")) ?? []).isEmpty)
    }

    /// The scenario: two joins, lobby, admit, mute, recording, a non-host refused, passwords, end.
    @Test func hostAndGuestSeeEachOthersChanges() async throws {
        let emu = try Emulator()
        let run = emu.configDir.path("run")
        try FileManager.default.createDirectory(atPath: run, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let env = ["XDG_RUNTIME_DIR": run]
        let created = try emu.webex(["meetings", "create", "--title", "Standup", "--start", "now", "--end", "+1h", "--json"],
                                    extraEnv: ["WEBEX_MEETING_PASSWORD": "Stand-Up-1"])
        let link = try #require((try created.json() as? [String: Any])?["webLink"] as? String, "\(created.stderr)")

        // The host joins and locks.
        let alice = try emu.webexInBackground(["meeting", "join", link, "--no-media"], extraEnv: env, stdinPipe: true)
        defer { alice.stop() }
        #expect(await alice.wait(timeout: 30) { self.has($0, "meeting:joined") }, "\(alice.stderr)")
        let alicePid = pid(alice)
        alice.send("lock")
        #expect(await alice.wait { self.has($0, "meeting:locked") }, "\(alice.stdout)\n\(alice.stderr)")

        // A wrong password is refused; the right one gets Bob into the lobby.
        let wrongFile = emu.configDir.path("wrong"), rightFile = emu.configDir.path("right")
        try "nope".write(toFile: wrongFile, atomically: true, encoding: .utf8)
        try "Stand-Up-1".write(toFile: rightFile, atomically: true, encoding: .utf8)
        let noPassword = try emu.webex(["meeting", "join", link, "--no-media"], as: "bob@example.com", extraEnv: env)
        #expect(noPassword.status == 2 && noPassword.stderr.contains("password"), "\(noPassword.stderr)")
        let wrong = try emu.webex(["meeting", "join", link, "--no-media", "--password-file", wrongFile], as: "bob@example.com", extraEnv: env)
        #expect(wrong.status == 2 && wrong.stderr.contains("wrong"), "\(wrong.stderr)")
        let bob = try emu.webexInBackground(["meeting", "join", link, "--no-media", "--password-file", rightFile], as: "bob@example.com",
                                            extraEnv: env, stdinPipe: true)
        defer { bob.stop() }
        #expect(await bob.wait(timeout: 30) { self.has($0, "meeting:self:lobbyWaiting") }, "\(bob.stdout)\n\(bob.stderr)")
        let bobPid = pid(bob)
        #expect(bobPid != alicePid && bobPid != "-1")
        // Alice sees Bob waiting, through her stream and through the control socket.
        #expect(await alice.wait { b in self.lines(b.stdout).contains { l in
            l["event"] as? String == "members:update" && "\(l)".contains("IN_LOBBY") } }, "\(alice.stdout)")
        let waiting = try emu.webex(["meeting", "members", "--session", alicePid, "--json"], extraEnv: env)
        #expect(waiting.status == 0, "\(waiting.stderr)")
        let roster = try #require(try waiting.json() as? [[String: Any]])
        #expect(roster.contains { $0["name"] as? String == "Bob Example" && $0["status"] as? String == "IN_LOBBY" })

        // Admit from another shell.
        let admit = try emu.webex(["meeting", "admit", "Bob Example", "--session", alicePid], extraEnv: env)
        #expect(admit.status == 0, "\(admit.stderr)")
        #expect(await bob.wait { self.has($0, "meeting:self:guestAdmitted") }, "\(bob.stdout)")

        // Bob is not the host: locking is refused with a clear error, through both paths.
        let refused = try emu.webex(["meeting", "unlock", "--session", bobPid], as: "bob@example.com", extraEnv: env)
        #expect(refused.status == 1 && refused.stderr.contains("only the host"), "\(refused.stderr)")
        bob.send("lock")
        #expect(await bob.wait { b in self.results(b).contains { $0["command"] as? String == "lock" && $0["ok"] as? Bool == false } })

        // Host mutes Bob, unlocks and records: Bob's stream shows each.
        let mute = try emu.webex(["meeting", "mute", "Bob", "--session", alicePid], extraEnv: env)
        #expect(mute.status == 0, "\(mute.stderr)")
        #expect(await bob.wait { self.has($0, "meeting:self:mutedByOthers") }, "\(bob.stdout)")
        let bobView = try emu.webex(["meeting", "members", "--session", bobPid, "--json"], as: "bob@example.com", extraEnv: env)
        let bobRoster = try #require(try bobView.json() as? [[String: Any]], "\(bobView.stderr)")
        #expect(bobRoster.contains { $0["isSelf"] as? Bool == true && $0["mutedByHost"] as? Bool == true && $0["status"] as? String == "IN_MEETING" })
        alice.send("unlock")
        #expect(await bob.wait { self.has($0, "meeting:unlocked") }, "\(bob.stdout)")
        alice.send("record start")
        #expect(await bob.wait { self.has($0, "meeting:recording:started") }, "\(bob.stdout)")
        let status = try emu.webex(["meeting", "status", "--session", bobPid, "--json"], as: "bob@example.com", extraEnv: env)
        #expect((try status.json() as? [String: Any])?["recording"] as? String == "recording", "\(status.stdout)")

        // The host ends it: both joins report it and exit 0.
        let end = try emu.webex(["meeting", "end", "--session", alicePid], extraEnv: env)
        #expect(end.status == 0, "\(end.stderr)")
        #expect(await bob.exitStatus(timeout: 20) == 0, "\(bob.stderr)")
        #expect(await alice.exitStatus(timeout: 20) == 0, "\(alice.stderr)")
        #expect(has(bob, "meeting:removed") && has(bob, "meeting:ended"))
        #expect(has(alice, "meeting:ended"))
        // Their control sockets are gone.
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: run + "/webex")) ?? []).isEmpty)
    }
}
