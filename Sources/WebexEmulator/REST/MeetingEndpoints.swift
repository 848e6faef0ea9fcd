import Foundation

/// `/v1/meetings` (reference §2.8): scheduled meetings, one "meeting series" each (no recurrence).
///
/// ```
/// GET    /meetings?meetingNumber=&webLink=&meetingType=&state=&scheduledType=&from=&to=&max=   → list (Link paging)
/// GET    /meetings/{id}                                  → meeting
/// POST   /meetings {"title","start","end",…}             → meeting
/// PUT    /meetings/{id} {"title","password","start","end",…}  → meeting (full update)
/// DELETE /meetings/{id}                                  → 204
/// ```
/// The emulator's meeting:
/// ```
/// {"id":"<32 hex>","meetingNumber":"25xxxxxxxxx","title","agenda"?,"password","phoneAndVideoSystemPassword",
///  "meetingType":"meetingSeries","state":"active"|"inProgress"|"ended","timezone":"UTC",
///  "start":"2025-01-01T10:00:00Z","end":…,                // in the meeting's timezone, whole seconds
///  "hostUserId":"<Hydra person id>","hostDisplayName","hostEmail","hostKey":"123456" (host only),
///  "siteUrl":"emulator.webex.com","webLink":"https://emulator.webex.com/emulator/j.php?MTID=m<32 hex>",
///  "sipAddress":"<number>@emulator.webex.com","dialInIpAddress":"192.0.2.68",
///  "enabledAutoRecordMeeting","allowAnyUserToBeCoHost","enabledJoinBeforeHost","joinBeforeHostMinutes",
///  "enableConnectAudioBeforeHost":false,"excludePassword","publicMeeting","reminderTime":10,
///  "unlockedMeetingJoinSecurity":"allowJoinWithLobby","sessionTypeId":3,"scheduledType":"meeting",
///  "enabledWebcastView":false,"enableAutomaticLock":false,"allowFirstUserToBeCoHost":false,
///  "allowAuthenticatedDevices":false,
///  "telephony":{"accessCode":"<number>","callInNumbers":[{"label":"Emulator toll","callInNumber":"+1-408-555-0100","tollType":"toll"}],"links":[]}}
/// ```
/// `state` is `inProgress` while a locus of the meeting is live, `ended` once `end` has passed, else
/// `active`. The host and the invitees see a meeting (the list shows both); only the host may update or
/// delete it (an invitee gets 403, anyone else 404). Without `password` (and without
/// `excludePassword:true`) a password is generated; every meeting gets a 6-digit host key. A start in the
/// past is accepted. `from`/`to` filter on `start` (`from` inclusive, `to` exclusive) only when given; the
/// list is ordered by `start`. `meetingType` other than `meetingSeries`, `scheduledType` other than
/// `meeting`, `roomId`, or a `siteUrl` that is not the emulator's site give an empty list.
/// PUT replaces title, password, start, end, agenda and the options (absent ones return to their
/// defaults); `timezone` and `invitees` are kept when absent.
extension EmulatorStore {
    static let meetingStates = ["active", "scheduled", "ready", "lobby", "inProgress", "ended", "missed", "expired"]

    func listMeetings(_ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        let q = req.query
        let size = try PageSize.parse(q, default: PageSize.otherDefault)
        let cursor = try PageCursor.from(q)
        if let type = q["meetingType"], !["meetingSeries", "scheduledMeeting", "meeting"].contains(type) {
            throw APIError.badRequest("Invalid value for meetingType: '\(type)'.")
        }
        if let state = q["state"], !Self.meetingStates.contains(state) {
            throw APIError.badRequest("Invalid value for state: '\(state)'.")
        }
        if let type = q["scheduledType"], !["meeting", "webinar", "personalRoomMeeting"].contains(type) {
            throw APIError.badRequest("Invalid value for scheduledType: '\(type)'.")
        }
        let from = try q["from"].map { (s: String) throws(APIError) -> Date in try Self.meetingDate(s, "from") }
        let to = try q["to"].map { (s: String) throws(APIError) -> Date in try Self.meetingDate(s, "to") }
        if q["meetingNumber"] != nil, q["webLink"] != nil {
            throw APIError.badRequest("meetingNumber and webLink cannot be used together.")
        }
        let number = q["meetingNumber"].flatMap(MeetingNumbers.normalize)
        let excluded =
            (q["meetingType"] ?? "meetingSeries") != "meetingSeries" || (q["scheduledType"] ?? "meeting") != "meeting"
            || q["roomId"] != nil || (q["siteUrl"].map { $0.lowercased() != meetingSite.lowercased() } ?? false)
            || (q["meetingNumber"] != nil && number == nil)
        let visible = excluded ? [] : meetingsState.scheduled.values.filter { m in
            guard canSee(m, viewer) else { return false }
            if let number, m.meetingNumber != number { return false }
            if let link = q["webLink"], link != webLink(m) { return false }
            if let state = q["state"], state != meetingState(m) { return false }
            if let from, m.start < from { return false }
            if let to, m.start >= to { return false }
            return true
        }
        let page = Paginator.page(
            Array(visible), key: { PageCursor(primary: Paginator.sortable(WebexDate.milliseconds($0.start)), seq: $0.seq) },
            order: PageOrder(descending: false), after: cursor, size: size)
        return .list(ListReply(items: page.items.map { render(meeting: $0, for: viewer) }, next: page.next))
    }

