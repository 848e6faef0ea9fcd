import Foundation
import HTTPTypes

/// The fields of a token-endpoint request: `application/x-www-form-urlencoded` (the standard), or a JSON
/// object of strings (accepted too). Empty values count as absent.
struct FormFields: Sendable {
    var values: [String: String] = [:]

    init(_ req: APIRequest) throws(APIError) {
        let type = HeaderValue.parse(req.contentType ?? "").0
        if type == "application/json" {
            for (k, v) in try req.json().members {
                if let s = v.stringValue { values[k] = s }
            }
            return
        }
        for item in Query(String(decoding: req.body, as: UTF8.self)).items where values[item.name] == nil {
            values[item.name] = item.value
        }
    }

    subscript(_ name: String) -> String? {
        guard let v = values[name], !v.isEmpty else { return nil }
        return v
    }
}

/// OAuth for `/v1` (reference §6): authorization code + PKCE, refresh, device grant and guest JWT login.
/// None of these need a bearer token. Approval happens without a browser: the control API decides who
/// approves (`/_emulator/oauth/approver`, `/_emulator/device/approve`).
extension EmulatorStore {
    static let deviceGrantType = "urn:ietf:params:oauth:grant-type:device_code"
    /// Authorization codes are single use and expire after this many seconds.
    static let authorizationCodeLifetime: TimeInterval = 60
    static let invalidTokenMessage = "The request requires a valid access token set in the Authorization request header."

    // MARK: Tokens

    /// `<64 alphanumerics>_PF84_<orgUUID>`: three `_`-separated parts, like the tokens JSSDK parses an org
    /// id from (reference §6). Refresh tokens have the same shape.
    func newTokenValue() -> String {
        var value: String
        repeat {
            value = "\(OAuthCrypto.randomAlphanumeric(64))_PF84_\(org.uuid)"
        } while oauth.tokens[value] != nil || tokens[value] != nil
        return value
    }

    @discardableResult
    func issueToken(
        _ kind: IssuedTokenKind, personUUID: String, clientId: String?, scope: String?, lifetime: TimeInterval,
        parent: String? = nil
    ) -> IssuedToken {
        let now = Date()
        let token = IssuedToken(
            value: newTokenValue(), kind: kind, seq: nextSeq(), personUUID: personUUID, clientId: clientId, scope: scope,
            issuedAt: now, expiresAt: now.addingTimeInterval(lifetime), parent: parent)
        oauth.tokens[token.value] = token
        return token
    }

    /// The token response: `{"access_token","expires_in","refresh_token","refresh_token_expires_in",
    /// "token_type":"Bearer","scope"?}`. With `refresh`, only a new access token is minted and the same
    /// refresh token is answered with its remaining lifetime.
    func tokenResponse(personUUID: String, clientId: String, scope: String?, refresh: IssuedToken? = nil) -> Reply {
        let refreshToken =
            refresh
            ?? issueToken(
                .refresh, personUUID: personUUID, clientId: clientId, scope: scope,
                lifetime: TimeInterval(oauthSettings.refreshTokenLifetime))
        let access = issueToken(
            .access, personUUID: personUUID, clientId: clientId, scope: scope,
            lifetime: TimeInterval(oauthSettings.accessTokenLifetime), parent: refreshToken.value)
        var b = JSONObjectBuilder()
        b.set("access_token", access.value)
        b.set("expires_in", .int(oauthSettings.accessTokenLifetime))
        b.set("refresh_token", refreshToken.value)
        b.set("refresh_token_expires_in", .int(max(0, Int(refreshToken.expiresAt.timeIntervalSinceNow.rounded()))))
        b.set("token_type", "Bearer")
        if let scope, !scope.isEmpty { b.set("scope", scope) }
        return .json(b.value)
    }

    // MARK: Client authentication

