import Foundation

public struct PhoneNumber: Codable, Sendable, Hashable {
    public var type: String?
    public var value: String?
}

public struct SIPAddress: Codable, Sendable, Hashable {
    public var type: String?
    public var value: String?
    public var primary: Bool?
}

/// `/people` object (reference §2.4).
public struct Person: WebexModel, Hashable {
    public var id: String
    public var emails: [String]?
    public var phoneNumbers: [PhoneNumber]?
    public var `extension`: String?
    public var locationId: String?
    public var displayName: String?
    public var nickName: String?
    public var firstName: String?
    public var lastName: String?
    public var avatar: String?
    public var orgId: String?
    public var roles: [String]?
    public var licenses: [String]?
    public var department: String?
    public var manager: String?
    public var managerId: String?
    public var title: String?
    public var addresses: [JSONValue]?
    public var created: Date?
    public var lastModified: Date?
    public var timezone: String?
    public var lastActivity: Date?
    public var siteUrls: [String]?
    public var sipAddresses: [SIPAddress]?
    public var status: String?
    public var invitePending: Bool?
    public var loginEnabled: Bool?
    public var type: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, emails, phoneNumbers, `extension`, locationId, displayName, nickName, firstName, lastName, avatar,
             orgId, roles, licenses, department, manager, managerId, title, addresses, created, lastModified, timezone,
             lastActivity, siteUrls, sipAddresses, status, invitePending, loginEnabled, type
    }
    public static var jsonFields: [String] { fieldNames(CodingKeys.self) }
    public var primaryEmail: String? { emails?.first }
}

/// `GET /people` answers carry `notFoundIds` next to `items` when searching by id.
public struct PeopleAPI: Sendable {
    let client: Webex

    public func me() async throws(WebexError) -> Person {
        try await client.get(Person.self, client.url(["people", "me"]))
    }

    public func get(_ id: String) async throws(WebexError) -> Person {
        try await client.get(Person.self, client.url(["people", id]))
    }

    /// Non-admins must give `email`, `displayName` (prefix match) or `ids` (at most 85).
    public func list(email: String? = nil, displayName: String? = nil, ids: [String]? = nil, orgId: String? = nil,
                     limit: Int? = nil) throws(WebexError) -> PagedSequence<Person> {
        if let ids, ids.count > 85 { throw .invalidArgument("at most 85 person IDs can be looked up at once (got \(ids.count))") }
        let url = client.url(["people"], query: [
            ("email", email), ("displayName", displayName), ("id", ids.map { $0.joined(separator: ",") }),
            ("orgId", orgId), ("max", pageSize(limit: limit, endpointMax: 100).map(String.init)),
        ])
        return client.paginate(Person.self, url, limit: limit)
    }
}
