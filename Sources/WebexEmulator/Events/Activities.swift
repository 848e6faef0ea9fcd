import Foundation

/// Turning state changes into Mercury `conversation.activity` events (reference §5.5–§5.7), delivered to
/// every authorized socket of every person allowed to see them. Called next to the webhook `emit` calls.
///
/// Envelope `data`: `{"eventType":"conversation.activity","activity":{…}}`. Every activity has
/// `id, objectType:"activity", verb, published, url (…/conversation/api/v1/activities/<id>), actor, object`
/// and, when it happens in a room, `target`:
/// ```
/// actor / person objects: {"id":"<person uuid>","objectType":"person","displayName","orgId":"<org uuid>",
///                          "emailAddress","entryUUID":"<person uuid>","entryEmail","type":"PERSON",
///                          "roomProperties":{"isModerator":…}}   // roomProperties on membership objects
/// target: {"id":"<room uuid>","objectType":"conversation","url":"<origin>/conversation/api/v1/conversations/<room uuid>",
///          "tags":["ONE_ON_ONE"?,"LOCKED"?],"globalId":"<Hydra room id>"}
/// ```
/// | change | verb | activity id | object |
/// |---|---|---|---|
/// | message, no file | `post` | message uuid | `{objectType:"comment", id, displayName, content, mentions?, groupMentions?}` |
/// | message with a file | `share` | message uuid | `{objectType:"content", id, contentCategory:"documents"/"images", files:{items:[file]}}` |
/// | its file is safe | `update` | new uuid | `{objectType:"content", id:<message uuid>, contentCategory:"documents", files:{items:[{…,"malwareQuarantineState":"safe"}]}}` |
/// | message deleted | `delete` | new uuid | `{objectType:"activity", id:<message uuid>}` |
/// | room created | `create` | new uuid | conversation `{id, objectType, url, tags, globalId, displayName?, creatorUUID, participants:{items:[person]}}` |
/// | room renamed (or other fields) | `update` | new uuid | conversation |
/// | locked / unlocked | `lock` / `unlock` | new uuid | conversation |
/// | member added / removed or left | `add` / `leave` | new uuid | the person |
/// | moderator granted / revoked | `assignModerator` / `unassignModerator` | new uuid | the person |
/// | room hidden | `hide` | new uuid | conversation (only the member who hid it receives it) |
/// | read receipt | `acknowledge` | the receipt's id | `{objectType:"activity", id:<message uuid>}` |
/// | card submitted | `cardAction` | attachment action uuid | `{objectType:"submit", inputs}`, `parent:{id:<card message uuid>, type:"reply"}` |
///
/// Message text and file names are never in an activity: as on real Webex (where they are KMS-encrypted),
/// `displayName` and `content` hold opaque JWE-looking strings, so clients must GET the message over REST.
/// Threaded replies carry `parent:{id:<parent uuid>, type:"reply", actorId, published}`.
///
/// Who receives what: the room's members (for `leave`, the members before the removal, so the removed
/// person too); a bot in a group room gets `post`/`share`/`update`/`delete` only for messages that mention
/// it, like webhooks. Message edits and room deletions produce no activity (the emulator fires no
/// webhook for them either).
extension EmulatorStore {
    // MARK: Building blocks

