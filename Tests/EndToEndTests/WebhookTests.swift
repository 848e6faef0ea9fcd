import Foundation
import Testing

/// Webhooks both ways: the emulator delivers signed events, `webex webhooks serve` verifies and prints them.
@Suite(.serialized) struct WebhookTests {
    @Test func webhookCRUDAndFilterValidation() throws {
        let emu = try Emulator()
        let tmp = TempDir()
        try "s3cret".write(toFile: tmp.path("secret"), atomically: true, encoding: .utf8)
        let room = try emu.webex(["rooms", "create", "--title", "Hooks", "--jq", ".id"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let badKey = try emu.webex(["webhooks", "create", "--name", "x", "--target-url", "http://127.0.0.1:9/h",
                                    "--resource", "messages", "--event", "created", "--filter", "colour=blue"])
        #expect(badKey.status == 1)
        #expect(badKey.stderr.contains("400"))
        let badShape = try emu.webex(["webhooks", "create", "--name", "x", "--target-url", "http://127.0.0.1:9/h",
                                      "--resource", "messages", "--event", "created", "--filter", "roomId"])
        #expect(badShape.status == 2)
        let badResource = try emu.webex(["webhooks", "create", "--name", "x", "--target-url", "http://127.0.0.1:9/h",
                                         "--resource", "mesages", "--event", "created"])
        #expect(badResource.status == 2)
        #expect(badResource.stderr.contains("unknown resource"))

        let create = try emu.webex(["webhooks", "create", "--name", "ci", "--target-url", "http://127.0.0.1:9/h", "--resource", "messages",
                                    "--event", "created", "--filter", "roomId=\(room)", "--secret-file", tmp.path("secret"), "--json"])
        #expect(create.status == 0, "\(create.stderr)")
        let hook = try #require(try create.json() as? [String: Any])
        #expect(hook["filter"] as? String == "roomId=\(room)")
        #expect(hook["status"] as? String == "active")
        let hookId = try #require(hook["id"] as? String)
        #expect(try emu.webex(["webhooks", "list", "--jq", ".[].name"]).stdout == "ci\n")
        #expect(try emu.webex(["webhooks", "get", hookId, "--jq", ".resource"]).stdout == "messages\n")
        let off = try emu.webex(["webhooks", "update", hookId, "--status", "inactive", "--jq", ".status"])
        #expect(off.stdout == "inactive\n", "\(off.stderr)")
        let renamed = try emu.webex(["webhooks", "update", hookId, "--name", "ci2", "--status", "active", "--jq", "[.name, .status, .targetUrl] | join(\" \")"])
        #expect(renamed.stdout == "ci2 active http://127.0.0.1:9/h\n", "\(renamed.stderr)")
        #expect(try emu.webex(["webhooks", "delete", hookId]).status == 0)
        #expect(try emu.webex(["webhooks", "get", hookId]).status == 4)
    }

    @Test func serveReceivesExactlyOneVerifiedEventAndRejectsForgeries() async throws {
        let emu = try Emulator()
        let tmp = TempDir()
        try "topsecret".write(toFile: tmp.path("secret"), atomically: true, encoding: .utf8)
        let execOut = tmp.path("exec.jsonl")
        let serve = try emu.webexInBackground(["webhooks", "serve", "--port", "0", "--secret-file", tmp.path("secret"),
                                               "--fetch", "--exec", "cat >> '\(execOut)'"])
        #expect(await serve.wait { $0.stderr.contains("listening on http://") }, "\(serve.stderr)")
        let listen = try #require(serve.stderr.split(separator: "\n").first { $0.contains("listening on") })
        let url = String(try #require(listen.split(separator: " ").first { $0.hasPrefix("http://") }))

        let room = try emu.webex(["rooms", "create", "--title", "Deploys", "--jq", ".id"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let hook = try emu.webex(["webhooks", "create", "--name", "deploys", "--target-url", url + "hook", "--resource", "messages",
                                  "--event", "created", "--filter", "roomId=\(room)", "--secret-file", tmp.path("secret")])
        #expect(hook.status == 0, "\(hook.stderr)")
        let sent = try emu.webex(["messages", "send", "--room", room, "--text", "hello hook", "--jq", ".id"])
        let messageId = sent.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        #expect(await serve.wait { !$0.stdout.isEmpty }, "\(serve.stderr)")
        try await Task.sleep(nanoseconds: 500_000_000)
        let lines = serve.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        let event = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(event["resource"] as? String == "messages")
        #expect(event["event"] as? String == "created")
        #expect(event["secret"] == nil)
        let data = try #require(event["data"] as? [String: Any])
        #expect(data["id"] as? String == messageId)
        #expect(data["text"] as? String == "hello hook")  // --fetch added the text
        // --exec got the same event on its standard input.
        #expect(await serve.wait { _ in (FileManager.default.contents(atPath: execOut)?.count ?? 0) > 0 })
        #expect(String(decoding: FileManager.default.contents(atPath: execOut) ?? Data(), as: UTF8.self) == lines[0] + "\n")

        // Forged or unsigned requests are refused and never printed.
        let body = Data(#"{"resource":"messages","event":"created","data":{"id":"forged"}}"#.utf8)
        let forged = try await emu.post(to: url + "hook", body: body, headers: ["X-Spark-Signature": String(repeating: "0", count: 40), "Content-Type": "application/json"])
        #expect(forged == 401)
        let unsigned = try await emu.post(to: url + "hook", body: body, headers: ["Content-Type": "application/json"])
        #expect(unsigned == 401)
        try await Task.sleep(nanoseconds: 300_000_000)
        #expect(serve.stdout.split(separator: "\n").count == 1)
        #expect(serve.stderr.contains("rejected POST /hook"))
        #expect(!serve.stderr.contains("topsecret"))
        serve.stop()
    }

    @Test func serveStopsAfterCountAndNeedsASecret() async throws {
        let emu = try Emulator()
        let noSecret = try emu.webex(["webhooks", "serve", "--port", "0"])
        #expect(noSecret.status == 2)
        #expect(noSecret.stderr.contains("secret"))

        let serve = try emu.webexInBackground(["webhooks", "serve", "--port", "0", "--count", "1"], extraEnv: ["WEBEX_WEBHOOK_SECRET": "k"])
        #expect(await serve.wait { $0.stderr.contains("listening on http://") })
        let url = String(try #require(serve.stderr.split(separator: " ").first { $0.hasPrefix("http://") }))
        // A correctly signed request, signed here with openssl's command-line HMAC.
        let body = #"{"resource":"rooms","event":"created","data":{"id":"R"}}"#
        let sig = try runProcess(URL(fileURLWithPath: "/usr/bin/openssl"), ["dgst", "-sha1", "-hmac", "k", "-r"], env: [:], stdin: Data(body.utf8))
            .stdout.split(separator: " ").first.map(String.init) ?? ""
        #expect(sig.count == 40)
        let status = try await emu.post(to: url, body: Data(body.utf8), headers: ["X-Spark-Signature": sig])
        #expect(status == 200)
        #expect(await serve.exitStatus() == 0)
        #expect(serve.stdout == #"{"data":{"id":"R"},"event":"created","resource":"rooms"}"# + "\n")
    }
}
