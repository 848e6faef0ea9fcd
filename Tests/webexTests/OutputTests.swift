import Foundation
import Testing
import WebexSDK
@testable import webex

/// Serves canned answers by path, records requests.
final class FakeAPI: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    var routes: [String: (Int, String)] = [:]
    private(set) var paths: [String] = []
    func send(_ request: HTTPRequest, progress: ProgressHandler?) async throws(TransportError) -> HTTPResponse {
        let path = request.url.path
        lock.withLock { paths.append(request.method.rawValue + " " + path) }
        guard let (status, body) = routes[request.method.rawValue + " " + path] else {
            return HTTPResponse(status: 404, body: Data(#"{"message":"The requested resource could not be found.","trackingId":"FAKE_404"}"#.utf8))
        }
        return HTTPResponse(status: status, body: Data(body.utf8))
    }
}

struct Run { var status: ExitCodeValue; var stdout: String; var stderr: String }

func run(_ args: [String], tty: Bool = false, env: [String: String] = ["WEBEX_ACCESS_TOKEN": "tok", "WEBEX_BASE_URL": "https://api.test/v1"],
         api: FakeAPI = FakeAPI(), stdin: String = "") async -> Run {
    let (io, captured) = IOStreams.test(stdoutTTY: tty, stdin: Data(stdin.utf8), width: 100)
    let ctx = CLIContext(io: io, environment: env, transport: api, sleep: { _ in })
    let status = await CLIContext.$current.withValue(ctx) { await Main.run(args) }
    io.flush()
    return Run(status: status, stdout: captured.stdout, stderr: captured.stderr)
}

let roomsJSON = #"{"items":[{"id":"Y2lzY29zcGFyazovL3VzL1JPT00vMQ","title":"Ops\tteam","type":"group","lastActivity":"2026-01-02T03:04:05.678Z"},{"id":"Y2lzY29zcGFyazovL3VzL1JPT00vMg","title":"Bob Example","type":"direct","lastActivity":"2026-01-01T00:00:00.000Z"}]}"#

func roomsAPI() -> FakeAPI {
    let api = FakeAPI()
    api.routes["GET /v1/rooms"] = (200, roomsJSON)
    return api
}

@Suite struct OutputTests {
    @Test func tableOnATerminal() async {
        let r = await run(["rooms", "list"], tty: true, env: ["WEBEX_ACCESS_TOKEN": "t", "WEBEX_BASE_URL": "https://api.test/v1", "NO_COLOR": "1"], api: roomsAPI())
        #expect(r.status == .ok)
        #expect(!r.stdout.contains("\u{1B}["))
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("TITLE"))
        #expect(lines[0].contains("LAST ACTIVITY"))
        #expect(lines[1].hasPrefix("Ops team"))  // tab cleaned
        #expect(lines[1].contains("ago"))  // relative time on a terminal
        // Columns line up: the TYPE column starts at the same offset on every row.
        let offsets = lines.map { l in ["TYPE", "group", "direct"].compactMap { l.range(of: $0) }.first!.lowerBound.utf16Offset(in: l) }
        #expect(Set(offsets).count == 1)
        // Colour on a terminal unless NO_COLOR: bold headers.
        let coloured = await run(["rooms", "list"], tty: true, api: roomsAPI())
        #expect(coloured.stdout.hasPrefix("\u{1B}[1mTITLE"))
        let never = await run(["rooms", "list", "--color", "never"], tty: true, api: roomsAPI())
        #expect(!never.stdout.contains("\u{1B}["))
    }

    @Test func tabSeparatedWithoutHeaderWhenPiped() async {
        let r = await run(["rooms", "list"], tty: false, api: roomsAPI())
        #expect(r.status == .ok)
        #expect(r.stdout == "Ops team\tgroup\t2026-01-02T03:04:05.678Z\tY2lzY29zcGFyazovL3VzL1JPT00vMQ\nBob Example\tdirect\t2026-01-01T00:00:00.000Z\tY2lzY29zcGFyazovL3VzL1JPT00vMg\n")
    }

    @Test func jsonArrayAndFieldSelection() async throws {
        let r = await run(["rooms", "list", "--json"], api: roomsAPI())
        let arr = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        #expect(arr.count == 2)
        #expect(arr[0]["title"] as? String == "Ops\tteam")
        let f = await run(["rooms", "list", "--json=id,type"], api: roomsAPI())
        let sel = try #require(try JSONSerialization.jsonObject(with: Data(f.stdout.utf8)) as? [[String: Any]])
        #expect(sel.map { Set($0.keys) } == [["id", "type"], ["id", "type"]])
    }

    @Test func unknownFieldListsValidOnes() async {
        let r = await run(["rooms", "list", "--json=id,nope"], api: roomsAPI())
        #expect(r.status == .usage)
        #expect(r.stderr.contains("unknown JSON field: nope"))
        #expect(r.stderr.contains("lastActivity"))
    }

    @Test func jsonLinesOnePerItem() async throws {
        let r = await run(["rooms", "list", "--jsonl"], api: roomsAPI())
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        for l in lines { #expect(try JSONSerialization.jsonObject(with: Data(l.utf8)) is [String: Any]) }
    }

    @Test func jqOnTheWholeResult() async {
        let r = await run(["rooms", "list", "--jq", ".[] | select(.type == \"direct\") | .title"], api: roomsAPI())
        #expect(r.stdout == "Bob Example\n")
        let n = await run(["rooms", "list", "--jq", "length"], api: roomsAPI())
        #expect(n.stdout == "2\n")
        let bad = await run(["rooms", "list", "--jq", ".[ | nope"], api: roomsAPI())
        #expect(bad.status == .usage)
        #expect(bad.stderr.contains("invalid --jq expression"))
    }

    @Test func singleItemViews() async {
        let api = FakeAPI()
        api.routes["GET /v1/people/me"] = (200, #"{"id":"P1","displayName":"Alice Example","emails":["alice@example.com"],"type":"person"}"#)
        let tty = await run(["people", "me"], tty: true, api: api)
        #expect(tty.stdout.contains("NAME:"))
        #expect(tty.stdout.contains("Alice Example"))
        let piped = await run(["people", "me"], api: api)
        #expect(piped.stdout == "Alice Example\talice@example.com\tperson\tP1\n")
    }

    @Test func exitCodes() async {
        let noToken = await run(["rooms", "list"], env: ["WEBEX_CONFIG_DIR": "/nonexistent/webex-test"])
        #expect(noToken.status == .auth)
        #expect(noToken.stderr.contains("WEBEX_ACCESS_TOKEN"))
        let missing = await run(["rooms", "get", "Y2lzY29zcGFyazovL3VzL1JPT00vbm9wZQ"])
        #expect(missing.status == .notFound)
        #expect(missing.stderr.contains("404 Not Found"))
        #expect(missing.stderr.contains("FAKE_404"))
        let usage = await run(["rooms", "list", "--limit", "0"])
        #expect(usage.status == .usage)
        let unknown = await run(["rooms", "frobnicate"])
        #expect(unknown.status == .usage)
        let badLevel = await run(["rooms", "list", "--log-level", "loud"])
        #expect(badLevel.status == .usage)
    }

    @Test func roomTitleResolution() async {
        let api = roomsAPI()
        api.routes["GET /v1/rooms/Y2lzY29zcGFyazovL3VzL1JPT00vMQ/meetingInfo"] = (200, #"{"roomId":"Y2lzY29zcGFyazovL3VzL1JPT00vMQ","meetingLink":"https://x.test/m/1"}"#)
        let byTitle = await run(["rooms", "meeting-info", "Ops\tteam", "--jq", ".meetingLink"], api: api)
        #expect(byTitle.stdout == "https://x.test/m/1\n")
        let none = await run(["rooms", "get", "No such room"], api: api)
        #expect(none.status == .notFound)
        #expect(none.stderr.contains("no room titled 'No such room'"))
        let wrongType = await run(["rooms", "get", HydraID(type: "MESSAGE", uuid: "1").encoded], api: api)
        #expect(wrongType.status == .usage)
        #expect(wrongType.stderr.contains("MESSAGE ID"))
    }

    @Test func verboseRedactsTheToken() async {
        let r = await run(["rooms", "list", "--verbose"], env: ["WEBEX_ACCESS_TOKEN": "SUPERSECRET", "WEBEX_BASE_URL": "https://api.test/v1"], api: roomsAPI())
        #expect(r.stderr.contains("Authorization: Bearer REDACTED"))
        #expect(r.stderr.contains("trackingid: webex-cli_"))
        #expect(!r.stderr.contains("SUPERSECRET"))
        #expect(!r.stdout.contains("SUPERSECRET"))
    }

    @Test func forcedTerminalWhenPiped() {
        let io = IOStreams.system(environment: ["WEBEX_FORCE_TTY": "123"])
        #expect(io.stdoutIsTTY)
        #expect(io.terminalWidth == 123)
        // Under `swift test` stdout is not a terminal.
        #expect(!IOStreams.system(environment: [:]).stdoutIsTTY || isatty(1) == 1)
    }

    @Test func jsonFlagRewrite() {
        #expect(Main.rewrite(["rooms", "list", "--json=id,title"]) == ["rooms", "list", "--json", "--json-fields", "id,title"])
        #expect(Main.rewrite(["api", "GET", "x", "--", "--json=a"]) == ["api", "GET", "x", "--", "--json=a"])
    }

    @Test func tableTruncatesToTheTerminalWidth() {
        let (io, out) = IOStreams.test(stdoutTTY: true, width: 40)
        TablePrinter(io: io).render(headers: ["TITLE", "ID"], rows: [[String(repeating: "t", count: 60), "ID-1"]], truncatable: [true, false])
        io.flush()
        for line in out.stdout.split(separator: "\n") { #expect(line.count <= 40) }
        // Never cut below a readable width: a long ID makes the row wrap instead.
        let (io2, out2) = IOStreams.test(stdoutTTY: true, width: 40)
        TablePrinter(io: io2).render(headers: ["TITLE", "ID"], rows: [[String(repeating: "t", count: 60), String(repeating: "I", count: 30)]], truncatable: [true, false])
        io2.flush()
        #expect(out2.stdout.split(separator: "\n")[1].hasPrefix(String(repeating: "t", count: 23) + "…"))
        #expect(out.stdout.contains("…"))
        #expect(out.stdout.contains("ID-1"))
    }
}
