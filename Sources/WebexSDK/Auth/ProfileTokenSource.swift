import Foundation
import Synchronization

extension TokenSource {
    /// Sources that cannot refresh: the 401 stands.
    public func refresh(rejected: String) async throws(WebexError) -> String? { nil }
}

/// Tokens stored for a profile: refreshed shortly before they expire, and once after a 401; refreshed
/// tokens are saved. A file lock makes concurrent `webex` processes refresh one at a time, and each
/// re-reads the file inside the lock so a refresh another process just made is used, not repeated.
public final class ProfileTokenSource: TokenSource, Sendable {
    public let store: CredentialStore
    public let profile: String
    /// Refresh this long before the access token expires.
    public let margin: TimeInterval
    private let baseURL: URL
    private let transport: (any HTTPTransport)?
    private let cached = Mutex<Credentials?>(nil)

    public init(store: CredentialStore, profile: String, baseURL: URL, transport: (any HTTPTransport)? = nil, margin: TimeInterval = 300) {
        self.store = store; self.profile = profile; self.baseURL = baseURL; self.transport = transport; self.margin = margin
    }

    public var sourceDescription: String { "profile '\(profile)' (\(store.path(profile)))" }

    var loginHint: String { "webex auth login" + (profile == "default" ? "" : " --profile \(profile)") }

    public func credentials() throws(WebexError) -> Credentials? {
        let c = try store.load(profile)
        cached.withLock { $0 = c }
        return c
    }

    private func current() throws(WebexError) -> Credentials? {
        if let c = cached.withLock({ $0 }) { return c }
        return try credentials()
    }

    public func accessToken() async throws(WebexError) -> String {
        guard let c = try current() else {
            throw .missingToken("not logged in (profile '\(profile)'): run `\(loginHint)`, or set WEBEX_ACCESS_TOKEN")
        }
        if let exp = c.accessTokenExpiresAt, exp.timeIntervalSinceNow < margin {
            if c.refreshToken == nil {
                if exp.timeIntervalSinceNow <= 0 { throw .authExpired("the access token of profile '\(profile)' expired; log in again: \(loginHint)") }
                return c.accessToken
            }
            return try await refreshLocked(rejected: c.accessToken)
        }
        return c.accessToken
    }

    public func refresh(rejected: String) async throws(WebexError) -> String? {
        guard let c = try current(), c.refreshToken != nil else { return nil }
        return try await refreshLocked(rejected: rejected)
    }

    private func refreshLocked(rejected: String) async throws(WebexError) -> String {
        try await store.withLock(profile) { () async throws(WebexError) -> String in
            guard var c = try credentials() else { throw .missingToken("not logged in (profile '\(profile)'): run `\(loginHint)`") }
            // Another process may have refreshed while we waited for the lock.
            if c.accessToken != rejected, (c.accessTokenExpiresAt.map { $0.timeIntervalSinceNow >= margin } ?? true) {
                return c.accessToken
            }
            guard let refreshToken = c.refreshToken, let oauthClient = c.client else {
                throw .authExpired("the access token of profile '\(profile)' cannot be refreshed; log in again: \(loginHint)")
            }
            if let rexp = c.refreshTokenExpiresAt, rexp.timeIntervalSinceNow <= 0 {
                throw .authExpired("the refresh token of profile '\(profile)' expired; log in again: \(loginHint)")
            }
            let config = WebexConfiguration(baseURL: baseURL, tokenSource: MissingTokenSource(hint: ""), transport: transport)
            let oauth = OAuthAPI(client: try Webex(configuration: config))
            let r: TokenResponse
            do throws(WebexError) { r = try await oauth.refresh(refreshToken: refreshToken, oauthClient: oauthClient) } catch {
                if case .api(let e) = error, [400, 401].contains(e.status) {
                    throw .authExpired("the stored login of profile '\(profile)' was refused (\(e.oauthErrorCode ?? String(e.status))); log in again: \(loginHint)")
                }
                throw error
            }
            let now = Date()
            c.accessToken = r.access_token
            c.accessTokenExpiresAt = r.expires_in.map { now.addingTimeInterval($0) }
            if let nr = r.refresh_token { c.refreshToken = nr }
            if let nre = r.refresh_token_expires_in { c.refreshTokenExpiresAt = now.addingTimeInterval(nre) }
            try store.save(c, profile: profile)
            cached.withLock { $0 = c }
            return c.accessToken
        }
    }
}
