import Foundation

/// The internal services JSSDK uses besides Hydra: U2C service discovery (reference §5.1) and the
/// conversation service's read status (reference §2.9). Paths are relative to `/u2c/api/v1` and
/// `/conversation/api/v1`; every URL handed out points back at this emulator (`http://<Host header>`).
///
/// The emulator's rendering of a conversation (the real object is much larger; this keeps what
/// JSSDK's `listWithReadStatus` / `getWithReadStatus` / `memberships.listWithReadStatus` read):
/// ```
/// {"id":"<room uuid>","url":"<origin>/conversation/api/v1/conversations/<room uuid>",
///  "objectType":"conversation",
///  "displayName":"<title>",                      // group rooms only
///  "tags":["ONE_ON_ONE","LOCKED","HIDDEN"],       // ONE_ON_ONE for direct rooms, LOCKED when locked,
///                                                 // HIDDEN when the caller hid the room; else []
///  "lastReadableActivityDate":"<ISO>",            // last message, or the room's creation
///  "lastRelevantActivityDate":"<ISO>",            // the same
///  "lastSeenActivityDate":"<ISO>",                // the caller's last seen message; absent if none
///  "published":"<ISO room creation>",
///  "participants":{"items":[                      // only with participantAckFilter=all
///     {"id":"<person uuid>","entryUUID":"<person uuid>","entryEmailAddress":"…","emailAddress":"…",
///      "displayName":"…","orgId":"<org uuid>",
///      "roomProperties":{"isModerator":false,"lastSeenActivityUUID":"<message uuid>",
///                        "lastSeenActivityDate":"<ISO>"}}]}}   // lastSeen… absent if none
/// ```
/// A member's last seen message is set by `POST /activities` (verb `acknowledge`) and by posting a
/// message.
///
/// Lookups by activity id (what webex-bot does to find a message's Hydra id, reference §5.6): the URL is
/// an activity's `target.url` with `conversations/<room uuid>` replaced by `messages/<activity id>` (the
/// REST message, with its Hydra `id`) or `attachment/actions/<activity id>` (the REST attachment action).
/// 404 when unknown or not visible to the caller.
extension EmulatorStore {
    // MARK: U2C

    /// `GET /u2c/api/v1/catalog?format=hostmap` (and the unauthenticated `limited/catalog`).
    /// `hostCatalog` lists every service id the emulator answers for under its one host; JSSDK maps
    /// cluster `us` to `urn:TEAM:us-east-2_a:identityLookup`, so that id is there too. Meetings use
    /// `locus` (`<origin>/locus/api/v1`), `webex-appapi-service` (`<origin>/wbxappapi/v1`, meeting info)
    /// and `hecate` (`<origin>/hecate/api/v1`, personal rooms).
    nonisolated static func u2cCatalog(host: String) -> JSONValue {
        let origin = "http://\(host)"
        let services = ["conversation", "identityLookup", "hydra", "wdm", "locus", "webex-appapi-service", "hecate"]
        let entries: [JSONValue] = services.map {
            ["host": .string(host), "ttl": -1, "priority": 5, "id": .string("urn:TEAM:us-east-2_a:\($0)")]
        }
        return [
            "serviceLinks": [
                "hydra": .string("\(origin)/v1"),
                "conversation": .string("\(origin)/conversation/api/v1"),
                "wdm": .string("\(origin)/wdm/api/v1"),
                "locus": .string("\(origin)/locus/api/v1"),
                "webex-appapi-service": .string("\(origin)/wbxappapi/v1"),
                "hecate": .string("\(origin)/hecate/api/v1"),
            ],
            "hostCatalog": .object([host: .array(entries)]),
        ]
    }

    // MARK: Conversations

    /// `GET /conversations?conversationsLimit=&sinceDate=(epoch ms)&…`: the caller's rooms, most recent
    /// activity first. Other parameters (`isActive`, `activitiesLimit`, `participantsLimit`, …) are ignored.
    func listConversations(_ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        let q = req.query
        var limit = 1000
        if let raw = q["conversationsLimit"] {
            guard let n = Int(raw), n >= 0 else { throw APIError.badRequest("conversationsLimit must be a non-negative integer.") }
            limit = n
        }
        var since: Date?
        if let raw = q["sinceDate"] {
            guard let ms = Int64(raw) else { throw APIError.badRequest("sinceDate must be epoch milliseconds.") }
            since = Date(timeIntervalSince1970: Double(ms) / 1000)
        }
        let mine = rooms.values.filter { room in
            guard isMember(viewer.uuid, room.uuid) else { return false }
            if let since, room.lastActivity < since { return false }
            return true
        }.sorted { a, b in a.lastActivity != b.lastActivity ? a.lastActivity > b.lastActivity : a.seq > b.seq }
        let items = mine.prefix(limit).map { render(conversation: $0, for: viewer, host: req.host, participants: false) }
        return .json(["items": .array(Array(items))])
    }

    private func memberRoom(uuidOrId: String, viewer: Person) throws(APIError) -> Room {
        guard let uuid = HydraID.uuid(from: uuidOrId, as: .room), let room = rooms[uuid], isMember(viewer.uuid, uuid) else {
            throw APIError.notFound("The conversation could not be found.")
        }
        return room
    }

