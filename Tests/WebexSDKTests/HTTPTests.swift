import Foundation
import Testing
@testable import WebexSDK

@Suite struct LinkHeaderTests {
    let base = URL(string: "https://webexapis.com/v1/rooms?max=2")!

    @Test func singleNext() {
        let v = #"<https://webexapis.com/v1/rooms?max=2&cursor=abc>; rel="next""#
        #expect(LinkHeader.target(rel: "next", in: [v], relativeTo: base)?.absoluteString == "https://webexapis.com/v1/rooms?max=2&cursor=abc")
    }

    @Test func commaJoinedListAndOtherRels() {
        let v = #"<https://x.test/a?b=1,2>; rel="first", <https://x.test/next?c=3>; rel="next""#
        #expect(LinkHeader.target(rel: "next", in: [v])?.absoluteString == "https://x.test/next?c=3")
        #expect(LinkHeader.target(rel: "first", in: [v])?.absoluteString == "https://x.test/a?b=1,2")
    }

    @Test func severalHeaderFieldsUnquotedAndCase() {
        let values = ["<https://x.test/p>; rel=prev", "<https://x.test/n>; REL=Next"]
        #expect(LinkHeader.target(rel: "next", in: values)?.absoluteString == "https://x.test/n")
    }

    @Test func relativeTargetResolves() {
        #expect(LinkHeader.target(rel: "next", in: [#"</v1/rooms?cursor=z>; rel="next""#], relativeTo: base)?.absoluteString
                == "https://webexapis.com/v1/rooms?cursor=z")
    }

    @Test(arguments: ["", "garbage", #"<https://x.test/p>; rel="prev""#, #"<https://x.test/unterminated; rel="next""#])
    func noNext(_ v: String) {
        #expect(LinkHeader.target(rel: "next", in: [v]) == nil)
    }
}

@Suite struct RetryPolicyTests {
    var policy: RetryPolicy = { var p = RetryPolicy(); p.jitter = 0; return p }()

    @Test func rateLimitHonoursRetryAfterForEveryMethod() {
        for m in [HTTPMethod.get, .post, .put, .delete] {
            #expect(policy.decide(method: m, outcome: .status(429, retryAfter: "7"), attempt: 1) == .retry(after: 7, reason: "rate limited (429)"))
        }
    }

    @Test func rateLimitDefaultAndCap() {
        #expect(policy.decide(method: .get, outcome: .status(429, retryAfter: nil), attempt: 1) == .retry(after: 15, reason: "rate limited (429)"))
        #expect(policy.decide(method: .get, outcome: .status(429, retryAfter: "soon"), attempt: 1) == .retry(after: 15, reason: "rate limited (429)"))
        #expect(policy.decide(method: .get, outcome: .status(429, retryAfter: "3600"), attempt: 1) == .retry(after: 60, reason: "rate limited (429)"))
    }

    @Test func serverErrorsOnlyForIdempotentMethods() {
        for code in [502, 503, 504] {
            #expect(policy.decide(method: .get, outcome: .status(code, retryAfter: nil), attempt: 1) == .retry(after: 0.5, reason: "server error (\(code))"))
            #expect(policy.decide(method: .put, outcome: .status(code, retryAfter: nil), attempt: 2) == .retry(after: 1, reason: "server error (\(code))"))
            #expect(policy.decide(method: .delete, outcome: .status(code, retryAfter: nil), attempt: 3) == .retry(after: 2, reason: "server error (\(code))"))
            #expect(policy.decide(method: .post, outcome: .status(code, retryAfter: nil), attempt: 1) == .giveUp)
        }
    }

    @Test func otherStatusesAreFinal() {
        for code in [400, 401, 403, 404, 409, 500] {
            #expect(policy.decide(method: .get, outcome: .status(code, retryAfter: "1"), attempt: 1) == .giveUp)
        }
    }

    @Test func lostConnectionNeverRepeatsAPost() {
        #expect(policy.decide(method: .post, outcome: .transport(.connectionLost), attempt: 1) == .giveUp)
        #expect(policy.decide(method: .post, outcome: .transport(.timedOut), attempt: 1) == .giveUp)
        #expect(policy.decide(method: .get, outcome: .transport(.connectionLost), attempt: 1) == .retry(after: 0.5, reason: "connection lost"))
        // Nothing was sent when the connection could not be made: safe for a POST too.
        #expect(policy.decide(method: .post, outcome: .transport(.couldNotConnect), attempt: 1) == .retry(after: 0.5, reason: "could not connect"))
        #expect(policy.decide(method: .get, outcome: .transport(.tls), attempt: 1) == .giveUp)
    }

    @Test func stopsAfterMaxAttempts() {
        #expect(policy.decide(method: .get, outcome: .status(503, retryAfter: nil), attempt: 4) == .giveUp)
        #expect(policy.decide(method: .get, outcome: .status(429, retryAfter: "1"), attempt: 4) == .giveUp)
        #expect(RetryPolicy.none.decide(method: .get, outcome: .status(429, retryAfter: "1"), attempt: 1) == .giveUp)
    }

    @Test func retryAfterHTTPDate() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let later = now.addingTimeInterval(30)
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX"); f.timeZone = TimeZone(identifier: "GMT"); f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let v = RetryPolicy.parseRetryAfter(f.string(from: later), now: now)
        #expect(v.map { abs($0 - 30) < 1 } == true)
        #expect(RetryPolicy.parseRetryAfter("-5") == nil)
    }
}

