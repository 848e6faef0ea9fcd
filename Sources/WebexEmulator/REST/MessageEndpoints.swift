import Foundation

/// Attachment size limit for `/v1/messages` (reference §3.3).
enum FileLimits {
    static let maxFileBytes = 100 * 1024 * 1024
}

/// The fields of a `POST /v1/messages`, from JSON or from `multipart/form-data`.
struct MessageInput: Sendable {
    var roomId: String?
    var toPersonId: String?
    var toPersonEmail: String?
    var text: String?
    var markdown: String?
    var parentId: String?
    /// A public URL the emulator downloads (JSON `files: [URL]`, or a `files` text part).
    var fileURL: String?
    /// A file uploaded in a multipart `files` part.
    var upload: NewFile?
    var attachments: [JSONValue] = []

    static func fromJSON(_ body: JSONBody) throws(APIError) -> MessageInput {
        var input = MessageInput()
        input.roomId = try body.nonEmptyString("roomId")
        input.toPersonId = try body.nonEmptyString("toPersonId")
        input.toPersonEmail = try body.nonEmptyString("toPersonEmail")
        input.text = try body.string("text")
        input.markdown = try body.string("markdown")
        input.parentId = try body.nonEmptyString("parentId")
        if let files = body.members["files"], !files.isNull {
            // An array of at most one URL; a bare string is tolerated.
            let urls: [JSONValue] = files.arrayValue ?? [files]
            guard urls.count <= 1 else { throw APIError.badRequest("Only one file can be sent per message.") }
            if let first = urls.first {
                guard let url = first.stringValue, !url.isEmpty else { throw APIError.badRequest("files must contain a URL string.") }
                input.fileURL = url
            }
        }
        if let attachments = try body.array("attachments") {
            guard attachments.count <= 1 else { throw APIError.badRequest("Only one attachment (card) can be sent per message.") }
            for a in attachments {
                guard case .object(let o) = a else { throw APIError.badRequest("Each attachment must be an object.") }
                guard let ct = o["contentType"]?.stringValue, !ct.isEmpty else {
                    throw APIError.badRequest("An attachment needs a contentType.")
                }
                guard let content = o["content"], content.objectValue != nil else {
                    throw APIError.badRequest("An attachment needs a content object.")
                }
                _ = content
            }
            input.attachments = attachments
        }
        try input.validate()
        return input
    }

    static func fromMultipart(_ body: [UInt8], contentType: String) throws(APIError) -> MessageInput {
        let parts: [MultipartPart]
        do {
            parts = try Multipart.parse(body, contentType: contentType)
        } catch {
            throw APIError.badRequest("Invalid multipart/form-data body: \(error.description).")
        }
        var input = MessageInput()
        for part in parts {
            guard let name = part.name else { continue }
            if name == "files" || name == "file" {
                if part.filename != nil {
                    guard input.upload == nil, input.fileURL == nil else {
                        throw APIError.badRequest("Only one file can be sent per message.")
                    }
                    guard part.body.count <= FileLimits.maxFileBytes else {
                        throw APIError(.contentTooLarge, "The file is larger than 100 MB.")
                    }
                    input.upload = NewFile(
                        filename: sanitizedFilename(part.filename ?? "file"),
                        contentType: part.contentType ?? "application/octet-stream", data: part.body)
                } else if let url = part.bodyText?.trimmingCharacters(in: .whitespacesAndNewlines), !url.isEmpty {
                    guard input.upload == nil, input.fileURL == nil else {
                        throw APIError.badRequest("Only one file can be sent per message.")
                    }
                    input.fileURL = url
                }
                continue
            }
            guard let value = part.bodyText else { throw APIError.badRequest("The \(name) part is not UTF-8 text.") }
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            switch name {
            case "roomId": input.roomId = trimmed.isEmpty ? nil : trimmed
            case "toPersonId": input.toPersonId = trimmed.isEmpty ? nil : trimmed
            case "toPersonEmail": input.toPersonEmail = trimmed.isEmpty ? nil : trimmed
            case "parentId": input.parentId = trimmed.isEmpty ? nil : trimmed
            case "text": input.text = value
            case "markdown": input.markdown = value
            default: break  // unknown fields are ignored
            }
        }
        try input.validate()
        return input
    }