    /// `GET /conversations/{uuid}`; `participantAckFilter=all` (or `includeParticipants=true`) adds
    /// `participants` with each member's read status.
    func getConversation(id: String, _ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        let room = try memberRoom(uuidOrId: id, viewer: viewer)
        let withParticipants = req.query["participantAckFilter"] == "all" || req.query["includeParticipants"] == "true"
        return .json(render(conversation: room, for: viewer, host: req.host, participants: withParticipants))
    }

    /// `POST /activities?personRefresh=true` with verb `acknowledge`: the caller has seen `object.id`
    /// (a message uuid) in `target.id` (a room uuid).
    func postActivity(_ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        let body = try req.json()
        guard let verb = try body.string("verb") else { throw APIError.badRequest("verb is required.") }
        guard verb == "acknowledge" else {
            throw APIError.badRequest("The emulator's conversation service only supports the verb 'acknowledge'.")
        }
        guard let object = body.members["object"]?.objectValue, let objectId = object["id"]?.stringValue, !objectId.isEmpty
        else { throw APIError.badRequest("object.id (the message uuid) is required.") }
        guard let target = body.members["target"]?.objectValue, let targetId = target["id"]?.stringValue, !targetId.isEmpty
        else { throw APIError.badRequest("target.id (the conversation uuid) is required.") }
        let room = try memberRoom(uuidOrId: targetId, viewer: viewer)
        guard let messageUUID = HydraID.uuid(from: objectId, as: .message), let message = messages[messageUUID],
            message.roomUUID == room.uuid
        else { throw APIError.notFound("The activity could not be found in this conversation.") }
        markSeen(message, by: viewer.uuid)
        let activityId = HydraID.newUUID()
        let published = WebexDate.now()
        publishAcknowledge(id: activityId, message, actor: viewer, published: published)
        var answer = JSONObjectBuilder()
        answer.set("id", activityId)
        answer.set("objectType", "activity")
        answer.set("verb", "acknowledge")
        answer.set("actor", [
            "objectType": "person", "id": .string(viewer.uuid), "emailAddress": .string(viewer.email),
            "displayName": .string(viewer.displayName),
        ])
        answer.set("object", ["objectType": "activity", "id": .string(message.uuid)])
        answer.set("target", [
            "objectType": "conversation", "id": .string(room.uuid),
            "url": .string("http://\(req.host)/conversation/api/v1/conversations/\(room.uuid)"),
        ])
        answer.set("clientTempId", try body.string("clientTempId"))
        answer.set("published", WebexDate.format(published))
        return .json(answer.value)
    }

    /// `GET /messages/{activity id}`: the message whose `post`/`share` activity had that id.
    func conversationMessage(activityId: String, _ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        .json(render(message: try visibleMessage(id: activityId, viewer: viewer), baseURL: req.baseURL))
    }

    /// `GET /attachment/actions/{activity id}`: the attachment action of a `cardAction` activity.
    func conversationAttachmentAction(activityId: String, viewer: Person) throws(APIError) -> Reply {
        try getAttachmentAction(id: activityId, viewer: viewer)
    }

    func render(conversation room: Room, for viewer: Person, host: String, participants: Bool) -> JSONValue {
        let mine = membership(of: viewer.uuid, in: room.uuid)
        var tags: [JSONValue] = []
        if room.type == .direct { tags.append("ONE_ON_ONE") }
        if room.isLocked { tags.append("LOCKED") }
        if mine?.isRoomHidden == true { tags.append("HIDDEN") }
        var b = JSONObjectBuilder()
        b.set("id", room.uuid)
        b.set("url", "http://\(host)/conversation/api/v1/conversations/\(room.uuid)")
        b.set("objectType", "conversation")
        if room.type == .group { b.set("displayName", room.title) }
        b.set("tags", .array(tags))
        b.set("lastReadableActivityDate", WebexDate.format(room.lastActivity))
        b.set("lastRelevantActivityDate", WebexDate.format(room.lastActivity))
        b.set("lastSeenActivityDate", mine?.lastSeenDate.map { WebexDate.format($0) })
        b.set("published", WebexDate.format(room.created))
        if participants {
            let members = memberships[room.uuid, default: [:]].values.sorted { $0.seq < $1.seq }
            let items: [JSONValue] = members.map { m in
                let p = people[m.personUUID]
                var props = JSONObjectBuilder()
                props.set("isModerator", m.isModerator)
                props.set("lastSeenActivityUUID", m.lastSeenMessageUUID)
                props.set("lastSeenActivityDate", m.lastSeenDate.map { WebexDate.format($0) })
                var item = JSONObjectBuilder()
                item.set("id", m.personUUID)
                item.set("entryUUID", m.personUUID)
                item.set("entryEmailAddress", p?.email)
                item.set("emailAddress", p?.email)
                item.set("displayName", p?.displayName)
                item.set("orgId", org.uuid)
                item.set("roomProperties", props.value)
                return item.value
            }
            b.set("participants", ["items": .array(items)])
        }
        return b.value
    }
}
