import Foundation

/// Meeting info (`/wbxappapi/v1`, reference §1) and the personal-room claim (`/hecate/api/v1`, §1.5).
///
/// `POST /wbxappapi/v1/meetingInfo` (bearer) with one destination key — `meetingUrl`, `sipUrl`,
/// `meetingKey` (digits, spaces ignored), `userId` (+`orgId`; raw uuid or Hydra id: that person's
/// personal room), `conversationUrl`, `meetingUUID` — and optionally `password` (or the host key),
/// `captchaID` + `captchaVerifyCode`, `permissionToken` (a still valid token for the same meeting and
/// caller skips the password, as on a token refresh). Answers:
/// ```
/// 200 {"meetingNumber":"25…","meetingName","sipUrl","sipMeetingUri","meetingJoinUrl","webExMeetingLink",
///      "meetingLink","locusUrl"?  (only while a locus is live),"locusClusterUrl":"<host:port>",
///      "permissionToken":"<JWT>","conversationUrl"? (space meetings),"owner":"<person uuid>","hostId",
///      "hostDisplayName","isPmr","meetingId":"<32 hex>","supportVoIP":true,
///      "video":{"supportHDV":true,"supportHQV":true},"webExSite","siteURL","siteFullUrl",
///      "turnOnSimultaneousInterpretation":false,"enableConvergedArchitecture":true,
///      "hostKey"? (the host only)}
/// 400 {"code":400001,"message"}                              no destination key
/// 404 {"code":404001,"message"}                              nothing matches (or a space the caller is not in)
/// 403 {"code":403004|403028,"message","data":{"meetingInfo":{"meetingNumber","meetingName","sipUrl",
///      "meetingJoinUrl","isPmr","owner"}}}                   password missing (403004) / wrong (403028)
/// 423 {"code":423005,"message","captchaID","verificationImageURL","verificationAudioURL","refreshURL"}
/// ```
/// The password is asked of everyone but the host, for scheduled meetings that have one. The third
/// wrong password in a row (per person and meeting) is answered 423, and so is every request after it
/// until one carries the pending `captchaID`, its `captchaVerifyCode` and the right password; a wrong
/// captcha or password meanwhile gets a new captcha. `refreshURL` is
/// `<origin>/wbxappapi/v1/captchas/refresh?siteurl=<site>`; `POST` it (the SDK appends
/// `&siteFullName=…`) with `{"captchaId"}` → `{"captchaID","verificationImageURL","verificationAudioURL"}`.
/// The image (SVG showing the code) and audio (silent WAV) URLs are served without auth; so is refresh.
///
/// `permissionToken`: HS256 JWT signed with a per-run secret, claims `{"iss":"webex-emulator",
/// "sub":"<caller uuid>","meetingId":"<32 hex>","meetingNumber","iat":<ms>,"exp":<ms, 1 hour later>,
/// "permission":{"userPolicies":{"supportVoIP":true,…},"enforceVBGImagesURL":""}}` — `iat`/`exp` in
/// milliseconds, as JSSDK compares them with `Date.getTime()`.
///
/// `POST /hecate/api/v1/cmrmeetings/claim {"userId","passcode":"<4-6 digits>","preferred","meetingAddress":"<name>@<site>"}`
/// claims the caller's own personal room (the passcode becomes its host pin) → 200 with the meeting-info
/// fields above (`isPmr:true`); 400 for a bad passcode, 403 for someone else's room.
extension EmulatorStore {
    static let passwordAttemptsBeforeCaptcha = 3
    static let permissionTokenLifetimeMs: Int64 = 3_600_000

    func meetingInfo(_ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        let body = try req.json()
        let target = try resolveDestination(body, viewer: viewer)
        guard let d = descriptor(target) else { throw Self.meetingNotFound }
        if d.roomUUID != nil, !isMember(viewer.uuid, d.roomUUID!) { throw Self.meetingNotFound }
        if let password = d.password, viewer.uuid != d.hostUUID,
            !verifyPermissionToken(try body.string("permissionToken"), viewer: viewer, meeting: d)
        {
            try checkPassword(body, expected: password, d: d, viewer: viewer, host: req.host)
        }
        return .json(renderMeetingInfo(d, viewer: viewer, host: req.host))
    }

