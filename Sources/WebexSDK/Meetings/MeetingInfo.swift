import Foundation

/// What to join or look up. Meeting numbers are never guessed from bare digits (a 10-digit number is also
/// a phone number; reference §1.2), so `.number` must be asked for explicitly.
public enum MeetingDestination: Sendable, Equatable {
    /// A meeting link (`https://site.webex.com/meet/alice`, `…/j.php?MTID=…`).
    case link(String)
    /// A SIP URI or video address (`alice@site.webex.com`, `2501234567@site.webex.com`). A person's email
    /// address resolves to their personal room.
    case sip(String)
    /// A meeting number (`2501234567`, spaces allowed).
    case number(String)
    /// A person (Hydra id): their email is looked up and used as SIP address (as the JS SDK does).
    case person(String)
    /// The personal room of a person (Hydra id or email), or the caller's own when nil.
    case personalRoom(String?)
    /// A room (space) meeting, by Hydra room id.
    case room(String)
    /// A meeting by its UUID (`meetingUUID`).
    case meetingUUID(String)

    /// How a destination string should be read; `nil` guesses from its form.
    public enum Kind: String, Sendable, CaseIterable {
        case link, sip, number, person, pmr, room, uuid
    }

    /// Reads a destination as typed by a person. Without `kind`: URLs are links, strings with `@` SIP
    /// addresses, Hydra ids of people and rooms by their type; bare numbers are refused with a hint.
    public static func parse(_ text: String, kind: Kind? = nil) throws(WebexError) -> MeetingDestination {
        let s = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let kind {
            switch kind {
            case .link:
                guard s.lowercased().hasPrefix("https://") || s.lowercased().hasPrefix("http://") else {
                    throw .invalidArgument("'\(s)' is not a meeting link: links start with https://")
                }
                return .link(s)
            case .sip:
                return .sip(s.hasPrefix("sip:") ? String(s.dropFirst(4)) : s)
            case .number:
                let digits = s.filter { !$0.isWhitespace && $0 != "-" }
                guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit) else {
                    throw .invalidArgument("'\(s)' is not a meeting number: use its digits, e.g. 2501234567")
                }
                return .number(digits)
            case .person: return .person(s)
            case .pmr: return .personalRoom(s.isEmpty || s == "me" ? nil : s)
            case .room: return .room(s)
            case .uuid: return .meetingUUID(s)
            }
        }
        guard !s.isEmpty else { throw .invalidArgument("the meeting destination is empty: give a link, a SIP address, a person, a room, or --type number with a meeting number") }
        let lower = s.lowercased()
        if lower.hasPrefix("https://") || lower.hasPrefix("http://") { return .link(s) }
        if lower.hasPrefix("sip:") { return .sip(String(s.dropFirst(4))) }
        if s.contains("@") { return .sip(s) }
        if HydraID.isID(s, ofType: HydraID.people) { return .person(s) }
        if HydraID.isID(s, ofType: HydraID.room) { return .room(s) }
        let digits = s.filter { !$0.isWhitespace && $0 != "-" }
        if !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit) {
            throw .invalidArgument("'\(s)' could be a meeting number or a phone number: pass --type number to join meeting \(digits), or --type sip with a full address")
        }
        throw .invalidArgument("'\(s)' is not a meeting destination: give a meeting link (https://…), a SIP address (name@site), a person or room id, or --type number")
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

/// What meeting info says about a meeting (reference §1.3). The full answer is kept in `json`.
public struct MeetingInfo: Sendable, Codable, Equatable {
    public var json: JSONValue

    public init(json: JSONValue) { self.json = json }
    public init(from decoder: any Decoder) throws { json = try JSONValue(from: decoder) }
    public func encode(to encoder: any Encoder) throws { try json.encode(to: encoder) }

    public var meetingNumber: String? { json["meetingNumber"]?.stringValue ?? json["meetingNumber"]?.intValue.map(String.init) }
    public var meetingName: String? { json["meetingName"]?.stringValue }
    public var sipURI: String? { json["sipUrl"]?.stringValue ?? json["sipMeetingUri"]?.stringValue }
    public var joinURL: String? { json["meetingJoinUrl"]?.stringValue }
    public var link: String? { json["webExMeetingLink"]?.stringValue ?? json["meetingLink"]?.stringValue }
    /// Set when the meeting is live: join it with `POST {locusUrl}/participant`.
    public var locusURL: String? { json["locusUrl"]?.stringValue }
    /// The bare host of the Locus cluster to create a live meeting on.
    public var locusClusterURL: String? { json["locusClusterUrl"]?.stringValue }
    public var permissionToken: String? { json["permissionToken"]?.stringValue }
    public var isPersonalRoom: Bool { json["isPmr"]?.boolValue ?? false }
    public var hostId: String? { json["hostId"]?.stringValue ?? json["owner"]?.stringValue }
    public var conversationURL: String? { json["conversationUrl"]?.stringValue }

