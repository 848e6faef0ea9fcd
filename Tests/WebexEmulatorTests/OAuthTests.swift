import Foundation
import Testing

@testable import WebexEmulator

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Answers a 302 instead of following it, so the test can read `Location`.
private final class NoRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}

/// RFC 7636 Appendix B.
private let rfcVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
private let rfcChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
private let redirect = "http://127.0.0.1:8765/callback"
private let basicAuth = "Basic " + Data("emulator-client:emulator-secret".utf8).base64EncodedString()
private let deviceGrant = "urn:ietf:params:oauth:grant-type:device_code"
private let seededIssuerSecret = "ZW11bGF0b3ItZ3Vlc3QtaXNzdWVyLXNlY3JldC0zMmI="

private func enc(_ s: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return s.addingPercentEncoding(withAllowedCharacters: allowed)!
}

private func form(_ fields: [(String, String)]) -> Data {
    Data(fields.map { "\(enc($0.0))=\(enc($0.1))" }.joined(separator: "&").utf8)
}

private func queryValue(_ url: String, _ name: String) -> String? {
    URLComponents(string: url)?.queryItems?.first { $0.name == name }?.value
}

extension TestClient {
    /// `GET /v1/authorize` without following the redirect.
    func authorize(_ params: [(String, String)]) async throws -> HTTPResult {
        let url = URL(string: origin + "/v1/authorize?" + params.map { "\(enc($0.0))=\(enc($0.1))" }.joined(separator: "&"))!
        let session = URLSession(configuration: .ephemeral, delegate: NoRedirects(), delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        let (data, response) = try await session.data(for: URLRequest(url: url))
        let http = try #require(response as? HTTPURLResponse)
        var fields: [String: String] = [:]
        for (k, v) in http.allHeaderFields {
            if let k = k as? String, let v = v as? String { fields[k] = v }
        }
        return HTTPResult(status: http.statusCode, headers: fields, body: data)
    }

    /// Authorizes with the RFC challenge and returns the code.
    func code(loginHint: String? = nil, challenge: String? = rfcChallenge, scope: String = "spark:all") async throws -> String {
        var params = [
            ("client_id", "emulator-client"), ("response_type", "code"), ("redirect_uri", redirect), ("scope", scope),
            ("state", "st-1"),
        ]
        if let challenge { params += [("code_challenge", challenge), ("code_challenge_method", "S256")] }
        if let loginHint { params.append(("login_hint", loginHint)) }
        let r = try await authorize(params)
        #expect(r.status == 302)
        let location = try #require(r.header("Location"))
        #expect(location.hasPrefix(redirect + "?"))
        #expect(queryValue(location, "state") == "st-1")
        return try #require(queryValue(location, "code"))
    }

    func postForm(_ path: String, _ fields: [(String, String)], basic: String? = basicAuth) async throws -> HTTPResult {
        try await send(
            "POST", path, token: nil, body: form(fields), contentType: "application/x-www-form-urlencoded",
            headers: basic.map { ["Authorization": $0] } ?? [:])
    }

    func exchange(_ code: String, verifier: String? = rfcVerifier, basic: String? = basicAuth, extra: [(String, String)] = [])
        async throws -> HTTPResult
    {
        var fields = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirect)]
        if let verifier { fields.append(("code_verifier", verifier)) }
        return try await postForm("/v1/access_token", fields + extra, basic: basic)
    }

    /// A fresh token response for `loginHint` (default: the approver, Alice).
    func tokens(loginHint: String? = nil) async throws -> [String: Any] {
        let r = try await exchange(try await code(loginHint: loginHint))
        #expect(r.status == 200)
        return try r.json
    }

    func me(_ token: String) async throws -> HTTPResult { try await send("GET", "/v1/people/me", token: token) }

    func control(_ method: String, _ path: String, _ json: String? = nil) async throws -> HTTPResult {
        try await send(method, path, token: nil, json: json)
    }
}

private func expectOAuthError(_ r: HTTPResult, _ status: Int, _ error: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    #expect(r.status == status, sourceLocation: sourceLocation)
    let body = try r.json
    #expect(body["error"] as? String == error, sourceLocation: sourceLocation)
    #expect(body["error_description"] is String, sourceLocation: sourceLocation)
    #expect(body["message"] is String, sourceLocation: sourceLocation)
    #expect(body["trackingId"] is String, sourceLocation: sourceLocation)
    let errors = try #require(body["errors"] as? [[String: Any]], sourceLocation: sourceLocation)
    #expect(errors.first?["description"] is String, sourceLocation: sourceLocation)
}