    mutating func validate() throws(APIError) {
        if text?.isEmpty == true { text = nil }
        if markdown?.isEmpty == true { markdown = nil }
        let targets = [roomId, toPersonId, toPersonEmail].compactMap { $0 }.count
        guard targets == 1 else {
            throw APIError.badRequest("Exactly one of roomId, toPersonId or toPersonEmail is required.")
        }
        guard text != nil || markdown != nil || fileURL != nil || upload != nil || !attachments.isEmpty else {
            throw APIError.badRequest("A message needs text, markdown, files or attachments.")
        }
        if let text, text.utf8.count > MessageText.maxBytes {
            throw APIError.badRequest("text is longer than the maximum of \(MessageText.maxBytes) bytes.")
        }
        if let markdown, markdown.utf8.count > MessageText.maxBytes {
            throw APIError.badRequest("markdown is longer than the maximum of \(MessageText.maxBytes) bytes.")
        }
    }

    static func sanitizedFilename(_ name: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let cleaned = last.filter { !$0.isNewline && $0 != "\0" }
        return cleaned.isEmpty ? "file" : cleaned
    }
}

/// `/v1/messages` (reference §2.2) and message-related rules.
extension EmulatorStore {
    private struct Target {
        var room: Room?
        /// Set when sending to a person.
        var recipient: Person?
        var parent: Message?
    }

    private func resolveTarget(_ input: MessageInput, viewer: Person) throws(APIError) -> Target {
        var target = Target()
        if let roomId = input.roomId {
            let room = try visibleRoom(id: roomId, viewer: viewer)
            if room.isAnnouncementOnly && !(membership(of: viewer.uuid, in: room.uuid)?.isModerator ?? false) {
                throw APIError.forbidden("Only moderators can post in an announcement-only room.")
            }
            target.room = room
        } else {
            let recipient: Person?
            if let id = input.toPersonId { recipient = person(id: id) } else { recipient = input.toPersonEmail.flatMap { person(email: $0) } }
            guard let recipient else { throw APIError.notFound("The recipient could not be found.") }
            // [U] Not documented; a direct room needs two different people.
            guard recipient.uuid != viewer.uuid else { throw APIError.badRequest("You cannot send a direct message to yourself.") }
            target.recipient = recipient
            target.room = directRoom(between: viewer.uuid, and: recipient.uuid)
        }
        if let parentId = input.parentId {
            guard let uuid = HydraID.uuid(from: parentId, as: .message), let parent = messages[uuid],
                let room = target.room, parent.roomUUID == room.uuid
            else { throw APIError.badRequest("parentId must be the id of a message in the same room.") }
            guard parent.parentUUID == nil else {
                throw APIError.badRequest("parentId must not be a reply: threads are one level deep.")
            }
            target.parent = parent
        }
        return target
    }

    /// Checks a new message before any file is downloaded (the same checks run again on create).
    func checkNewMessage(_ input: MessageInput, viewer: Person) throws(APIError) {
        _ = try resolveTarget(input, viewer: viewer)
    }

    func resolveMention(_ target: MessageText.MentionTarget) -> Person? {
        switch target {
        case .email(let e): return person(email: e)
        case .id(let id): return person(id: id)
        case .all: return nil
        }
    }

    /// text / markdown / html / mentions for a body. A markdown-only message gets a plain `text` too.
    /// `html` is derived from markdown only; a text-only message has no `html` (what the real service
    /// appears to do; the reference only calls `html` read-only [U]).
    private func composeBody(text: String?, markdown: String?) -> (
        text: String?, markdown: String?, html: String?, people: [String], groups: [String]
    ) {
        guard let markdown else { return (text, nil, nil, [], []) }
        let resolve: (MessageText.MentionTarget) -> (id: String, name: String)? = { [self] t in
            resolveMention(t).map { ($0.id, $0.displayName) }
        }
        var mentioned: [String] = []
        var groups: [String] = []
        for mention in MessageText.mentions(in: markdown) {
            if mention.target == .all {
                if !groups.contains("all") { groups.append("all") }
            } else if let p = resolveMention(mention.target), !mentioned.contains(p.uuid) {
                mentioned.append(p.uuid)
            }
        }
        let html = MessageText.html(fromMarkdown: markdown, resolve: resolve)
        let plain = text ?? MessageText.plainText(fromMarkdown: markdown, resolve: resolve)
        return (plain, markdown, html, mentioned, groups)
    }

