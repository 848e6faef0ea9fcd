import Foundation

/// `/memberships` object (reference §2.3).
public struct Membership: WebexModel, Hashable {
    public var id: String
    public var roomId: String?
    public var personId: String?
    public var personEmail: String?
    public var personDisplayName: String?
    public var personOrgId: String?
    public var isModerator: Bool?
    public var isRoomHidden: Bool?
    public var roomType: String?
    public var isMonitor: Bool?
    public var created: Date?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, roomId, personId, personEmail, personDisplayName, personOrgId, isModerator, isRoomHidden, roomType, isMonitor, created
    }
    public static var jsonFields: [String] { fieldNames(CodingKeys.self) }
}

/// A person named by ID or email.
public enum PersonRef: Sendable, Equatable {
    case id(String)
    case email(String)
}

public struct MembershipsAPI: Sendable {
    let client: Webex

    /// Memberships of a room (optionally one person's), or all of yours when `roomId` is nil.
    public func list(roomId: String? = nil, person: PersonRef? = nil, limit: Int? = nil) throws(WebexError) -> PagedSequence<Membership> {
        if person != nil && roomId == nil { throw .invalidArgument("filtering memberships by person needs a room") }
        var personId: String?, personEmail: String?
        switch person {
        case .id(let i): personId = i
        case .email(let e): personEmail = e
        case nil: break
        }
        let url = client.url(["memberships"], query: [
            ("roomId", roomId), ("personId", personId), ("personEmail", personEmail),
            ("max", pageSize(limit: limit, endpointMax: 1000).map(String.init)),
        ])
        return client.paginate(Membership.self, url, limit: limit)
    }

    public func get(_ id: String) async throws(WebexError) -> Membership {
        try await client.get(Membership.self, client.url(["memberships", id]))
    }

    public func create(roomId: String, person: PersonRef, isModerator: Bool = false) async throws(WebexError) -> Membership {
        var body: [String: JSONValue] = ["roomId": .string(roomId), "isModerator": .bool(isModerator)]
        switch person {
        case .id(let i): body["personId"] = .string(i)
        case .email(let e): body["personEmail"] = .string(e)
        }
        return try await client.send(Membership.self, .post, client.url(["memberships"]), json: JSONValue.object(body))
    }

    public func update(_ id: String, isModerator: Bool? = nil, isRoomHidden: Bool? = nil) async throws(WebexError) -> Membership {
        guard isModerator != nil || isRoomHidden != nil else { throw .invalidArgument("nothing to change in the membership") }
        var body: [String: JSONValue] = [:]
        if let isModerator { body["isModerator"] = .bool(isModerator) }
        if let isRoomHidden { body["isRoomHidden"] = .bool(isRoomHidden) }
        return try await client.send(Membership.self, .put, client.url(["memberships", id]), json: JSONValue.object(body))
    }

    public func delete(_ id: String) async throws(WebexError) {
        try await client.delete(client.url(["memberships", id]))
    }
}
