import Foundation

/// Where the client gets its access token. Later: refreshable OAuth credentials and profiles.
public protocol TokenSource: Sendable {
    /// A bearer token, or `WebexError.missingToken` explaining where one can come from.
    func accessToken() async throws(WebexError) -> String
    /// Names the source (for `auth status` and error messages); never the token itself.
    var sourceDescription: String { get }
    /// Called after the API refused `rejected` (401): a fresh token, or nil when this source cannot refresh.
    func refresh(rejected: String) async throws(WebexError) -> String?
}

/// A fixed token, e.g. from `WEBEX_ACCESS_TOKEN`.
public struct StaticTokenSource: TokenSource {
    private let token: String
    public let sourceDescription: String
    public init(token: String, sourceDescription: String) {
        self.token = token; self.sourceDescription = sourceDescription
    }
    public func accessToken() async throws(WebexError) -> String { token }
}

/// A source that has no token; asking for one fails with `hint`.
public struct MissingTokenSource: TokenSource {
    public let hint: String
    public init(hint: String) { self.hint = hint }
    public var sourceDescription: String { "none" }
    public func accessToken() async throws(WebexError) -> String { throw .missingToken(hint) }
}

/// A retry the client is about to make, reported so a terminal front end can say why it is waiting.
public struct RetryNotice: Sendable {
    public var method: HTTPMethod
    public var url: String
    public var reason: String
    public var delay: Double
    public var attempt: Int
}

/// Everything a `Webex` client depends on. No global state: tests swap any part.
public struct WebexConfiguration: Sendable {
    public static let defaultBaseURL = URL(string: "https://webexapis.com/v1")!
    public static var sdkVersion: String { "0.1.0" }

    public var baseURL: URL
    /// Service discovery (U2C) base; see `u2cURL(environment:baseURL:)`.
    public var u2cURL: URL
    public var tokenSource: any TokenSource
    public var transport: any HTTPTransport
    /// Opens websockets (the events socket); by default over libcurl with the same TLS settings as `transport`.
    public var webSocketConnector: any WebSocketConnector
    public var logger: any WebexLogger
    public var retryPolicy: RetryPolicy
    /// Waits between retries (seconds); tests replace it to run instantly.
    public var sleep: @Sendable (Double) async throws -> Void
    /// Called before each retry.
    public var onRetry: (@Sendable (RetryNotice) -> Void)?
    /// Prefix of the per-request `trackingid` header.
    public var trackingIdPrefix: String

    public init(baseURL: URL = WebexConfiguration.defaultBaseURL,
                tokenSource: any TokenSource,
                transport: (any HTTPTransport)? = nil,
                logger: any WebexLogger = NullLogger(),
                retryPolicy: RetryPolicy = RetryPolicy(),
                userAgent: String = "webex-cli/\(WebexConfiguration.sdkVersion)",
                extraCABundle: String? = nil,
                onRetry: (@Sendable (RetryNotice) -> Void)? = nil,
                u2cURL: URL? = nil) {
        self.baseURL = baseURL
        self.u2cURL = u2cURL ?? (baseURL == Self.defaultBaseURL ? Self.defaultU2CURL
                                 : (try? Self.u2cURL(environment: [:], baseURL: baseURL)) ?? Self.defaultU2CURL)
        self.tokenSource = tokenSource
        let curlOptions = CurlTransportOptions(userAgent: userAgent, extraCABundle: extraCABundle)
        self.transport = transport ?? CurlTransport(options: curlOptions)
        self.webSocketConnector = CurlWebSocketConnector(options: curlOptions)
        self.logger = logger
        self.retryPolicy = retryPolicy
        self.sleep = { seconds in try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000)) }
        self.onRetry = onRetry
        self.trackingIdPrefix = "webex-cli_\(UUID().uuidString.lowercased())"
    }

    /// The base URL from `WEBEX_BASE_URL` when set, else the public API.
    public static func baseURL(environment: [String: String]) throws(WebexError) -> URL {
        guard let raw = environment["WEBEX_BASE_URL"], !raw.isEmpty else { return defaultBaseURL }
        guard let url = URL(string: raw), url.host != nil, ["http", "https"].contains(url.scheme?.lowercased() ?? "") else {
            throw .invalidArgument("WEBEX_BASE_URL is not an http(s) URL: \(raw)")
        }
        return url
    }
}

/// URL checks that keep the token safe.
public enum URLPolicy {
    public static func isLoopback(host: String) -> Bool {
        let h = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if h == "localhost" || h == "::1" || h.hasSuffix(".localhost") { return true }
        let parts = h.split(separator: ".")
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// Plain http is allowed only to loopback addresses.
    public static func check(_ url: URL) throws(WebexError) {
        let scheme = url.scheme?.lowercased() ?? ""
        guard let host = url.host else { throw .insecureURL("not an absolute URL: \(url.absoluteString)") }
        switch scheme {
        case "https": return
        case "http":
            guard isLoopback(host: host) else {
                throw .insecureURL("refusing plain http:// to \(host): only loopback addresses (127.0.0.1, ::1, localhost) may use http; use https://")
            }
        default: throw .insecureURL("unsupported URL scheme '\(scheme)' in \(url.absoluteString): use https://")
        }
    }

    /// Whether a request to `url` may carry the token meant for `base` (same scheme, host and port).
    public static func sameOrigin(_ url: URL, _ base: URL) -> Bool {
        url.scheme?.lowercased() == base.scheme?.lowercased() && url.host?.lowercased() == base.host?.lowercased()
            && (url.port ?? defaultPort(url)) == (base.port ?? defaultPort(base))
    }

    static func defaultPort(_ u: URL) -> Int { u.scheme?.lowercased() == "http" ? 80 : 443 }
}
