import Foundation

/// One real-time event, as the JS SDK's `listen()` emits it (reference §5.7): which resource, what
/// happened, who did it, and the REST object. The field names match webhook payloads, so one `jq`
/// filter serves `webex webhooks serve` and `webex events listen`.
public struct WebexEvent: Sendable, Codable, Equatable {
    /// `messages`, `memberships`, `rooms` or `attachmentActions`.
    public var resource: String
    /// `created`, `updated`, `deleted` or `seen`.
    public var event: String
    /// The person who caused it (Hydra id).
    public var actorId: String?
    /// When it happened (the activity's publish time).
    public var created: String
    /// The listener's org and person id (the JSSDK envelope's `orgId` and `createdBy`).
    public var orgId: String?
    public var createdBy: String?
    /// The REST object: the full message for `messages:created` (fetched over REST, since the socket only
    /// carries encrypted text), else the fields the JSSDK builds from the activity.
    public var data: JSONValue
    /// When the socket frame that caused it arrived; nil for events found by catch-up after a reconnect.
    public var receivedAt: ContinuousClock.Instant?

    enum CodingKeys: String, CodingKey { case resource, event, actorId, created, orgId, createdBy, data }

    public init(resource: String, event: String, actorId: String?, created: String, orgId: String? = nil,
                createdBy: String? = nil, data: JSONValue, receivedAt: ContinuousClock.Instant? = nil) {
        self.resource = resource; self.event = event; self.actorId = actorId; self.created = created
        self.orgId = orgId; self.createdBy = createdBy; self.data = data; self.receivedAt = receivedAt
    }

    public static func == (a: WebexEvent, b: WebexEvent) -> Bool {
        a.resource == b.resource && a.event == b.event && a.actorId == b.actorId && a.created == b.created
            && a.orgId == b.orgId && a.createdBy == b.createdBy && a.data == b.data
    }

    /// The room the event belongs to (Hydra id), for filtering.
    public var roomId: String? {
        resource == "rooms" ? data["id"]?.stringValue : data["roomId"]?.stringValue
    }
}

/// What an activity turns into: ready events, or a message to fetch over REST first.
enum MappedActivity: Sendable, Equatable {
    case event(WebexEvent)
    /// `messages:created`: GET /messages/{id}; `actorId`/`created` come from the activity.
    case fetchMessage(id: String, actorId: String?, created: String, roomId: String?)
}

/// Maps a Mercury `conversation.activity` to the JSSDK's public events (reference §5.5–§5.7).
/// Pure: no I/O, so it is tested with recorded activities.
enum ActivityMapper {
    static let allResources: Set<String> = ["messages", "memberships", "rooms", "attachmentActions"]

