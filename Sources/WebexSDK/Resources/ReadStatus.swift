import Foundation

/// A room with when it was last active and when you last saw it (JSSDK `rooms.listWithReadStatus`,
/// reference §2.9). Read from the internal conversation service, found through U2C.
public struct RoomReadStatus: WebexModel, Hashable {
    public var id: String
    public var type: String?
    public var title: String?
    public var lastActivityDate: Date?
    /// 1970-01-01 when you never read it (as JSSDK reports).
    public var lastSeenActivityDate: Date?

    enum CodingKeys: String, CodingKey, CaseIterable { case id, type, title, lastActivityDate, lastSeenActivityDate }
    public static var jsonFields: [String] { fieldNames(CodingKeys.self) }
    public var isUnread: Bool { (lastActivityDate ?? .distantPast) > (lastSeenActivityDate ?? .distantPast) }
}

/// A membership with the member's last-read message (JSSDK `memberships.listWithReadStatus`).
public struct MembershipReadStatus: WebexModel, Hashable {
    public var id: String
    public var roomId: String?
    public var personId: String?
    public var personEmail: String?
    public var personDisplayName: String?
    public var personOrgId: String?
    public var isMonitor: Bool?
    public var roomType: String?
    public var isRoomHidden: Bool?
    public var isModerator: Bool?
    public var lastSeenId: String?
    public var lastSeenDate: Date?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, roomId, personId, personEmail, personDisplayName, personOrgId, isMonitor, roomType, isRoomHidden,
             isModerator, lastSeenId, lastSeenDate
    }
    public static var jsonFields: [String] { fieldNames(CodingKeys.self) }
}

/// The conversation service's view of a room (only the fields read status needs).
struct Conversation: Decodable {
    var id: String
    var url: String?
    var displayName: String?
    var tags: [String]?
    var lastReadableActivityDate: Date?
    var lastRelevantActivityDate: Date?
    var lastSeenActivityDate: Date?
    var participants: Participants?

    struct Participants: Decodable { var items: [Participant] }
    struct Participant: Decodable {
        var id: String
        var entryUUID: String?
        var entryEmailAddress: String?
        var emailAddress: String?
        var entryEmail: String?
        var displayName: String?
        var orgId: String?
        var tags: [String]?
        var roomProperties: RoomProperties?
    }
    struct RoomProperties: Decodable {
        var isModerator: Bool?
        var lastSeenActivityUUID: String?
        var lastSeenActivityDate: Date?
    }

    var roomType: String { (tags ?? []).contains("ONE_ON_ONE") ? "direct" : "group" }

    func readStatus() -> RoomReadStatus {
        RoomReadStatus(id: HydraID(type: HydraID.room, uuid: id).encoded, type: roomType, title: displayName,
                       lastActivityDate: lastReadableActivityDate ?? lastRelevantActivityDate,
                       lastSeenActivityDate: lastSeenActivityDate ?? Date(timeIntervalSince1970: 0))
    }
}

struct ConversationList: Decodable { var items: [Conversation] }

extension RoomsAPI {
    /// Your rooms with read status, most recently active first. `maxRecent` > 0 limits to that many
    /// rooms active in the last 14 days.
    public func listWithReadStatus(maxRecent: Int = 0) async throws(WebexError) -> [RoomReadStatus] {
        guard maxRecent >= 0 else { throw .invalidArgument("maxRecent must not be negative") }
        let conv = try await client.serviceURL("conversation")
        var query: [(String, String?)] = [
            ("personRefresh", "true"), ("uuidEntryFormat", "true"), ("activitiesLimit", "0"), ("participantsLimit", "0"),
            ("computeTitleIfEmpty", "true"), ("conversationsLimit", String(maxRecent > 0 ? maxRecent : 1000)), ("isActive", "true"),
        ]
        if maxRecent > 0 {
            query.append(("sinceDate", String(Int64((Date().timeIntervalSince1970 - 14 * 86400) * 1000))))
        }
        let list = try await client.get(ConversationList.self, Webex.join(conv, ["conversations"], query: query))
        return list.items.map { $0.readStatus() }
            .sorted { ($0.lastActivityDate ?? .distantPast) > ($1.lastActivityDate ?? .distantPast) }
    }

