import Foundation

/// `/teams` object (reference §2.5).
public struct Team: WebexModel, Hashable {
    public var id: String
    public var name: String?
    public var description: String?
    public var creatorId: String?
    public var created: Date?

    enum CodingKeys: String, CodingKey, CaseIterable { case id, name, description, creatorId, created }
    public static var jsonFields: [String] { fieldNames(CodingKeys.self) }
}

/// `/team/memberships` object (the path is singular "team").
public struct TeamMembership: WebexModel, Hashable {
    public var id: String
    public var teamId: String?
    public var personId: String?
    public var personEmail: String?
    public var personDisplayName: String?
    public var personOrgId: String?
    public var isModerator: Bool?
    public var created: Date?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, teamId, personId, personEmail, personDisplayName, personOrgId, isModerator, created
    }
    public static var jsonFields: [String] { fieldNames(CodingKeys.self) }
}

public struct TeamsAPI: Sendable {
    let client: Webex

    public func list(limit: Int? = nil) -> PagedSequence<Team> {
        client.paginate(Team.self, client.url(["teams"], query: [("max", pageSize(limit: limit, endpointMax: 1000).map(String.init))]), limit: limit)
    }

    public func get(_ id: String) async throws(WebexError) -> Team {
        try await client.get(Team.self, client.url(["teams", id]))
    }

    public func create(name: String, description: String? = nil) async throws(WebexError) -> Team {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw .invalidArgument("a team needs a name") }
        var body: [String: JSONValue] = ["name": .string(name)]
        if let description { body["description"] = .string(description) }
        return try await client.send(Team.self, .post, client.url(["teams"]), json: JSONValue.object(body))
    }

    /// Webex replaces the team with what is sent: the current name is kept when only the description changes.
    public func update(_ id: String, name: String? = nil, description: String? = nil) async throws(WebexError) -> Team {
        guard name != nil || description != nil else { throw .invalidArgument("nothing to change in the team") }
        let current = name == nil ? try await get(id) : nil
        var body: [String: JSONValue] = ["name": .string(name ?? current?.name ?? "")]
        if let d = description ?? current?.description { body["description"] = .string(d) }
        return try await client.send(Team.self, .put, client.url(["teams", id]), json: JSONValue.object(body))
    }

    public func delete(_ id: String) async throws(WebexError) {
        try await client.delete(client.url(["teams", id]))
    }
}

public struct TeamMembershipsAPI: Sendable {
    let client: Webex

    public func list(teamId: String, limit: Int? = nil) -> PagedSequence<TeamMembership> {
        let url = client.url(["team", "memberships"], query: [("teamId", teamId), ("max", pageSize(limit: limit, endpointMax: 1000).map(String.init))])
        return client.paginate(TeamMembership.self, url, limit: limit)
    }

    public func get(_ id: String) async throws(WebexError) -> TeamMembership {
        try await client.get(TeamMembership.self, client.url(["team", "memberships", id]))
    }

    public func create(teamId: String, person: PersonRef, isModerator: Bool = false) async throws(WebexError) -> TeamMembership {
        var body: [String: JSONValue] = ["teamId": .string(teamId), "isModerator": .bool(isModerator)]
        switch person {
        case .id(let i): body["personId"] = .string(i)
        case .email(let e): body["personEmail"] = .string(e)
        }
        return try await client.send(TeamMembership.self, .post, client.url(["team", "memberships"]), json: JSONValue.object(body))
    }

    public func update(_ id: String, isModerator: Bool) async throws(WebexError) -> TeamMembership {
        try await client.send(TeamMembership.self, .put, client.url(["team", "memberships", id]),
                              json: JSONValue.object(["isModerator": .bool(isModerator)]))
    }

    public func delete(_ id: String) async throws(WebexError) {
        try await client.delete(client.url(["team", "memberships", id]))
    }
}
