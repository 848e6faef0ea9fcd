import Foundation
import Synchronization

/// The entry point: `let webex = try Webex(configuration: …)`, then `webex.rooms.list()`, `webex.messages.create(…)`.
public final class Webex: Sendable {
    public let configuration: WebexConfiguration
    private let sequence = Atomic<Int>(0)
    let catalogCache = Mutex<ServiceCatalog?>(nil)
    /// Service URLs from the catalog that may receive the token besides the API and U2C hosts.
    let trustedServices = Mutex<[URL]>([])

    public init(configuration: WebexConfiguration) throws(WebexError) {
        try URLPolicy.check(configuration.baseURL)
        self.configuration = configuration
    }

    public var people: PeopleAPI { PeopleAPI(client: self) }
    public var rooms: RoomsAPI { RoomsAPI(client: self) }
    public var messages: MessagesAPI { MessagesAPI(client: self) }
    public var memberships: MembershipsAPI { MembershipsAPI(client: self) }
    public var teams: TeamsAPI { TeamsAPI(client: self) }
    public var teamMemberships: TeamMembershipsAPI { TeamMembershipsAPI(client: self) }
    public var webhooks: WebhooksAPI { WebhooksAPI(client: self) }
    public var attachmentActions: AttachmentActionsAPI { AttachmentActionsAPI(client: self) }
    public var oauth: OAuthAPI { OAuthAPI(client: self) }

    var logger: any WebexLogger { configuration.logger }

    // MARK: URLs

    /// `base/segment/segment?query`, each segment percent-encoded; `nil` query values are left out.
    public func url(_ segments: [String], query: [(String, String?)] = []) -> URL {
        Self.join(configuration.baseURL, segments, query: query)
    }

    /// Resolves a user-supplied path (`rooms`, `/rooms`, `/v1/rooms?max=2`) or an absolute URL.
    public func resolve(path: String) throws(WebexError) -> URL {
        if path.lowercased().hasPrefix("http://") || path.lowercased().hasPrefix("https://") {
            guard let u = URL(string: path) else { throw .invalidArgument("not a valid URL: \(path)") }
            return u
        }
        var base = configuration.baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        var p = path.hasPrefix("/") ? String(path.dropFirst()) : path
        let basePath = configuration.baseURL.path.split(separator: "/").joined(separator: "/")
        if !basePath.isEmpty, p.hasPrefix(basePath + "/") { p = String(p.dropFirst(basePath.count + 1)) }
        guard let u = URL(string: base + "/" + p) else { throw .invalidArgument("not a valid API path: \(path)") }
        return u
    }