    func getMeeting(id: String, viewer: Person) throws(APIError) -> Reply {
        .json(render(meeting: try visibleMeeting(id: id, viewer: viewer), for: viewer))
    }

    func createMeeting(_ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        let body = try req.json()
        guard let title = try body.nonEmptyString("title") else { throw APIError.badRequest("title is required.") }
        let (start, end) = try Self.meetingTimes(body)
        let timezone = try Self.meetingTimezone(body) ?? "UTC"
        let excludePassword = try body.bool("excludePassword") ?? false
        var password = try body.string("password") ?? (excludePassword ? "" : MeetingNumbers.randomPassword())
        if excludePassword { password = "" }
        var number = MeetingNumbers.random(prefix: "25")
        while meetingsState.scheduled.values.contains(where: { $0.meetingNumber == number }) {
            number = MeetingNumbers.random(prefix: "25")
        }
        var m = ScheduledMeeting(
            id: OAuthCrypto.randomHex(16), seq: nextSeq(), meetingNumber: number, title: title,
            agenda: try body.string("agenda"), password: password, hostKey: MeetingNumbers.randomDigits(6),
            timezone: timezone, start: start, end: end, hostUUID: viewer.uuid, invitees: [],
            enabledAutoRecordMeeting: false, allowAnyUserToBeCoHost: false, enabledJoinBeforeHost: false,
            joinBeforeHostMinutes: 0, excludePassword: excludePassword, publicMeeting: false,
            linkToken: "m" + OAuthCrypto.randomHex(16), created: WebexDate.now())
        try applyOptions(body, to: &m)
        m.invitees = try Self.meetingInvitees(body) ?? []
        meetingsState.scheduled[m.id] = m
        return .json(render(meeting: m, for: viewer))
    }

    func updateMeeting(id: String, _ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        var m = try hostedMeeting(id: id, viewer: viewer)
        let body = try req.json()
        guard let title = try body.nonEmptyString("title") else { throw APIError.badRequest("title is required.") }
        guard let password = try body.string("password") else { throw APIError.badRequest("password is required.") }
        let (start, end) = try Self.meetingTimes(body)
        m.title = title
        m.start = start
        m.end = end
        m.agenda = try body.string("agenda")
        m.timezone = try Self.meetingTimezone(body) ?? m.timezone
        m.excludePassword = try body.bool("excludePassword") ?? false
        m.password = m.excludePassword ? "" : password
        m.enabledAutoRecordMeeting = false
        m.allowAnyUserToBeCoHost = false
        m.enabledJoinBeforeHost = false
        m.joinBeforeHostMinutes = 0
        m.publicMeeting = false
        try applyOptions(body, to: &m)
        if let invitees = try Self.meetingInvitees(body) { m.invitees = invitees }
        meetingsState.scheduled[m.id] = m
        return .json(render(meeting: m, for: viewer))
    }

    func deleteMeeting(id: String, viewer: Person) throws(APIError) -> Reply {
        let m = try hostedMeeting(id: id, viewer: viewer)
        meetingsState.scheduled[m.id] = nil
        return .noContent
    }

    // MARK: Helpers

    private func canSee(_ m: ScheduledMeeting, _ viewer: Person) -> Bool {
        m.hostUUID == viewer.uuid || m.invitees.contains { $0.email.lowercased() == viewer.email.lowercased() }
    }

    private func visibleMeeting(id: String, viewer: Person) throws(APIError) -> ScheduledMeeting {
        guard let m = meetingsState.scheduled[Self.hexId(id)], canSee(m, viewer) else { throw APIError.notFound() }
        return m
    }

    private func hostedMeeting(id: String, viewer: Person) throws(APIError) -> ScheduledMeeting {
        let m = try visibleMeeting(id: id, viewer: viewer)
        guard m.hostUUID == viewer.uuid else { throw APIError.forbidden("Only the meeting host can change or delete it.") }
        return m
    }

    func meetingState(_ m: ScheduledMeeting) -> String {
        if meetingsState.live[MeetingTarget.scheduled(m.id).key] != nil { return "inProgress" }
        return Date() >= m.end ? "ended" : "active"
    }