    static let meetingNotFound = APIError.wbxappapi(.notFound, code: 404001, "The meeting could not be found.")

    private func resolveDestination(_ body: JSONBody, viewer: Person) throws(APIError) -> MeetingTarget {
        if let url = try body.nonEmptyString("meetingUrl") { return try found(resolveMeetingLink(url)) }
        if let sip = try body.nonEmptyString("sipUrl") { return try found(resolveSIP(sip)) }
        if body.has("meetingKey") {
            let raw: String
            if let i = body.members["meetingKey"]?.intValue { raw = String(i) } else { raw = try body.string("meetingKey") ?? "" }
            return try found(MeetingNumbers.normalize(raw).flatMap(resolveNumber))
        }
        if let userId = try body.nonEmptyString("userId") {
            return try found(person(id: userId).map { .personalRoom($0.uuid) })
        }
        if let conv = try body.nonEmptyString("conversationUrl") { return try found(resolveConversationURL(conv)) }
        if let uuid = try body.nonEmptyString("meetingUUID") { return try found(resolveMeetingUUID(uuid)) }
        throw APIError.wbxappapi(
            .badRequest, code: 400001,
            "One of meetingUrl, sipUrl, meetingKey, userId, conversationUrl or meetingUUID is required.")
    }

    private func found(_ target: MeetingTarget?) throws(APIError) -> MeetingTarget {
        guard let target else { throw Self.meetingNotFound }
        return target
    }

    /// The password/captcha rules in the doc comment above; returns normally when the caller may pass.
    private func checkPassword(
        _ body: JSONBody, expected: String, d: MeetingDescriptor, viewer: Person, host: String
    ) throws(APIError) {
        let key = "\(viewer.uuid)|\(d.target.key)"
        let given = try body.string("password")
        let right = given.map { $0 == expected || (d.hostKey != nil && $0 == d.hostKey) } ?? false
        if let pending = meetingsState.pendingCaptcha[key] {
            let captchaId = try body.string("captchaID")
            let code = try body.string("captchaVerifyCode")
            let solved =
                captchaId == pending && code.map { $0.lowercased() == meetingsState.captchas[pending]?.code.lowercased() } == true
            if solved && right {
                clearAttempts(key)
                return
            }
            meetingsState.captchas[pending] = nil
            throw captchaError(newCaptcha(for: key), host: host)
        }
        if right {
            clearAttempts(key)
            return
        }
        let partial: JSONValue = [
            "meetingInfo": [
                "meetingNumber": .string(d.meetingNumber), "meetingName": .string(d.name), "sipUrl": .string(d.sipAddress),
                "meetingJoinUrl": .string(d.joinURL), "isPmr": .bool(d.isPmr), "owner": .string(d.hostUUID),
            ]
        ]
        guard given != nil else {
            throw APIError.wbxappapi(
                .forbidden, code: 403004, "The meeting requires a password.", extra: ["data": partial])
        }
        let failures = meetingsState.passwordFailures[key, default: 0] + 1
        meetingsState.passwordFailures[key] = failures
        if failures >= Self.passwordAttemptsBeforeCaptcha {
            throw captchaError(newCaptcha(for: key), host: host)
        }
        throw APIError.wbxappapi(.forbidden, code: 403028, "The password is not correct.", extra: ["data": partial])
    }

    private func clearAttempts(_ key: String) {
        meetingsState.passwordFailures[key] = nil
        if let pending = meetingsState.pendingCaptcha.removeValue(forKey: key) { meetingsState.captchas[pending] = nil }
    }

    private func newCaptcha(for key: String) -> MeetingCaptcha {
        if let old = meetingsState.pendingCaptcha[key] { meetingsState.captchas[old] = nil }
        let captcha = MeetingCaptcha(
            id: OAuthCrypto.randomHex(16), code: OAuthCrypto.randomString(6, alphabet: Array("abcdefghjkmnpqrstuvwxyz23456789")),
            attemptKey: key)
        meetingsState.captchas[captcha.id] = captcha
        meetingsState.pendingCaptcha[key] = captcha.id
        return captcha
    }

    private func captchaFields(_ c: MeetingCaptcha, host: String) -> [String: JSONValue] {
        let base = "http://\(host)/wbxappapi/v1/captchas"
        return [
            "captchaID": .string(c.id), "verificationImageURL": .string("\(base)/\(c.id)/image"),
            "verificationAudioURL": .string("\(base)/\(c.id)/audio"),
        ]
    }