    /// Seconds until the permission token expires, reading `exp` as milliseconds the way the JS SDK does
    /// (reference §1.3 and pitfall 11); nil without a readable token.
    public func permissionTokenTTL(now: Date = Date()) -> Double? {
        guard let token = permissionToken else { return nil }
        let parts = token.split(separator: ".")
        guard parts.count >= 2 else { return nil }
        var b64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b64.count % 4 != 0 { b64 += "=" }
        guard let data = Data(base64Encoded: b64), let claims = try? JSONValue.parse(data),
              let exp = claims["exp"]?.doubleValue else { return nil }
        // Seconds-based tokens would be ~1.7e9; Webex's are milliseconds (~1.7e12).
        let expSeconds = exp > 1e11 ? exp / 1000 : exp
        return expSeconds - now.timeIntervalSince1970
    }
}

/// A captcha Webex asks for after wrong passwords (reference §1.4).
public struct MeetingCaptcha: Sendable, Equatable, Codable {
    public var id: String
    public var imageURL: String?
    public var audioURL: String?
    public var refreshURL: String?
}

/// Why meeting info did not give the meeting.
public enum MeetingInfoFailure: Error, Sendable {
    /// The meeting needs a password (or the host key); `partial` is what Webex told anyway.
    case passwordRequired(partial: MeetingInfo?, wrongPasswordGiven: Bool)
    /// Too many wrong attempts: solve the captcha and send it with the password.
    case captchaRequired(MeetingCaptcha, passwordAlsoRequired: Bool, partial: MeetingInfo?)
    /// The organisation's policy forbids this (reference §1.4 policy codes).
    case policy(code: Int, message: String)
    /// Any other error.
    case other(WebexError)

    public var webexError: WebexError {
        switch self {
        case .passwordRequired(_, let wrong):
            return .invalidArgument(wrong ? "the meeting password (or host key) is wrong: check it and give it again (WEBEX_MEETING_PASSWORD or --password-file)"
                                          : "this meeting needs a password (or the host key): set WEBEX_MEETING_PASSWORD or pass --password-file FILE")
        case .captchaRequired(let c, _, _):
            return .invalidArgument("Webex wants a captcha after too many wrong passwords: open \(c.imageURL ?? "the captcha image") and pass --captcha CODE with --captcha-id \(c.id) and the right --password")
        case .policy(let code, let message):
            return .notPermitted("your organisation's policy does not allow joining this meeting (\(code)): \(message)")
        case .other(let e): return e
        }
    }
}

/// A person's personal room (reference §1.5).
public struct PersonalRoom: Sendable, Codable, Equatable {
    public var sipURI: String?
    public var link: String?
    public var owner: String?
    public var name: String?
    public var meetingNumber: String?
}

/// `webex.meetings`: looking meetings up and joining them.
public struct MeetingsAPI: Sendable {
    let client: Webex

    /// `POST {webex-appapi-service}/meetingInfo` for a destination. Throws `MeetingInfoFailure`.
    public func info(_ destination: MeetingDestination, password: String? = nil,
                     captcha: (id: String, code: String)? = nil) async throws(MeetingInfoFailure) -> MeetingInfo {
        var body: [String: JSONValue] = ["supportHostKey": .bool(true), "supportCountryList": .bool(true)]
        do throws(WebexError) {
            try await addDestination(destination, to: &body)
        } catch {
            throw .other(error)
        }
        if let password, !password.isEmpty { body["password"] = .string(password) }
        if let captcha {
            body["captchaID"] = .string(captcha.id)
            body["captchaVerifyCode"] = .string(captcha.code)
        }
        let url: URL
        do throws(WebexError) { url = try await infoURL() } catch { throw .other(error) }
        do throws(WebexError) {
            return try await client.send(MeetingInfo.self, .post, url, json: JSONValue.object(body))
        } catch {
            throw Self.classify(error, passwordGiven: password != nil && !(password ?? "").isEmpty)
        }
    }

    static let policyCodes: Set<Int> = [403048, 403049, 403101, 403102, 403103, 403104]
    /// Captcha codes that also mean the password is still required.
    static let captchaWithPasswordCodes: Set<Int> = [423005, 423006]

    static func classify(_ error: WebexError, passwordGiven: Bool) -> MeetingInfoFailure {
        guard case .api(let e) = error else { return .other(error) }
        let partial = e.body?["data"]?["meetingInfo"].map(MeetingInfo.init(json:))
        switch e.status {
        case 403:
            if let code = e.code, policyCodes.contains(code) {
                return .policy(code: code, message: e.message ?? "forbidden by policy")
            }
            return .passwordRequired(partial: partial, wrongPasswordGiven: passwordGiven)
        case 423:
            guard let body = e.body, let id = body["captchaID"]?.stringValue else { return .other(error) }
            let captcha = MeetingCaptcha(id: id, imageURL: body["verificationImageURL"]?.stringValue,
                                         audioURL: body["verificationAudioURL"]?.stringValue,
                                         refreshURL: body["refreshURL"]?.stringValue)
            return .captchaRequired(captcha, passwordAlsoRequired: captchaWithPasswordCodes.contains(e.code ?? 0), partial: partial)
        case 404:
            return .other(.notFound("Webex knows no meeting at this address: \(e.message ?? "not found"). Check the link, SIP address or number"))
        default:
            return .other(error)
        }
    }