    /// Looks like a compact JWE with `alg:dir, enc:A256GCM` (as Webex's encrypted text does), made of
    /// random bytes: nothing of the plain text leaks.
    static func opaqueText() -> String {
        // Not secret, only opaque: a fast generator is enough (a flood builds thousands of these).
        var generator = SystemRandomNumberGenerator()
        var text = Array("eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..".utf8)
        var bits: UInt64 = 0
        var left = 0
        for length in [16, 32, 22] {
            if length != 16 { text.append(UInt8(ascii: ".")) }
            for _ in 0..<length {
                if left == 0 {
                    bits = generator.next()
                    left = 10
                }
                text.append(base64URLAlphabet[Int(bits & 63)])
                bits >>= 6
                left -= 1
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static let base64URLAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    func activityPerson(_ p: Person, moderator: Bool? = nil) -> JSONValue {
        var b = JSONObjectBuilder()
        b.set("id", p.uuid)
        b.set("objectType", "person")
        b.set("displayName", p.displayName)
        b.set("orgId", org.uuid)
        b.set("emailAddress", p.email)
        b.set("entryUUID", p.uuid)
        b.set("entryEmail", p.email)
        // [U] No public source shows a bot's actor type (maybe "ROBOT"); everyone is "PERSON" here.
        b.set("type", "PERSON")
        if let moderator { b.set("roomProperties", ["isModerator": .bool(moderator)]) }
        return b.value
    }

    func conversationURL(_ roomUUID: String, host: String) -> String {
        "http://\(host)/conversation/api/v1/conversations/\(roomUUID)"
    }

    func roomTags(_ room: Room) -> JSONValue {
        var tags: [JSONValue] = []
        if room.type == .direct { tags.append("ONE_ON_ONE") }
        if room.isLocked { tags.append("LOCKED") }
        return .array(tags)
    }

    func activityTarget(_ room: Room, host: String) -> JSONValue {
        [
            "id": .string(room.uuid), "objectType": "conversation", "url": .string(conversationURL(room.uuid, host: host)),
            "tags": roomTags(room), "globalId": .string(room.id),
        ]
    }

    func conversationObject(_ room: Room, host: String, participants: [Membership]? = nil) -> JSONValue {
        var b = JSONObjectBuilder()
        b.set("id", room.uuid)
        b.set("objectType", "conversation")
        b.set("url", conversationURL(room.uuid, host: host))
        b.set("tags", roomTags(room))
        b.set("globalId", room.id)
        if room.type == .group { b.set("displayName", Self.opaqueText()) }
        b.set("creatorUUID", room.creatorUUID)
        b.set("published", WebexDate.format(room.created))
        if let participants {
            let items: [JSONValue] = participants.compactMap { m in
                people[m.personUUID].map { activityPerson($0, moderator: m.isModerator) }
            }
            b.set("participants", ["items": .array(items)])
        }
        return b.value
    }

    func activity(
        id: String = HydraID.newUUID(), verb: String, actor: Person, object: JSONValue, room: Room?, host: String,
        parent: JSONValue? = nil, published: Date = WebexDate.now()
    ) -> JSONValue {
        var b = JSONObjectBuilder()
        b.set("id", id)
        b.set("objectType", "activity")
        b.set("verb", verb)
        b.set("published", WebexDate.format(published))
        b.set("url", "http://\(host)/conversation/api/v1/activities/\(id)")
        b.set("actor", activityPerson(actor))
        b.set("object", object)
        if let room { b.set("target", activityTarget(room, host: host)) }
        b.set("parent", parent)
        return b.value
    }

    /// Hands an activity to the sockets of `audience`; `build` makes it for one host.
    func publish(to audience: some Sequence<String>, _ build: (String) -> JSONValue) {
        guard mercury.hasListeners else { return }
        mercury.deliver(to: audience) { host in
            JSONValue.object(["eventType": "conversation.activity", "activity": build(host)]).serializedBytes()
        }
    }

    func members(of roomUUID: String) -> Set<String> {
        Set(memberships[roomUUID, default: [:]].keys)
    }

    /// The room's members, without bots that a group-room message does not mention (the webhook rule).
    func messageAudience(_ m: Message) -> [String] {
        let group = rooms[m.roomUUID]?.type == .group
        return memberships[m.roomUUID, default: [:]].keys.filter { uuid in
            !(group && people[uuid]?.type == .bot && !m.mentionedPeople.contains(uuid))
        }
    }

    static func quarantineState(_ s: ScanState) -> String {
        // [U] Only "safe" is confirmed (webex-bot waits for it); the other names are the emulator's.
        switch s {
        case .clean: return "safe"
        case .pending: return "pending"
        case .infected: return "malicious"
        case .unscannable: return "unscannable"
        }
    }

    private func fileItems(_ m: Message, forceSafe: Bool = false) -> JSONValue {
        let items: [JSONValue] = m.contentUUIDs.compactMap { contents[$0] }.map { c in
            [
                "objectType": "file", "displayName": .string(Self.opaqueText()), "fileSize": .int(c.data.count),
                "mimeType": .string(c.contentType),
                "malwareQuarantineState": .string(forceSafe ? "safe" : Self.quarantineState(c.scanState)),
            ]
        }
        return ["items": .array(items)]
    }

    private func contentCategory(_ m: Message) -> String {
        let images = m.contentUUIDs.compactMap { contents[$0] }.allSatisfy { $0.contentType.lowercased().hasPrefix("image/") }
        return images ? "images" : "documents"
    }

    // MARK: Messages

    /// `post` (or `share` with files, followed by `update` once every file is safe).
    func publishMessageCreated(_ m: Message, actor: Person) {
        guard mercury.hasListeners, let room = rooms[m.roomUUID] else { return }
        let parent: JSONValue? = m.parentUUID.map { uuid in
            var p = JSONObjectBuilder()
            p.set("id", uuid)
            p.set("type", "reply")
            if let original = messages[uuid] {
                p.set("actorId", original.personUUID)
                p.set("published", WebexDate.format(original.created))
            }
            return p.value
        }
        let hasFiles = !m.contentUUIDs.isEmpty
        publish(to: messageAudience(m)) { host in
            var o = JSONObjectBuilder()
            o.set("id", m.uuid)
            if hasFiles {
                o.set("objectType", "content")
                o.set("contentCategory", contentCategory(m))
                o.set("files", fileItems(m))
                if m.text != nil { o.set("displayName", Self.opaqueText()) }
            } else {
                o.set("objectType", "comment")
                o.set("displayName", Self.opaqueText())
            }
            if m.markdown != nil || !hasFiles { o.set("content", Self.opaqueText()) }
            if !m.mentionedPeople.isEmpty {
                o.set("mentions", ["items": .array(m.mentionedPeople.map { ["id": .string($0), "objectType": "person"] })])
            }
            if m.mentionedGroups.contains("all") {
                o.set("groupMentions", ["items": [["groupType": "all", "objectType": "groupMention"]]])
            }
            return activity(
                id: m.uuid, verb: hasFiles ? "share" : "post", actor: actor, object: o.value, room: room, host: host,
                parent: parent, published: m.created)
        }
        if hasFiles { publishFilesSafe(m) }
    }

    /// The `update` that says a message's files passed the malware scan (webex-bot fetches the message
    /// only then). Sent when every file of the message is clean.
    func publishFilesSafe(_ m: Message) {
        guard mercury.hasListeners, let room = rooms[m.roomUUID], let author = people[m.personUUID] else { return }
        guard m.contentUUIDs.allSatisfy({ contents[$0]?.scanState == .clean }) else { return }
        publish(to: messageAudience(m)) { host in
            let object: JSONValue = [
                "objectType": "content", "id": .string(m.uuid), "contentCategory": "documents",
                "files": fileItems(m, forceSafe: true),
            ]
            return activity(verb: "update", actor: author, object: object, room: room, host: host)
        }
    }

    func publishMessageDeleted(_ m: Message, actor: Person) {
        guard mercury.hasListeners, let room = rooms[m.roomUUID] else { return }
        publish(to: messageAudience(m)) { host in
            activity(verb: "delete", actor: actor, object: ["objectType": "activity", "id": .string(m.uuid)], room: room, host: host)
        }
    }

    // MARK: Rooms

    /// `create`, with the members the room starts with as participants.
    func publishRoomCreated(_ room: Room, actor: Person) {
        guard mercury.hasListeners else { return }
        let participants = memberships[room.uuid, default: [:]].values.sorted { $0.seq < $1.seq }
        publish(to: members(of: room.uuid)) { host in
            activity(
                verb: "create", actor: actor, object: conversationObject(room, host: host, participants: participants),
                room: room, host: host, published: room.created)
        }
    }

    /// `update`, `lock` or `unlock`.
    func publishRoomChanged(_ room: Room, verb: String, actor: Person) {
        guard mercury.hasListeners else { return }
        publish(to: members(of: room.uuid)) { host in
            activity(verb: verb, actor: actor, object: conversationObject(room, host: host), room: room, host: host)
        }
    }

    // MARK: Memberships

    /// `add`, `leave`, `assignModerator` or `unassignModerator` about `m`'s person. `audience` defaults to
    /// the room's current members.
    func publishMembership(_ m: Membership, verb: String, actor: Person, audience: Set<String>? = nil) {
        guard mercury.hasListeners, let room = rooms[m.roomUUID], let member = people[m.personUUID] else { return }
        publish(to: audience ?? members(of: room.uuid)) { host in
            activity(verb: verb, actor: actor, object: activityPerson(member, moderator: m.isModerator), room: room, host: host)
        }
    }

    /// `hide`: only the member who hid the room hears about it.
    func publishHidden(_ m: Membership, actor: Person) {
        guard mercury.hasListeners, let room = rooms[m.roomUUID] else { return }
        publish(to: [actor.uuid]) { host in
            activity(verb: "hide", actor: actor, object: conversationObject(room, host: host), room: room, host: host)
        }
    }

    /// `acknowledge` (a read receipt) for `message`, to the room's members.
    func publishAcknowledge(id: String, _ message: Message, actor: Person, published: Date) {
        guard mercury.hasListeners, let room = rooms[message.roomUUID] else { return }
        publish(to: members(of: room.uuid)) { host in
            activity(
                id: id, verb: "acknowledge", actor: actor, object: ["objectType": "activity", "id": .string(message.uuid)],
                room: room, host: host, published: published)
        }
    }

    // MARK: Attachment actions

    /// `cardAction`: activity id = the attachment action's uuid, `parent.id` = the card message.
    func publishCardAction(_ a: AttachmentAction, actor: Person) {
        guard mercury.hasListeners, let room = rooms[a.roomUUID] else { return }
        publish(to: members(of: room.uuid)) { host in
            activity(
                id: a.uuid, verb: "cardAction", actor: actor, object: ["objectType": .string(a.type), "inputs": a.inputs],
                room: room, host: host,
                // [U] The parent's type is not shown by any public source; JSSDK reads only parent.id.
                parent: ["id": .string(a.messageUUID), "type": "reply"], published: a.created)
        }
    }
}
