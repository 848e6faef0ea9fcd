import Foundation

/// `/v1/memberships` (reference §2.3).
///
/// Rules: only members see a room's memberships (404 otherwise); adding someone who is already a member
/// is a 409; in a locked room only moderators add or remove others or change moderator flags (403); the
/// last moderator of a locked room (or of a team's General room) cannot leave or be demoted (409);
/// anyone may remove themselves from an unlocked room.
extension EmulatorStore {
    /// `GET /memberships?roomId=&personId=&personEmail=&max=`; `personId`/`personEmail` need `roomId`.
    /// Without `roomId` the caller's own memberships are listed. Oldest first.
    func listMemberships(_ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        let q = req.query
        let personId = q["personId"]
        let personEmail = q["personEmail"]
        let size = try PageSize.parse(q, default: PageSize.otherDefault)
        let cursor = try PageCursor.from(q)
        var result: [Membership]
        if let roomId = q["roomId"] {
            let room = try visibleRoom(id: roomId, viewer: viewer)
            result = Array(memberships[room.uuid, default: [:]].values)
            if let personId {
                let uuid = HydraID.uuid(from: personId, as: .people)
                result = result.filter { $0.personUUID == uuid }
            }
            if let personEmail {
                let uuid = person(email: personEmail)?.uuid
                result = result.filter { $0.personUUID == uuid }
            }
        } else {
            guard personId == nil && personEmail == nil else {
                throw APIError.badRequest("personId or personEmail can only be used together with roomId.")
            }
            result = memberships.values.compactMap { $0[viewer.uuid] }
        }
        let page = Paginator.page(
            result, key: { PageCursor(primary: "", seq: $0.seq) }, order: PageOrder(descending: false), after: cursor,
            size: size)
        return .list(ListReply(items: page.items.map { render(membership: $0) }, next: page.next))
    }

    func createMembership(_ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        let body = try req.json()
        guard let roomId = try body.nonEmptyString("roomId") else { throw APIError.badRequest("roomId is required.") }
        let personId = try body.nonEmptyString("personId")
        let personEmail = try body.nonEmptyString("personEmail")
        guard (personId == nil) != (personEmail == nil) else {
            throw APIError.badRequest("Exactly one of personId or personEmail is required.")
        }
        let isModerator = try body.bool("isModerator") ?? false
        let room = try visibleRoom(id: roomId, viewer: viewer)
        guard room.type == .group else { throw APIError.badRequest("People cannot be added to a direct room.") }
        let callerIsModerator = membership(of: viewer.uuid, in: room.uuid)?.isModerator ?? false
        if room.isLocked && !callerIsModerator {
            throw APIError.forbidden("Only a moderator can add people to a locked room.")
        }
        guard let who = personId.flatMap({ person(id: $0) }) ?? personEmail.flatMap({ person(email: $0) }) else {
            throw APIError.notFound("The person could not be found.")
        }
        guard !isMember(who.uuid, room.uuid) else {
            throw APIError(.conflict, "\(who.displayName) is already a member of this room.")
        }
        let m = addMember(who.uuid, to: room.uuid, moderator: isModerator)
        emit(.created, .membership(m), actor: viewer)
        publishMembership(m, verb: "add", actor: viewer)
        return .json(render(membership: m))
    }

    /// Whether removing or demoting `m` would leave a room that needs a moderator without one.
    private func isLastRequiredModerator(_ m: Membership, in room: Room) -> Bool {
        guard m.isModerator, room.isLocked || isGeneralRoom(room) else { return false }
        return memberships[room.uuid, default: [:]].values.filter(\.isModerator).count <= 1
    }

    private func moderatedRoomPhrase(_ room: Room) -> String {
        room.isLocked ? "a locked room" : "a team's General room"
    }

    func isGeneralRoom(_ room: Room) -> Bool {
        room.teamUUID.flatMap { teams[$0] }?.generalRoomUUID == room.uuid
    }

    private func visibleMembership(id: String, viewer: Person) throws(APIError) -> (Membership, Room) {
        guard let uuid = HydraID.uuid(from: id, as: .membership) else { throw APIError.notFound() }
        let parts = uuid.split(separator: ":").map(String.init)
        guard parts.count == 2, let room = rooms[parts[1]], isMember(viewer.uuid, room.uuid),
            let m = membership(of: parts[0], in: parts[1])
        else { throw APIError.notFound() }
        return (m, room)
    }

    func getMembership(id: String, viewer: Person) throws(APIError) -> Reply {
        .json(render(membership: try visibleMembership(id: id, viewer: viewer).0))
    }

    func updateMembership(id: String, _ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        var (m, room) = try visibleMembership(id: id, viewer: viewer)
        let body = try req.json()
        let callerIsModerator = membership(of: viewer.uuid, in: room.uuid)?.isModerator ?? false
        if let v = try body.bool("isModerator"), v != m.isModerator {
            guard room.type == .group else { throw APIError.badRequest("A direct room has no moderators.") }
            if room.isLocked && !callerIsModerator {
                throw APIError.forbidden("Only a moderator can change moderators of a locked room.")
            }
            if !v && isLastRequiredModerator(m, in: room) {
                throw APIError(
                    .conflict,
                    "The last moderator of \(moderatedRoomPhrase(room)) cannot be demoted. Make someone else a moderator first.")
            }
            m.isModerator = v
        }
        if let v = try body.bool("isRoomHidden"), v != m.isRoomHidden {
            guard m.personUUID == viewer.uuid else { throw APIError.forbidden("Only the member can hide a room.") }
            m.isRoomHidden = v
        }
        let before = memberships[room.uuid]?[m.personUUID]
        memberships[room.uuid]?[m.personUUID] = m
        if before?.isModerator != m.isModerator || before?.isRoomHidden != m.isRoomHidden {
            emit(.updated, .membership(m), actor: viewer)
        }
        if let before, before.isModerator != m.isModerator {
            publishMembership(m, verb: m.isModerator ? "assignModerator" : "unassignModerator", actor: viewer)
        }
        if before?.isRoomHidden == false, m.isRoomHidden {
            publishHidden(m, actor: viewer)
        }
        return .json(render(membership: m))
    }

    func deleteMembership(id: String, viewer: Person) throws(APIError) -> Reply {
        let (m, room) = try visibleMembership(id: id, viewer: viewer)
        guard room.type == .group else { throw APIError.badRequest("Nobody can leave a direct room.") }
        let callerIsModerator = membership(of: viewer.uuid, in: room.uuid)?.isModerator ?? false
        if room.isLocked && !callerIsModerator && m.personUUID != viewer.uuid {
            throw APIError.forbidden("Only a moderator can remove people from a locked room.")
        }
        if isLastRequiredModerator(m, in: room) {
            throw APIError(
                .conflict,
                "The last moderator of \(moderatedRoomPhrase(room)) cannot leave it or be removed. Make someone else a moderator first.")
        }
        let audience = Set(memberships[room.uuid, default: [:]].keys)
        memberships[room.uuid]?[m.personUUID] = nil
        emit(.deleted, .membership(m), actor: viewer, audience: audience)
        publishMembership(m, verb: "leave", actor: viewer, audience: audience)
        return .noContent
    }
}
