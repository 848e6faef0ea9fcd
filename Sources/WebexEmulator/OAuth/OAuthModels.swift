import Foundation

/// Lifetimes and polling rules for issued tokens and device codes (executable options
/// `--access-token-lifetime`, `--refresh-token-lifetime`; control `PUT /_emulator/settings`).
public struct OAuthSettings: Sendable, Equatable {
    /// Seconds an issued access token is valid.
    public var accessTokenLifetime: Int
    /// Seconds an issued refresh token is valid.
    public var refreshTokenLifetime: Int
    /// Minimum seconds between device-token polls (may be 0 or fractional, for tests).
    public var deviceInterval: Double
    /// Seconds a device code stays usable (may be fractional, for tests).
    public var deviceCodeLifetime: Double

    public init(
        accessTokenLifetime: Int = 43_200, refreshTokenLifetime: Int = 7_776_000, deviceInterval: Double = 5,
        deviceCodeLifetime: Double = 600
    ) {
        self.accessTokenLifetime = accessTokenLifetime
        self.refreshTokenLifetime = refreshTokenLifetime
        self.deviceInterval = deviceInterval
        self.deviceCodeLifetime = deviceCodeLifetime
    }

    var json: [String: JSONValue] {
        [
            "accessTokenLifetime": .int(accessTokenLifetime), "refreshTokenLifetime": .int(refreshTokenLifetime),
            "deviceInterval": OAuthSettings.number(deviceInterval),
            "deviceCodeLifetime": OAuthSettings.number(deviceCodeLifetime),
        ]
    }

    /// Applies the members present in a control API body (`PUT /_emulator/settings`).
    mutating func update(from body: JSONBody) throws(APIError) {
        func number(_ key: String) throws(APIError) -> Double? {
            guard let v = body.members[key], !v.isNull else { return nil }
            switch v {
            case .int(let i): return Double(i)
            case .double(let d) where d.isFinite: return d
            default: throw APIError.badRequest("\(key) must be a number.")
            }
        }
        if let v = try body.int("accessTokenLifetime") {
            guard v >= 1 else { throw APIError.badRequest("accessTokenLifetime must be at least 1.") }
            accessTokenLifetime = v
        }
        if let v = try body.int("refreshTokenLifetime") {
            guard v >= 1 else { throw APIError.badRequest("refreshTokenLifetime must be at least 1.") }
            refreshTokenLifetime = v
        }
        if let v = try number("deviceInterval") {
            guard v >= 0 else { throw APIError.badRequest("deviceInterval must not be negative.") }
            deviceInterval = v
        }
        if let v = try number("deviceCodeLifetime") {
            guard v > 0 else { throw APIError.badRequest("deviceCodeLifetime must be positive.") }
            deviceCodeLifetime = v
        }
    }

    /// A whole number as a JSON integer, anything else as a double.
    static func number(_ d: Double) -> JSONValue {
        d.rounded() == d && abs(d) < 1e15 ? .int(Int(d)) : .double(d)
    }
}

/// An OAuth client (a Webex "integration").
struct Integration: Sendable {
    var clientId: String
    var clientSecret: String
    /// Exact URIs, or patterns: a trailing `*` in the path matches any rest of the path, and a loopback host
    /// (`127.0.0.1`, `localhost`, `[::1]`) given without a port matches any port (RFC 8252 §7.3).
    var redirectUris: [String]

    var json: JSONValue {
        [
            "clientId": .string(clientId), "clientSecret": .string(clientSecret),
            "redirectUris": .array(redirectUris.map { .string($0) }),
        ]
    }

    func allows(redirectURI: String) -> Bool {
        redirectUris.contains { Self.matches(pattern: $0, redirectURI) }
    }

