import Foundation
import Testing

/// Login flows, token lifecycle and storage, through the real binaries.
@Suite(.serialized) struct AuthTests {
    let client = ["WEBEX_CLIENT_ID": "emulator-client", "WEBEX_CLIENT_SECRET": "emulator-secret"]

    func mode(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func withTokenStoresA0600ProfileAndTokenPrintsIt() throws {
        let emu = try Emulator()
        let login = try emu.webex(["auth", "login", "--with-token"], as: nil, stdin: emu.token("bob@example.com") + "\n")
        #expect(login.status == 0, "\(login.stderr)")
        #expect(login.stderr.contains("Bob Example"))
        let file = emu.configDir.path("profiles/default.json")
        #expect(mode(file) == 0o600)
        #expect(mode(emu.configDir.path("profiles")) == 0o700)
        let me = try emu.webex(["people", "me", "--jq", ".displayName"], as: nil)
        #expect(me.stdout == "Bob Example\n", "\(me.stderr)")
        let token = try emu.webex(["auth", "token"], as: nil)
        #expect(token.stdout == emu.token("bob@example.com") + "\n")
        let status = try emu.webex(["auth", "status"], as: nil)
        #expect(status.stdout.contains("profile 'default'"))
        #expect(!status.stdout.contains(emu.token("bob@example.com")))
        // Precedence: WEBEX_ACCESS_TOKEN over the profile, --token-file over both.
        #expect(try emu.webex(["people", "me", "--jq", ".displayName"]).stdout == "Alice Example\n")
        let tf = emu.configDir.path("carol.token")
        FileManager.default.createFile(atPath: tf, contents: Data(emu.token("carol@example.com").utf8), attributes: [.posixPermissions: 0o600])
        #expect(try emu.webex(["people", "me", "--token-file", tf, "--jq", ".displayName"]).stdout == "Carol Example\n")
        // A bad token is refused at login and nothing is stored for the profile.
        let bad = try emu.webex(["auth", "login", "--with-token", "--profile", "broken"], as: nil, stdin: "nope")
        #expect(bad.status == 3)
        #expect(!FileManager.default.fileExists(atPath: emu.configDir.path("profiles/broken.json")))
        #expect(try emu.webex(["auth", "logout"], as: nil).status == 0)
        let after = try emu.webex(["people", "me"], as: nil)
        #expect(after.status == 3)
        #expect(after.stderr.contains("webex auth login"))
    }

    @Test func browserCodeFlowWithPKCE() async throws {
        let emu = try Emulator()
        let login = try emu.webexInBackground(["auth", "login", "--no-browser", "--profile", "work"], as: nil, extraEnv: client)
        #expect(await login.wait { $0.stderr.contains("/authorize?") }, "\(login.stderr)")
        let url = try #require(login.stderr.split(separator: "\n").first { $0.contains("/authorize?") })
        #expect(url.contains("code_challenge_method=S256"))
        // The emulator approves as alice and redirects to webex's loopback server.
        let (status, _) = try await emu.http("GET", String(url.dropFirst(emu.origin.count)))
        #expect(status == 200)
        #expect(await login.exitStatus() == 0, "\(login.stderr)")
        #expect(login.stderr.contains("Alice Example"))
        let me = try emu.webex(["people", "me", "--profile", "work", "--jq", ".displayName"], as: nil)
        #expect(me.stdout == "Alice Example\n", "\(me.stderr)")
        #expect(mode(emu.configDir.path("profiles/work.json")) == 0o600)
        let list = try emu.webex(["auth", "list"], as: nil)
        #expect(list.stdout.contains("work\talice@example.com\tauthorization_code"))
    }

    @Test func deviceFlow() async throws {
        let emu = try Emulator()
        try await emu.http("PUT", "/_emulator/settings", json: ["deviceInterval": 0.2])
        let login = try emu.webexInBackground(["auth", "login", "--device"], as: nil, extraEnv: client)
        #expect(await login.wait { $0.stderr.contains("enter the code") }, "\(login.stderr)")
        let line = try #require(login.stderr.split(separator: "\n").first { $0.contains("enter the code") })
        let code = String(try #require(line.split(separator: " ").last))
        try await Task.sleep(nanoseconds: 600_000_000)  // a few polls answered "pending"
        #expect(login.process.isRunning)
        let (s, body) = try await emu.http("POST", "/_emulator/device/approve", json: ["user_code": code, "email": "carol@example.com"])
        #expect(s == 200, "\(String(decoding: body, as: UTF8.self))")
        #expect(await login.exitStatus() == 0, "\(login.stderr)")
        #expect(try emu.webex(["people", "me", "--jq", ".displayName"], as: nil).stdout == "Carol Example\n")
    }

    @Test func expiredTokenIsRefreshedAndRevokedRefreshGivesExit3() async throws {
        let emu = try Emulator()
        let before = try await emu.browserLogin(client: client)
        let file = emu.configDir.path("profiles/default.json")
        let oldToken = try #require(before["accessToken"] as? String)

        // The server expires the token mid-run: the 401 is answered by one refresh and one replay.
        try await emu.http("POST", "/_emulator/tokens/expire", json: ["token": oldToken])
        let me = try emu.webex(["people", "me", "--jq", ".displayName", "--verbose"], as: nil)
        #expect(me.status == 0, "\(me.stderr)")
        #expect(me.stdout == "Alice Example\n")
        let after = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any])
        let newToken = try #require(after["accessToken"] as? String)
        #expect(newToken != oldToken)
        #expect(mode(file) == 0o600)
        // Nothing secret in the verbose log of the whole exchange.
        let refresh = try #require(after["refreshToken"] as? String)
        for secret in [oldToken, newToken, refresh, "emulator-secret"] { #expect(!me.stderr.contains(secret)) }

        // Two processes refreshing at once leave one valid, readable file.
        try await emu.http("POST", "/_emulator/tokens/expire", json: ["token": newToken])
        let a = try emu.webexInBackground(["people", "me", "--jq", ".displayName"], as: nil)
        let b = try emu.webexInBackground(["people", "me", "--jq", ".displayName"], as: nil)
        #expect(await a.exitStatus() == 0, "\(a.stderr)")
        #expect(await b.exitStatus() == 0, "\(b.stderr)")
        #expect(a.stdout == "Alice Example\n" && b.stdout == "Alice Example\n")
        let final = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any])
        #expect(try emu.webex(["people", "me", "--jq", ".displayName"], as: nil).stdout == "Alice Example\n")
        #expect(final["refreshToken"] as? String == refresh)

