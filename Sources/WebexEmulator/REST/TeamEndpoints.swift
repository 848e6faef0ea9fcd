import Foundation

/// `/v1/teams` and `/v1/team/memberships` (reference §2.5; note the singular "team").
///
/// Emulator rules (the reference is silent on most of them): creating a team makes the creator its
/// moderator and creates the team's "General" room (the team's name as title, `teamId` set) with the
/// creator in it as a moderator. Only team members see a team (404 otherwise). Team moderators rename
/// and delete the team and add, remove and promote members (403 otherwise); anyone may leave, except
/// the last moderator (409). A new team member joins the General room; a leaving one leaves it. Other
/// team rooms are ordinary rooms: only their members see them. Deleting a team deletes its rooms.
extension EmulatorStore {
    func teamMembership(of personUUID: String, in teamUUID: String) -> TeamMembership? {
        teamMemberships[teamUUID]?[personUUID]
    }

    /// A team the viewer belongs to, or 404.
    func memberTeam(id: String, viewer: Person) throws(APIError) -> Team {
        guard let uuid = HydraID.uuid(from: id, as: .team), let team = teams[uuid],
            teamMembership(of: viewer.uuid, in: uuid) != nil
        else { throw APIError.notFound("The team could not be found.") }
        return team
    }

    private func requireTeamModerator(_ team: Team, _ viewer: Person, _ action: String) throws(APIError) {
        guard teamMembership(of: viewer.uuid, in: team.uuid)?.isModerator == true else {
            throw APIError.forbidden("Only a team moderator can \(action).")
        }
    }

    // MARK: Teams

    /// `GET /teams?max=`: the caller's teams, oldest first.
    func listTeams(_ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        let size = try PageSize.parse(req.query, default: PageSize.otherDefault)
        let cursor = try PageCursor.from(req.query)
        let mine = teams.values.filter { teamMembership(of: viewer.uuid, in: $0.uuid) != nil }
        let page = Paginator.page(
            mine, key: { PageCursor(primary: "", seq: $0.seq) }, order: PageOrder(descending: false), after: cursor,
            size: size)
        return .list(ListReply(items: page.items.map { render(team: $0) }, next: page.next))
    }

    func createTeam(_ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        let body = try req.json()
        guard let name = try body.nonEmptyString("name") else { throw APIError.badRequest("name is required.") }
        let description = try body.string("description")
        let now = WebexDate.now()
        let uuid = HydraID.newUUID()
        teamMemberships[uuid] = [
            viewer.uuid: TeamMembership(personUUID: viewer.uuid, teamUUID: uuid, seq: nextSeq(), isModerator: true, created: now)
        ]
        // The team must exist before its General room, so `isGeneralRoom` and rendering see it.
        teams[uuid] = Team(
            uuid: uuid, seq: nextSeq(), name: name, description: description, creatorUUID: viewer.uuid, created: now,
            generalRoomUUID: "")
        let general = newGroupRoom(title: name, teamUUID: uuid, creator: viewer, creatorIsModerator: true)
        teams[uuid]?.generalRoomUUID = general.uuid
        return .json(render(team: teams[uuid]!))
    }

    func getTeam(id: String, viewer: Person) throws(APIError) -> Reply {
        .json(render(team: try memberTeam(id: id, viewer: viewer)))
    }

    /// `PUT /teams/{id} {name, description}`; renaming also renames the General room.
    func updateTeam(id: String, _ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        var team = try memberTeam(id: id, viewer: viewer)
        let body = try req.json()
        let name = try body.nonEmptyString("name")
        let description = try body.string("description")
        try requireTeamModerator(team, viewer, "update the team")
        if let description { team.description = description }
        if let name, name != team.name {
            team.name = name
            if var general = rooms[team.generalRoomUUID] {
                general.title = name
                rooms[general.uuid] = general
                emit(.updated, .room(general), actor: viewer)
                publishRoomChanged(general, verb: "update", actor: viewer)
            }
        }
        teams[team.uuid] = team
        return .json(render(team: team))
    }

    func deleteTeam(id: String, viewer: Person) throws(APIError) -> Reply {
        let team = try memberTeam(id: id, viewer: viewer)
        try requireTeamModerator(team, viewer, "delete the team")
        for room in rooms.values where room.teamUUID == team.uuid { deleteRoom(room.uuid) }
        teams[team.uuid] = nil
        teamMemberships[team.uuid] = nil
        return .noContent
    }

    // MARK: Team memberships

    /// `GET /team/memberships?teamId=&max=` (teamId required), oldest first.
    func listTeamMemberships(_ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        guard let teamId = req.query["teamId"] else { throw APIError.badRequest("teamId is required.") }
        let team = try memberTeam(id: teamId, viewer: viewer)
        let size = try PageSize.parse(req.query, default: PageSize.otherDefault)
        let cursor = try PageCursor.from(req.query)
        let page = Paginator.page(
            Array(teamMemberships[team.uuid, default: [:]].values), key: { PageCursor(primary: "", seq: $0.seq) },
            order: PageOrder(descending: false), after: cursor, size: size)
        return .list(ListReply(items: page.items.map { render(teamMembership: $0) }, next: page.next))
    }