    static func matches(pattern: String, _ candidate: String) -> Bool {
        if pattern == candidate { return true }
        guard let p = URLComponents(string: pattern), let c = URLComponents(string: candidate),
            let pScheme = p.scheme?.lowercased(), let cScheme = c.scheme?.lowercased(), pScheme == cScheme,
            let pHost = p.host?.lowercased(), let cHost = c.host?.lowercased(), pHost == cHost,
            c.user == nil, c.password == nil, c.fragment == nil
        else { return false }
        let loopback = ["127.0.0.1", "localhost", "::1", "[::1]"].contains(pHost)
        if let port = p.port {
            guard c.port == port else { return false }
        } else if !loopback {
            guard c.port == nil else { return false }
        }
        if p.path.hasSuffix("*") {
            let prefix = String(p.path.dropLast())
            let path = c.path.isEmpty ? "/" : c.path
            return path.hasPrefix(prefix) || (prefix == "/" && c.path.isEmpty)
        }
        return p.path == c.path && p.query == c.query
    }
}

/// A guest issuer: guest JWTs are HS256 with the base64-decoded secret as key.
struct GuestIssuer: Sendable {
    var issuerId: String
    var secret: [UInt8]

    var secretBase64: String { Data(secret).base64EncodedString() }

    var json: JSONValue { ["issuerId": .string(issuerId), "secret": .string(secretBase64)] }
}

/// An authorization code waiting to be exchanged (single use, short-lived).
struct AuthorizationCode: Sendable {
    var clientId: String
    var redirectURI: String
    var personUUID: String
    var scope: String?
    var codeChallenge: String?
    var codeChallengeMethod: String?
    var expiresAt: Date
    var used: Bool = false
}

enum IssuedTokenKind: String, Sendable {
    case access
    case refresh
}

/// A token the emulator issued (seeded tokens are not in this list and never expire).
struct IssuedToken: Sendable {
    var value: String
    var kind: IssuedTokenKind
    var seq: Int
    var personUUID: String
    var clientId: String?
    var scope: String?
    var issuedAt: Date
    var expiresAt: Date
    var revoked: Bool = false
    /// For an access token minted from a refresh token: that refresh token's value.
    var parent: String?

    func isValid(at now: Date) -> Bool { !revoked && now < expiresAt }

    /// Only a short prefix of token values is ever shown, so logs stay clean.
    static func prefix(_ value: String) -> String { String(value.prefix(6)) }
}

/// A pending device authorization (RFC 8628).
struct DeviceAuthorization: Sendable {
    var deviceCode: String
    var userCode: String
    var clientId: String
    var scope: String?
    var interval: Double
    var created: Date
    var expiresAt: Date
    var seq: Int
    var approvedBy: String?
    var denied: Bool = false
    var used: Bool = false
    var lastPoll: Date?
}

/// Everything OAuth: clients, guest issuers, codes, issued tokens, device authorizations and the
/// control switches that stand in for the browser.
struct OAuthState: Sendable {
    var integrations: [Integration]
    var guestIssuers: [GuestIssuer]
    var codes: [String: AuthorizationCode] = [:]
    var tokens: [String: IssuedToken] = [:]
    var devices: [String: DeviceAuthorization] = [:]
    /// Who approves `GET /v1/authorize` when there is no `login_hint`.
    var approverEmail: String = "alice@example.com"
    /// When set, the next authorize redirects with `error=access_denied`.
    var denyNext: Bool = false

    static let seededIntegration = Integration(
        clientId: "emulator-client", clientSecret: "emulator-secret",
        redirectUris: ["http://127.0.0.1/*", "http://localhost/*"])

    /// The seeded issuer's secret: the 32 ASCII bytes of `emulator-guest-issuer-secret-32b`, i.e. base64
    /// `ZW11bGF0b3ItZ3Vlc3QtaXNzdWVyLXNlY3JldC0zMmI=`.
    static let seededGuestIssuer = GuestIssuer(
        issuerId: "emulator-issuer", secret: Array("emulator-guest-issuer-secret-32b".utf8))

    static var seeded: OAuthState {
        OAuthState(integrations: [seededIntegration], guestIssuers: [seededGuestIssuer])
    }

    func integration(_ clientId: String) -> Integration? {
        integrations.first { $0.clientId == clientId }
    }

    func guestIssuer(_ issuerId: String) -> GuestIssuer? {
        guestIssuers.first { $0.issuerId == issuerId }
    }
}