    /// `POST {refreshURL}&siteFullName={host}` with the old captcha id: a new captcha.
    public func refreshCaptcha(_ captcha: MeetingCaptcha) async throws(WebexError) -> MeetingCaptcha {
        guard let refresh = captcha.refreshURL, let host = URL(string: refresh)?.host else {
            throw .invalidArgument("this captcha has no refresh address")
        }
        let sep = refresh.contains("?") ? "&" : "?"
        guard let url = URL(string: refresh + sep + "siteFullName=" + Webex.encodeQuery(host)) else {
            throw .invalidResponse("the captcha refresh address is not a URL: \(refresh)")
        }
        try client.trust(url)
        let json = try await client.send(JSONValue.self, .post, url, json: JSONValue.object(["captchaId": .string(captcha.id)]))
        guard let id = json["captchaID"]?.stringValue else { throw .invalidResponse("the captcha refresh answer has no captchaID") }
        return MeetingCaptcha(id: id, imageURL: json["verificationImageURL"]?.stringValue,
                              audioURL: json["verificationAudioURL"]?.stringValue, refreshURL: captcha.refreshURL)
    }

    /// The personal room of `person` (Hydra id or email), or the caller's own.
    public func personalRoom(of person: String? = nil) async throws(MeetingInfoFailure) -> PersonalRoom {
        let info = try await info(.personalRoom(person))
        guard info.isPersonalRoom else {
            throw .other(.invalidResponse("meeting info did not return a personal room (isPmr is not true)"))
        }
        return PersonalRoom(sipURI: info.json["sipMeetingUri"]?.stringValue ?? info.sipURI, link: info.link,
                            owner: info.json["owner"]?.stringValue, name: info.meetingName, meetingNumber: info.meetingNumber)
    }

    /// `POST {hecate}/cmrmeetings/claim`: claims a personal room with its host PIN (4–6 digits).
    public func claimPersonalRoom(link: String, pin: String) async throws(WebexError) -> JSONValue {
        guard (4...6).contains(pin.count), pin.allSatisfy(\.isASCIIDigit) else {
            throw .invalidArgument("the host PIN must be 4 to 6 digits")
        }
        var address = link
        // https://site.webex.com/meet/user → user@site.webex.com (reference §1.5)
        if let u = URL(string: link), let host = u.host, u.path.hasPrefix("/meet/") {
            address = "\(u.path.dropFirst("/meet/".count))@\(host)"
        }
        let me = try await client.people.me()
        let body: JSONValue = .object([
            "userId": .string(HydraID(me.id)?.uuid ?? me.id), "passcode": .string(pin),
            "preferred": .bool(true), "meetingAddress": .string(address),
        ])
        let base = try await client.serviceURL("hecate")
        return try await client.send(JSONValue.self, .post, Webex.join(base, ["cmrmeetings", "claim"]), json: body)
    }

    func infoURL() async throws(WebexError) -> URL {
        let base = try await client.serviceURL("webex-appapi-service")
        return Webex.join(base, ["meetingInfo"])
    }

    func addDestination(_ destination: MeetingDestination, to body: inout [String: JSONValue]) async throws(WebexError) {
        switch destination {
        case .link(let s): body["meetingUrl"] = .string(s)
        case .sip(let s): body["sipUrl"] = .string(s)
        case .number(let n): body["meetingKey"] = .string(n)
        case .meetingUUID(let u): body["meetingUUID"] = .string(u)
        case .person(let id):
            let person = try await client.people.get(id)
            guard let email = person.emails?.first else { throw .invalidArgument("person \(id) has no email address to call") }
            body["sipUrl"] = .string(email)
        case .personalRoom(let who):
            let person: Person
            if let who {
                if who.contains("@") {
                    guard let p = try await client.people.list(email: who, limit: 1).collect().first else { throw .notFound("no person has the email \(who)") }
                    person = p
                } else {
                    person = try await client.people.get(who)
                }
            } else {
                person = try await client.people.me()
            }
            body["userId"] = .string(HydraID(person.id)?.uuid ?? person.id)
            body["orgId"] = .string(person.orgId.flatMap { HydraID($0)?.uuid ?? $0 } ?? "")
        case .room(let id):
            guard let uuid = HydraID(id)?.uuid else { throw .invalidArgument("'\(id)' is not a room id") }
            let conversation = try await client.serviceURL("conversation")
            body["conversationUrl"] = .string(Webex.join(conversation, ["conversations", uuid]).absoluteString)
        }
    }
}

extension Webex {
    public var meetings: MeetingsAPI { MeetingsAPI(client: self) }

    /// Lets the token go to a URL a trusted service handed out (Locus URLs live on other cluster hosts
    /// than the catalog names). Only https, or http on loopback.
    func trust(_ url: URL) throws(WebexError) {
        try URLPolicy.check(url)
        guard let host = url.host else { return }
        var c = URLComponents()
        c.scheme = url.scheme; c.host = host; c.port = url.port
        guard let origin = c.url else { return }
        trustedServices.withLock { list in
            if !list.contains(where: { URLPolicy.sameOrigin($0, origin) }) { list.append(origin) }
        }
    }
}