@Suite struct URLPolicyTests {
    @Test func plainHTTPOnlyToLoopback() throws {
        for ok in ["http://127.0.0.1:8080/v1", "http://localhost/v1", "http://[::1]:9/v1", "https://webexapis.com/v1", "http://127.8.9.10/"] {
            #expect(throws: Never.self) { try URLPolicy.check(URL(string: ok)!) }
        }
        for bad in ["http://webexapis.com/v1", "http://10.0.0.1/v1", "http://127.0.0.1.evil.test/", "ftp://127.0.0.1/"] {
            #expect(throws: WebexError.self) { try URLPolicy.check(URL(string: bad)!) }
        }
    }

    @Test func tokenStaysOnTheAPIHost() {
        let base = URL(string: "https://webexapis.com/v1")!
        #expect(URLPolicy.sameOrigin(URL(string: "https://webexapis.com/v1/contents/x")!, base))
        #expect(URLPolicy.sameOrigin(URL(string: "https://WEBEXAPIS.com:443/v1")!, base))
        #expect(!URLPolicy.sameOrigin(URL(string: "https://evil.test/v1/contents/x")!, base))
        #expect(!URLPolicy.sameOrigin(URL(string: "http://webexapis.com/v1")!, base))
    }

    @Test func redactsSecrets() {
        #expect(Redact.header("Authorization", "Bearer abc.def") == "Bearer REDACTED")
        #expect(Redact.header("Content-Type", "text/plain") == "text/plain")
        #expect(!Redact.url("https://x.test/cb?code=SECRET&state=1").contains("SECRET"))
    }
}

@Suite struct ErrorBodyTests {
    @Test func readsMessageDescriptionsAndTrackingId() {
        let body = #"{"message":"Unable to post message to room","errors":[{"description":"The request is invalid"}],"trackingId":"ROUTER_1"}"#
        let e = APIError(response: HTTPResponse(status: 400, body: Data(body.utf8)), method: .post, url: "https://x.test/v1/messages")
        #expect(e.message == "Unable to post message to room")
        #expect(e.descriptions == ["The request is invalid"])
        #expect(e.trackingId == "ROUTER_1")
        #expect(e.description.contains("400 Bad Request"))
    }

    @Test func trackingIdFromHeaderWhenBodyIsNotJSON() {
        let e = APIError(response: HTTPResponse(status: 502, headers: ["TrackingID": "H_2"], body: Data("<html>".utf8)), method: .get, url: "u")
        #expect(e.trackingId == "H_2")
        #expect(e.message == nil)
    }

    @Test func contentDispositionNames() {
        #expect(ContentDisposition.filename(#"attachment; filename="report.pdf""#) == "report.pdf")
        #expect(ContentDisposition.filename("attachment; filename*=UTF-8''na%C3%AFve%20file.txt; filename=\"naive.txt\"") == "naïve file.txt")
        #expect(ContentDisposition.filename("inline") == nil)
        #expect(MessagesAPI.safeFilename("../../etc/passwd") == "passwd")
        #expect(MessagesAPI.safeFilename("..") == "download")
        #expect(MessagesAPI.safeFilename(".hidden") == "hidden")
    }
}
