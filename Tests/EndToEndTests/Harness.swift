import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// Where `swift build` put the binaries: next to the test bundle, or `WEBEX_BIN_DIR`.
let binDir: URL = {
    if let d = ProcessInfo.processInfo.environment["WEBEX_BIN_DIR"], !d.isEmpty { return URL(fileURLWithPath: d) }
    var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("webex").path) { return url }
    }
    return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug")
}()

struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
    var data: Data { Data(stdout.utf8) }
    func json() throws -> Any { try JSONSerialization.jsonObject(with: data) }
}

/// A private temporary directory removed at deinit.
final class TempDir: @unchecked Sendable {
    let url: URL
    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("webex-e2e-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// Runs a program to completion; stdout/stderr go through files (no pipe deadlocks).
func runProcess(_ exe: URL, _ args: [String], env: [String: String], stdin: Data? = nil) throws -> Result {
    let tmp = TempDir()
    let p = Process()
    p.executableURL = exe
    p.arguments = args
    p.environment = env
    let outURL = tmp.url.appendingPathComponent("out"), errURL = tmp.url.appendingPathComponent("err")
    FileManager.default.createFile(atPath: outURL.path, contents: nil)
    FileManager.default.createFile(atPath: errURL.path, contents: nil)
    p.standardOutput = try FileHandle(forWritingTo: outURL)
    p.standardError = try FileHandle(forWritingTo: errURL)
    if let stdin {
        let inURL = tmp.url.appendingPathComponent("in")
        FileManager.default.createFile(atPath: inURL.path, contents: stdin)
        p.standardInput = try FileHandle(forReadingFrom: inURL)
    } else {
        p.standardInput = FileHandle(forReadingAtPath: "/dev/null")
    }
    try p.run()
    // A hung command must fail its test, not hang the suite.
    let deadline = Date().addingTimeInterval(120)
    while p.isRunning && Date() < deadline { usleep(10_000) }
    var timedOut = false
    if p.isRunning { kill(p.processIdentifier, SIGKILL); timedOut = true }
    p.waitUntilExit()
    return Result(status: timedOut ? -1 : p.terminationStatus,
                  stdout: String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self),
                  stderr: String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self))
}

/// The real `webex-emulator` process on a free loopback port, stopped when released.
final class Emulator: @unchecked Sendable {
    let process = Process()
    /// `WEBEX_CONFIG_DIR` for every `webex` run against this emulator.
    let configDir = TempDir()
    let baseURL: String
    /// email → token, from the lines the emulator prints at start.
    let tokens: [String: String]
    private let outPipe = Pipe()