    /// The client named by HTTP Basic (`client_id:client_secret`, each form-encoded per RFC 6749 §2.3.1) or
    /// by the form fields `client_id` / `client_secret`; both are accepted. With `requireSecret`, the secret
    /// must match (401 `invalid_client` otherwise).
    func authenticateClient(_ req: APIRequest, _ form: FormFields, requireSecret: Bool) throws(APIError) -> Integration {
        var id = form["client_id"]
        var secret = form["client_secret"]
        var basic = false
        if let header = req.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            if parts.count == 2, parts[0].lowercased() == "basic" {
                basic = true
                guard let decoded = OAuthCrypto.base64Decode(String(parts[1]).trimmingCharacters(in: .whitespaces)),
                    let text = String(bytes: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
                else { throw Self.invalidClient("The Authorization header is not valid HTTP Basic credentials.", basic: true) }
                let basicId = Query.decode(text[..<colon])
                let basicSecret = Query.decode(text[text.index(after: colon)...])
                if let id, id != basicId {
                    throw Self.invalidClient("client_id in the form does not match the HTTP Basic credentials.", basic: true)
                }
                id = basicId
                secret = basicSecret
            }
        }
        guard let id, !id.isEmpty else { throw Self.invalidClient("client_id is required.", basic: basic) }
        guard let integration = oauth.integration(id) else {
            throw Self.invalidClient("Unknown client_id \(id).", basic: basic)
        }
        if requireSecret {
            guard let secret,
                OAuthCrypto.constantTimeEqual(Array(secret.utf8), Array(integration.clientSecret.utf8))
            else { throw Self.invalidClient("The client secret is missing or wrong.", basic: basic) }
        }
        return integration
    }

    /// [U] 401 without `WWW-Authenticate` (RFC 6749 asks for one after HTTP Basic): swift-corelibs-foundation's
    /// URLSession hangs on a 401 that carries a Basic challenge, and no Webex client needs the header.
    static func invalidClient(_ message: String, basic: Bool) -> APIError {
        APIError.oauth(.unauthorized, "invalid_client", message)
    }

    static func invalidGrant(_ message: String) -> APIError {
        APIError.oauth(.badRequest, "invalid_grant", message)
    }

    // MARK: GET /v1/authorize

    /// Approves at once, as `login_hint` (an email) or the control API's approver, and redirects to
    /// `redirect_uri?code=…&state=…`. Client, redirect URI and response type problems answer 400 and never
    /// redirect; `PUT /_emulator/oauth/deny` makes the next one redirect with `error=access_denied`.
    func authorize(_ req: APIRequest) throws(APIError) -> Reply {
        let q = req.query
        guard let clientId = q["client_id"] else {
            throw APIError.oauth(.badRequest, "invalid_request", "client_id is required.")
        }
        guard let integration = oauth.integration(clientId) else {
            throw APIError.oauth(.badRequest, "invalid_client", "Unknown client_id \(clientId).")
        }
        guard let redirectURI = q["redirect_uri"] else {
            throw APIError.oauth(.badRequest, "invalid_request", "redirect_uri is required.")
        }
        guard integration.allows(redirectURI: redirectURI) else {
            throw APIError.oauth(
                .badRequest, "invalid_request", "redirect_uri \(redirectURI) is not registered for client \(clientId).")
        }
        guard q["response_type"] == "code" else {
            throw APIError.oauth(
                .badRequest, "unsupported_response_type", "response_type must be code (got \(q["response_type"] ?? "nothing")).")
        }
        let challenge = q["code_challenge"]
        var method: String?
        if challenge != nil {
            method = q["code_challenge_method"] ?? "plain"
            guard method == "S256" || method == "plain" else {
                throw APIError.oauth(.badRequest, "invalid_request", "code_challenge_method must be S256 or plain.")
            }
        }
        let state = q["state"]
        if oauth.denyNext {
            oauth.denyNext = false
            return Self.redirect(
                to: redirectURI,
                [("error", "access_denied"), ("error_description", "The user denied the request."), ("state", state)])
        }
        let email = q["login_hint"] ?? oauth.approverEmail
        guard let approver = person(email: email) else {
            throw APIError.oauth(.badRequest, "invalid_request", "No person with email \(email) can approve this request.")
        }
        var code: String
        repeat { code = OAuthCrypto.randomAlphanumeric(40) } while oauth.codes[code] != nil
        oauth.codes = oauth.codes.filter { !$0.value.used && $0.value.expiresAt > Date() }
        oauth.codes[code] = AuthorizationCode(
            clientId: clientId, redirectURI: redirectURI, personUUID: approver.uuid, scope: q["scope"],
            codeChallenge: challenge, codeChallengeMethod: method,
            expiresAt: Date().addingTimeInterval(Self.authorizationCodeLifetime))
        return Self.redirect(to: redirectURI, [("code", code), ("state", state)])
    }

