import Foundation

/// Control API for OAuth (`/_emulator/...`, no auth): integrations, guest issuers, who approves, device
/// approvals and issued tokens.
extension EmulatorStore {
    /// `GET /_emulator/oauth`: `{"integrations":[{clientId,clientSecret,redirectUris}],
    /// "guestIssuers":[{issuerId,secret}],"approver":"<email>","denyNext":false}`.
    func controlOAuth() -> Reply {
        .json([
            "integrations": .array(oauth.integrations.map(\.json)),
            "guestIssuers": .array(oauth.guestIssuers.map(\.json)),
            "approver": .string(oauth.approverEmail),
            "denyNext": .bool(oauth.denyNext),
        ])
    }

    /// `POST /_emulator/integrations {clientId?, clientSecret?, redirectUris?}` → the integration. Missing ids
    /// are generated (`C` + 64 hex, like Webex client ids; a 64-hex secret); redirect URIs default to the
    /// loopback patterns of the seeded integration.
    func controlAddIntegration(_ body: JSONBody) throws(APIError) -> Reply {
        let clientId = try body.nonEmptyString("clientId") ?? "C" + OAuthCrypto.randomHex(32)
        guard oauth.integration(clientId) == nil else {
            throw APIError(.conflict, "An integration with clientId \(clientId) already exists.")
        }
        let secret = try body.nonEmptyString("clientSecret") ?? OAuthCrypto.randomHex(32)
        var uris = OAuthState.seededIntegration.redirectUris
        if let list = try body.array("redirectUris") {
            uris = list.compactMap(\.stringValue)
            guard uris.count == list.count, !uris.isEmpty else {
                throw APIError.badRequest("redirectUris must be a non-empty array of strings.")
            }
            for uri in uris {
                guard let c = URLComponents(string: uri), c.scheme != nil, c.host?.isEmpty == false else {
                    throw APIError.badRequest("redirectUris: \(uri) is not an absolute URL.")
                }
            }
        }
        let integration = Integration(clientId: clientId, clientSecret: secret, redirectUris: uris)
        oauth.integrations.append(integration)
        return .json(integration.json)
    }

    /// `POST /_emulator/guest-issuers {issuerId?, secret? (base64)}` → `{issuerId, secret}`; a missing secret is
    /// 32 random bytes.
    func controlAddGuestIssuer(_ body: JSONBody) throws(APIError) -> Reply {
        let issuerId = try body.nonEmptyString("issuerId") ?? "emulator-issuer-" + OAuthCrypto.randomHex(8)
        guard oauth.guestIssuer(issuerId) == nil else {
            throw APIError(.conflict, "A guest issuer with issuerId \(issuerId) already exists.")
        }
        var secret = OAuthCrypto.randomBytes(32)
        if let text = try body.nonEmptyString("secret") {
            guard let bytes = OAuthCrypto.base64Decode(text), !bytes.isEmpty else {
                throw APIError.badRequest("secret must be base64.")
            }
            secret = bytes
        }
        let issuer = GuestIssuer(issuerId: issuerId, secret: secret)
        oauth.guestIssuers.append(issuer)
        return .json(issuer.json)
    }

    /// `PUT /_emulator/oauth/approver {"email"}`: who approves `GET /v1/authorize` without `login_hint`.
    func controlSetApprover(_ body: JSONBody) throws(APIError) -> Reply {
        guard let email = try body.nonEmptyString("email") else { throw APIError.badRequest("email is required.") }
        guard let p = person(email: email) else { throw APIError.notFound("No person with email \(email).") }
        oauth.approverEmail = p.email
        return .json(["email": .string(p.email)])
    }

    /// `PUT /_emulator/oauth/deny {"deny": true}`: the next authorize redirects with `error=access_denied`.
    func controlSetDeny(_ body: JSONBody) throws(APIError) -> Reply {
        guard let deny = try body.bool("deny") else { throw APIError.badRequest("deny (a boolean) is required.") }
        oauth.denyNext = deny
        return .json(["deny": .bool(deny)])
    }

    // MARK: Device codes

    private func pendingDevice(userCode: String?) throws(APIError) -> DeviceAuthorization {
        guard let userCode else { throw APIError.badRequest("user_code is required.") }
        let wanted = Self.normalizedUserCode(userCode)
        let now = Date()
        guard let device = oauth.devices.values.first(where: { Self.normalizedUserCode($0.userCode) == wanted }),
            !device.used, device.expiresAt > now
        else { throw APIError.notFound("No pending device code with user_code \(userCode).") }
        return device
    }