    func createMessage(_ input: MessageInput, file: NewFile?, viewer: Person, baseURL: String) throws(APIError) -> Reply {
        let target = try resolveTarget(input, viewer: viewer)
        let now = WebexDate.now()
        var room: Room
        if let existing = target.room {
            room = existing
        } else {
            // First direct message between these two people: the direct room comes into being.
            guard let recipient = target.recipient else { throw APIError.notFound() }
            room = Room(
                uuid: HydraID.newUUID(), seq: nextSeq(), title: "", type: .direct, isLocked: false, teamUUID: nil,
                isPublic: false, description: nil, isAnnouncementOnly: false, isReadOnly: false,
                creatorUUID: viewer.uuid, created: now, lastActivity: now, directPair: [viewer.uuid, recipient.uuid])
            rooms[room.uuid] = room
            let mine = addMember(viewer.uuid, to: room.uuid, moderator: false, at: now)
            let theirs = addMember(recipient.uuid, to: room.uuid, moderator: false, at: now)
            emit(.created, .room(room), actor: viewer)
            emit(.created, .membership(mine), actor: viewer)
            emit(.created, .membership(theirs), actor: viewer)
            publishRoomCreated(room, actor: viewer)
        }
        let body = composeBody(text: input.text, markdown: input.markdown)
        let uuid = HydraID.newUUID()
        var contentUUIDs: [String] = []
        if let file {
            let contentUUID = "\(uuid)/0"
            contents[contentUUID] = Content(
                uuid: contentUUID, messageUUID: uuid, roomUUID: room.uuid, filename: file.filename,
                contentType: file.contentType, data: file.data, scanState: .clean, pendingRemaining: 0)
            contentUUIDs.append(contentUUID)
        }
        // [U] toPersonId/toPersonEmail are echoed only on messages that were addressed to a person.
        let message = Message(
            uuid: uuid, seq: nextSeq(), roomUUID: room.uuid, personUUID: viewer.uuid, parentUUID: target.parent?.uuid,
            text: body.text, markdown: body.markdown, html: body.html, contentUUIDs: contentUUIDs,
            attachments: input.attachments, mentionedPeople: body.people, mentionedGroups: body.groups,
            toPersonUUID: target.recipient?.uuid, toPersonEmail: target.recipient?.email, created: now, updated: nil,
            editCount: 0)
        messages[uuid] = message
        room.lastActivity = now
        rooms[room.uuid] = room
        memberships[room.uuid]?[viewer.uuid]?.isRoomHidden = false
        if let r = target.recipient { memberships[room.uuid]?[r.uuid]?.isRoomHidden = false }
        // The author has seen their own message (read status, reference §2.9).
        markSeen(message, by: viewer.uuid)
        emit(.created, .message(message, baseURL: baseURL), actor: viewer)
        publishMessageCreated(message, actor: viewer)
        return .json(render(message: message, baseURL: baseURL))
    }

    func getMessage(id: String, viewer: Person, baseURL: String) throws(APIError) -> Reply {
        .json(render(message: try visibleMessage(id: id, viewer: viewer), baseURL: baseURL))
    }

    /// `GET /messages?roomId=&parentId=&mentionedPeople=&before=&beforeMessage=&max=`, newest first.
    func listMessages(_ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        let q = req.query
        guard let roomId = q["roomId"] else { throw APIError.badRequest("roomId is required.") }
        let room = try visibleRoom(id: roomId, viewer: viewer)
        let mentioned = q.list("mentionedPeople")
        for m in mentioned where m != "me" && HydraID.uuid(from: m, as: .people) != viewer.uuid {
            throw APIError.badRequest("mentionedPeople only accepts 'me' or your own person id.")
        }
        let mentionsMe = !mentioned.isEmpty
        if viewer.type == .bot && room.type == .group && !mentionsMe {
            throw APIError.forbidden(
                "Bots can only list messages in group rooms that mention them: add mentionedPeople=me to the request.")
        }
        let size = try PageSize.parse(
            q, default: PageSize.messagesDefault, limit: mentionsMe ? PageSize.messagesMentionedLimit : PageSize.limit)
        let cursor = try PageCursor.from(q)
        var parentUUID: String?
        if let parentId = q["parentId"] {
            guard let uuid = HydraID.uuid(from: parentId, as: .message) else {
                throw APIError.badRequest("parentId is not a valid message id.")
            }
            parentUUID = uuid
        }
        var before: Date?
        if let b = q["before"] {
            guard let d = WebexDate.parse(b) else {
                throw APIError.badRequest("before must be an ISO-8601 date such as 2024-01-31T12:00:00.000Z.")
            }
            before = d
        }
        var beforeSeq: Int?
        if let bm = q["beforeMessage"] {
            guard let uuid = HydraID.uuid(from: bm, as: .message), let m = messages[uuid], m.roomUUID == room.uuid else {
                throw APIError.badRequest("beforeMessage must be the id of a message in this room.")
            }
            beforeSeq = m.seq
        }
        let selected = messages.values.filter { m in
            guard m.roomUUID == room.uuid else { return false }
            if let parentUUID, m.parentUUID != parentUUID { return false }
            if mentionsMe && !m.mentionedPeople.contains(viewer.uuid) { return false }
            if let before, m.created >= before { return false }
            if let beforeSeq, m.seq >= beforeSeq { return false }
            return true
        }
        return messagePage(selected, cursor: cursor, size: size, baseURL: req.baseURL)
    }