    static func redirect(to uri: String, _ parameters: [(String, String?)]) -> Reply {
        let query = parameters.compactMap { name, value in value.map { "\(name)=\(Query.encode($0))" } }
            .joined(separator: "&")
        let location = uri + (uri.contains("?") ? "&" : "?") + query
        return .bytes(status: .found, headers: [("Location", location), ("Cache-Control", "no-store")], body: [])
    }

    // MARK: POST /v1/access_token

    func accessToken(_ req: APIRequest) throws(APIError) -> Reply {
        let form = try FormFields(req)
        guard let grantType = form["grant_type"] else {
            throw APIError.oauth(.badRequest, "invalid_request", "grant_type is required.")
        }
        switch grantType {
        case "authorization_code":
            let client = try authenticateClient(req, form, requireSecret: true)
            return try exchangeCode(form, client: client)
        case "refresh_token":
            let client = try authenticateClient(req, form, requireSecret: true)
            return try refresh(form, client: client)
        case Self.deviceGrantType:
            return try deviceToken(req)
        default:
            throw APIError.oauth(.badRequest, "unsupported_grant_type", "grant_type \(grantType) is not supported.")
        }
    }

    /// A code is used up by the first exchange attempt of its client, successful or not.
    private func exchangeCode(_ form: FormFields, client: Integration) throws(APIError) -> Reply {
        guard let code = form["code"] else { throw APIError.oauth(.badRequest, "invalid_request", "code is required.") }
        guard var grant = oauth.codes[code], grant.clientId == client.clientId else {
            throw Self.invalidGrant("The authorization code is not valid.")
        }
        guard !grant.used else { throw Self.invalidGrant("The authorization code has already been used.") }
        grant.used = true
        oauth.codes[code] = grant
        guard grant.expiresAt > Date() else { throw Self.invalidGrant("The authorization code has expired.") }
        guard form["redirect_uri"] == grant.redirectURI else {
            throw Self.invalidGrant("redirect_uri does not match the one used to authorize.")
        }
        if let challenge = grant.codeChallenge {
            guard let verifier = form["code_verifier"] else { throw Self.invalidGrant("code_verifier is required.") }
            let computed =
                grant.codeChallengeMethod == "plain" ? verifier : OAuthCrypto.base64URLEncode(OAuthCrypto.sha256(Array(verifier.utf8)))
            guard OAuthCrypto.constantTimeEqual(Array(computed.utf8), Array(challenge.utf8)) else {
                throw Self.invalidGrant("code_verifier does not match the code_challenge.")
            }
        }
        guard people[grant.personUUID] != nil else { throw Self.invalidGrant("The approving person no longer exists.") }
        return tokenResponse(personUUID: grant.personUUID, clientId: client.clientId, scope: grant.scope)
    }

    /// [U] Like Webex, a refresh keeps the refresh token: the same one stays valid until it expires or is
    /// revoked, and the answer carries its remaining lifetime.
    private func refresh(_ form: FormFields, client: Integration) throws(APIError) -> Reply {
        guard let value = form["refresh_token"] else {
            throw APIError.oauth(.badRequest, "invalid_request", "refresh_token is required.")
        }
        guard let token = oauth.tokens[value], token.kind == .refresh, token.clientId == client.clientId else {
            throw Self.invalidGrant("The refresh token is not valid.")
        }
        guard !token.revoked else { throw Self.invalidGrant("The refresh token has been revoked.") }
        guard token.expiresAt > Date() else { throw Self.invalidGrant("The refresh token has expired.") }
        guard people[token.personUUID] != nil else { throw Self.invalidGrant("The token's person no longer exists.") }
        return tokenResponse(personUUID: token.personUUID, clientId: client.clientId, scope: token.scope, refresh: token)
    }