    init() throws {
        process.executableURL = binDir.appendingPathComponent("webex-emulator")
        process.arguments = ["--port", "0", "--quiet"]
        process.standardOutput = outPipe
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        // The first line is the base URL, then one line per seeded person: email, name, token.
        var buffer = Data()
        let handle = outPipe.fileHandleForReading
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            let text = String(decoding: buffer, as: UTF8.self)
            if text.contains("bot-token") || text.split(separator: "\n").count >= 5 { break }
        }
        let lines = String(decoding: buffer, as: UTF8.self).split(separator: "\n").map(String.init)
        guard let first = lines.first, first.hasPrefix("http://127.0.0.1:") else {
            process.terminate()
            throw EmulatorError(message: "emulator did not print its URL: \(lines)")
        }
        baseURL = first
        var t: [String: String] = [:]
        for l in lines.dropFirst() {
            let f = l.split(separator: "\t").map(String.init)
            if f.count >= 3 { t[f[0]] = f[2] }
        }
        tokens = t
    }

    deinit {
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0..<100 where process.isRunning { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    struct EmulatorError: Error { var message: String }

    var origin: String { String(baseURL.dropLast("/v1".count)) }

    func token(_ email: String = "alice@example.com") -> String { tokens[email] ?? "" }

    /// Runs the real `webex` binary against this emulator as `as` (an email, or nil for no token).
    func webex(_ args: [String], as user: String? = "alice@example.com", stdin: String? = nil, extraEnv: [String: String] = [:]) throws -> Result {
        var env = ["WEBEX_BASE_URL": baseURL, "PATH": "/usr/bin:/bin", "HOME": FileManager.default.temporaryDirectory.path,
                   "WEBEX_CONFIG_DIR": configDir.url.path, "WEBEX_STATE_DIR": configDir.path("state")]
        if let user { env["WEBEX_ACCESS_TOKEN"] = token(user) }
        env.merge(extraEnv) { _, b in b }
        return try runProcess(binDir.appendingPathComponent("webex"), args, env: env, stdin: stdin.map { Data($0.utf8) })
    }

    // MARK: control and raw API (plain HTTP, independent of the SDK)

    @discardableResult
    func http(_ method: String, _ path: String, json: Any? = nil, body: Data? = nil, contentType: String? = nil,
              token: String? = nil) async throws -> (Int, Data) {
        var req = URLRequest(url: URL(string: origin + path)!)
        req.httpMethod = method
        if let json {
            req.httpBody = try JSONSerialization.data(withJSONObject: json)
            req.setValue("application/json", forHTTPHeaderField: "Content-Type")
        } else if let body {
            req.httpBody = body
            if let contentType { req.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        }
        if let token { req.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: req)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    func fault(_ spec: [String: Any]) async throws {
        let (status, data) = try await http("POST", "/_emulator/faults", json: spec)
        #expect(status == 200, "fault not accepted: \(String(decoding: data, as: UTF8.self))")
    }

    /// The emulator's log of /v1 requests: method, path, query, status, trackingid.
    func requests() async throws -> [[String: Any]] {
        let (_, data) = try await http("GET", "/_emulator/requests")
        return ((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["items"] as? [[String: Any]]) ?? []
    }

    func clearRequests() async throws { try await http("DELETE", "/_emulator/requests") }

    /// Posts a message straight to the API (fast set-up for big lists).
    func postMessage(roomId: String, text: String, as user: String = "alice@example.com") async throws {
        let (status, data) = try await http("POST", "/v1/messages", json: ["roomId": roomId, "text": text], token: token(user))
        #expect(status == 200, "\(String(decoding: data, as: UTF8.self))")
    }
}

/// A long-running process (e.g. `webex webhooks serve`) whose output is read while it runs.
final class Background: @unchecked Sendable {
    let process = Process()
    let dir = TempDir()
    var outPath: String { dir.path("out") }
    var errPath: String { dir.path("err") }

    /// Set when started with `stdinPipe`: lines written here reach the process's standard input.
    private(set) var input: FileHandle?

    init(_ exe: URL, _ args: [String], env: [String: String], stdinPipe: Bool = false) throws {
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        process.executableURL = exe
        process.arguments = args
        process.environment = env
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        if stdinPipe {
            let pipe = Pipe()
            process.standardInput = pipe
            input = pipe.fileHandleForWriting
        } else {
            process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        }
        try process.run()
    }

    deinit { stop() }

    /// SIGTERM, then SIGKILL if it has not ended within 5 s (a hung child must not hang the suite).
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0..<100 where process.isRunning { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Writes a line to standard input (needs `stdinPipe`).
    func send(_ line: String) { try? input?.write(contentsOf: Data((line + "\n").utf8)) }

    var stdout: String { String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self) }
    var stderr: String { String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self) }

    /// Waits (up to `timeout` seconds) until `condition` holds for the output so far.
    @discardableResult
    func wait(timeout: Double = 15, _ condition: (Background) -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition(self) { return true }
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
        return condition(self)
    }

    /// Exit status once it ends by itself (nil on timeout).
    func exitStatus(timeout: Double = 15) async -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if !process.isRunning { return process.terminationStatus }
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
        return nil
    }
}

extension Emulator {
    func webexInBackground(_ args: [String], as user: String? = "alice@example.com", extraEnv: [String: String] = [:],
                           stdinPipe: Bool = false) throws -> Background {
        var env = ["WEBEX_BASE_URL": baseURL, "PATH": "/usr/bin:/bin", "HOME": FileManager.default.temporaryDirectory.path,
                   "WEBEX_CONFIG_DIR": configDir.url.path, "WEBEX_STATE_DIR": configDir.path("state")]
        if let user { env["WEBEX_ACCESS_TOKEN"] = token(user) }
        env.merge(extraEnv) { _, b in b }
        return try Background(binDir.appendingPathComponent("webex"), args, env: env, stdinPipe: stdinPipe)
    }

    /// Logs in to the default profile with the browser flow of the seeded integration (the emulator approves
    /// as alice) and returns the stored credentials.
    func browserLogin(client: [String: String]) async throws -> [String: Any] {
        let login = try webexInBackground(["auth", "login", "--no-browser"], as: nil, extraEnv: client)
        #expect(await login.wait { $0.stderr.contains("/authorize?") })
        let url = try #require(login.stderr.split(separator: "\n").first { $0.contains("/authorize?") })
        _ = try await http("GET", String(url.dropFirst(origin.count)))
        #expect(await login.exitStatus() == 0, "\(login.stderr)")
        return try storedCredentials()
    }

    /// The default profile's credentials file, parsed.
    func storedCredentials() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: configDir.path("profiles/default.json")))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// POSTs raw bytes to any local URL (a webhook receiver) and returns the status.
    func post(to url: String, body: Data, headers: [String: String]) async throws -> Int {
        var req = URLRequest(url: URL(string: url)!)
        req.httpMethod = "POST"
        req.httpBody = body
        for (k, v) in headers { req.setValue(v, forHTTPHeaderField: k) }
        let (_, response) = try await URLSession.shared.data(for: req)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }
}
