import Foundation
import Testing

/// Errors, exit codes, pagination and retries, observed through the emulator's request log.
@Suite(.serialized) struct ReliabilityTests {
    func room(_ emu: Emulator, _ title: String = "Ops") throws -> String {
        let r = try emu.webex(["rooms", "create", "--title", title, "--jq", ".id"])
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func messagePosts(_ emu: Emulator) async throws -> Int {
        try await emu.requests().filter { $0["method"] as? String == "POST" && $0["path"] as? String == "/v1/messages" }.count
    }

    @Test func exitCodesForAuthAndNotFound() throws {
        let emu = try Emulator()
        let none = try emu.webex(["rooms", "list"], as: nil)
        #expect(none.status == 3)
        #expect(none.stderr.contains("WEBEX_ACCESS_TOKEN"))
        let bad = try emu.webex(["rooms", "list"], extraEnv: ["WEBEX_ACCESS_TOKEN": "not-a-real-token"])
        #expect(bad.status == 3)
        #expect(bad.stderr.contains("401"))
        #expect(!bad.stderr.contains("not-a-real-token"))
        // A well-formed room ID nobody has, and a title that matches nothing.
        let unknown = try emu.webex(["rooms", "get", "Y2lzY29zcGFyazovL3VzL1JPT00vMDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAw"])
        #expect(unknown.status == 4)
        #expect(unknown.stderr.contains("404 Not Found"))
        #expect(unknown.stderr.contains("trackingId"))
        let title = try emu.webex(["messages", "send", "--room", "No such room", "--text", "x"])
        #expect(title.status == 4)
        #expect(title.stderr.contains("no room titled"))
    }

    @Test func nonMemberGets404() throws {
        let emu = try Emulator()
        let id = try room(emu, "Private")
        let r = try emu.webex(["messages", "list", "--room", id], as: "carol@example.com")
        #expect(r.status == 4)
    }

    @Test func listsAcrossPagesWithAndWithoutLimit() async throws {
        let emu = try Emulator()
        let id = try room(emu)
        for i in 1...350 { try await emu.postMessage(roomId: id, text: "m\(i)") }
        try await emu.clearRequests()

        let all = try emu.webex(["messages", "list", "--room", id, "--all", "--jsonl"])
        #expect(all.status == 0, "\(all.stderr)")
        let lines = all.stdout.split(separator: "\n")
        #expect(lines.count == 350)
        #expect(lines.first?.contains(#""text":"m350""#) == true)  // newest first
        #expect(lines.last?.contains(#""text":"m1""#) == true)
        let texts = Set(lines.map { String($0) })
        #expect(texts.count == 350)  // no duplicates across page boundaries
        let pages = try await emu.requests().filter { $0["path"] as? String == "/v1/messages" }
        #expect(pages.count == 4)  // 100 + 100 + 100 + 50

        try await emu.clearRequests()
        let limited = try emu.webex(["messages", "list", "--room", id, "--limit", "250", "--jq", "length"])
        #expect(limited.stdout == "250\n", "\(limited.stderr)")
        let limitedPages = try await emu.requests().filter { $0["path"] as? String == "/v1/messages" }
        #expect(limitedPages.count == 3)  // the fourth page is never fetched

        // The raw escape hatch follows Link too.
        let raw = try emu.webex(["api", "GET", "messages", "-f", "roomId=\(id)", "-f", "max=40", "--paginate", "--jq", "length"])
        #expect(raw.stdout == "350\n", "\(raw.stderr)")
    }

    @Test func rateLimitHonoursRetryAfter() async throws {
        let emu = try Emulator()
        _ = try room(emu)
        try await emu.clearRequests()
        try await emu.fault(["method": "GET", "path": "/v1/rooms", "status": 429, "retryAfter": 1, "count": 1])
        let started = Date()
        let r = try emu.webex(["rooms", "list", "--jq", ".[].title"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "Ops\n")
        #expect(Date().timeIntervalSince(started) >= 1.0)  // it waited as told
        let log = try await emu.requests().filter { $0["path"] as? String == "/v1/rooms" }
        #expect(log.map { $0["status"] as? Int } == [429, 200])

        // Still limited after every retry: exit 5.
        try await emu.fault(["method": "GET", "path": "/v1/rooms", "status": 429, "retryAfter": 0, "count": 10])
        let limited = try emu.webex(["rooms", "list"])
        #expect(limited.status == 5)
    }

    @Test func serverErrorOnGetIsRetried() async throws {
        let emu = try Emulator()
        _ = try room(emu)
        try await emu.clearRequests()
        try await emu.fault(["method": "GET", "path": "/v1/rooms", "status": 503, "count": 1])
        let r = try emu.webex(["rooms", "list", "--jq", "length"])
        #expect(r.stdout == "1\n", "\(r.stderr)")
        let log = try await emu.requests().filter { $0["path"] as? String == "/v1/rooms" }
        #expect(log.map { $0["status"] as? Int } == [503, 200])
    }

    @Test func serverErrorOnPostIsNeverRetriedAndNothingIsDuplicated() async throws {
        let emu = try Emulator()
        let id = try room(emu)
        try await emu.clearRequests()
        // The server stores the message, then answers 503: a blind retry would post it twice.
        try await emu.fault(["method": "POST", "path": "/v1/messages", "status": 503, "count": 1, "afterHandling": true])
        let r = try emu.webex(["messages", "send", "--room", id, "--text", "deploy done"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("503"))
        #expect(try await messagePosts(emu) == 1)
        let list = try emu.webex(["messages", "list", "--room", id, "--jq", "[.[] | select(.text == \"deploy done\")] | length"])
        #expect(list.stdout == "1\n")
    }

    @Test func droppedConnectionOnPostIsNotRetried() async throws {
        let emu = try Emulator()
        let id = try room(emu)
        try await emu.clearRequests()
        try await emu.fault(["method": "POST", "path": "/v1/messages", "drop": true, "count": 1, "afterHandling": true])
        let r = try emu.webex(["messages", "send", "--room", id, "--text", "once"])
        #expect(r.status == 1)
        #expect(try await messagePosts(emu) == 1)
        let list = try emu.webex(["messages", "list", "--room", id, "--jq", "length"])
        #expect(list.stdout == "1\n")
    }

    @Test func rateLimitedPostIsRetriedOnce() async throws {
        let emu = try Emulator()
        let id = try room(emu)
        try await emu.clearRequests()
        try await emu.fault(["method": "POST", "path": "/v1/messages", "status": 429, "retryAfter": 0, "count": 1])
        let r = try emu.webex(["messages", "send", "--room", id, "--text", "after 429"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try await messagePosts(emu) == 2)
        let list = try emu.webex(["messages", "list", "--room", id, "--jq", "length"])
        #expect(list.stdout == "1\n")
    }

    @Test func malwareScanStates() async throws {
        let emu = try Emulator()
        let id = try room(emu)
        let tmp = TempDir()
        FileManager.default.createFile(atPath: tmp.path("a.txt"), contents: Data("hello".utf8))
        let sent = try emu.webex(["messages", "send", "--room", id, "--file", tmp.path("a.txt"), "--json"])
        let msg = try #require(try sent.json() as? [String: Any])
        let messageId = try #require(msg["id"] as? String)
        let fileURL = try #require((msg["files"] as? [String])?.first)
        let contentId = String(fileURL.split(separator: "/").last!)

        try await emu.http("PUT", "/_emulator/contents/\(contentId)/scan", json: ["state": "pending", "pendingCount": 1])
        let waited = try emu.webex(["messages", "download", messageId, "--dir", tmp.url.path, "--output", "b.txt"])
        #expect(waited.status == 0, "\(waited.stderr)")
        #expect(FileManager.default.contents(atPath: tmp.path("b.txt")) == Data("hello".utf8))

        try await emu.http("PUT", "/_emulator/contents/\(contentId)/scan", json: ["state": "infected"])
        let infected = try emu.webex(["messages", "download", messageId, "--dir", tmp.url.path, "--output", "c.txt"])
        #expect(infected.status == 1)
        #expect(infected.stderr.contains("410"))
        #expect(!FileManager.default.fileExists(atPath: tmp.path("c.txt")))

        try await emu.http("PUT", "/_emulator/contents/\(contentId)/scan", json: ["state": "unscannable"])
        let unscannable = try emu.webex(["messages", "download", messageId, "--dir", tmp.url.path, "--output", "d.txt"])
        #expect(unscannable.status == 1)
        #expect(unscannable.stderr.contains("--allow-unscannable"))
        let allowed = try emu.webex(["messages", "download", messageId, "--dir", tmp.url.path, "--output", "d.txt", "--allow-unscannable"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        // No partial or temporary files are left behind.
        let names = try FileManager.default.contentsOfDirectory(atPath: tmp.url.path).sorted()
        #expect(names == ["a.txt", "b.txt", "d.txt"])
    }

    @Test func trackingIdPerRequestAndUserAgent() async throws {
        let emu = try Emulator()
        _ = try emu.webex(["people", "me"])
        _ = try emu.webex(["rooms", "list"])
        let log = try await emu.requests()
        let ids = log.compactMap { $0["trackingid"] as? String }
        #expect(ids.count == 2)
        #expect(Set(ids).count == 2)
        #expect(ids.allSatisfy { $0.hasPrefix("webex-cli_") })
        #expect((log.first?["userAgent"] as? String)?.hasPrefix("webex-cli/") == true)
    }

    @Test func insecureBaseURLIsRefused() throws {
        let emu = try Emulator()
        let r = try emu.webex(["rooms", "list"], extraEnv: ["WEBEX_BASE_URL": "http://webex.example.com/v1"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("only loopback"))
    }
}
