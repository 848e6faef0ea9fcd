import Foundation

/// JSON shapes of the public objects, taken from the reference (§2.1 rooms, §2.2 messages, §2.3
/// memberships, §2.4 people, §2.5 teams, §2.6 webhooks, §2.7 attachment actions). Absent values are left
/// out rather than sent as null.
extension EmulatorStore {
    var orgId: String { HydraID.encode(.organization, org.uuid) }

    func render(person p: Person) -> JSONValue {
        var b = JSONObjectBuilder()
        b.set("id", p.id)
        b.set("emails", .array([.string(p.email)]))
        b.set("phoneNumbers", .array([]))
        b.set("displayName", p.displayName)
        b.set("nickName", p.nickName)
        b.set("firstName", p.firstName)
        b.set("lastName", p.lastName)
        b.set("orgId", orgId)
        b.set("created", WebexDate.format(p.created))
        b.set("lastModified", WebexDate.format(p.created))
        // Presence is not emulated: everyone is "active".
        b.set("status", "active")
        b.set("type", p.type.rawValue)
        if !p.roles.isEmpty { b.set("roles", .array(p.roles.map { .string($0) })) }
        return b.value
    }

    /// A direct room's title is the other person's display name, so it depends on who asks.
    func render(room r: Room, for viewer: Person) -> JSONValue {
        var title = r.title
        if r.type == .direct {
            let other = r.directPair.first { $0 != viewer.uuid } ?? r.directPair.first
            title = other.flatMap { people[$0]?.displayName } ?? r.title
        }
        var b = JSONObjectBuilder()
        b.set("id", r.id)
        b.set("title", title)
        b.set("type", r.type.rawValue)
        b.set("isLocked", r.isLocked)
        b.set("teamId", r.teamUUID.map { HydraID.encode(.team, $0) })
        b.set("lastActivity", WebexDate.format(r.lastActivity))
        b.set("creatorId", HydraID.encode(.people, r.creatorUUID))
        b.set("created", WebexDate.format(r.created))
        b.set("ownerId", orgId)
        b.set("isAnnouncementOnly", r.isAnnouncementOnly)
        b.set("isReadOnly", r.isReadOnly)
        b.set("isPublic", r.isPublic)
        b.set("description", r.description)
        return b.value
    }

    func render(membership m: Membership) -> JSONValue {
        let p = people[m.personUUID]
        var b = JSONObjectBuilder()
        b.set("id", m.id)
        b.set("roomId", HydraID.encode(.room, m.roomUUID))
        b.set("personId", HydraID.encode(.people, m.personUUID))
        b.set("personEmail", p?.email)
        b.set("personDisplayName", p?.displayName)
        b.set("personOrgId", orgId)
        b.set("isModerator", m.isModerator)
        b.set("isRoomHidden", m.isRoomHidden)
        b.set("roomType", rooms[m.roomUUID]?.type.rawValue)
        b.set("isMonitor", false)
        b.set("created", WebexDate.format(m.created))
        return b.value
    }

    /// `baseURL` is `http://<Host header>/v1`; file URLs are absolute, built from it.
    func render(message m: Message, baseURL: String) -> JSONValue {
        let author = people[m.personUUID]
        var b = JSONObjectBuilder()
        b.set("id", m.id)
        b.set("parentId", m.parentUUID.map { HydraID.encode(.message, $0) })
        b.set("roomId", HydraID.encode(.room, m.roomUUID))
        b.set("roomType", rooms[m.roomUUID]?.type.rawValue)
        b.set("toPersonId", m.toPersonUUID.map { HydraID.encode(.people, $0) })
        b.set("toPersonEmail", m.toPersonEmail)
        b.set("text", m.text)
        b.set("markdown", m.markdown)
        b.set("html", m.html)
        if !m.contentUUIDs.isEmpty {
            b.set("files", .array(m.contentUUIDs.map { .string("\(baseURL)/contents/\(HydraID.encode(.content, $0))") }))
        }
        b.set("personId", HydraID.encode(.people, m.personUUID))
        b.set("personEmail", author?.email)
        if !m.mentionedPeople.isEmpty {
            b.set("mentionedPeople", .array(m.mentionedPeople.map { .string(HydraID.encode(.people, $0)) }))
        }
        if !m.mentionedGroups.isEmpty { b.set("mentionedGroups", .array(m.mentionedGroups.map { .string($0) })) }
        if !m.attachments.isEmpty { b.set("attachments", .array(m.attachments)) }
        b.set("created", WebexDate.format(m.created))
        b.set("updated", m.updated.map { WebexDate.format($0) })
        return b.value
    }

    func render(team t: Team) -> JSONValue {
        var b = JSONObjectBuilder()
        b.set("id", t.id)
        b.set("name", t.name)
        b.set("description", t.description)
        b.set("creatorId", HydraID.encode(.people, t.creatorUUID))
        b.set("created", WebexDate.format(t.created))
        return b.value
    }

    func render(teamMembership m: TeamMembership) -> JSONValue {
        let p = people[m.personUUID]
        var b = JSONObjectBuilder()
        b.set("id", m.id)
        b.set("teamId", HydraID.encode(.team, m.teamUUID))
        b.set("personId", HydraID.encode(.people, m.personUUID))
        b.set("personEmail", p?.email)
        b.set("personDisplayName", p?.displayName)
        b.set("personOrgId", orgId)
        b.set("isModerator", m.isModerator)
        b.set("created", WebexDate.format(m.created))
        return b.value
    }

    func render(attachmentAction a: AttachmentAction) -> JSONValue {
        var b = JSONObjectBuilder()
        b.set("id", a.id)
        b.set("type", a.type)
        b.set("messageId", HydraID.encode(.message, a.messageUUID))
        b.set("inputs", a.inputs)
        b.set("personId", HydraID.encode(.people, a.personUUID))
        b.set("roomId", HydraID.encode(.room, a.roomUUID))
        b.set("created", WebexDate.format(a.created))
        return b.value
    }

    /// The secret is shown: only the owner ever sees a webhook.
    func render(webhook w: Webhook) -> JSONValue {
        var b = JSONObjectBuilder()
        b.set("id", w.id)
        b.set("name", w.name)
        b.set("targetUrl", w.targetUrl)
        b.set("resource", w.resource.rawValue)
        b.set("event", w.event.rawValue)
        b.set("filter", w.filter)
        b.set("secret", w.secret)
        b.set("status", w.status.rawValue)
        b.set("created", WebexDate.format(w.created))
        b.set("ownedBy", "creator")
        b.set("orgId", orgId)
        b.set("createdBy", HydraID.encode(.people, w.ownerUUID))
        b.set("appId", Self.appId)
        return b.value
    }
}