    // MARK: Device grant (RFC 8628)

    /// `POST /v1/device/authorize` (form `client_id`, `scope`).
    func deviceAuthorize(_ req: APIRequest) throws(APIError) -> Reply {
        let form = try FormFields(req)
        let client = try authenticateClient(req, form, requireSecret: false)
        let now = Date()
        oauth.devices = oauth.devices.filter { !$0.value.used && $0.value.expiresAt > now }
        let alphabet = Array("BCDFGHJKLMNPQRSTVWXZ")
        var userCode: String
        repeat {
            let letters = OAuthCrypto.randomString(8, alphabet: alphabet)
            userCode = "\(letters.prefix(4))-\(letters.suffix(4))"
        } while oauth.devices.values.contains { $0.userCode == userCode }
        let device = DeviceAuthorization(
            deviceCode: OAuthCrypto.randomAlphanumeric(48), userCode: userCode, clientId: client.clientId,
            scope: form["scope"], interval: oauthSettings.deviceInterval, created: now,
            expiresAt: now.addingTimeInterval(oauthSettings.deviceCodeLifetime), seq: nextSeq())
        oauth.devices[device.deviceCode] = device
        let verify = "http://\(req.host)/v1/device/verify"
        return .json([
            "device_code": .string(device.deviceCode),
            "user_code": .string(userCode),
            "verification_uri": .string(verify),
            "verification_uri_complete": .string("\(verify)?user_code=\(Query.encode(userCode))"),
            "expires_in": .int(Int(oauthSettings.deviceCodeLifetime.rounded(.up))),
            "interval": OAuthSettings.number(device.interval),
        ])
    }

    /// `POST /v1/device/token`: 428 `authorization_pending` until approved, 400 `slow_down` when polled
    /// faster than `interval`, then the token response once; 400 `access_denied` / `expired_token`.
    func deviceToken(_ req: APIRequest) throws(APIError) -> Reply {
        let form = try FormFields(req)
        guard form["grant_type"] == Self.deviceGrantType else {
            throw APIError.oauth(
                .badRequest, "unsupported_grant_type", "grant_type must be \(Self.deviceGrantType).")
        }
        let client = try authenticateClient(req, form, requireSecret: true)
        guard let code = form["device_code"] else {
            throw APIError.oauth(.badRequest, "invalid_request", "device_code is required.")
        }
        guard var device = oauth.devices[code], device.clientId == client.clientId else {
            throw Self.invalidGrant("The device code is not valid.")
        }
        let now = Date()
        guard !device.used else { throw Self.invalidGrant("The device code has already been used.") }
        guard device.expiresAt > now else {
            throw APIError.oauth(.badRequest, "expired_token", "The device code has expired.", descriptionIsCode: true)
        }
        guard !device.denied else {
            throw APIError.oauth(.badRequest, "access_denied", "The user denied the request.", descriptionIsCode: true)
        }
        if let email = device.approvedBy {
            guard let approver = person(email: email) else { throw Self.invalidGrant("The approving person no longer exists.") }
            device.used = true
            oauth.devices[code] = device
            return tokenResponse(personUUID: approver.uuid, clientId: client.clientId, scope: device.scope)
        }
        let tooSoon = device.lastPoll.map { now.timeIntervalSince($0) < device.interval } ?? false
        device.lastPoll = now
        oauth.devices[code] = device
        if tooSoon {
            throw APIError.oauth(
                .badRequest, "slow_down", "Polling too fast: wait \(device.interval) seconds between requests.",
                descriptionIsCode: true)
        }
        throw APIError.oauth(
            EmulatorResponder.status(428), "authorization_pending", "The user has not yet approved the device.",
            descriptionIsCode: true)
    }