    func createTeamMembership(_ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        let body = try req.json()
        guard let teamId = try body.nonEmptyString("teamId") else { throw APIError.badRequest("teamId is required.") }
        let personId = try body.nonEmptyString("personId")
        let personEmail = try body.nonEmptyString("personEmail")
        guard (personId == nil) != (personEmail == nil) else {
            throw APIError.badRequest("Exactly one of personId or personEmail is required.")
        }
        let isModerator = try body.bool("isModerator") ?? false
        let team = try memberTeam(id: teamId, viewer: viewer)
        try requireTeamModerator(team, viewer, "add people to the team")
        guard let who = personId.flatMap({ person(id: $0) }) ?? personEmail.flatMap({ person(email: $0) }) else {
            throw APIError.notFound("The person could not be found.")
        }
        guard teamMembership(of: who.uuid, in: team.uuid) == nil else {
            throw APIError(.conflict, "\(who.displayName) is already a member of this team.")
        }
        let m = TeamMembership(
            personUUID: who.uuid, teamUUID: team.uuid, seq: nextSeq(), isModerator: isModerator, created: WebexDate.now())
        teamMemberships[team.uuid, default: [:]][who.uuid] = m
        if rooms[team.generalRoomUUID] != nil, !isMember(who.uuid, team.generalRoomUUID) {
            let roomMembership = addMember(who.uuid, to: team.generalRoomUUID, moderator: isModerator)
            emit(.created, .membership(roomMembership), actor: viewer)
            publishMembership(roomMembership, verb: "add", actor: viewer)
        }
        return .json(render(teamMembership: m))
    }

    /// A team membership in a team the viewer belongs to, or 404.
    private func visibleTeamMembership(id: String, viewer: Person) throws(APIError) -> (TeamMembership, Team) {
        guard let uuid = HydraID.uuid(from: id, as: .teamMembership) else { throw APIError.notFound() }
        let parts = uuid.split(separator: ":").map(String.init)
        guard parts.count == 2, let team = teams[parts[1]], teamMembership(of: viewer.uuid, in: team.uuid) != nil,
            let m = teamMembership(of: parts[0], in: team.uuid)
        else { throw APIError.notFound() }
        return (m, team)
    }

    private func isLastTeamModerator(_ m: TeamMembership) -> Bool {
        m.isModerator && teamMemberships[m.teamUUID, default: [:]].values.filter(\.isModerator).count <= 1
    }

    func getTeamMembership(id: String, viewer: Person) throws(APIError) -> Reply {
        .json(render(teamMembership: try visibleTeamMembership(id: id, viewer: viewer).0))
    }

    /// `PUT /team/memberships/{id} {isModerator}`; the General room's moderator flag follows.
    func updateTeamMembership(id: String, _ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        var (m, team) = try visibleTeamMembership(id: id, viewer: viewer)
        let body = try req.json()
        guard let isModerator = try body.bool("isModerator") else { throw APIError.badRequest("isModerator is required.") }
        guard isModerator != m.isModerator else { return .json(render(teamMembership: m)) }
        try requireTeamModerator(team, viewer, "change team moderators")
        if !isModerator && isLastTeamModerator(m) {
            throw APIError(.conflict, "The last moderator of a team cannot be demoted. Make someone else a moderator first.")
        }
        m.isModerator = isModerator
        teamMemberships[team.uuid]?[m.personUUID] = m
        if var roomMembership = membership(of: m.personUUID, in: team.generalRoomUUID),
            roomMembership.isModerator != isModerator
        {
            roomMembership.isModerator = isModerator
            memberships[team.generalRoomUUID]?[m.personUUID] = roomMembership
            emit(.updated, .membership(roomMembership), actor: viewer)
            publishMembership(roomMembership, verb: isModerator ? "assignModerator" : "unassignModerator", actor: viewer)
        }
        return .json(render(teamMembership: m))
    }

    /// Leaving, or a moderator removing someone; the person also leaves the General room.
    func deleteTeamMembership(id: String, viewer: Person) throws(APIError) -> Reply {
        let (m, team) = try visibleTeamMembership(id: id, viewer: viewer)
        if m.personUUID != viewer.uuid { try requireTeamModerator(team, viewer, "remove people from the team") }
        if isLastTeamModerator(m) {
            throw APIError(
                .conflict, "The last moderator of a team cannot leave it or be removed. Make someone else a moderator first.")
        }
        teamMemberships[team.uuid]?[m.personUUID] = nil
        if let roomMembership = membership(of: m.personUUID, in: team.generalRoomUUID) {
            let audience = Set(memberships[team.generalRoomUUID, default: [:]].keys)
            memberships[team.generalRoomUUID]?[m.personUUID] = nil
            emit(.deleted, .membership(roomMembership), actor: viewer, audience: audience)
            publishMembership(roomMembership, verb: "leave", actor: viewer, audience: audience)
        }
        return .noContent
    }
}