    /// `POST /_emulator/device/approve {"user_code","email"?}` (email defaults to the approver).
    func controlApproveDevice(_ body: JSONBody) throws(APIError) -> Reply {
        var device = try pendingDevice(userCode: try body.nonEmptyString("user_code"))
        let email = try body.nonEmptyString("email") ?? oauth.approverEmail
        guard let p = person(email: email) else { throw APIError.notFound("No person with email \(email).") }
        device.approvedBy = p.email
        device.denied = false
        oauth.devices[device.deviceCode] = device
        return .json(deviceJSON(device))
    }

    /// `POST /_emulator/device/deny {"user_code"}`.
    func controlDenyDevice(_ body: JSONBody) throws(APIError) -> Reply {
        var device = try pendingDevice(userCode: try body.nonEmptyString("user_code"))
        device.denied = true
        device.approvedBy = nil
        oauth.devices[device.deviceCode] = device
        return .json(deviceJSON(device))
    }

    /// `GET /_emulator/device`: `{"items":[{user_code, client_id, scope, approved, denied}]}`, codes that are
    /// neither used nor expired, oldest first.
    func controlListDevices() -> Reply {
        let now = Date()
        let pending = oauth.devices.values.filter { !$0.used && $0.expiresAt > now }.sorted { $0.seq < $1.seq }
        return .json(["items": .array(pending.map(deviceJSON))])
    }

    private func deviceJSON(_ d: DeviceAuthorization) -> JSONValue {
        var b = JSONObjectBuilder()
        b.set("user_code", d.userCode)
        b.set("client_id", d.clientId)
        b.set("scope", d.scope.map { JSONValue.string($0) } ?? .null)
        b.set("approved", d.approvedBy != nil)
        b.set("denied", d.denied)
        b.set("expiresAt", WebexDate.format(d.expiresAt))
        return b.value
    }

    // MARK: Issued tokens

    /// `GET /_emulator/tokens`: `{"items":[{kind, prefix, personEmail, clientId?, scope?, issuedAt, expiresAt,
    /// expired, revoked, parent?}]}`, oldest first. Token values appear only as 6-character prefixes.
    func controlListTokens() -> Reply {
        let sorted = oauth.tokens.values.sorted { $0.seq < $1.seq }
        return .json(["items": .array(sorted.map(tokenJSON))])
    }

    private func tokenJSON(_ t: IssuedToken) -> JSONValue {
        var b = JSONObjectBuilder()
        b.set("kind", t.kind.rawValue)
        b.set("prefix", IssuedToken.prefix(t.value))
        b.set("personEmail", people[t.personUUID]?.email)
        b.set("clientId", t.clientId)
        b.set("scope", t.scope)
        b.set("issuedAt", WebexDate.format(t.issuedAt))
        b.set("expiresAt", WebexDate.format(t.expiresAt))
        b.set("expired", t.expiresAt <= Date())
        b.set("revoked", t.revoked)
        b.set("parent", t.parent.map(IssuedToken.prefix))
        return b.value
    }

    private func issuedToken(_ body: JSONBody) throws(APIError) -> IssuedToken {
        guard let value = try body.nonEmptyString("token") else { throw APIError.badRequest("token is required.") }
        if tokens[value] != nil { throw APIError.badRequest("Seeded tokens never expire and cannot be revoked.") }
        guard let token = oauth.tokens[value] else { throw APIError.notFound("No issued token matches.") }
        return token
    }

    /// `POST /_emulator/tokens/revoke {"token"}`: an access or refresh token; revoking a refresh token also
    /// revokes every access token minted from it. Answers the token's entry.
    func controlRevokeToken(_ body: JSONBody) throws(APIError) -> Reply {
        var token = try issuedToken(body)
        token.revoked = true
        oauth.tokens[token.value] = token
        if token.kind == .refresh {
            for (value, child) in oauth.tokens where child.parent == token.value {
                oauth.tokens[value]?.revoked = true
            }
        }
        return .json(tokenJSON(token))
    }

    /// `POST /_emulator/tokens/expire {"token"}`: the token expires now.
    func controlExpireToken(_ body: JSONBody) throws(APIError) -> Reply {
        var token = try issuedToken(body)
        token.expiresAt = min(token.expiresAt, Date())
        oauth.tokens[token.value] = token
        return .json(tokenJSON(token))
    }
}
