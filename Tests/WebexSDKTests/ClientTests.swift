import Foundation
import Testing
@testable import WebexSDK

/// Answers requests from a script and records them.
final class ScriptedTransport: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var answers: [(HTTPRequest) -> Result<HTTPResponse, TransportError>]
    private(set) var requests: [HTTPRequest] = []
    init(_ answers: [(HTTPRequest) -> Result<HTTPResponse, TransportError>]) { self.answers = answers }

    func send(_ request: HTTPRequest, progress: ProgressHandler?) async throws(TransportError) -> HTTPResponse {
        let answer: (HTTPRequest) -> Result<HTTPResponse, TransportError> = lock.withLock {
            requests.append(request)
            return answers.isEmpty ? { _ in .success(HTTPResponse(status: 500)) } : answers.removeFirst()
        }
        return try answer(request).get()
    }
    var count: Int { lock.withLock { requests.count } }
}

final class Sleeps: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Double] = []
    func record(_ s: Double) { lock.withLock { values.append(s) } }
    var all: [Double] { lock.withLock { values } }
}

func json(_ s: String, status: Int = 200, headers: HTTPHeaders = HTTPHeaders()) -> (HTTPRequest) -> Result<HTTPResponse, TransportError> {
    { _ in .success(HTTPResponse(status: status, headers: headers, body: Data(s.utf8))) }
}

func client(_ transport: ScriptedTransport, sleeps: Sleeps = Sleeps()) throws -> Webex {
    var config = WebexConfiguration(baseURL: URL(string: "https://api.test/v1")!,
                                    tokenSource: StaticTokenSource(token: "SECRET-TOKEN", sourceDescription: "test"),
                                    transport: transport)
    config.retryPolicy.jitter = 0
    config.sleep = { sleeps.record($0) }
    return try Webex(configuration: config)
}

@Suite struct ClientTests {
    func page(_ ids: [String], next: String?) -> (HTTPRequest) -> Result<HTTPResponse, TransportError> {
        var h = HTTPHeaders()
        if let next { h.add("Link", "<\(next)>; rel=\"next\"") }
        let items = ids.map { #"{"id":"\#($0)","title":"t\#($0)"}"# }.joined(separator: ",")
        return json(#"{"items":[\#(items)]}"#, headers: h)
    }

    @Test func paginationIsLazyAndStopsAtTheLimit() async throws {
        let t = ScriptedTransport([
            page(["1", "2"], next: "https://api.test/v1/rooms?cursor=a"),
            page(["3", "4"], next: "https://api.test/v1/rooms?cursor=b"),
            page(["5"], next: nil),
        ])
        let webex = try client(t)
        let three = try await webex.rooms.list(limit: 3).collect()
        #expect(three.map(\.id) == ["1", "2", "3"])
        #expect(t.count == 2)  // the third page was never asked for
        #expect(t.requests[0].url.query?.contains("max=3") == true)
        #expect(t.requests[1].url.absoluteString == "https://api.test/v1/rooms?cursor=a")
    }

    @Test func paginationFollowsToTheEnd() async throws {
        let t = ScriptedTransport([
            page(["1"], next: "https://api.test/v1/rooms?cursor=a"),
            page([], next: "https://api.test/v1/rooms?cursor=b"),
            page(["2"], next: nil),
        ])
        let all = try await client(t).rooms.list().collect()
        #expect(all.map(\.id) == ["1", "2"])
        #expect(t.count == 3)
    }

    @Test func nextLinkToAnotherHostIsRefused() async throws {
        let t = ScriptedTransport([page(["1"], next: "https://evil.test/v1/rooms?cursor=a")])
        await #expect(throws: WebexError.self) { try await client(t).rooms.list().collect() }
        #expect(t.count == 1)
    }

    @Test func sendsTokenTrackingIdAndNoRetryForPost503() async throws {
        let t = ScriptedTransport([json(#"{"message":"busy","trackingId":"T1"}"#, status: 503)])
        let webex = try client(t)
        do {
            _ = try await webex.messages.create(NewMessage(destination: .room("R"), text: "hi"))
            Issue.record("expected an error")
        } catch {
            guard case .api(let e) = error else { Issue.record("\(error)"); return }
            #expect(e.status == 503)
            #expect(e.trackingId == "T1")
        }
        #expect(t.count == 1)
        let req = try #require(t.requests.first)
        #expect(req.headers["Authorization"] == "Bearer SECRET-TOKEN")
        #expect(req.headers["trackingid"]?.hasPrefix("webex-cli_") == true)
    }

    @Test func getRetries503ThenSucceeds() async throws {
        let t = ScriptedTransport([json("{}", status: 503), json(#"{"id":"me","displayName":"Me"}"#)])
        let sleeps = Sleeps()
        let me = try await client(t, sleeps: sleeps).people.me()
        #expect(me.displayName == "Me")
        #expect(t.count == 2)
        #expect(sleeps.all == [0.5])
        // Each attempt has its own tracking id suffix.
        #expect(t.requests[1].headers["trackingid"] == t.requests[0].headers["trackingid"]! + "+1")
    }

    @Test func postRetried429HonouringRetryAfter() async throws {
        let t = ScriptedTransport([json("{}", status: 429, headers: ["Retry-After": "3"]), json(#"{"id":"M1"}"#)])
        let sleeps = Sleeps()
        let m = try await client(t, sleeps: sleeps).messages.create(NewMessage(destination: .personEmail("a@b.test"), text: "x"))
        #expect(m.id == "M1")
        #expect(sleeps.all == [3])
    }

    @Test func lostConnectionOnPostIsNotRetried() async throws {
        let t = ScriptedTransport([{ r in .failure(TransportError(kind: .connectionLost, message: "Empty reply from server", url: r.url.absoluteString)) }])
        await #expect(throws: WebexError.self) {
            _ = try await client(t).messages.create(NewMessage(destination: .room("R"), text: "x"))
        }
        #expect(t.count == 1)
    }

    @Test func messageValidationBeforeSending() async throws {
        let t = ScriptedTransport([])
        let webex = try client(t)
        await #expect(throws: WebexError.self) { _ = try await webex.messages.create(NewMessage(destination: .room("R"))) }
        let long = String(repeating: "x", count: NewMessage.maxTextBytes + 1)
        await #expect(throws: WebexError.self) { _ = try await webex.messages.create(NewMessage(destination: .room("R"), text: long)) }
        #expect(t.count == 0)
    }

    @Test func queryValuesAreStrictlyEncoded() throws {
        let webex = try client(ScriptedTransport([]))
        let u = webex.url(["people"], query: [("email", "a+b@x.test"), ("displayName", "A & B=C"), ("skip", nil)])
        #expect(u.absoluteString == "https://api.test/v1/people?email=a%2Bb@x.test&displayName=A%20%26%20B%3DC")
    }

    @Test func insecureBaseURLRefused() {
        #expect(throws: WebexError.self) {
            _ = try Webex(configuration: WebexConfiguration(baseURL: URL(string: "http://api.test/v1")!,
                                                           tokenSource: StaticTokenSource(token: "t", sourceDescription: "t")))
        }
    }
}
