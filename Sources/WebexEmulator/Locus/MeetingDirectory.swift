import Foundation

/// Every meeting a destination can name, and how the names resolve (reference §1.2):
///
/// | meeting | link (`meetingJoinUrl`) | SIP | number |
/// |---|---|---|---|
/// | scheduled | `https://{site}/{sitename}/j.php?MTID=m<32 hex>` (`webLink`) | `<number>@{site}` | random `25…` (11 digits) |
/// | personal room | `https://{site}/meet/<email local part>` | `<local part>@{site}`, or the person's email | `26…` from the person |
/// | space (room) | `https://{site}/m/<room uuid>` (and `conversationUrl`) | `<number>@{site}` | `23…` from the room |
///
/// `{sitename}` is the first label of the site (`emulator` for `emulator.webex.com`). A personal room's
/// name is the lower-cased local part of the email; when two people share one, the later gets its
/// person sequence number appended.
extension EmulatorStore {
    var siteName: String { meetingSite.split(separator: ".").first.map(String.init) ?? meetingSite }

    func webLink(_ m: ScheduledMeeting) -> String { "https://\(meetingSite)/\(siteName)/j.php?MTID=\(m.linkToken)" }

    func personalRoomName(_ p: Person) -> String {
        let local = String(p.email.split(separator: "@").first ?? "").lowercased()
        let earlier = people.values.contains { other in
            other.seq < p.seq && String(other.email.split(separator: "@").first ?? "").lowercased() == local
        }
        return earlier ? "\(local)\(p.seq)" : local
    }

    func personalRoomNumber(_ p: Person) -> String { MeetingNumbers.derived(prefix: "26", seed: "pmr:" + p.uuid) }

    func spaceNumber(_ roomUUID: String) -> String { MeetingNumbers.derived(prefix: "23", seed: "space:" + roomUUID) }

    func personalRoomLink(_ p: Person) -> String { "https://\(meetingSite)/meet/\(personalRoomName(p))" }

    func spaceLink(_ roomUUID: String) -> String { "https://\(meetingSite)/m/\(roomUUID)" }

    static func hexId(_ uuid: String) -> String { uuid.replacingOccurrences(of: "-", with: "").lowercased() }

    func descriptor(_ target: MeetingTarget) -> MeetingDescriptor? {
        switch target {
        case .scheduled(let id):
            guard let m = meetingsState.scheduled[id] else { return nil }
            var d = MeetingDescriptor(
                target: target, meetingNumber: m.meetingNumber, name: m.title, hostUUID: m.hostUUID,
                sipAddress: "\(m.meetingNumber)@\(meetingSite)", joinURL: webLink(m),
                password: m.password.isEmpty ? nil : m.password, hostKey: m.hostKey, meetingId: m.id, isPmr: false,
                roomUUID: nil)
            d.invitees = Set(m.invitees.map { $0.email.lowercased() })
            d.coHosts = Set(m.invitees.filter(\.coHost).map { $0.email.lowercased() })
            d.enabledAutoRecordMeeting = m.enabledAutoRecordMeeting
            return d
        case .personalRoom(let uuid):
            guard let p = people[uuid] else { return nil }
            let name = personalRoomName(p)
            return MeetingDescriptor(
                target: target, meetingNumber: personalRoomNumber(p), name: "\(p.displayName)'s Personal Room",
                hostUUID: p.uuid, sipAddress: "\(name)@\(meetingSite)", joinURL: personalRoomLink(p), password: nil,
                hostKey: meetingsState.personalRoomPins[p.uuid], meetingId: Self.hexId(p.uuid), isPmr: true, roomUUID: nil)
        case .space(let uuid):
            guard let room = rooms[uuid] else { return nil }
            return MeetingDescriptor(
                target: target, meetingNumber: spaceNumber(uuid), name: room.title, hostUUID: room.creatorUUID,
                sipAddress: "\(spaceNumber(uuid))@\(meetingSite)", joinURL: spaceLink(uuid), password: nil, hostKey: nil,
                meetingId: Self.hexId(uuid), isPmr: false, roomUUID: uuid)
        }
    }

    /// Host, invitee of a scheduled meeting, or member of the space.
    func isInsider(_ person: Person, _ d: MeetingDescriptor) -> Bool {
        if person.uuid == d.hostUUID { return true }
        if d.invitees.contains(person.email.lowercased()) { return true }
        if let room = d.roomUUID { return isMember(person.uuid, room) }
        return false
    }