        // A revoked refresh token: exit 3 and the command to log in again.
        try await emu.http("POST", "/_emulator/tokens/revoke", json: ["token": refresh])
        let revoked = try emu.webex(["people", "me"], as: nil)
        #expect(revoked.status == 3)
        #expect(revoked.stderr.contains("webex auth login"))
        #expect(!revoked.stderr.contains(refresh))
    }

    @Test func shortLivedTokenIsRefreshedBeforeItExpires() async throws {
        let emu = try Emulator()
        // Tokens that live 60 s are inside the 5-minute margin: the next command refreshes first.
        try await emu.http("PUT", "/_emulator/settings", json: ["accessTokenLifetime": 60])
        let login = try emu.webexInBackground(["auth", "login", "--no-browser"], as: nil, extraEnv: client)
        #expect(await login.wait { $0.stderr.contains("/authorize?") })
        let url = try #require(login.stderr.split(separator: "\n").first { $0.contains("/authorize?") })
        _ = try await emu.http("GET", String(url.dropFirst(emu.origin.count)))
        #expect(await login.exitStatus() == 0, "\(login.stderr)")
        try await emu.clearRequests()
        #expect(try emu.webex(["people", "me", "--jq", ".displayName"], as: nil).stdout == "Alice Example\n")
        let log = try await emu.requests().map { "\($0["method"] as? String ?? "") \($0["path"] as? String ?? "") \($0["status"] as? Int ?? 0)" }
        #expect(log == ["POST /v1/access_token 200", "GET /v1/people/me 200"])
    }

    @Test func guestIssuer() async throws {
        let emu = try Emulator()
        let (_, data) = try await emu.http("GET", "/_emulator/oauth")
        let oauth = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let issuer = try #require((oauth["guestIssuers"] as? [[String: Any]])?.first)
        let id = try #require(issuer["issuerId"] as? String), secret = try #require(issuer["secret"] as? String)
        let guest = try emu.webex(["auth", "guest", "--issuer", id, "--name", "Visitor One", "--profile", "guest"], as: nil,
                                  extraEnv: ["WEBEX_GUEST_ISSUER_SECRET": secret])
        #expect(guest.status == 0, "\(guest.stderr)")
        let me = try emu.webex(["people", "me", "--profile", "guest", "--jq", ".displayName"], as: nil)
        #expect(me.stdout == "Visitor One\n", "\(me.stderr)")
        let wrong = try emu.webex(["auth", "guest", "--issuer", id, "--name", "X", "--profile", "g2"], as: nil,
                                  extraEnv: ["WEBEX_GUEST_ISSUER_SECRET": Data("wrong-secret-wrong-secret".utf8).base64EncodedString()])
        #expect(wrong.status == 3)
    }

    @Test func profilesSwitch() throws {
        let emu = try Emulator()
        #expect(try emu.webex(["auth", "login", "--with-token", "--profile", "a"], as: nil, stdin: emu.token("alice@example.com")).status == 0)
        #expect(try emu.webex(["auth", "login", "--with-token", "--profile", "b"], as: nil, stdin: emu.token("bob@example.com")).status == 0)
        // The first login made its profile active.
        #expect(try emu.webex(["people", "me", "--jq", ".displayName"], as: nil).stdout == "Alice Example\n")
        #expect(try emu.webex(["auth", "switch", "b"], as: nil).status == 0)
        #expect(try emu.webex(["people", "me", "--jq", ".displayName"], as: nil).stdout == "Bob Example\n")
        #expect(try emu.webex(["people", "me", "--jq", ".displayName"], as: nil, extraEnv: ["WEBEX_PROFILE": "a"]).stdout == "Alice Example\n")
        #expect(try emu.webex(["auth", "switch", "nope"], as: nil).status == 4)
        #expect(try emu.webex(["auth", "login", "--with-token", "--profile", "../x"], as: nil, stdin: "t").status == 2)
    }
}
