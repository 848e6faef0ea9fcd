import Foundation

/// `/attachment/actions` object: a card's inputs submitted by someone (reference §2.7).
public struct AttachmentAction: WebexModel, Hashable {
    public var id: String
    public var type: String?
    public var messageId: String?
    public var inputs: [String: JSONValue]?
    public var personId: String?
    public var roomId: String?
    public var created: Date?

    enum CodingKeys: String, CodingKey, CaseIterable { case id, type, messageId, inputs, personId, roomId, created }
    public static var jsonFields: [String] { fieldNames(CodingKeys.self) }
}

public struct AttachmentActionsAPI: Sendable {
    let client: Webex

    /// Submits card inputs for a message (`type` is always `submit`).
    public func create(messageId: String, inputs: [String: JSONValue]) async throws(WebexError) -> AttachmentAction {
        let body = JSONValue.object(["type": .string("submit"), "messageId": .string(messageId), "inputs": .object(inputs)])
        return try await client.send(AttachmentAction.self, .post, client.url(["attachment", "actions"]), json: body)
    }

    public func get(_ id: String) async throws(WebexError) -> AttachmentAction {
        try await client.get(AttachmentAction.self, client.url(["attachment", "actions", id]))
    }
}
