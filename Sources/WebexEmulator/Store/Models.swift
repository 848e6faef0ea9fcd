import Foundation

/// Stored state. Every object carries `seq`, a store-wide creation counter used as a stable tie breaker
/// in list orderings and page cursors. Uuids are lower-case; Hydra ids are derived when rendering.

struct Organization: Sendable {
    var uuid: String
    var displayName: String
    var created: Date
}

public enum PersonType: String, Sendable {
    case person
    case bot
    case appuser
}

struct Person: Sendable {
    var uuid: String
    var seq: Int
    var email: String
    var displayName: String
    var firstName: String?
    var lastName: String?
    var nickName: String?
    var type: PersonType
    var roles: [String]
    var token: String
    var created: Date

    var id: String { HydraID.encode(.people, uuid) }
}

enum RoomType: String, Sendable {
    case direct
    case group
}

struct Room: Sendable {
    var uuid: String
    var seq: Int
    var title: String
    var type: RoomType
    var isLocked: Bool
    /// The uuid of the team this room belongs to.
    var teamUUID: String?
    var isPublic: Bool
    var description: String?
    var isAnnouncementOnly: Bool
    var isReadOnly: Bool
    var creatorUUID: String
    var created: Date
    var lastActivity: Date
    /// For direct rooms: the two people, in creation order.
    var directPair: [String]

    var id: String { HydraID.encode(.room, uuid) }
}

struct Membership: Sendable {
    var personUUID: String
    var roomUUID: String
    var seq: Int
    var isModerator: Bool
    var isRoomHidden: Bool
    var created: Date
    /// Read status (conversation service, reference §2.9): the last message this member acknowledged
    /// (or posted) and that message's creation time.
    var lastSeenMessageUUID: String? = nil
    var lastSeenDate: Date? = nil

    var uuid: String { "\(personUUID):\(roomUUID)" }
    var id: String { HydraID.encode(.membership, uuid) }
}

struct Team: Sendable {
    var uuid: String
    var seq: Int
    var name: String
    var description: String?
    var creatorUUID: String
    var created: Date
    /// The team's "General" room, created with the team.
    var generalRoomUUID: String

    var id: String { HydraID.encode(.team, uuid) }
}

struct TeamMembership: Sendable {
    var personUUID: String
    var teamUUID: String
    var seq: Int
    var isModerator: Bool
    var created: Date

    var uuid: String { "\(personUUID):\(teamUUID)" }
    var id: String { HydraID.encode(.teamMembership, uuid) }
}

struct AttachmentAction: Sendable {
    var uuid: String
    var seq: Int
    var type: String
    var messageUUID: String
    var roomUUID: String
    var personUUID: String
    var inputs: JSONValue
    var created: Date

    var id: String { HydraID.encode(.attachmentAction, uuid) }
}

struct Message: Sendable {
    var uuid: String
    var seq: Int
    var roomUUID: String
    var personUUID: String
    var parentUUID: String?
    var text: String?
    var markdown: String?
    var html: String?
    /// Content uuids `<messageUUID>/<index>`.
    var contentUUIDs: [String]
    var attachments: [JSONValue]
    var mentionedPeople: [String]
    var mentionedGroups: [String]
    /// Set when the message was posted with `toPersonId` / `toPersonEmail`.
    var toPersonUUID: String?
    var toPersonEmail: String?
    var created: Date
    var updated: Date?
    var editCount: Int

    var id: String { HydraID.encode(.message, uuid) }
}

public enum ScanState: String, Sendable {
    case clean
    case pending
    case infected
    case unscannable
}

struct Content: Sendable {
    var uuid: String
    var messageUUID: String
    var roomUUID: String
    var filename: String
    var contentType: String
    var data: [UInt8]
    var scanState: ScanState
    var pendingRemaining: Int

    var id: String { HydraID.encode(.content, uuid) }
}

struct Blob: Sendable {
    var contentType: String
    var data: [UInt8]
}

struct RequestLogEntry: Sendable {
    var method: String
    var path: String
    var query: String?
    var status: Int?
    var trackingId: String?
    var userAgent: String?
    var contentType: String?

    var json: JSONValue {
        [
            "method": .string(method),
            "path": .string(path),
            "query": query.map { .string($0) } ?? .null,
            "status": status.map { .int($0) } ?? .null,
            "trackingid": trackingId.map { .string($0) } ?? .null,
            "userAgent": userAgent.map { .string($0) } ?? .null,
            "contentType": contentType.map { .string($0) } ?? .null,
        ]
    }
}

/// A file about to be attached to a new message.
struct NewFile: Sendable {
    var filename: String
    var contentType: String
    var data: [UInt8]
}