    /// `GET /v1/device/verify[?user_code=]`: where a person would type the code; the emulator approves through
    /// the control API instead, so this page only says so.
    func deviceVerifyPage(_ req: APIRequest) -> Reply {
        let code = req.query["user_code"].map { Self.normalizedUserCode($0) }
        let known = code.map { c in oauth.devices.values.contains { Self.normalizedUserCode($0.userCode) == c } } ?? false
        let escaped = (req.query["user_code"] ?? "").filter { $0.isLetter || $0.isNumber || $0 == "-" }
        let html = """
            <!doctype html><html><head><title>Webex emulator device login</title></head><body>
            <p>User code: \(escaped.isEmpty ? "(none)" : escaped)\(code == nil ? "" : known ? " (pending)" : " (unknown)")</p>
            <p>Approve with <code>POST /_emulator/device/approve {"user_code":"…","email":"…"}</code>.</p>
            </body></html>
            """
        return .bytes(status: .ok, headers: [("Content-Type", "text/html;charset=UTF-8")], body: Array(html.utf8))
    }

    static func normalizedUserCode(_ code: String) -> String {
        code.uppercased().filter { $0.isLetter || $0.isNumber }
    }

    // MARK: POST /v1/jwt/login

    /// Exchanges a guest-issuer JWT (in `Authorization`, with or without `Bearer`) for an access token of a
    /// guest person created on first use: `{"token","expiresIn"}`.
    func jwtLogin(_ req: APIRequest) throws(APIError) -> Reply {
        func bad(_ why: String) -> APIError { APIError(.unauthorized, "The guest JWT is not valid: \(why).") }
        guard var jwt = req.headers[.authorization]?.trimmingCharacters(in: .whitespaces), !jwt.isEmpty else {
            throw bad("the Authorization header is missing")
        }
        if jwt.lowercased().hasPrefix("bearer ") { jwt = String(jwt.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
        let parts = jwt.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else { throw bad("it must have three dot-separated parts") }
        func object(_ part: String, _ name: String) throws(APIError) -> [String: JSONValue] {
            guard let bytes = OAuthCrypto.base64Decode(part), let value = try? JSONValue.parse(bytes),
                let o = value.objectValue
            else { throw bad("the \(name) is not base64url-encoded JSON") }
            return o
        }
        let header = try object(parts[0], "header")
        let claims = try object(parts[1], "payload")
        guard header["alg"]?.stringValue == "HS256" else { throw bad("alg must be HS256") }
        guard let iss = claims["iss"]?.stringValue, let issuer = oauth.guestIssuer(iss) else {
            throw bad("iss is not a known guest issuer")
        }
        guard let signature = OAuthCrypto.base64Decode(parts[2]) else { throw bad("the signature is not base64url") }
        let expected = OAuthCrypto.hmacSHA256(key: issuer.secret, message: Array("\(parts[0]).\(parts[1])".utf8))
        guard OAuthCrypto.constantTimeEqual(signature, expected) else { throw bad("the signature does not match") }
        guard let sub = claims["sub"]?.stringValue, !sub.isEmpty,
            sub.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-") })
        else { throw bad("sub must be letters, digits and hyphens") }
        guard let name = claims["name"]?.stringValue, !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw bad("name is required")
        }
        let exp: Double
        switch claims["exp"] {
        case .int(let i): exp = Double(i)
        case .double(let d): exp = d
        default: throw bad("exp is required")
        }
        guard exp > Date().timeIntervalSince1970 else { throw bad("it has expired") }

        let uuid = HydraID.stableUUID("guest:\(iss):\(sub)")
        if people[uuid] == nil {
            // [U] Guests have no permanent token (their `token` in the control people list is empty).
            people[uuid] = Person(
                uuid: uuid, seq: nextSeq(), email: "\(sub)@guest.emulator.local", displayName: name,
                firstName: Self.derivedFirstName(name), lastName: Self.derivedLastName(name),
                nickName: Self.derivedFirstName(name), type: .person, roles: [], token: "", created: WebexDate.now())
        }
        let lifetime = oauthSettings.accessTokenLifetime
        let token = issueToken(.access, personUUID: uuid, clientId: nil, scope: nil, lifetime: TimeInterval(lifetime))
        return .json(["token": .string(token.value), "expiresIn": .int(lifetime)])
    }
}
