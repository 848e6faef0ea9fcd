import Foundation

/// `/rooms` object (reference §2.1).
public struct Room: WebexModel, Hashable {
    public var id: String
    public var title: String?
    public var type: String?
    public var isLocked: Bool?
    public var teamId: String?
    public var lastActivity: Date?
    public var creatorId: String?
    public var created: Date?
    public var ownerId: String?
    public var classificationId: String?
    public var isAnnouncementOnly: Bool?
    public var isReadOnly: Bool?
    public var isPublic: Bool?
    public var madePublic: Date?
    public var description: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, title, type, isLocked, teamId, lastActivity, creatorId, created, ownerId, classificationId,
             isAnnouncementOnly, isReadOnly, isPublic, madePublic, description
    }
    public static var jsonFields: [String] { fieldNames(CodingKeys.self) }
}

public struct RoomMeetingInfo: WebexModel, Hashable {
    public var roomId: String
    public var meetingLink: String?
    public var sipAddress: String?
    public var meetingNumber: String?
    public var meetingId: String?
    public var callInTollFreeNumber: String?
    public var callInTollNumber: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case roomId, meetingLink, sipAddress, meetingNumber, meetingId, callInTollFreeNumber, callInTollNumber
    }
    public static var jsonFields: [String] { fieldNames(CodingKeys.self) }
}

/// Fields for creating or updating a room; nil fields are not sent.
public struct RoomFields: Encodable, Sendable {
    public var title: String?
    public var teamId: String?
    public var classificationId: String?
    public var isLocked: Bool?
    public var isPublic: Bool?
    public var description: String?
    public var isAnnouncementOnly: Bool?
    public var isReadOnly: Bool?
    public init(title: String? = nil, teamId: String? = nil, classificationId: String? = nil, isLocked: Bool? = nil,
                isPublic: Bool? = nil, description: String? = nil, isAnnouncementOnly: Bool? = nil, isReadOnly: Bool? = nil) {
        self.title = title; self.teamId = teamId; self.classificationId = classificationId; self.isLocked = isLocked
        self.isPublic = isPublic; self.description = description; self.isAnnouncementOnly = isAnnouncementOnly
        self.isReadOnly = isReadOnly
    }
}

public struct RoomsAPI: Sendable {
    let client: Webex

    public enum RoomType: String, Sendable, CaseIterable { case direct, group }
    public enum SortBy: String, Sendable, CaseIterable { case id, lastactivity, created }

    public func list(type: RoomType? = nil, teamId: String? = nil, sortBy: SortBy? = nil, limit: Int? = nil) -> PagedSequence<Room> {
        let url = client.url(["rooms"], query: [
            ("type", type?.rawValue), ("teamId", teamId), ("sortBy", sortBy?.rawValue),
            ("max", pageSize(limit: limit, endpointMax: 1000).map(String.init)),
        ])
        return client.paginate(Room.self, url, limit: limit)
    }

    public func get(_ id: String) async throws(WebexError) -> Room {
        try await client.get(Room.self, client.url(["rooms", id]))
    }

    public func create(_ fields: RoomFields) async throws(WebexError) -> Room {
        guard let t = fields.title, !t.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .invalidArgument("a room needs a title")
        }
        return try await client.send(Room.self, .post, client.url(["rooms"]), json: fields)
    }

    /// Webex replaces the room with what is sent, so unspecified fields keep their current values here.
    public func update(_ id: String, _ fields: RoomFields) async throws(WebexError) -> Room {
        let current = try await get(id)
        var merged = fields
        merged.title = fields.title ?? current.title
        merged.isLocked = fields.isLocked ?? current.isLocked
        merged.description = fields.description ?? current.description
        merged.isAnnouncementOnly = fields.isAnnouncementOnly ?? current.isAnnouncementOnly
        merged.isPublic = fields.isPublic ?? current.isPublic
        merged.classificationId = fields.classificationId ?? current.classificationId
        return try await client.send(Room.self, .put, client.url(["rooms", id]), json: merged)
    }

    public func delete(_ id: String) async throws(WebexError) {
        try await client.delete(client.url(["rooms", id]))
    }

    public func meetingInfo(_ id: String) async throws(WebexError) -> RoomMeetingInfo {
        try await client.get(RoomMeetingInfo.self, client.url(["rooms", id, "meetingInfo"]))
    }
}
