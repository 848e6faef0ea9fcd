import Foundation

/// What the token endpoint answers (reference §6); lifetimes in seconds.
public struct TokenResponse: Codable, Sendable {
    public var access_token: String
    public var expires_in: Double?
    public var refresh_token: String?
    public var refresh_token_expires_in: Double?
    public var token_type: String?
    public var scope: String?
}

/// The device authorization grant's first answer.
public struct DeviceAuthorization: Codable, Sendable {
    public var device_code: String
    public var user_code: String
    public var verification_uri: String
    public var verification_uri_complete: String?
    public var expires_in: Double?
    public var interval: Double?
}

public enum DevicePoll: Sendable {
    case pending
    case slowDown
    case granted(TokenResponse)
    case denied
    case expired
}

/// A guest token from `/jwt/login`.
public struct GuestToken: Codable, Sendable {
    public var token: String
    public var expiresIn: Double?
}

/// An integration's OAuth client credentials.
public struct OAuthClient: Sendable, Codable, Equatable {
    public var id: String
    public var secret: String
    public init(id: String, secret: String) { self.id = id; self.secret = secret }
}

/// PKCE (RFC 7636, S256) as JSSDK does it: a 128-character verifier.
public struct PKCE: Sendable {
    public let verifier: String
    public var challenge: String { Crypto.base64url(Crypto.sha256(Array(verifier.utf8))) }
    public init() {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        verifier = String(Crypto.randomBytes(128).map { alphabet[Int($0) % alphabet.count] })
    }
    public init(verifier: String) { self.verifier = verifier }
    /// A random `state` value.
    public static func state() -> String { Crypto.base64url(Crypto.randomBytes(24)) }
}

/// The OAuth endpoints under the API base (`/authorize`, `/access_token`, `/device/*`, `/jwt/login`).
/// These requests carry client credentials or codes, never the bearer token, and are never logged with them.
public struct OAuthAPI: Sendable {
    let client: Webex

    public func authorizeURL(clientId: String, redirectURI: String, scope: String, state: String, pkce: PKCE) -> URL {
        client.url(["authorize"], query: [
            ("client_id", clientId), ("response_type", "code"), ("redirect_uri", redirectURI), ("scope", scope),
            ("state", state), ("code_challenge", pkce.challenge), ("code_challenge_method", "S256"),
        ])
    }

    public func exchange(code: String, redirectURI: String, pkce: PKCE, oauthClient: OAuthClient) async throws(WebexError) -> TokenResponse {
        try await tokenRequest(["grant_type": "authorization_code", "code": code, "redirect_uri": redirectURI,
                                "code_verifier": pkce.verifier], oauthClient)
    }

    public func refresh(refreshToken: String, oauthClient: OAuthClient) async throws(WebexError) -> TokenResponse {
        try await tokenRequest(["grant_type": "refresh_token", "refresh_token": refreshToken], oauthClient)
    }

    public func deviceAuthorize(clientId: String, scope: String) async throws(WebexError) -> DeviceAuthorization {
        let r = try await client.send(Self.form(client.url(["device", "authorize"]), ["client_id": clientId, "scope": scope]), authenticate: false)
        return try client.decode(DeviceAuthorization.self, r)
    }

    /// One poll of the device token endpoint. 428 means the user has not approved yet (reference §6).
    public func devicePoll(deviceCode: String, oauthClient: OAuthClient) async throws(WebexError) -> DevicePoll {
        var req = Self.form(client.url(["device", "token"]), [
            "grant_type": "urn:ietf:params:oauth:grant-type:device_code", "device_code": deviceCode, "client_id": oauthClient.id,
        ])
        req.headers.set("Authorization", "Basic " + Data("\(oauthClient.id):\(oauthClient.secret)".utf8).base64EncodedString())
        do {
            return .granted(try client.decode(TokenResponse.self, try await client.send(req, authenticate: false)))
        } catch {
            guard case .api(let e) = error else { throw error }
            if e.status == 428 { return .pending }
            switch e.oauthErrorCode {
            case "authorization_pending": return .pending
            case "slow_down": return .slowDown
            case "access_denied": return .denied
            case "expired_token": return .expired
            default: throw error
            }
        }
    }

    /// Exchanges a guest-issuer JWT for an access token.
    public func jwtLogin(_ jwt: String) async throws(WebexError) -> GuestToken {
        var req = HTTPRequest(method: .post, url: client.url(["jwt", "login"]))
        req.headers.set("Authorization", "Bearer \(jwt)")
        return try client.decode(GuestToken.self, try await client.send(req, authenticate: false))
    }

    /// An HS256 guest JWT: claims `sub`, `name`, `iss`, `exp`, signed with the base64-decoded issuer secret.
    public static func guestJWT(issuer: String, secretBase64: String, subject: String, name: String,
                                expires: Date = Date().addingTimeInterval(3600)) throws(WebexError) -> String {
        guard let key = Data(base64Encoded: secretBase64.trimmingCharacters(in: .whitespacesAndNewlines)) ?? Data(base64Encoded: Self.pad(secretBase64)) else {
            throw .invalidArgument("the guest issuer secret is not base64")
        }
        guard !subject.isEmpty, subject.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }), subject.allSatisfy(\.isASCII) else {
            throw .invalidArgument("the guest subject may contain only letters, digits and hyphens")
        }
        func part(_ obj: [String: Any]) -> String {
            Crypto.base64url(Array((try? JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys])) ?? Data()))
        }
        let signingInput = part(["alg": "HS256", "typ": "JWT"]) + "." + part(["sub": subject, "name": name, "iss": issuer, "exp": Int(expires.timeIntervalSince1970)])
        return signingInput + "." + Crypto.base64url(Crypto.hmacSHA256(key: Array(key), data: Array(signingInput.utf8)))
    }

    static func pad(_ s: String) -> String {
        var t = s.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while t.count % 4 != 0 { t += "=" }
        return t
    }

    private func tokenRequest(_ fields: [String: String], _ oauthClient: OAuthClient) async throws(WebexError) -> TokenResponse {
        var all = fields
        all["client_id"] = oauthClient.id
        all["client_secret"] = oauthClient.secret
        let r = try await client.send(Self.form(client.url(["access_token"]), all), authenticate: false)
        return try client.decode(TokenResponse.self, r)
    }

    static func form(_ url: URL, _ fields: [String: String]) -> HTTPRequest {
        let body = fields.sorted { $0.key < $1.key }.map { "\(Webex.encodeQuery($0.key))=\(Webex.encodeQuery($0.value))" }.joined(separator: "&")
        return HTTPRequest(method: .post, url: url, body: .data(Data(body.utf8), contentType: "application/x-www-form-urlencoded"))
    }
}
