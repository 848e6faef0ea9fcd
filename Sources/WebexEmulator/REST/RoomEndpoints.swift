import Foundation

/// `/v1/rooms` (reference §2.1).
extension EmulatorStore {
    /// `GET /rooms?type=&teamId=&sortBy=&max=`: rooms the caller is a member of, `lastactivity` newest first
    /// by default.
    func listRooms(_ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        let q = req.query
        var type: RoomType?
        if let t = q["type"] {
            guard let parsed = RoomType(rawValue: t) else {
                throw APIError.badRequest("Invalid value for type: '\(t)'. Use 'direct' or 'group'.")
            }
            type = parsed
        }
        // An id that names no team simply matches no room.
        let teamUUID = q["teamId"].map { HydraID.uuid(from: $0, as: .team) ?? "-" }
        let sortBy = q["sortBy"] ?? "lastactivity"
        guard ["id", "lastactivity", "created"].contains(sortBy) else {
            throw APIError.badRequest("Invalid value for sortBy: '\(sortBy)'. Use 'id', 'lastactivity' or 'created'.")
        }
        let size = try PageSize.parse(q, default: PageSize.otherDefault)
        let cursor = try PageCursor.from(q)

        let visible = rooms.values.filter { room in
            guard isMember(viewer.uuid, room.uuid) else { return false }
            if let type, room.type != type { return false }
            if let teamUUID, room.teamUUID != teamUUID { return false }
            return true
        }
        let order: PageOrder
        let key: (Room) -> PageCursor
        switch sortBy {
        case "id":
            order = PageOrder(descending: false)
            key = { PageCursor(primary: $0.id, seq: $0.seq) }
        case "created":
            order = PageOrder(descending: true)
            key = { PageCursor(primary: Paginator.sortable(WebexDate.milliseconds($0.created)), seq: $0.seq) }
        default:
            order = PageOrder(descending: true)
            key = { PageCursor(primary: Paginator.sortable(WebexDate.milliseconds($0.lastActivity)), seq: $0.seq) }
        }
        let page = Paginator.page(visible, key: key, order: order, after: cursor, size: size)
        return .list(ListReply(items: page.items.map { render(room: $0, for: viewer) }, next: page.next))
    }