    // MARK: Resolution

    /// A meeting link: a scheduled meeting's web link, a personal room link (`/meet/<name>` or
    /// `/join/<name>`), or a space link (`/m/<room uuid>`), on the meeting site.
    func resolveMeetingLink(_ text: String) -> MeetingTarget? {
        guard let url = URLComponents(string: text.trimmingCharacters(in: .whitespaces)),
            url.host?.lowercased() == meetingSite.lowercased()
        else { return nil }
        let parts = url.path.split(separator: "/").map(String.init)
        if parts.count == 2, parts[0] == "meet" || parts[0] == "join" {
            return resolvePersonalRoom(name: parts[1])
        }
        if parts.count == 2, parts[0] == "m", rooms[parts[1].lowercased()] != nil {
            return .space(parts[1].lowercased())
        }
        if parts.last == "j.php", let token = url.queryItems?.first(where: { $0.name.uppercased() == "MTID" })?.value {
            return meetingsState.scheduled.values.first { $0.linkToken == token }.map { .scheduled($0.id) }
        }
        return nil
    }

    func resolvePersonalRoom(name: String) -> MeetingTarget? {
        let lower = name.lowercased()
        return people.values.first { personalRoomName($0) == lower }.map { .personalRoom($0.uuid) }
    }

    /// `[sip:]<number|name>@{site}`, or a person's email (their personal room).
    func resolveSIP(_ text: String) -> MeetingTarget? {
        var s = text.trimmingCharacters(in: .whitespaces).lowercased()
        for prefix in ["sips:", "sip:"] where s.hasPrefix(prefix) { s.removeFirst(prefix.count) }
        let parts = s.split(separator: "@", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        if parts[1] == meetingSite.lowercased() {
            if let digits = MeetingNumbers.normalize(parts[0]) { return resolveNumber(digits) }
            return resolvePersonalRoom(name: parts[0])
        }
        return person(email: s).map { .personalRoom($0.uuid) }
    }

    func resolveNumber(_ digits: String) -> MeetingTarget? {
        if let m = meetingsState.scheduled.values.first(where: { $0.meetingNumber == digits }) { return .scheduled(m.id) }
        if let p = people.values.first(where: { personalRoomNumber($0) == digits }) { return .personalRoom(p.uuid) }
        if let room = rooms.values.first(where: { spaceNumber($0.uuid) == digits }) { return .space(room.uuid) }
        return nil
    }

    /// `…/conversations/<room uuid>`.
    func resolveConversationURL(_ text: String) -> MeetingTarget? {
        guard let range = text.range(of: "/conversations/") else { return nil }
        let uuid = text[range.upperBound...].split(separator: "/").first.map { String($0).lowercased() } ?? ""
        return rooms[uuid] != nil ? .space(uuid) : nil
    }

    /// The meeting-info `meetingId` (32 hex digits, dashes allowed) of any meeting.
    func resolveMeetingUUID(_ text: String) -> MeetingTarget? {
        let hex = Self.hexId(text.trimmingCharacters(in: .whitespaces))
        if meetingsState.scheduled[hex] != nil { return .scheduled(hex) }
        if let p = people.values.first(where: { Self.hexId($0.uuid) == hex }) { return .personalRoom(p.uuid) }
        if let room = rooms.values.first(where: { Self.hexId($0.uuid) == hex }) { return .space(room.uuid) }
        return nil
    }

    /// A Locus join's `invitee.address`: a link, `wbxmn:<number>`, a conversation URL, a SIP URI or a number.
    func resolveJoinAddress(_ address: String) -> MeetingTarget? {
        let a = address.trimmingCharacters(in: .whitespaces)
        if a.lowercased().hasPrefix("wbxmn:") { return MeetingNumbers.normalize(String(a.dropFirst(6))).flatMap(resolveNumber) }
        if a.contains("/conversations/") { return resolveConversationURL(a) }
        if a.lowercased().hasPrefix("http") { return resolveMeetingLink(a) }
        if a.contains("@") { return resolveSIP(a) }
        return MeetingNumbers.normalize(a).flatMap(resolveNumber)
    }
}
