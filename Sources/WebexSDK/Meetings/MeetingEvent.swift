import Foundation

/// Something that happened in a meeting, named as the JS SDK names its events (`meeting:locked`,
/// `members:update`, `meeting:self:mutedByOthers` …; reference §4.3). `data` is the payload.
public struct MeetingEvent: Sendable, Equatable, Codable {
    public var name: String
    public var data: JSONValue

    public init(_ name: String, _ data: JSONValue = .object([:])) { self.name = name; self.data = data }
}

/// Turns two successive working copies into events (reference §4.3). Pure, so tests feed it DTOs.
enum LocusChanges {
    static func events(from old: LocusState, to new: LocusState, touched: [String]) -> [MeetingEvent] {
        var out: [MeetingEvent] = []
        func str(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }

        if old.meetingState != new.meetingState, let s = new.meetingState {
            out.append(MeetingEvent("meeting:stateChange", .object(["previousState": str(old.meetingState), "currentState": .string(s)])))
        }
        if old.url != nil, old.url != new.url, let u = new.url {
            out.append(MeetingEvent("meeting:locus:locusUrl:update", .object(["locusUrl": .string(u)])))
        }
        if let locked = new.isLocked, old.isLocked != locked, !old.isEmpty {
            out.append(MeetingEvent(locked ? "meeting:locked" : "meeting:unlocked"))
        }
        // Roster
        let oldMembers = Dictionary(old.members.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var added: [JSONValue] = [], updated: [JSONValue] = []
        for id in touched {
            guard let m = new.member(id: id), new.participants[id]?["hideInRoster"]?.boolValue != true else { continue }
            if let before = oldMembers[id] {
                if before != m { updated.append(m.json) }
            } else {
                added.append(m.json)
            }
        }
        if !added.isEmpty || !updated.isEmpty {
            out.append(MeetingEvent("members:update", .object(["added": .array(added), "updated": .array(updated)])))
        }
        if old.hostId != new.hostId, let h = new.hostId, !old.isEmpty {
            out.append(MeetingEvent("members:host:update", .object(["previousHostId": str(old.hostId), "hostId": .string(h)])))
        }
        // Self
        if !old.isEmpty {
            if !old.inLobby && new.inLobby { out.append(MeetingEvent("meeting:self:lobbyWaiting")) }
            if old.inLobby && new.selfState == "JOINED" && !new.inLobby { out.append(MeetingEvent("meeting:self:guestAdmitted")) }
        } else if new.inLobby {
            out.append(MeetingEvent("meeting:self:lobbyWaiting"))
        }
        let oa = old.selfObject?["controls"]?["audio"], na = new.selfObject?["controls"]?["audio"]
        let oldMuted = oa?["muted"]?.boolValue ?? false, newMuted = na?["muted"]?.boolValue ?? false
        let oldHard = oa?["disallowUnmute"]?.boolValue ?? false, newHard = na?["disallowUnmute"]?.boolValue ?? false
        if !old.isEmpty, oldMuted != newMuted || oldHard != newHard {
            out.append(MeetingEvent(newMuted ? "meeting:self:mutedByOthers" : "meeting:self:unmutedByOthers",
                                    .object(["unmuteAllowed": .bool(!newHard)])))
        } else if old.isEmpty, newMuted {
            out.append(MeetingEvent("meeting:self:mutedByOthers", .object(["unmuteAllowed": .bool(!newHard)])))
        }
        let ov = old.selfObject?["controls"]?["video"]?["muted"]?.boolValue ?? false
        let nv = new.selfObject?["controls"]?["video"]?["muted"]?.boolValue ?? false
        if !old.isEmpty, ov != nv {
            out.append(MeetingEvent(nv ? "meeting:self:videoMutedByOthers" : "meeting:self:videoUnmutedByOthers"))
        }
        if let t = na?["lastModifiedRequestedToUnmute"]?.stringValue, na?["requestedToUnmute"]?.boolValue == true,
           t != oa?["lastModifiedRequestedToUnmute"]?.stringValue {
            out.append(MeetingEvent("meeting:self:requestedToUnmute"))
        }
        if !old.isEmpty, old.selfState == "JOINED" || old.inLobby, old.roles != new.roles {
            out.append(MeetingEvent("meeting:self:rolesChanged", .object(["roles": .array(new.roles.sorted().map(JSONValue.string))])))
        }
        // Recording
        if !old.isEmpty, old.recording != new.recording {
            let name: String
            switch (old.recording, new.recording) {
            case (.paused, .recording): name = "meeting:recording:resumed"
            case (_, .recording): name = "meeting:recording:started"
            case (_, .paused): name = "meeting:recording:paused"
            default: name = "meeting:recording:stopped"
            }
            out.append(MeetingEvent(name))
        }
        // Meeting controls
        for (key, name) in [("muteOnEntry", "muteOnEntry"), ("disallowUnmute", "disallowUnmute"), ("shareControl", "shareControl"),
                            ("reactions", "reactions"), ("viewTheParticipantList", "viewTheParticipantList"),
                            ("raiseHand", "raiseHand"), ("video", "video")] {
            let a = old.objects["controls"]?[key], b = new.objects["controls"]?[key]
            if !old.isEmpty, a != b, let b {
                out.append(MeetingEvent("meeting:controls:\(name):updated", b))
            }
        }
        let ol = old.selfObject?["controls"]?["layouts"]?.arrayValue?.first?["type"]?.stringValue
        let nl = new.selfObject?["controls"]?["layouts"]?.arrayValue?.first?["type"]?.stringValue
        if !old.isEmpty, ol != nl, let nl { out.append(MeetingEvent("meeting:layout:update", .object(["layout": .string(nl)]))) }
        if old.objects["embeddedApps"] != new.objects["embeddedApps"], !old.isEmpty, let apps = new.objects["embeddedApps"] {
            out.append(MeetingEvent("meeting:embeddedApps:update", apps))
        }
        // Leaving and ending
        if old.selfState != "LEFT", new.selfState == "LEFT" {
            let reason = new.selfObject?["reason"]?.stringValue
            out.append(MeetingEvent("meeting:self:left", .object(["reason": str(reason)])))
        }
        if let reason = removalReason(new), removalReason(old) == nil {
            out.append(MeetingEvent("meeting:removed", .object(["reason": .string(reason)])))
        }
        return out
    }

    /// Why the meeting is over for this client, if it is (reference §4.3, last rows).
    static func removalReason(_ s: LocusState) -> String? {
        if s.isEmpty { return nil }
        if s.meetingState == "INACTIVE" || s.meetingState == "TERMINATING" { return "MEETING_INACTIVE_TERMINATING" }
        if s.objects["fullState"]?["removed"]?.boolValue == true { return "FULLSTATE_REMOVED" }
        if s.selfObject?["removed"]?.boolValue == true { return "SELF_REMOVED" }
        return nil
    }
}
