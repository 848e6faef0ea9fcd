import Foundation
import Testing

/// `webex events listen` against the emulator's device registration and events websocket.
@Suite(.serialized) struct EventsTests {
    /// Authorized socket connections of `email`, from the emulator's control API.
    func connections(_ emu: Emulator, _ email: String = "alice@example.com") async throws -> [[String: Any]] {
        let (_, data) = try await emu.http("GET", "/_emulator/mercury/connections")
        let items = ((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["items"] as? [[String: Any]]) ?? []
        return items.filter { $0["email"] as? String == email && $0["authorized"] as? Bool == true }
    }

    /// Waits until `email` has `count` authorized sockets.
    func waitConnected(_ emu: Emulator, _ email: String = "alice@example.com", count: Int = 1, timeout: Double = 20) async throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try await connections(emu, email).count >= count { return true }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        return false
    }

    func room(_ emu: Emulator, _ title: String, members: [String] = ["bob@example.com"]) throws -> String {
        let id = try emu.webex(["rooms", "create", "--title", title, "--jq", ".id"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        for m in members { #expect(try emu.webex(["memberships", "create", "--room", id, "--person", m]).status == 0) }
        return id
    }

    func lines(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    @Test func aMessageFromSomeoneElseArrivesWithItsFullText() async throws {
        let emu = try Emulator()
        let roomId = try room(emu, "Events")
        let listen = try emu.webexInBackground(["events", "listen", "--count", "1", "--timeout", "60"])
        #expect(try await waitConnected(emu), "\(listen.stderr)")
        let sent = try emu.webex(["messages", "send", "--room", roomId, "--markdown", "**deploy** finished", "--jq", ".id"], as: "bob@example.com")
        #expect(await listen.exitStatus(timeout: 20) == 0, "\(listen.stderr)")
        let events = lines(listen.stdout)
        #expect(events.count == 1, "\(listen.stdout)")
        let e = try #require(events.first)
        #expect(e["resource"] as? String == "messages" && e["event"] as? String == "created")
        let data = try #require(e["data"] as? [String: Any])
        #expect(data["id"] as? String == sent.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(data["text"] as? String == "deploy finished")
        #expect(data["markdown"] as? String == "**deploy** finished")
        #expect(data["personEmail"] as? String == "bob@example.com")
        #expect(e["actorId"] as? String == data["personId"] as? String)
        #expect(e["createdBy"] != nil && e["created"] != nil)
        // Piped: no chatter on stderr.
        #expect(listen.stderr.isEmpty, "\(listen.stderr)")
    }

    @Test func filtersByResourceEventAndRoomAndRunsExec() async throws {
        let emu = try Emulator()
        let watched = try room(emu, "Watched")
        let other = try room(emu, "Other")
        let tmp = TempDir()
        let listen = try emu.webexInBackground(["events", "listen", "--room", "Watched", "--resource", "memberships", "--resource", "messages",
                                                "--event", "created", "--count", "2", "--timeout", "60",
                                                "--exec", "cat >> \(tmp.path("exec.log"))"])
        #expect(try await waitConnected(emu), "\(listen.stderr)")
        try await emu.postMessage(roomId: other, text: "not this room", as: "bob@example.com")
        let del = try emu.webex(["messages", "send", "--room", watched, "--text", "to delete", "--jq", ".id"], as: "bob@example.com")
        #expect(await listen.wait { self.lines($0.stdout).count == 1 }, "\(listen.stderr)")
        #expect(try emu.webex(["messages", "delete", del.stdout.trimmingCharacters(in: .whitespacesAndNewlines)], as: "bob@example.com").status == 0)
        #expect(try emu.webex(["memberships", "create", "--room", watched, "--person", "carol@example.com"]).status == 0)
        #expect(await listen.exitStatus(timeout: 20) == 0, "\(listen.stderr)")
        let events = lines(listen.stdout)
        let names = events.map { "\($0["resource"] ?? ""):\($0["event"] ?? "")" }
        #expect(names == ["messages:created", "memberships:created"], "\(listen.stdout)")
        #expect((events.first?["data"] as? [String: Any])?["text"] as? String == "to delete")
        #expect((events.last?["data"] as? [String: Any])?["personEmail"] as? String == "carol@example.com")
        // --exec got each event's line on its standard input.
        let logged = String(decoding: FileManager.default.contents(atPath: tmp.path("exec.log")) ?? Data(), as: UTF8.self)
        #expect(lines(logged).count == 2)

        let jq = try emu.webexInBackground(["messages", "listen", "--count", "1", "--timeout", "60", "--jq", ".data.text"])
        #expect(try await waitConnected(emu), "\(jq.stderr)")
        try await emu.postMessage(roomId: watched, text: "plain text out", as: "bob@example.com")
        #expect(await jq.exitStatus(timeout: 20) == 0, "\(jq.stderr)")
        #expect(jq.stdout == "plain text out\n")
    }

    @Test func theDeviceIsRegisteredOnceReusedAndUnregistered() async throws {
        let emu = try Emulator()
        for _ in 0..<3 {
            let r = try emu.webex(["events", "listen", "--timeout", "0.5"])
            #expect(r.status == 124, "\(r.stderr)")
        }
        let (_, data) = try await emu.http("GET", "/_emulator/devices")
        let all = ((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["items"] as? [[String: Any]]) ?? []
        #expect(all.count == 1, "three runs, one registration: \(all)")
        let state = try FileManager.default.contentsOfDirectory(atPath: emu.configDir.path("state/devices"))
        #expect(state.count == 1)
        let attrs = try FileManager.default.attributesOfItem(atPath: emu.configDir.path("state/devices/" + state[0]))
        #expect((attrs[.posixPermissions] as? Int) == 0o600)

        let listed = try emu.webex(["events", "devices", "--json"])
        let devices = try #require(try listed.json() as? [[String: Any]])
        #expect(devices.count == 1 && devices.first?["inUse"] as? Bool == true, "\(listed.stdout)")
        #expect(try emu.webex(["events", "unregister"]).status == 0)
        #expect(try emu.webex(["events", "devices", "--jq", "length"]).stdout == "0\n")
        let again = try emu.webex(["events", "unregister"])
        #expect(again.status == 0 && again.stderr.contains("no device registration"))
        // Removing every registration asks first; a script must say --yes.
        #expect(try emu.webex(["events", "unregister", "--all"]).status == 2)
    }

    @Test func everyMessageArrivesExactlyOnceWhileTheSocketKeepsDropping() async throws {
        let emu = try Emulator()
        let roomId = try room(emu, "Flaky")
        let total = 30
        let listen = try emu.webexInBackground(["messages", "listen", "--event", "created", "--count", "\(total)", "--timeout", "90",
                                                "--log-level", "info"])
        #expect(try await waitConnected(emu), "\(listen.stderr)")
        for i in 0..<total {
            try await emu.postMessage(roomId: roomId, text: "m\(i)", as: "bob@example.com")
            if i % 10 == 4 {
                // Drop every socket (no close frame) and refuse reconnects for a moment: the messages posted
                // meanwhile are never pushed, so only the catch-up over REST can deliver them.
                try await emu.http("POST", "/_emulator/mercury/drop", json: [:])
                try await emu.http("POST", "/_emulator/mercury/refuse", json: ["seconds": 0.5])
            }
            try await Task.sleep(nanoseconds: 250_000_000)
        }
        #expect(await listen.exitStatus(timeout: 60) == 0, "\(listen.stderr)")
        let texts = lines(listen.stdout).compactMap { ($0["data"] as? [String: Any])?["text"] as? String }
        #expect(texts.count == total, "\(texts)")
        #expect(Set(texts) == Set((0..<total).map { "m\($0)" }), "\(texts)")
        // The drops really happened, and the catch-up over REST really delivered messages.
        let log = listen.stderr
        #expect(log.components(separatedBy: "events socket closed").count - 1 >= 2, "\(log)")
        let caught = log.split(separator: "\n").compactMap { line -> Int? in
            guard let r = line.range(of: "caught up: ") else { return nil }
            return Int(line[r.upperBound...].prefix { $0.isNumber })
        }
        #expect(caught.reduce(0, +) > 0, "\(log)")
        #expect(caught.reduce(0, +) < total, "some messages must have come over the socket: \(log)")
    }

    @Test func replacedConnectionStopsWithoutReconnecting() async throws {
        let emu = try Emulator()
        let listen = try emu.webexInBackground(["events", "listen", "--timeout", "60"])
        #expect(try await waitConnected(emu), "\(listen.stderr)")
        try await emu.http("POST", "/_emulator/mercury/close", json: ["code": 4000, "reason": "replaced"])
        #expect(await listen.exitStatus(timeout: 10) == 1, "\(listen.stderr)")
        #expect(listen.stderr.contains("4000"), "\(listen.stderr)")
        #expect(try await connections(emu).isEmpty)
    }

    @Test func interruptClosesCleanlyWithStatus130() async throws {
        let emu = try Emulator()
        let listen = try emu.webexInBackground(["events", "listen"])
        #expect(try await waitConnected(emu), "\(listen.stderr)")
        kill(listen.process.processIdentifier, SIGINT)
        #expect(await listen.exitStatus(timeout: 10) == 130, "\(listen.stderr)")
        #expect(try await connections(emu).isEmpty)
    }

    @Test func anExpiredTokenIsRefreshedAndListeningGoesOn() async throws {
        let emu = try Emulator()
        let client = ["WEBEX_CLIENT_ID": "emulator-client", "WEBEX_CLIENT_SECRET": "emulator-secret"]
        let creds = try await emu.browserLogin(client: client)
        let oldToken = try #require(creds["accessToken"] as? String)
        let roomId = try room(emu, "Refresh")

        let listen = try emu.webexInBackground(["messages", "listen", "--count", "1", "--timeout", "60"], as: nil, extraEnv: client)
        #expect(try await waitConnected(emu), "\(listen.stderr)")
        // The token expires on the server, then the socket drops: the reconnect is refused (4401), the token
        // refreshed, and the listener carries on.
        try await emu.http("POST", "/_emulator/tokens/expire", json: ["token": oldToken])
        try await emu.http("POST", "/_emulator/mercury/drop", json: [:])
        #expect(try await waitConnected(emu), "\(listen.stderr)")
        try await emu.postMessage(roomId: roomId, text: "after refresh", as: "bob@example.com")
        #expect(await listen.exitStatus(timeout: 20) == 0, "\(listen.stderr)")
        #expect(lines(listen.stdout).first.flatMap { ($0["data"] as? [String: Any])?["text"] as? String } == "after refresh")
        #expect(try emu.storedCredentials()["accessToken"] as? String != oldToken)
        #expect(!listen.stderr.contains(oldToken))
    }

    @Test func badArgumentsAreUsageErrors() throws {
        let emu = try Emulator()
        let r = try emu.webex(["events", "listen", "--resource", "mesages"])
        #expect(r.status == 2 && r.stderr.contains("unknown resource"))
        let t = try emu.webex(["events", "listen", "--timeout", "soon"])
        #expect(t.status == 2 && t.stderr.contains("not a duration"))
        let c = try emu.webex(["messages", "listen", "--count", "0"])
        #expect(c.status == 2)
    }
}