    private func captchaError(_ c: MeetingCaptcha, host: String) -> APIError {
        var extra = captchaFields(c, host: host)
        extra["refreshURL"] = .string("http://\(host)/wbxappapi/v1/captchas/refresh?siteurl=\(siteName)")
        return APIError.wbxappapi(
            Self.locked, code: 423005, "Too many wrong passwords: solve the captcha and enter the password again.",
            extra: extra)
    }

    static let locked = EmulatorResponder.status(423)

    /// `POST /captchas/refresh {"captchaId"}`: a new captcha in place of that one.
    func refreshCaptcha(_ req: APIRequest) throws(APIError) -> Reply {
        let body = try req.json()
        var given = try body.string("captchaId")
        if given == nil { given = try body.string("captchaID") }
        guard let id = given, let old = meetingsState.captchas[id] else {
            throw APIError.wbxappapi(.notFound, code: 404002, "The captcha could not be found.")
        }
        let captcha = newCaptcha(for: old.attemptKey)
        return .json(.object(captchaFields(captcha, host: req.host)))
    }

    /// `GET /captchas/{id}/image` (an SVG showing the code) and `/audio` (a second of silence, WAV).
    func captchaMedia(id: String, kind: String) throws(APIError) -> Reply {
        guard let c = meetingsState.captchas[id], kind == "image" || kind == "audio" else {
            throw APIError.wbxappapi(.notFound, code: 404002, "The captcha could not be found.")
        }
        if kind == "image" {
            let svg = """
                <svg xmlns="http://www.w3.org/2000/svg" width="160" height="50"><rect width="160" height="50" fill="#eee"/>\
                <text x="20" y="33" font-family="monospace" font-size="24">\(c.code)</text></svg>
                """
            return .bytes(status: .ok, headers: [("Content-Type", "image/svg+xml")], body: Array(svg.utf8))
        }
        return .bytes(status: .ok, headers: [("Content-Type", "audio/wav")], body: Self.silentWAV(sampleRate: 8000, seconds: 1))
    }