    /// `GET /messages/direct?personId=|personEmail=&parentId=`: the 1:1 conversation with that person.
    func listDirectMessages(_ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        let q = req.query
        let other: Person?
        if let id = q["personId"] {
            other = person(id: id)
        } else if let email = q["personEmail"] {
            other = person(email: email)
        } else {
            throw APIError.badRequest("personId or personEmail is required.")
        }
        guard let other else { throw APIError.notFound("The person could not be found.") }
        let size = try PageSize.parse(q, default: PageSize.messagesDefault)
        let cursor = try PageCursor.from(q)
        var parentUUID: String?
        if let parentId = q["parentId"] {
            guard let uuid = HydraID.uuid(from: parentId, as: .message) else {
                throw APIError.badRequest("parentId is not a valid message id.")
            }
            parentUUID = uuid
        }
        guard let room = directRoom(between: viewer.uuid, and: other.uuid) else {
            return .list(ListReply(items: [], next: nil))
        }
        let selected = messages.values.filter { m in
            m.roomUUID == room.uuid && (parentUUID == nil || m.parentUUID == parentUUID)
        }
        return messagePage(selected, cursor: cursor, size: size, baseURL: req.baseURL)
    }

    /// Newest first; the cursor is the creation sequence of the last message on the page, so messages
    /// posted while paging never shift later pages.
    private func messagePage(_ selected: [Message], cursor: PageCursor?, size: Int, baseURL: String) -> Reply {
        let page = Paginator.page(
            selected, key: { PageCursor(primary: "", seq: $0.seq) }, order: PageOrder(descending: true), after: cursor,
            size: size)
        return .list(ListReply(items: page.items.map { render(message: $0, baseURL: baseURL) }, next: page.next))
    }

    /// `PUT /messages/{id}` with `roomId` (required), `text` and/or `markdown`.
    func editMessage(id: String, _ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        let body = try req.json()
        guard let roomId = try body.nonEmptyString("roomId") else { throw APIError.badRequest("roomId is required.") }
        var message = try visibleMessage(id: id, viewer: viewer)
        guard HydraID.uuid(from: roomId, as: .room) == message.roomUUID else {
            throw APIError.badRequest("roomId does not match the room of the message.")
        }
        guard message.personUUID == viewer.uuid else { throw APIError.forbidden("Only the author can edit a message.") }
        guard message.contentUUIDs.isEmpty && message.attachments.isEmpty else {
            throw APIError.badRequest("A message with files or attachments cannot be edited.")
        }
        guard message.editCount < 10 else { throw APIError.badRequest("A message can be edited at most 10 times.") }
        var text = try body.string("text")
        var markdown = try body.string("markdown")
        if text?.isEmpty == true { text = nil }
        if markdown?.isEmpty == true { markdown = nil }
        guard text != nil || markdown != nil else { throw APIError.badRequest("text or markdown is required.") }
        if let text, text.utf8.count > MessageText.maxBytes {
            throw APIError.badRequest("text is longer than the maximum of \(MessageText.maxBytes) bytes.")
        }
        if let markdown, markdown.utf8.count > MessageText.maxBytes {
            throw APIError.badRequest("markdown is longer than the maximum of \(MessageText.maxBytes) bytes.")
        }
        let composed = composeBody(text: text, markdown: markdown)
        message.text = composed.text
        message.markdown = composed.markdown
        message.html = composed.html
        message.mentionedPeople = composed.people
        message.mentionedGroups = composed.groups
        message.updated = WebexDate.now()
        message.editCount += 1
        messages[message.uuid] = message
        return .json(render(message: message, baseURL: req.baseURL))
    }

    func deleteMessage(id: String, viewer: Person, baseURL: String) throws(APIError) -> Reply {
        let message = try visibleMessage(id: id, viewer: viewer)
        let moderator = membership(of: viewer.uuid, in: message.roomUUID)?.isModerator ?? false
        guard message.personUUID == viewer.uuid || moderator else {
            throw APIError.forbidden("Only the author or a room moderator can delete a message.")
        }
        emit(.deleted, .message(message, baseURL: baseURL), actor: viewer)
        publishMessageDeleted(message, actor: viewer)
        messages[message.uuid] = nil
        for c in message.contentUUIDs { contents[c] = nil }
        return .noContent
    }
}