/// HS256 JWT signed with a base64 secret (signing uses the emulator's OpenSSL HMAC, checked against RFC 4231
/// in `cryptoMatchesPublishedVectors`).
private func jwt(_ claims: [String: Any], secret: String = seededIssuerSecret, alg: String = "HS256") throws -> String {
    func part(_ object: [String: Any]) throws -> String {
        OAuthCrypto.base64URLEncode(Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])))
    }
    let signingInput = "\(try part(["alg": alg, "typ": "JWT"])).\(try part(claims))"
    let key = try #require(OAuthCrypto.base64Decode(secret))
    return signingInput + "." + OAuthCrypto.base64URLEncode(OAuthCrypto.hmacSHA256(key: key, message: Array(signingInput.utf8)))
}

@Suite struct OAuthTests {
    @Test func cryptoMatchesPublishedVectors() {
        func hex(_ b: [UInt8]) -> String { b.map { String(format: "%02x", $0) }.joined() }
        #expect(hex(OAuthCrypto.sha256(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // RFC 4231 test case 2.
        #expect(
            hex(OAuthCrypto.hmacSHA256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(OAuthCrypto.base64URLEncode(OAuthCrypto.sha256(Array(rfcVerifier.utf8))) == rfcChallenge)
        #expect(OAuthCrypto.base64Decode(seededIssuerSecret)?.count == 32)
        #expect(Integration.matches(pattern: "http://127.0.0.1/*", "http://127.0.0.1:9999/a/b?x=1"))
        #expect(!Integration.matches(pattern: "http://127.0.0.1/*", "http://127.0.0.1.evil.com/"))
        #expect(!Integration.matches(pattern: "http://127.0.0.1/*", "http://127.0.0.1@evil.com/"))
        #expect(!Integration.matches(pattern: "http://127.0.0.1/*", "https://127.0.0.1/"))
        #expect(!Integration.matches(pattern: "https://app.example.com/cb", "https://app.example.com:444/cb"))
    }

    @Test func authorizationCodeWithPKCE() async throws {
        try await withEmulator { client, emulator in
            // Wrong verifier: 400 invalid_grant.
            try expectOAuthError(try await client.exchange(try await client.code(), verifier: "x" + rfcVerifier), 400, "invalid_grant")
            // Missing verifier when a challenge was given.
            try expectOAuthError(try await client.exchange(try await client.code(), verifier: nil), 400, "invalid_grant")

            let code = try await client.code(loginHint: "bob@example.com")
            let ok = try await client.exchange(code)
            #expect(ok.status == 200)
            let body = try ok.json
            let access = try #require(body["access_token"] as? String)
            #expect(body["token_type"] as? String == "Bearer")
            #expect(body["expires_in"] as? Int == 43200)
            #expect(body["refresh_token_expires_in"] as? Int == 7_776_000)
            #expect(body["scope"] as? String == "spark:all")
            #expect(body["refresh_token"] is String)
            // `<random>_PF84_<orgUUID>`.
            let parts = access.split(separator: "_", omittingEmptySubsequences: false)
            #expect(parts.count == 3)
            #expect(parts[0].count >= 40 && parts[0].allSatisfy { $0.isLetter || $0.isNumber })
            #expect(parts[1] == "PF84")
            let me = try await client.me(access)
            #expect(me.status == 200)
            #expect(try me.json["emails"] as? [String] == ["bob@example.com"])
            let orgId = try #require(try me.json["orgId"] as? String)
            #expect(HydraID.decode(orgId)?.uuid == String(parts[2]))
            // Issued tokens work on the other services too.
            #expect(try await client.send("GET", "/conversation/api/v1/conversations", token: access).status == 200)

            // A code is single use.
            try expectOAuthError(try await client.exchange(code), 400, "invalid_grant")
            // redirect_uri must equal the authorize one.
            try expectOAuthError(
                try await client.postForm(
                    "/v1/access_token",
                    [("grant_type", "authorization_code"), ("code", try await client.code()), ("redirect_uri", redirect + "2"),
                     ("code_verifier", rfcVerifier)]),
                400, "invalid_grant")
            // Without a challenge no verifier is needed.
            #expect(try await client.exchange(try await client.code(challenge: nil), verifier: nil).status == 200)

            // Unregistered redirect, unknown client, wrong response type: 400 and never a redirect.
            for params in [
                [("client_id", "emulator-client"), ("response_type", "code"), ("redirect_uri", "https://evil.example.com/cb")],
                [("client_id", "nobody"), ("response_type", "code"), ("redirect_uri", redirect)],
                [("client_id", "emulator-client"), ("response_type", "token"), ("redirect_uri", redirect)],
            ] {
                let r = try await client.authorize(params)
                #expect(r.status == 400)
                #expect(r.header("Location") == nil)
                #expect(try r.json["error"] is String)
            }

            // Token values never appear in the control listing, only prefixes.
            let listing = try await client.control("GET", "/_emulator/tokens")
            #expect(!String(decoding: listing.body, as: UTF8.self).contains(access))
            let items = try listing.items
            #expect(items.contains { $0["prefix"] as? String == String(access.prefix(6)) && $0["kind"] as? String == "access" })
            _ = emulator
        }
    }

    @Test func basicAndFormClientCredentials() async throws {
        try await withEmulator { client, _ in
            let viaForm = try await client.exchange(
                try await client.code(), basic: nil,
                extra: [("client_id", "emulator-client"), ("client_secret", "emulator-secret")])
            #expect(viaForm.status == 200)
            #expect(try await client.exchange(try await client.code()).status == 200)

            let wrongBasic = "Basic " + Data("emulator-client:nope".utf8).base64EncodedString()
            let r = try await client.exchange(try await client.code(), basic: wrongBasic)
            try expectOAuthError(r, 401, "invalid_client")
            try expectOAuthError(
                try await client.exchange(
                    try await client.code(), basic: nil, extra: [("client_id", "emulator-client"), ("client_secret", "nope")]),
                401, "invalid_client")
            try expectOAuthError(try await client.exchange(try await client.code(), basic: nil), 401, "invalid_client")
            try expectOAuthError(
                try await client.exchange(try await client.code(), extra: [("client_id", "someone-else")]), 401, "invalid_client")
            try expectOAuthError(
                try await client.postForm("/v1/access_token", [("grant_type", "password")]), 400, "unsupported_grant_type")
        }
    }

    @Test func refreshExpiryAndRevocation() async throws {
        try await withEmulator { client, _ in
            let first = try await client.tokens()
            let access1 = try #require(first["access_token"] as? String)
            let refresh = try #require(first["refresh_token"] as? String)

            let refreshed = try await client.postForm(
                "/v1/access_token", [("grant_type", "refresh_token"), ("refresh_token", refresh)], basic: nil)
            try expectOAuthError(refreshed, 401, "invalid_client")
            let r = try await client.postForm("/v1/access_token", [("grant_type", "refresh_token"), ("refresh_token", refresh)])
            #expect(r.status == 200)
            let second = try r.json
            let access2 = try #require(second["access_token"] as? String)
            #expect(access2 != access1)
            // [U] The same refresh token stays valid and reports its remaining lifetime.
            #expect(second["refresh_token"] as? String == refresh)
            let remaining = try #require(second["refresh_token_expires_in"] as? Int)
            #expect(remaining <= 7_776_000 && remaining > 7_776_000 - 10)

            // Expire the first access token: 401 with the Webex body; the refreshed one still works.
            #expect(try await client.control("POST", "/_emulator/tokens/expire", #"{"token":"\#(access1)"}"#).status == 200)
            let expired = try await client.me(access1)
            #expect(expired.status == 401)
            #expect(client.errorMessage(expired) == "The request requires a valid access token set in the Authorization request header.")
            #expect(try await client.me(access2).status == 200)
            // Seeded tokens are untouched and cannot be revoked.
            #expect(try await client.control("POST", "/_emulator/tokens/revoke", #"{"token":"alice-token"}"#).status == 400)
            #expect(try await client.me("alice-token").status == 200)

            // Revoking the refresh token kills it and every access token minted from it.
            let revoked = try await client.control("POST", "/_emulator/tokens/revoke", #"{"token":"\#(refresh)"}"#)
            #expect(try revoked.json["revoked"] as? Bool == true)
            #expect(try await client.me(access2).status == 401)
            try expectOAuthError(
                try await client.postForm("/v1/access_token", [("grant_type", "refresh_token"), ("refresh_token", refresh)]),
                400, "invalid_grant")
            let items = try await client.control("GET", "/_emulator/tokens").items
            #expect(items.count == 3)
            #expect(items.allSatisfy { $0["revoked"] as? Bool == true && $0["personEmail"] as? String == "alice@example.com" })
            #expect(items.filter { $0["kind"] as? String == "access" }.allSatisfy { $0["parent"] as? String == String(refresh.prefix(6)) })

            // Revoking just an access token leaves its refresh token usable.
            let other = try await client.tokens()
            let otherAccess = try #require(other["access_token"] as? String)
            #expect(try await client.control("POST", "/_emulator/tokens/revoke", #"{"token":"\#(otherAccess)"}"#).status == 200)
            #expect(try await client.me(otherAccess).status == 401)
            let otherRefresh = try #require(other["refresh_token"] as? String)
            #expect(
                try await client.postForm(
                    "/v1/access_token", [("grant_type", "refresh_token"), ("refresh_token", otherRefresh)]
                ).status == 200)

            // Reset forgets issued tokens.
            #expect(try await client.control("POST", "/_emulator/reset").status == 200)
            #expect(try await client.control("GET", "/_emulator/tokens").items.isEmpty)
        }
    }

    @Test func accessTokenLifetimeSetting() async throws {
        try await withEmulator { client, _ in
            let settings = try await client.control(
                "PUT", "/_emulator/settings", #"{"accessTokenLifetime":1,"refreshTokenLifetime":100}"#)
            #expect(try settings.json["accessTokenLifetime"] as? Int == 1)
            #expect(try settings.json["webhookMaxAttempts"] as? Int == 4)
            let body = try await client.tokens()
            #expect(body["expires_in"] as? Int == 1)
            #expect(body["refresh_token_expires_in"] as? Int == 100)
            let access = try #require(body["access_token"] as? String)
            // A token from the longer lifetime is the control: after the short one has lapsed, only it is
            // refused. (Checking the short token before it lapses would race a one-second window on a busy CI.)
            #expect(try await client.control("PUT", "/_emulator/settings", #"{"accessTokenLifetime":3600}"#).status == 200)
            let longLived = try #require(try await client.tokens()["access_token"] as? String)
            try await Task.sleep(for: .milliseconds(1100))
            #expect(try await client.me(access).status == 401)
            #expect(try await client.me(longLived).status == 200)
            #expect(try await client.control("PUT", "/_emulator/settings", #"{"accessTokenLifetime":0}"#).status == 400)
        }
    }

    @Test func approverDenyAndIntegrations() async throws {
        try await withEmulator { client, _ in
            let oauth = try await client.control("GET", "/_emulator/oauth").json
            let integrations = try #require(oauth["integrations"] as? [[String: Any]])
            #expect(integrations.first?["clientId"] as? String == "emulator-client")
            #expect(integrations.first?["clientSecret"] as? String == "emulator-secret")
            #expect(integrations.first?["redirectUris"] as? [String] == ["http://127.0.0.1/*", "http://localhost/*"])
            let issuers = try #require(oauth["guestIssuers"] as? [[String: Any]])
            #expect(issuers.first?["issuerId"] as? String == "emulator-issuer")
            #expect(issuers.first?["secret"] as? String == seededIssuerSecret)

            #expect(try await client.control("PUT", "/_emulator/oauth/approver", #"{"email":"carol@example.com"}"#).status == 200)
            let carol = try #require(try await client.tokens()["access_token"] as? String)
            #expect(try await client.me(carol).json["displayName"] as? String == "Carol Example")

            #expect(try await client.control("PUT", "/_emulator/oauth/deny", #"{"deny":true}"#).status == 200)
            let denied = try await client.authorize([
                ("client_id", "emulator-client"), ("response_type", "code"), ("redirect_uri", redirect), ("state", "s9"),
            ])
            #expect(denied.status == 302)
            let location = try #require(denied.header("Location"))
            #expect(queryValue(location, "error") == "access_denied")
            #expect(queryValue(location, "state") == "s9")
            #expect(queryValue(location, "code") == nil)
            _ = try await client.code()  // only the next one is denied

            let created = try await client.control(
                "POST", "/_emulator/integrations", #"{"redirectUris":["https://app.example.com/cb"]}"#)
            #expect(created.status == 200)
            let clientId = try #require(try created.json["clientId"] as? String)
            let secret = try #require(try created.json["clientSecret"] as? String)
            let exact = try await client.authorize([
                ("client_id", clientId), ("response_type", "code"), ("redirect_uri", "https://app.example.com/cb"),
            ])
            #expect(exact.status == 302)
            let exactLocation = try #require(exact.header("Location"))
            let code = try #require(queryValue(exactLocation, "code"))
            #expect(
                try await client.authorize([
                    ("client_id", clientId), ("response_type", "code"), ("redirect_uri", "https://app.example.com/other"),
                ]).status == 400)
            // The seeded client cannot redeem another client's code.
            try expectOAuthError(
                try await client.postForm(
                    "/v1/access_token",
                    [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", "https://app.example.com/cb")]),
                400, "invalid_grant")
            let c2 = try await client.authorize([
                ("client_id", clientId), ("response_type", "code"), ("redirect_uri", "https://app.example.com/cb"),
            ])
            let c2Location = try #require(c2.header("Location"))
            let code2 = try #require(queryValue(c2Location, "code"))
            let ok = try await client.postForm(
                "/v1/access_token",
                [("grant_type", "authorization_code"), ("code", code2), ("redirect_uri", "https://app.example.com/cb")],
                basic: "Basic " + Data("\(clientId):\(secret)".utf8).base64EncodedString())
            #expect(ok.status == 200)
            #expect(try await client.control("POST", "/_emulator/integrations", #"{"clientId":"emulator-client"}"#).status == 409)
        }
    }

    @Test func deviceFlow() async throws {
        try await withEmulator { client, _ in
            #expect(try await client.control("PUT", "/_emulator/settings", #"{"deviceInterval":0}"#).status == 200)
            let start = try await client.postForm(
                "/v1/device/authorize", [("client_id", "emulator-client"), ("scope", "spark:all")], basic: nil)
            #expect(start.status == 200)
            let body = try start.json
            let deviceCode = try #require(body["device_code"] as? String)
            let userCode = try #require(body["user_code"] as? String)
            #expect(userCode.filter { $0 != "-" }.count == 8)
            #expect(body["verification_uri"] as? String == client.origin + "/v1/device/verify")
            #expect(body["verification_uri_complete"] as? String == client.origin + "/v1/device/verify?user_code=\(userCode)")
            #expect(body["expires_in"] as? Int == 600)
            #expect(body["interval"] as? Int == 0)

            let poll: [(String, String)] = [("grant_type", deviceGrant), ("device_code", deviceCode), ("client_id", "emulator-client")]
            let pending = try await client.postForm("/v1/device/token", poll)
            try expectOAuthError(pending, 428, "authorization_pending")
            #expect((try pending.json["errors"] as? [[String: Any]])?.first?["description"] as? String == "authorization_pending")
            try expectOAuthError(try await client.postForm("/v1/device/token", poll, basic: nil), 401, "invalid_client")

            let listed = try await client.control("GET", "/_emulator/device").items
            #expect(listed.count == 1)
            #expect(listed.first?["user_code"] as? String == userCode)
            #expect(listed.first?["client_id"] as? String == "emulator-client")
            #expect(listed.first?["scope"] as? String == "spark:all")
            #expect(listed.first?["approved"] as? Bool == false)
            #expect(listed.first?["denied"] as? Bool == false)

            let approve = try await client.control(
                "POST", "/_emulator/device/approve", #"{"user_code":"\#(userCode.lowercased())","email":"carol@example.com"}"#)
            #expect(approve.status == 200)
            // Client credentials in the form work here too.
            let done = try await client.postForm(
                "/v1/device/token", poll + [("client_secret", "emulator-secret")], basic: nil)
            #expect(done.status == 200)
            let tokens = try done.json
            #expect(tokens["refresh_token"] is String)
            #expect(tokens["token_type"] as? String == "Bearer")
            let access = try #require(tokens["access_token"] as? String)
            #expect(try await client.me(access).json["displayName"] as? String == "Carol Example")
            // Used up.
            try expectOAuthError(try await client.postForm("/v1/device/token", poll), 400, "invalid_grant")
            #expect(try await client.control("GET", "/_emulator/device").items.isEmpty)
        }
    }

    @Test func deviceSlowDownDenyAndExpiry() async throws {
        try await withEmulator { client, _ in
            func start() async throws -> (device: String, user: String) {
                let body = try await client.postForm("/v1/device/authorize", [("client_id", "emulator-client")]).json
                return (try #require(body["device_code"] as? String), try #require(body["user_code"] as? String))
            }
            func poll(_ code: String) async throws -> HTTPResult {
                try await client.postForm("/v1/device/token", [("grant_type", deviceGrant), ("device_code", code)])
            }
            // Default interval 5 s: the second quick poll is told to slow down.
            let a = try await start()
            try expectOAuthError(try await poll(a.device), 428, "authorization_pending")
            try expectOAuthError(try await poll(a.device), 400, "slow_down")

            #expect(try await client.control("POST", "/_emulator/device/deny", #"{"user_code":"\#(a.user)"}"#).status == 200)
            try expectOAuthError(try await poll(a.device), 400, "access_denied")
            #expect(try await client.control("POST", "/_emulator/device/approve", #"{"user_code":"ZZZZ-ZZZZ"}"#).status == 404)

            #expect(try await client.control("PUT", "/_emulator/settings", #"{"deviceCodeLifetime":0.2}"#).status == 200)
            let b = try await start()
            try await Task.sleep(for: .milliseconds(300))
            try expectOAuthError(try await poll(b.device), 400, "expired_token")
            try expectOAuthError(
                try await client.postForm("/v1/device/authorize", [("client_id", "nobody")], basic: nil), 401, "invalid_client")
        }
    }

    @Test func guestJWTLogin() async throws {
        try await withEmulator { client, _ in
            let exp = Int(Date().timeIntervalSince1970) + 3600
            let good = try jwt(["sub": "guest-1", "name": "Guest One", "iss": "emulator-issuer", "exp": exp])
            func login(_ authorization: String) async throws -> HTTPResult {
                try await client.send("POST", "/v1/jwt/login", token: nil, headers: ["Authorization": authorization])
            }
            let viaBearer = try await login("Bearer " + good)
            #expect(viaBearer.status == 200)
            let token = try #require(try viaBearer.json["token"] as? String)
            #expect(try viaBearer.json["expiresIn"] as? Int == 43200)
            let me = try await client.me(token)
            #expect(me.status == 200)
            #expect(try me.json["emails"] as? [String] == ["guest-1@guest.emulator.local"])
            #expect(try me.json["displayName"] as? String == "Guest One")
            #expect(try me.json["type"] as? String == "person")

            let viaRaw = try await login(good)
            #expect(viaRaw.status == 200)
            let again = try await client.me(try #require(try viaRaw.json["token"] as? String))
            #expect(try again.json["id"] as? String == (try me.json["id"] as? String))

            // Bad signature, expired, unknown issuer, bad sub, wrong alg, not a JWT: 401 with the Webex body.
            let wrongKey = Data(repeating: 7, count: 32).base64EncodedString()
            let bad = [
                try jwt(["sub": "guest-1", "name": "G", "iss": "emulator-issuer", "exp": exp], secret: wrongKey),
                try jwt(["sub": "guest-1", "name": "G", "iss": "emulator-issuer", "exp": exp - 7200]),
                try jwt(["sub": "guest-1", "name": "G", "iss": "someone", "exp": exp]),
                try jwt(["sub": "guest 1", "name": "G", "iss": "emulator-issuer", "exp": exp]),
                try jwt(["sub": "guest-1", "iss": "emulator-issuer", "exp": exp]),
                try jwt(["sub": "guest-1", "name": "G", "iss": "emulator-issuer", "exp": exp], alg: "none"),
                "not-a-jwt",
            ]
            for value in bad {
                let r = try await login("Bearer " + value)
                #expect(r.status == 401)
                #expect(client.errorMessage(r).hasPrefix("The guest JWT is not valid"))
                #expect((try r.json["errors"] as? [[String: Any]])?.isEmpty == false)
            }
            #expect(try await login("Bearer " + good.dropLast(2) + "AA").status == 401)

            // A second issuer from the control API.
            let secret = Data((0..<32).map { UInt8($0) }).base64EncodedString()
            let issuer = try await client.control("POST", "/_emulator/guest-issuers", #"{"issuerId":"iss-2","secret":"\#(secret)"}"#)
            #expect(try issuer.json["issuerId"] as? String == "iss-2")
            #expect(try issuer.json["secret"] as? String == secret)
            let second = try jwt(["sub": "x1", "name": "X", "iss": "iss-2", "exp": exp], secret: secret)
            #expect(try await login(second).status == 200)
            #expect(try await client.control("POST", "/_emulator/guest-issuers", #"{"secret":"%%%"}"#).status == 400)
        }
    }
}