    /// One room with read status.
    public func getWithReadStatus(_ roomId: String) async throws(WebexError) -> RoomReadStatus {
        guard let id = HydraID(roomId), id.type == HydraID.room else { throw .invalidArgument("'\(roomId)' is not a room ID") }
        let conv = try await client.serviceURL("conversation")
        let url = Webex.join(conv, ["conversations", id.uuid], query: [
            ("uuidEntryFormat", "true"), ("personRefresh", "true"), ("activitiesLimit", "0"),
            ("includeConvWithDeletedUserUUID", "false"), ("includeParticipants", "false"), ("computeTitleIfEmpty", "true"),
        ])
        return try await client.get(Conversation.self, url).readStatus()
    }
}

extension MembershipsAPI {
    /// A room's members with what each has read.
    public func listWithReadStatus(roomId: String) async throws(WebexError) -> [MembershipReadStatus] {
        guard let room = HydraID(roomId), room.type == HydraID.room else { throw .invalidArgument("'\(roomId)' is not a room ID") }
        let conv = try await client.serviceURL("conversation")
        let url = Webex.join(conv, ["conversations", room.uuid], query: [
            ("uuidEntryFormat", "true"), ("personRefresh", "true"), ("activitiesLimit", "0"),
            ("includeConvWithDeletedUserUUID", "false"), ("participantAckFilter", "all"),
        ])
        let c = try await client.get(Conversation.self, url)
        return (c.participants?.items ?? []).map { p in
            let uuid = p.entryUUID ?? p.id
            return MembershipReadStatus(
                id: HydraID(type: HydraID.membership, uuid: "\(uuid):\(room.uuid)").encoded,
                roomId: roomId, personId: HydraID(type: HydraID.people, uuid: uuid).encoded,
                personEmail: p.entryEmailAddress ?? p.emailAddress ?? p.entryEmail, personDisplayName: p.displayName,
                personOrgId: p.orgId.map { HydraID(type: HydraID.organization, uuid: $0).encoded }, isMonitor: false,
                roomType: c.roomType, isRoomHidden: (p.tags ?? []).contains("HIDDEN") ? true : nil,
                isModerator: p.roomProperties?.isModerator,
                lastSeenId: p.roomProperties?.lastSeenActivityUUID.map { HydraID(type: HydraID.message, uuid: $0).encoded },
                lastSeenDate: p.roomProperties?.lastSeenActivityDate)
        }
    }

    /// Marks `messageId` (in `roomId`) as the last message you have read: a read receipt.
    public func updateLastSeen(messageId: String, roomId: String) async throws(WebexError) -> MembershipReadStatus {
        guard let msg = HydraID(messageId), msg.type == HydraID.message else { throw .invalidArgument("'\(messageId)' is not a message ID") }
        guard let room = HydraID(roomId), room.type == HydraID.room else { throw .invalidArgument("'\(roomId)' is not a room ID") }
        let me = try await client.people.me()
        guard let meUUID = HydraID(me.id)?.uuid else { throw .invalidResponse("cannot read your person ID") }
        let conv = try await client.serviceURL("conversation")
        let target = Webex.join(conv, ["conversations", room.uuid]).absoluteString
        let body = JSONValue.object([
            "verb": .string("acknowledge"), "objectType": .string("activity"),
            "clientTempId": .string("tmp-\(UUID().uuidString.lowercased())"),
            "actor": .object(["objectType": .string("person"), "id": .string(meUUID)]),
            "object": .object(["objectType": .string("activity"), "id": .string(msg.uuid)]),
            "target": .object(["id": .string(room.uuid), "url": .string(target), "objectType": .string("conversation")]),
        ])
        let url = Webex.join(conv, ["activities"], query: [("personRefresh", "true")])
        let _: JSONValue = try await client.send(JSONValue.self, .post, url, json: body)
        return MembershipReadStatus(id: HydraID(type: HydraID.membership, uuid: "\(meUUID):\(room.uuid)").encoded,
                                    roomId: roomId, personId: me.id, personEmail: me.primaryEmail,
                                    personDisplayName: me.displayName, personOrgId: me.orgId, isMonitor: false,
                                    lastSeenId: messageId, lastSeenDate: Date())
    }
}

extension Webex {
    /// `base/segment…?query` for a discovered service URL.
    static func join(_ base: URL, _ segments: [String], query: [(String, String?)] = []) -> URL {
        var s = base.absoluteString
        while s.hasSuffix("/") { s.removeLast() }
        for seg in segments { s += "/" + encode(seg) }
        let q = query.compactMap { k, v in v.map { "\(encode(k))=\(encode($0))" } }
        if !q.isEmpty { s += "?" + q.joined(separator: "&") }
        return URL(string: s)!
    }
}