    private func applyOptions(_ body: JSONBody, to m: inout ScheduledMeeting) throws(APIError) {
        if let v = try body.bool("enabledAutoRecordMeeting") { m.enabledAutoRecordMeeting = v }
        if let v = try body.bool("allowAnyUserToBeCoHost") { m.allowAnyUserToBeCoHost = v }
        if let v = try body.bool("enabledJoinBeforeHost") { m.enabledJoinBeforeHost = v }
        if let v = try body.int("joinBeforeHostMinutes") {
            guard [0, 5, 10, 15].contains(v) else { throw APIError.badRequest("joinBeforeHostMinutes must be 0, 5, 10 or 15.") }
            m.joinBeforeHostMinutes = v
        }
        if let v = try body.bool("publicMeeting") { m.publicMeeting = v }
    }

    static func meetingDate(_ text: String, _ name: String) throws(APIError) -> Date {
        guard let d = WebexDate.parse(text) else {
            throw APIError.badRequest("\(name) must be an ISO 8601 date and time, e.g. 2025-01-01T10:00:00Z.")
        }
        return d
    }

    static func meetingTimes(_ body: JSONBody) throws(APIError) -> (Date, Date) {
        guard let s = try body.string("start") else { throw APIError.badRequest("start is required.") }
        guard let e = try body.string("end") else { throw APIError.badRequest("end is required.") }
        let start = try meetingDate(s, "start")
        let end = try meetingDate(e, "end")
        guard end > start else { throw APIError.badRequest("end must be after start.") }
        return (start, end)
    }

    static func meetingTimezone(_ body: JSONBody) throws(APIError) -> String? {
        guard let tz = try body.string("timezone") else { return nil }
        guard TimeZone(identifier: tz) != nil else { throw APIError.badRequest("Unknown timezone '\(tz)'.") }
        return tz
    }

    static func meetingInvitees(_ body: JSONBody) throws(APIError) -> [MeetingInvitee]? {
        guard let items = try body.array("invitees") else { return nil }
        var out: [MeetingInvitee] = []
        for (i, item) in items.enumerated() {
            guard let o = item.objectValue, let email = o["email"]?.stringValue, email.contains("@") else {
                throw APIError.badRequest("invitees[\(i)].email is required and must be an email address.")
            }
            if let c = o["coHost"], !c.isNull, c.boolValue == nil { throw APIError.badRequest("invitees[\(i)].coHost must be a boolean.") }
            out.append(MeetingInvitee(email: email, displayName: o["displayName"]?.stringValue, coHost: o["coHost"]?.boolValue ?? false))
        }
        return out
    }

    static func formatMeetingDate(_ date: Date, timezone: String) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        f.timeZone = TimeZone(identifier: timezone) ?? TimeZone(identifier: "UTC")!
        return f.string(from: date)
    }

    func render(meeting m: ScheduledMeeting, for viewer: Person) -> JSONValue {
        let host = people[m.hostUUID]
        var b = JSONObjectBuilder()
        b.set("id", m.id)
        b.set("meetingNumber", m.meetingNumber)
        b.set("title", m.title)
        b.set("agenda", m.agenda)
        b.set("password", m.password)
        if !m.password.isEmpty {
            b.set("phoneAndVideoSystemPassword", String(MeetingNumbers.hash("pw:" + m.password) % 100_000_000).leftPadded(8))
        }
        b.set("meetingType", "meetingSeries")
        b.set("state", meetingState(m))
        b.set("timezone", m.timezone)
        b.set("start", Self.formatMeetingDate(m.start, timezone: m.timezone))
        b.set("end", Self.formatMeetingDate(m.end, timezone: m.timezone))
        b.set("hostUserId", HydraID.encode(.people, m.hostUUID))
        b.set("hostDisplayName", host?.displayName)
        b.set("hostEmail", host?.email)
        if viewer.uuid == m.hostUUID { b.set("hostKey", m.hostKey) }
        b.set("siteUrl", meetingSite)
        b.set("webLink", webLink(m))
        b.set("sipAddress", "\(m.meetingNumber)@\(meetingSite)")
        b.set("dialInIpAddress", "192.0.2.68")
        b.set("enabledAutoRecordMeeting", m.enabledAutoRecordMeeting)
        b.set("allowAnyUserToBeCoHost", m.allowAnyUserToBeCoHost)
        b.set("enabledJoinBeforeHost", m.enabledJoinBeforeHost)
        b.set("joinBeforeHostMinutes", .int(m.joinBeforeHostMinutes))
        b.set("enableConnectAudioBeforeHost", false)
        b.set("excludePassword", m.excludePassword)
        b.set("publicMeeting", m.publicMeeting)
        b.set("reminderTime", .int(10))
        b.set("unlockedMeetingJoinSecurity", "allowJoinWithLobby")
        b.set("sessionTypeId", .int(3))
        b.set("scheduledType", "meeting")
        b.set("enabledWebcastView", false)
        b.set("enableAutomaticLock", false)
        b.set("allowFirstUserToBeCoHost", false)
        b.set("allowAuthenticatedDevices", false)
        b.set("telephony", [
            "accessCode": .string(m.meetingNumber),
            "callInNumbers": [["label": "Emulator toll", "callInNumber": "+1-408-555-0100", "tollType": "toll"]],
            "links": [],
        ])
        return b.value
    }
}
