import Foundation

/// `/v1/attachment/actions` (reference §2.7; note the singular "attachment").
extension EmulatorStore {
    /// `POST /attachment/actions {type:"submit", messageId, inputs:{…}}`. The message must be one the
    /// caller can see (404) and must carry a card (400).
    func createAttachmentAction(_ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        let body = try req.json()
        guard let type = try body.string("type") else { throw APIError.badRequest("type is required (\"submit\").") }
        guard type == "submit" else { throw APIError.badRequest("Invalid value for type: '\(type)'. Only 'submit' is supported.") }
        guard let messageId = try body.nonEmptyString("messageId") else { throw APIError.badRequest("messageId is required.") }
        var inputs: JSONValue = .object([:])
        if let v = body.members["inputs"], !v.isNull {
            guard v.objectValue != nil else { throw APIError.badRequest("inputs must be an object.") }
            inputs = v
        }
        let message = try visibleMessage(id: messageId, viewer: viewer)
        // Every attachment a message can carry is a card (reference §2.2), whatever its contentType says.
        guard !message.attachments.isEmpty else { throw APIError.badRequest("The message has no card attachment to submit.") }
        let action = AttachmentAction(
            uuid: HydraID.newUUID(), seq: nextSeq(), type: type, messageUUID: message.uuid, roomUUID: message.roomUUID,
            personUUID: viewer.uuid, inputs: inputs, created: WebexDate.now())
        attachmentActions[action.uuid] = action
        emit(.created, .attachmentAction(action), actor: viewer)
        publishCardAction(action, actor: viewer)
        return .json(render(attachmentAction: action))
    }

    /// `GET /attachment/actions/{id}`: only people in the room see it.
    func getAttachmentAction(id: String, viewer: Person) throws(APIError) -> Reply {
        guard let uuid = HydraID.uuid(from: id, as: .attachmentAction), let action = attachmentActions[uuid],
            isMember(viewer.uuid, action.roomUUID)
        else { throw APIError.notFound() }
        return .json(render(attachmentAction: action))
    }
}