    static let unreserved: CharacterSet = {
        var c = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        c.insert(charactersIn: ":@")
        return c
    }()
    static func encode(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: unreserved) ?? s }
    /// Percent-encodes a query key or value strictly (`+`, `&`, `=` and spaces included).
    public static func encodeQuery(_ s: String) -> String { encode(s) }

    // MARK: Sending

    /// Sends a request with the token, a `trackingid` and the retry policy. Non-2xx answers throw `.api`.
    public func send(_ request: HTTPRequest, progress: ProgressHandler? = nil, authenticate: Bool = true) async throws(WebexError) -> HTTPResponse {
        try URLPolicy.check(request.url)
        guard isTrusted(request.url) else {
            throw .insecureURL("refusing to send the access token to \(request.url.host ?? "?"): it is not the API host \(configuration.baseURL.host ?? "?")")
        }
        var token = authenticate ? try await configuration.tokenSource.accessToken() : ""
        var refreshedAfter401 = false
        let seq = sequence.wrappingAdd(1, ordering: .relaxed).newValue
        let trackingBase = "\(configuration.trackingIdPrefix)_\(seq)"
        let policy = configuration.retryPolicy
        var attempt = 1
        while true {
            var req = request
            if authenticate { req.headers.set("Authorization", "Bearer \(token)") }
            req.headers.set("trackingid", attempt == 1 ? trackingBase : "\(trackingBase)+\(attempt - 1)")
            if req.headers["Accept"] == nil { req.headers.set("Accept", "application/json") }
            logRequest(req)
            let started = ContinuousClock.now
            let outcome: RetryPolicy.Outcome
            let failure: WebexError
            switch await sendOnce(req, progress: progress) {
            case .failure(let error):
                logger.log(.debug, "✗ \(req.method) \(Redact.url(req.url.absoluteString)): \(error.message)")
                outcome = .transport(error.kind)
                failure = .transport(error)
            case .success(let response):
                logResponse(response, req, elapsed: ContinuousClock.now - started)
                if response.isSuccess { return response }
                // A refused token is refreshed once (if the source can) and the request replayed once.
                if response.status == 401, authenticate, !refreshedAfter401,
                   let fresh = try await configuration.tokenSource.refresh(rejected: token) {
                    refreshedAfter401 = true
                    token = fresh
                    logger.log(.info, "access token refused; refreshed it and retrying \(req.method) \(Redact.url(req.url.absoluteString))")
                    continue
                }
                outcome = .status(response.status, retryAfter: response.headers["Retry-After"])
                failure = .api(APIError(response: response, method: req.method, url: req.url.absoluteString))
            }
            switch policy.decide(method: req.method, outcome: outcome, attempt: attempt) {
            case .giveUp:
                throw failure
            case .retry(let delay, let reason):
                let notice = RetryNotice(method: req.method, url: Redact.url(req.url.absoluteString), reason: reason, delay: delay, attempt: attempt)
                logger.log(.info, "retrying \(req.method) \(notice.url) in \(String(format: "%.1f", delay))s: \(reason)")
                configuration.onRetry?(notice)
                do { try await configuration.sleep(delay) } catch { throw failure }
                attempt += 1
            }
        }
    }

    private func sendOnce(_ req: HTTPRequest, progress: ProgressHandler?) async -> Result<HTTPResponse, TransportError> {
        do { return .success(try await configuration.transport.send(req, progress: progress)) } catch { return .failure(error) }
    }

    /// The token goes only to the API host, the U2C host and the services U2C named.
    func isTrusted(_ url: URL) -> Bool {
        if URLPolicy.sameOrigin(url, configuration.baseURL) || URLPolicy.sameOrigin(url, configuration.u2cURL) { return true }
        return trustedServices.withLock { $0.contains { URLPolicy.sameOrigin(url, $0) } }
    }

    private func logRequest(_ req: HTTPRequest) {
        guard logger.level >= .debug else { return }
        var lines = ["→ \(req.method) \(Redact.url(req.url.absoluteString))"]
        for (n, v) in req.headers { lines.append("  \(n): \(Redact.header(n, v))") }
        if logger.level >= .trace, case .data(let body, _) = req.body {
            lines.append("  " + Self.preview(body))
        }
        logger.log(.debug, lines.joined(separator: "\n"))
    }

    private func logResponse(_ res: HTTPResponse, _ req: HTTPRequest, elapsed: Duration) {
        guard logger.level >= .debug else { return }
        let ms = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        var lines = ["← \(res.status) \(HTTPStatus.reason(res.status) ?? "") (\(Int(ms)) ms) \(req.method) \(Redact.url(req.url.absoluteString))"]
        for (n, v) in res.headers { lines.append("  \(n): \(Redact.header(n, v))") }
        if logger.level >= .trace, !res.body.isEmpty { lines.append("  " + Self.preview(res.body)) }
        logger.log(.debug, lines.joined(separator: "\n"))
    }

    static func preview(_ body: Data) -> String {
        // Redact the whole body first: a secret cut at the limit would lose its closing quote and escape the rule.
        let limit = 4096
        let text = Redact.body(String(decoding: body.prefix(1 << 20), as: UTF8.self))
        return text.count > limit ? String(text.prefix(limit)) + "… (\(body.count) bytes)" : text
    }

    // MARK: JSON helpers

    public func get<T: Decodable>(_ type: T.Type = T.self, _ url: URL) async throws(WebexError) -> T {
        try decode(T.self, try await send(HTTPRequest(method: .get, url: url)))
    }

    public func send<T: Decodable>(_ type: T.Type = T.self, _ method: HTTPMethod, _ url: URL, json body: some Encodable,
                                   progress: ProgressHandler? = nil) async throws(WebexError) -> T {
        let data: Data
        do { data = try WebexJSON.encoder.encode(body) } catch { throw .invalidArgument("cannot encode request: \(error)") }
        let req = HTTPRequest(method: method, url: url, body: .data(data, contentType: "application/json;charset=utf-8"))
        return try decode(T.self, try await send(req, progress: progress))
    }

    public func delete(_ url: URL) async throws(WebexError) {
        _ = try await send(HTTPRequest(method: .delete, url: url))
    }

    public func decode<T: Decodable>(_ type: T.Type, _ response: HTTPResponse) throws(WebexError) -> T {
        do { return try WebexJSON.decoder.decode(T.self, from: response.body) } catch {
            throw .invalidResponse("cannot read \(T.self) from the answer (\(response.status), \(response.body.count) bytes): \(error)")
        }
    }

    /// Lazily follows `Link: rel="next"` from `url`; stops after `limit` items without fetching further pages.
    public func paginate<T: Decodable & Sendable>(_ type: T.Type = T.self, _ url: URL, limit: Int? = nil) -> PagedSequence<T> {
        PagedSequence(client: self, first: url, limit: limit)
    }
}
