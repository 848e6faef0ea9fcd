import Foundation

/// `/webhooks` object (reference §2.6).
public struct Webhook: WebexModel, Hashable {
    public var id: String
    public var name: String?
    public var targetUrl: String?
    public var resource: String?
    public var event: String?
    public var filter: String?
    public var secret: String?
    public var status: String?
    public var created: Date?
    public var ownedBy: String?
    public var orgId: String?
    public var createdBy: String?
    public var appId: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, name, targetUrl, resource, event, filter, secret, status, created, ownedBy, orgId, createdBy, appId
    }
    public static var jsonFields: [String] { fieldNames(CodingKeys.self) }

    public static let resources = ["all", "attachmentActions", "memberships", "messages", "rooms", "meetings", "recordings",
                                   "meetingParticipants", "meetingTranscripts"]
    public static let events = ["all", "created", "updated", "deleted", "started", "ended", "joined", "left", "migrated"]
}

public struct WebhooksAPI: Sendable {
    let client: Webex

    public func list(limit: Int? = nil) -> PagedSequence<Webhook> {
        client.paginate(Webhook.self, client.url(["webhooks"], query: [("max", pageSize(limit: limit, endpointMax: 100).map(String.init))]), limit: limit)
    }

    public func get(_ id: String) async throws(WebexError) -> Webhook {
        try await client.get(Webhook.self, client.url(["webhooks", id]))
    }

    public func create(name: String, targetUrl: String, resource: String, event: String, filter: String? = nil,
                       secret: String? = nil) async throws(WebexError) -> Webhook {
        guard let u = URL(string: targetUrl), ["http", "https"].contains(u.scheme?.lowercased() ?? ""), u.host != nil else {
            throw .invalidArgument("target URL '\(targetUrl)' is not an http(s) URL")
        }
        var body: [String: JSONValue] = ["name": .string(name), "targetUrl": .string(targetUrl),
                                         "resource": .string(resource), "event": .string(event)]
        if let filter { body["filter"] = .string(filter) }
        if let secret { body["secret"] = .string(secret) }
        return try await client.send(Webhook.self, .post, client.url(["webhooks"]), json: JSONValue.object(body))
    }

    /// Only name, target URL, secret and status can change; the current name and URL are kept when not given.
    public func update(_ id: String, name: String? = nil, targetUrl: String? = nil, secret: String? = nil,
                       status: String? = nil) async throws(WebexError) -> Webhook {
        guard name != nil || targetUrl != nil || secret != nil || status != nil else { throw .invalidArgument("nothing to change in the webhook") }
        let current = try await get(id)
        var body: [String: JSONValue] = ["name": .string(name ?? current.name ?? ""), "targetUrl": .string(targetUrl ?? current.targetUrl ?? "")]
        if let secret { body["secret"] = .string(secret) }
        if let status { body["status"] = .string(status) }
        return try await client.send(Webhook.self, .put, client.url(["webhooks", id]), json: JSONValue.object(body))
    }

    public func delete(_ id: String) async throws(WebexError) {
        try await client.delete(client.url(["webhooks", id]))
    }
}