    func createRoom(_ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        let body = try req.json()
        guard let title = try body.string("title"), !title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw APIError.badRequest("title is required and must not be empty.")
        }
        let isLocked = try body.bool("isLocked") ?? false
        let isAnnouncementOnly = try body.bool("isAnnouncementOnly") ?? false
        guard !isAnnouncementOnly || isLocked else {
            throw APIError.badRequest("An announcement-only room must be locked (isLocked: true).")
        }
        var teamUUID: String?
        if let teamId = try body.nonEmptyString("teamId") {
            teamUUID = try memberTeam(id: teamId, viewer: viewer).uuid
        }
        let room = newGroupRoom(
            title: title, teamUUID: teamUUID, isLocked: isLocked, isPublic: try body.bool("isPublic") ?? false,
            description: try body.string("description"), isAnnouncementOnly: isAnnouncementOnly, creator: viewer,
            creatorIsModerator: isLocked)
        return .json(render(room: room, for: viewer))
    }

    func getRoom(id: String, viewer: Person) throws(APIError) -> Reply {
        .json(render(room: try visibleRoom(id: id, viewer: viewer), for: viewer))
    }

    func updateRoom(id: String, _ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        var room = try visibleRoom(id: id, viewer: viewer)
        let before = room
        let body = try req.json()
        guard let title = try body.string("title"), !title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw APIError.badRequest("title is required and must not be empty.")
        }
        let moderator = membership(of: viewer.uuid, in: room.uuid)?.isModerator ?? false
        if room.isLocked && !moderator {
            throw APIError.forbidden("Only a moderator can update a locked room.")
        }
        // [U] The reference does not say what PUT does to a direct room; the emulator refuses it.
        guard room.type == .group else { throw APIError.badRequest("A direct room cannot be updated.") }
        room.title = title
        if let v = try body.string("description") { room.description = v }
        if let v = try body.bool("isPublic") { room.isPublic = v }
        if let v = try body.bool("isReadOnly") { room.isReadOnly = v }
        if let teamId = try body.nonEmptyString("teamId") {
            room.teamUUID = try memberTeam(id: teamId, viewer: viewer).uuid
        }
        var becomesModerator = false
        if let v = try body.bool("isLocked") {
            // Locking a room makes the person who locked it a moderator.
            becomesModerator = v && !room.isLocked
            room.isLocked = v
        }
        if let v = try body.bool("isAnnouncementOnly") { room.isAnnouncementOnly = v }
        guard !room.isAnnouncementOnly || room.isLocked else {
            throw APIError.badRequest("An announcement-only room must be locked (isLocked: true).")
        }
        rooms[room.uuid] = room
        emit(.updated, .room(room), actor: viewer)
        if room.title != before.title || room.description != before.description || room.isPublic != before.isPublic
            || room.isReadOnly != before.isReadOnly || room.teamUUID != before.teamUUID
            || room.isAnnouncementOnly != before.isAnnouncementOnly
        {
            publishRoomChanged(room, verb: "update", actor: viewer)
        }
        if room.isLocked != before.isLocked {
            publishRoomChanged(room, verb: room.isLocked ? "lock" : "unlock", actor: viewer)
        }
        if becomesModerator, var m = memberships[room.uuid]?[viewer.uuid], !m.isModerator {
            m.isModerator = true
            memberships[room.uuid]?[viewer.uuid] = m
            emit(.updated, .membership(m), actor: viewer)
            publishMembership(m, verb: "assignModerator", actor: viewer)
        }
        return .json(render(room: room, for: viewer))
    }

    /// Deletes the room for everyone. The reference says a non-moderator delete "removes you instead";
    /// the emulator keeps it simpler: unlocked rooms are deleted by any member, locked ones only by a
    /// moderator (403 otherwise).
    func deleteRoom(id: String, viewer: Person) throws(APIError) -> Reply {
        let room = try visibleRoom(id: id, viewer: viewer)
        let moderator = membership(of: viewer.uuid, in: room.uuid)?.isModerator ?? false
        if room.isLocked && !moderator {
            throw APIError.forbidden("Only a moderator can delete a locked room.")
        }
        // [U] Not documented; the General room goes away with its team (DELETE /teams/{id}).
        if isGeneralRoom(room) {
            throw APIError(.conflict, "The General room of a team cannot be deleted. Delete the team instead.")
        }
        deleteRoom(room.uuid)
        return .noContent
    }

    /// Creates a group room with its creator as the first member; fires `rooms:created` and
    /// `memberships:created`.
    @discardableResult
    func newGroupRoom(
        title: String, teamUUID: String?, isLocked: Bool = false, isPublic: Bool = false, description: String? = nil,
        isAnnouncementOnly: Bool = false, creator: Person, creatorIsModerator: Bool
    ) -> Room {
        let now = WebexDate.now()
        let room = Room(
            uuid: HydraID.newUUID(), seq: nextSeq(), title: title, type: .group, isLocked: isLocked, teamUUID: teamUUID,
            isPublic: isPublic, description: description, isAnnouncementOnly: isAnnouncementOnly, isReadOnly: false,
            creatorUUID: creator.uuid, created: now, lastActivity: now, directPair: [])
        rooms[room.uuid] = room
        let m = addMember(creator.uuid, to: room.uuid, moderator: creatorIsModerator, at: now)
        emit(.created, .room(room), actor: creator)
        emit(.created, .membership(m), actor: creator)
        publishRoomCreated(room, actor: creator)
        return room
    }

    /// The room's space meeting (see `MeetingDirectory`): stable per room, joinable through meeting info
    /// and Locus by its link, SIP address or number.
    func meetingInfo(id: String, viewer: Person) throws(APIError) -> Reply {
        let room = try visibleRoom(id: id, viewer: viewer)
        let meetingNumber = spaceNumber(room.uuid)
        return .json([
            "roomId": .string(room.id),
            "meetingLink": .string(spaceLink(room.uuid)),
            "sipAddress": .string("\(meetingNumber)@\(meetingSite)"),
            "meetingNumber": .string(meetingNumber),
            "meetingId": .string(Self.hexId(room.uuid)),
            "callInTollFreeNumber": "+1-866-555-0100",
            "callInTollNumber": "+1-408-555-0100",
        ])
    }
}
