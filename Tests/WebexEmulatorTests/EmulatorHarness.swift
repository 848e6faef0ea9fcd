import Foundation
import Testing
import WebexEmulator

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Runs an emulator in-process on a free port for one test.
struct RunningEmulator: Sendable {
    let server: EmulatorServer
    let endpoint: EmulatorEndpoint
    let task: Task<Void, any Error>

    static func start(
        seed: EmulatorSeed = .default, webhookDelivery: WebhookDeliverySettings = WebhookDeliverySettings()
    ) async throws -> RunningEmulator {
        let server = EmulatorServer(
            configuration: EmulatorConfiguration(port: 0, seed: seed, webhookDelivery: webhookDelivery))
        let (stream, continuation) = AsyncStream<EmulatorEndpoint>.makeStream()
        let task = Task {
            defer { continuation.finish() }
            try await server.run { endpoint in continuation.yield(endpoint) }
        }
        var iterator = stream.makeAsyncIterator()
        guard let endpoint = await iterator.next() else {
            try await task.value
            throw HarnessError("the emulator stopped before listening")
        }
        return RunningEmulator(server: server, endpoint: endpoint, task: task)
    }

    func stop() async {
        await server.shutdown()
        _ = await task.result
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

struct HTTPResult: Sendable {
    var status: Int
    var headers: [String: String]
    var body: Data

    func header(_ name: String) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }

    var json: [String: Any] {
        get throws {
            guard let o = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
                throw HarnessError("not a JSON object: \(String(decoding: body, as: UTF8.self))")
            }
            return o
        }
    }

    var items: [[String: Any]] {
        get throws {
            guard let items = try json["items"] as? [[String: Any]] else { throw HarnessError("no items") }
            return items
        }
    }
}

/// A tiny client for the tests (URLSession, like a third party would use).
struct TestClient: Sendable {
    let origin: String

    init(_ emulator: RunningEmulator) { origin = emulator.endpoint.origin }

    func send(
        _ method: String, _ pathOrURL: String, token: String? = "alice-token", json: String? = nil,
        body: Data? = nil, contentType: String? = nil, headers: [String: String] = [:], freshConnection: Bool = false
    ) async throws -> HTTPResult {
        let urlString = pathOrURL.hasPrefix("http") ? pathOrURL : origin + pathOrURL
        guard let url = URL(string: urlString) else { throw HarnessError("bad URL \(urlString)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = 10
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.httpBody = Data(json.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        } else if let body {
            request.httpBody = body
            if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        }
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        // A fresh session has no pooled connection, so the HTTP stack cannot silently retry a dropped
        // request on a new connection.
        let session = freshConnection ? URLSession(configuration: .ephemeral) : URLSession.shared
        defer { if freshConnection { session.finishTasksAndInvalidate() } }
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw HarnessError("not HTTP") }
        var fields: [String: String] = [:]
        for (k, v) in http.allHeaderFields {
            if let k = k as? String, let v = v as? String { fields[k] = v }
        }
        return HTTPResult(status: http.statusCode, headers: fields, body: data)
    }
}

/// Starts an emulator, runs `body`, and always stops it.
func withEmulator(
    seed: EmulatorSeed = .default, webhookDelivery: WebhookDeliverySettings = WebhookDeliverySettings(),
    _ body: (TestClient, RunningEmulator) async throws -> Void
) async throws {
    let emulator = try await RunningEmulator.start(seed: seed, webhookDelivery: webhookDelivery)
    do {
        try await body(TestClient(emulator), emulator)
    } catch {
        await emulator.stop()
        throw error
    }
    await emulator.stop()
}

extension TestClient {
    /// POSTs JSON and returns the `id` of the created object (expects 200).
    func create(_ path: String, token: String = "alice-token", _ json: String) async throws -> String {
        let r = try await send("POST", path, token: token, json: json)
        guard r.status == 200, let id = try r.json["id"] as? String else {
            throw HarnessError("POST \(path) answered \(r.status): \(String(decoding: r.body, as: UTF8.self))")
        }
        return id
    }

    func errorMessage(_ r: HTTPResult) -> String {
        ((try? r.json["message"]) as? String) ?? ""
    }
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
func eventually(timeout: Duration = .seconds(5), _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