    static func map(_ activity: JSONValue) -> [MappedActivity] {
        guard let verb = activity["verb"]?.stringValue else { return [] }
        let actor = activity["actor"]
        let actorUUID = actor?["id"]?.stringValue
        let actorId = actorUUID.map { HydraID(type: HydraID.people, uuid: $0).encoded }
        let published = activity["published"]?.stringValue ?? WebexDate.format(Date())
        let target = activity["target"]
        let object = activity["object"]
        let objectType = object?["objectType"]?.stringValue
        let tags = target?["tags"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let roomType = tags.contains("ONE_ON_ONE") ? "direct" : "group"
        let roomUUID = target?["id"]?.stringValue
        let roomId: String? = {
            if let g = target?["globalId"]?.stringValue, HydraID.isID(g, ofType: HydraID.room) { return g }
            return roomUUID.map { HydraID(type: HydraID.room, uuid: $0).encoded }
        }()

        func event(_ resource: String, _ name: String, _ data: [String: JSONValue], actor: String? = actorId) -> MappedActivity {
            .event(WebexEvent(resource: resource, event: name, actorId: actor, created: published, data: .object(data.filter { $0.value != .null })))
        }
        func membership(_ person: JSONValue?, _ name: String, isModerator: Bool = false, hidden: Bool = false,
                        extra: [String: JSONValue] = [:]) -> MappedActivity? {
            guard let personUUID = person?["id"]?.stringValue, let roomUUID, let roomId else { return nil }
            var data: [String: JSONValue] = [
                "id": .string(HydraID(type: HydraID.membership, uuid: "\(personUUID):\(roomUUID)").encoded),
                "roomId": .string(roomId),
                "roomType": .string(hidden ? "direct" : roomType),
                "isRoomHidden": .bool(hidden),
                "isModerator": .bool(isModerator),
                "personId": .string(HydraID(type: HydraID.people, uuid: personUUID).encoded),
                "personEmail": person?["emailAddress"] ?? .null,
                "personDisplayName": person?["displayName"] ?? .null,
                "personOrgId": person?["orgId"]?.stringValue.map { .string(HydraID(type: HydraID.organization, uuid: $0).encoded) } ?? .null,
                "created": .string(published),
            ]
            for (k, v) in extra { data[k] = v }
            return event("memberships", name, data)
        }

        switch verb {
        case "post", "share":
            guard let id = activity["id"]?.stringValue else { return [] }
            return [.fetchMessage(id: HydraID(type: HydraID.message, uuid: id).encoded, actorId: actorId, created: published, roomId: roomId)]
        case "delete":
            guard let deleted = object?["id"]?.stringValue, let roomId else { return [] }
            return [event("messages", "deleted", [
                "id": .string(HydraID(type: HydraID.message, uuid: deleted).encoded),
                "personEmail": actor?["emailAddress"] ?? actorUUID.map(JSONValue.string) ?? .null,
                "personId": actorId.map(JSONValue.string) ?? .null,
                "roomId": .string(roomId),
                "roomType": .string(roomType),
            ])]
        case "create":
            guard objectType == nil || objectType == "conversation" else { return [] }
            var out: [MappedActivity] = []
            if let roomId {
                out.append(event("rooms", "created", [
                    "id": .string(roomId), "created": .string(published), "creatorId": actorId.map(JSONValue.string) ?? .null,
                    "lastActivity": .string(published), "type": .string(roomType), "isLocked": .bool(tags.contains("LOCKED")),
                ]))
            }
            for participant in object?["participants"]?["items"]?.arrayValue ?? [] {
                if let m = membership(participant, "created") { out.append(m) }
            }
            return out
        case "update", "lock", "unlock":
            guard verb != "update" || objectType == "conversation", let roomId else { return [] }
            let locked = verb == "lock" ? true : verb == "unlock" ? false : tags.contains("LOCKED")
            return [event("rooms", "updated", ["id": .string(roomId), "type": .string(roomType), "isLocked": .bool(locked)])]
        case "add":
            return membership(object, "created").map { [$0] } ?? []
        case "leave":
            return membership(object, "deleted").map { [$0] } ?? []
        case "assignModerator", "unassignModerator":
            return membership(object, "updated", isModerator: verb == "assignModerator").map { [$0] } ?? []
        case "hide":
            return membership(object, "updated", hidden: true).map { [$0] } ?? []
        case "acknowledge":
            guard let seen = object?["id"]?.stringValue else { return [] }
            return membership(actor, "seen", extra: ["lastSeenId": .string(HydraID(type: HydraID.message, uuid: seen).encoded)]).map { [$0] } ?? []
        case "cardAction":
            guard let id = activity["id"]?.stringValue, let roomId else { return [] }
            return [event("attachmentActions", "created", [
                "id": .string(HydraID(type: HydraID.attachmentAction, uuid: id).encoded),
                "roomId": .string(roomId),
                "messageId": activity["parent"]?["id"]?.stringValue.map { .string(HydraID(type: HydraID.message, uuid: $0).encoded) } ?? .null,
                "personId": actorId.map(JSONValue.string) ?? .null,
                "type": object?["objectType"] ?? .null,
                "inputs": object?["inputs"] ?? .null,
                "created": .string(published),
            ])]
        default:
            return []
        }
    }
}
