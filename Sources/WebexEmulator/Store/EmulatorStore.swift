import Foundation

/// All emulator state: people and tokens, rooms, memberships, messages, file contents, teams, attachment
/// actions, webhooks and their delivery log, WDM devices, injected faults, the request log and the blob
/// host. One actor, so every endpoint's effect is atomic. Webhook deliveries run outside it
/// (`WebhookDispatcher`), and so do the Mercury websockets (`MercuryHub`).
///
/// Endpoint behaviour lives in extensions under `REST/` and `Control/`; this file keeps the state and
/// the primitive operations they share.
public actor EmulatorStore {
    let seed: EmulatorSeed

    var org: Organization
    var people: [String: Person] = [:]
    var tokens: [String: String] = [:]
    var rooms: [String: Room] = [:]
    /// roomUUID → personUUID → membership
    var memberships: [String: [String: Membership]] = [:]
    var messages: [String: Message] = [:]
    var contents: [String: Content] = [:]
    var blobs: [String: Blob] = [:]
    var teams: [String: Team] = [:]
    /// teamUUID → personUUID → team membership
    var teamMemberships: [String: [String: TeamMembership]] = [:]
    var attachmentActions: [String: AttachmentAction] = [:]
    var webhooks: [String: Webhook] = [:]
    var deliveries: [DeliveryRecord] = []
    /// Retry and deactivation rules for webhook deliveries (control API `PUT /_emulator/settings`).
    var deliverySettings: WebhookDeliverySettings
    let configuredDeliverySettings: WebhookDeliverySettings
    var faults = FaultList()
    /// Integrations, guest issuers, authorization codes, issued tokens and device codes (`OAuth/`).
    var oauth = OAuthState.seeded
    /// Token lifetimes and device polling rules (control API `PUT /_emulator/settings`).
    var oauthSettings: OAuthSettings
    let configuredOAuthSettings: OAuthSettings
    var requestLog: [RequestLogEntry] = []
    /// WDM device registrations by uuid (`Events/`).
    var devices: [String: Device] = [:]
    /// Device cap and websocket authorization timeout (control API `PUT /_emulator/settings`).
    var eventSettings = EventSettings() {
        didSet { mercury.authTimeout = .milliseconds(Int(eventSettings.mercuryAuthTimeout * 1000)) }
    }
    /// Scheduled meetings, personal-room pins, loci and meeting-password bookkeeping (`Locus/`).
    var meetingsState = MeetingsState()
    /// The Webex site of every meeting link and SIP address.
    let meetingSite: String
    /// Answers ROAP offers (`PUT {selfUrl}/media`); the default rejects every m-line.
    nonisolated let mediaEndpoint: any LocusMediaEndpoint
    /// Signs meeting-info permission tokens (HS256). New on every start.
    let permissionTokenSecret = OAuthCrypto.randomBytes(32)
    private var seqCounter = 0
    /// Sends webhook deliveries in the background, in order per webhook.
    nonisolated let dispatcher = WebhookDispatcher()
    /// The open Mercury websockets; activities are handed to it as they happen.
    nonisolated let mercury = MercuryHub()

    /// Request log cap, so a long-running emulator does not grow without bound.
    static let requestLogLimit = 10_000
    /// Delivery log cap.
    static let deliveryLogLimit = 10_000

    public init(
        seed: EmulatorSeed = .default, webhookDelivery: WebhookDeliverySettings = WebhookDeliverySettings(),
        oauth: OAuthSettings = OAuthSettings(), meetingSite: String = MeetingSite.defaultSite,
        mediaEndpoint: any LocusMediaEndpoint = RejectingMediaEndpoint()
    ) {
        self.seed = seed
        self.meetingSite = meetingSite
        self.mediaEndpoint = mediaEndpoint
        self.oauthSettings = oauth
        self.configuredOAuthSettings = oauth
        self.deliverySettings = webhookDelivery
        self.configuredDeliverySettings = webhookDelivery
        self.org = Organization(uuid: HydraID.stableUUID("org:" + seed.orgDisplayName), displayName: seed.orgDisplayName, created: WebexDate.now())
        Self.load(seed, into: &self.org, people: &self.people, tokens: &self.tokens, seq: &self.seqCounter)
    }

    /// Back to the seed: seeded people and tokens only; no rooms, messages, contents, blobs, faults or log;
    /// OAuth back to the seeded integration and guest issuer, with no issued tokens, codes or device codes;
    /// no WDM devices (their websockets are closed with 4404) and no refusing of websocket upgrades; no
    /// scheduled meetings, loci, personal-room pins or captchas.
    public func reset() {
        people = [:]
        tokens = [:]
        rooms = [:]
        memberships = [:]
        messages = [:]
        contents = [:]
        blobs = [:]
        teams = [:]
        teamMemberships = [:]
        attachmentActions = [:]
        webhooks = [:]
        deliveries = []
        deliverySettings = configuredDeliverySettings
        dispatcher.cancelAll()
        faults.removeAll()
        requestLog = []
        oauth = .seeded
        oauthSettings = configuredOAuthSettings
        devices = [:]
        meetingsState = MeetingsState()
        eventSettings = EventSettings()
        mercury.refuse(seconds: 0)
        mercury.close(where: { _ in true }, code: MercuryCloseCode.deviceUnregistered, reason: "device unregistered")
        seqCounter = 0
        Self.load(seed, into: &org, people: &people, tokens: &tokens, seq: &seqCounter)
    }

    private static func load(
        _ seed: EmulatorSeed, into org: inout Organization, people: inout [String: Person], tokens: inout [String: String],
        seq: inout Int
    ) {
        let created = org.created
        for p in seed.people {
            seq += 1
            // Seeded ids are derived from the email, so they are the same on every start and after reset.
            let uuid = HydraID.stableUUID("person:" + p.email.lowercased())
            let person = Person(
                uuid: uuid, seq: seq, email: p.email, displayName: p.displayName,
                firstName: p.firstName ?? derivedFirstName(p.displayName),
                lastName: p.lastName ?? derivedLastName(p.displayName), nickName: p.firstName ?? derivedFirstName(p.displayName),
                type: PersonType(rawValue: p.type) ?? .person, roles: p.roles, token: p.token, created: created)
            people[uuid] = person
            tokens[p.token] = uuid
        }
    }

    static func derivedFirstName(_ displayName: String) -> String? {
        displayName.split(separator: " ").first.map(String.init)
    }

    static func derivedLastName(_ displayName: String) -> String? {
        let parts = displayName.split(separator: " ")
        return parts.count > 1 ? parts.dropFirst().joined(separator: " ") : nil
    }

    func nextSeq() -> Int {
        seqCounter += 1
        return seqCounter
    }

    // MARK: People

    /// The person a bearer token belongs to: a seeded (never expiring) token, or an issued access token that
    /// is neither expired nor revoked.
    func authenticate(token: String) -> Person? {
        if let uuid = tokens[token] { return people[uuid] }
        guard let issued = oauth.tokens[token], issued.kind == .access, issued.isValid(at: Date()) else { return nil }
        return people[issued.personUUID]
    }

    func person(email: String) -> Person? {
        let lower = email.lowercased()
        return people.values.first { $0.email.lowercased() == lower }
    }

    /// A person from a Hydra PEOPLE id or a raw uuid.
    func person(id: String) -> Person? {
        HydraID.uuid(from: id, as: .people).flatMap { people[$0] }
    }

    @discardableResult
    func addPerson(
        email: String, displayName: String, token: String?, type: PersonType, firstName: String?, lastName: String?,
        roles: [String] = []
    ) throws(APIError) -> Person {
        guard person(email: email) == nil else { throw APIError(.conflict, "A person with email \(email) already exists.") }
        let token = token ?? "emu-" + HydraID.newUUID().replacingOccurrences(of: "-", with: "")
        guard tokens[token] == nil else { throw APIError(.conflict, "That token is already in use.") }
        let person = Person(
            uuid: HydraID.stableUUID("person:" + email.lowercased()), seq: nextSeq(), email: email,
            displayName: displayName, firstName: firstName ?? Self.derivedFirstName(displayName),
            lastName: lastName ?? Self.derivedLastName(displayName), nickName: firstName ?? Self.derivedFirstName(displayName),
            type: type, roles: roles, token: token, created: WebexDate.now())
        people[person.uuid] = person
        tokens[token] = person.uuid
        return person
    }

    // MARK: Rooms and memberships

    func membership(of personUUID: String, in roomUUID: String) -> Membership? {
        memberships[roomUUID]?[personUUID]
    }

    func isMember(_ personUUID: String, _ roomUUID: String) -> Bool {
        membership(of: personUUID, in: roomUUID) != nil
    }

    /// A room the viewer belongs to, or 404 (a room you are not in is indistinguishable from no room).
    func visibleRoom(id: String, viewer: Person) throws(APIError) -> Room {
        guard let uuid = HydraID.uuid(from: id, as: .room), let room = rooms[uuid], isMember(viewer.uuid, uuid) else {
            throw APIError.notFound()
        }
        return room
    }

    @discardableResult
    func addMember(_ personUUID: String, to roomUUID: String, moderator: Bool, at date: Date = WebexDate.now()) -> Membership {
        let m = Membership(
            personUUID: personUUID, roomUUID: roomUUID, seq: nextSeq(), isModerator: moderator, isRoomHidden: false,
            created: date)
        memberships[roomUUID, default: [:]][personUUID] = m
        return m
    }

    func directRoom(between a: String, and b: String) -> Room? {
        rooms.values.first { $0.type == .direct && Set($0.directPair) == Set([a, b]) }
    }

    func deleteRoom(_ roomUUID: String) {
        rooms[roomUUID] = nil
        memberships[roomUUID] = nil
        for (uuid, m) in messages where m.roomUUID == roomUUID { messages[uuid] = nil }
        for (uuid, c) in contents where c.roomUUID == roomUUID { contents[uuid] = nil }
        for (uuid, a) in attachmentActions where a.roomUUID == roomUUID { attachmentActions[uuid] = nil }
    }

    /// Whether `viewer` may see `message`: a member of its room, and, for a bot in a group room, only
    /// when the message mentions the bot or the bot wrote it (reference §2.2, §9.8).
    func canSee(_ message: Message, viewer: Person) -> Bool {
        guard isMember(viewer.uuid, message.roomUUID) else { return false }
        if viewer.type == .bot, rooms[message.roomUUID]?.type == .group, message.personUUID != viewer.uuid,
            !message.mentionedPeople.contains(viewer.uuid)
        {
            return false
        }
        return true
    }

    /// A message `viewer` can see (see `canSee`), or 404.
    func visibleMessage(id: String, viewer: Person) throws(APIError) -> Message {
        guard let uuid = HydraID.uuid(from: id, as: .message), let m = messages[uuid], canSee(m, viewer: viewer) else {
            throw APIError.notFound()
        }
        return m
    }

    /// Marks `message` as the last one `personUUID` has seen in its room (read status, reference §2.9).
    func markSeen(_ message: Message, by personUUID: String) {
        memberships[message.roomUUID]?[personUUID]?.lastSeenMessageUUID = message.uuid
        memberships[message.roomUUID]?[personUUID]?.lastSeenDate = message.created
    }

    // MARK: Request log and faults

    func record(_ entry: RequestLogEntry) {
        requestLog.append(entry)
        if requestLog.count > Self.requestLogLimit { requestLog.removeFirst(requestLog.count - Self.requestLogLimit) }
    }

    func takeFault(method: String, path: String) -> Fault? {
        faults.take(method: method, path: path)
    }
}