    static func silentWAV(sampleRate: Int, seconds: Int) -> [UInt8] {
        let dataBytes = sampleRate * seconds * 2
        func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xff) } }
        func le16(_ v: Int) -> [UInt8] { (0..<2).map { UInt8((v >> (8 * $0)) & 0xff) } }
        var out = Array("RIFF".utf8) + le32(36 + dataBytes) + Array("WAVEfmt ".utf8)
        out += le32(16) + le16(1) + le16(1) + le32(sampleRate) + le32(sampleRate * 2) + le16(2) + le16(16)
        out += Array("data".utf8) + le32(dataBytes) + [UInt8](repeating: 0, count: dataBytes)
        return out
    }

    func renderMeetingInfo(_ d: MeetingDescriptor, viewer: Person, host: String) -> JSONValue {
        var b = JSONObjectBuilder()
        b.set("meetingNumber", d.meetingNumber)
        b.set("meetingName", d.name)
        b.set("sipUrl", d.sipAddress)
        b.set("sipMeetingUri", d.sipAddress)
        b.set("meetingJoinUrl", d.joinURL)
        b.set("webExMeetingLink", d.joinURL)
        b.set("meetingLink", d.joinURL)
        if let locusId = meetingsState.live[d.target.key], let l = meetingsState.loci[locusId] {
            b.set("locusUrl", locusURL(l, host: host))
        }
        b.set("locusClusterUrl", host)
        b.set("permissionToken", mintPermissionToken(viewer: viewer, meeting: d))
        if let room = d.roomUUID { b.set("conversationUrl", conversationURL(room, host: host)) }
        b.set("owner", d.hostUUID)
        b.set("hostId", d.hostUUID)
        b.set("hostDisplayName", people[d.hostUUID]?.displayName)
        b.set("isPmr", d.isPmr)
        b.set("meetingId", d.meetingId)
        b.set("supportVoIP", true)
        b.set("video", ["supportHDV": true, "supportHQV": true])
        b.set("webExSite", meetingSite)
        b.set("siteURL", meetingSite)
        b.set("siteFullUrl", "https://\(meetingSite)")
        b.set("turnOnSimultaneousInterpretation", false)
        b.set("enableConvergedArchitecture", true)
        if viewer.uuid == d.hostUUID { b.set("hostKey", d.hostKey) }
        return b.value
    }

    // MARK: Permission token

    static let userPolicies: [String: JSONValue] = [
        "supportVoIP": true, "supportVideo": true, "supportNetworkBasedRecord": true, "supportHDV": true,
        "supportHQV": true, "supportChat": true, "supportDesktopShare": true, "supportDesktopShareRemote": true,
        "supportWhiteboard": true, "supportRealtimeCloseCaption": true, "supportParticipantList": true,
        "supportAppShare": true, "supportCameraShare": true, "supportFileShare": true, "supportFileTransfer": true,
        "supportAnnotation": true, "supportBroadcastMessage": true, "supportPollingAndQA": true,
        "supportLocalRecord": false, "enforceVirtualBackground": false,
    ]

    func mintPermissionToken(viewer: Person, meeting d: MeetingDescriptor) -> String {
        let now = WebexDate.milliseconds(Date())
        let header: JSONValue = ["alg": "HS256", "typ": "JWT"]
        let claims: JSONValue = [
            "iss": "webex-emulator", "sub": .string(viewer.uuid), "meetingId": .string(d.meetingId),
            "meetingNumber": .string(d.meetingNumber), "iat": .int(Int(now)),
            "exp": .int(Int(now + Self.permissionTokenLifetimeMs)),
            "permission": ["userPolicies": .object(Self.userPolicies), "enforceVBGImagesURL": ""],
        ]
        let signingInput =
            OAuthCrypto.base64URLEncode(header.serializedBytes()) + "." + OAuthCrypto.base64URLEncode(claims.serializedBytes())
        let signature = OAuthCrypto.hmacSHA256(key: permissionTokenSecret, message: Array(signingInput.utf8))
        return signingInput + "." + OAuthCrypto.base64URLEncode(signature)
    }

    /// The token's claims when its signature is ours and it has not expired.
    func permissionTokenClaims(_ token: String?) -> [String: JSONValue]? {
        guard let token else { return nil }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let signature = OAuthCrypto.base64Decode(parts[2]),
            let payload = OAuthCrypto.base64Decode(parts[1])
        else { return nil }
        let expected = OAuthCrypto.hmacSHA256(key: permissionTokenSecret, message: Array("\(parts[0]).\(parts[1])".utf8))
        guard OAuthCrypto.constantTimeEqual(signature, expected), let claims = (try? JSONValue.parse(payload))?.objectValue,
            let exp = claims["exp"]?.intValue, Int64(exp) > WebexDate.milliseconds(Date())
        else { return nil }
        return claims
    }

    /// Minted by meeting info for this caller and this meeting, and not expired.
    func verifyPermissionToken(_ token: String?, viewer: Person, meeting d: MeetingDescriptor) -> Bool {
        guard let claims = permissionTokenClaims(token) else { return false }
        return claims["sub"]?.stringValue == viewer.uuid && claims["meetingId"]?.stringValue == d.meetingId
    }

    // MARK: Personal room claim (hecate)

    func claimPersonalRoom(_ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        let body = try req.json()
        guard let userId = try body.nonEmptyString("userId"), person(id: userId)?.uuid == viewer.uuid else {
            throw APIError.forbidden("userId must be the caller's own id.")
        }
        guard let passcode = try body.string("passcode"), (4...6).contains(passcode.count),
            passcode.allSatisfy({ $0.isASCII && $0.isNumber })
        else { throw APIError.badRequest("passcode must be 4 to 6 digits.") }
        guard let address = try body.nonEmptyString("meetingAddress") else {
            throw APIError.badRequest("meetingAddress is required.")
        }
        let target = address.lowercased().hasPrefix("http") ? resolveMeetingLink(address) : resolveSIP(address)
        guard target == .personalRoom(viewer.uuid) else {
            throw APIError.forbidden("\(address) is not the caller's personal room.")
        }
        meetingsState.personalRoomPins[viewer.uuid] = passcode
        guard let d = descriptor(.personalRoom(viewer.uuid)) else { throw APIError.notFound() }
        return .json(renderMeetingInfo(d, viewer: viewer, host: req.host))
    }
}
