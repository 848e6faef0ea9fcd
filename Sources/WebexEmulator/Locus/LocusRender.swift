import Foundation

/// The Locus DTO (reference §3.4), full or as a delta (§3.5), for one viewer. URLs point at the host the
/// viewer used.
///
/// ```
/// {"url":"<origin>/locus/api/v1/loci/<locus uuid>","created":"<ISO>",          // created: full DTO only
///  "syncUrl":"<url>/sync?since=<seq>&sequenceHash=<hash>",
///  "sequence":{"entries":[<seq>],"rangeStart":0,"rangeEnd":0,"since":"<seq>","sequenceHash":<hash>,
///              "dataCenter":"emulator","totalParticipants":N,"dirtyParticipants":<participants in this DTO (delta)>},
///  "baseSequence":{"entries":[<base>],"rangeStart":0,"rangeEnd":0},            // deltas only
///  "fullState":{"active":true,"count":<joined>,"locked":false,"state":"ACTIVE"|"INACTIVE","type":"MEETING",
///               "lastActive":"<ISO>","sessionId":"<uuid>"},
///  "info":{"sipUri","webExMeetingId":"<number>","webExMeetingName","webExSite","owner":"<person uuid>",
///          "isPmr","isUnifiedSpaceMeeting","conversationUrl"?,"topic",
///          "displayHints":{"joined":[…],"moderator":[…],"coHost":[…]}},
///  "host":{"id":"<person uuid>","name","orgId":"<org uuid>","isExternal":false,"incomingCallProtocols":[]},
///  "controls":{"lock":{"locked"},"record":{"recording","paused","meta":{"lastModified","modifiedBy"}},
///              "transcribe":{"transcribing":false,"caption":false},"meetingFull":{"meetingFull":false},
///              "muteOnEntry":{"enabled"},"disallowUnmute":{"enabled"},"shareControl":{"control":"ANYONE"},
///              "reactions":{"enabled","showDisplayNameWithReactions","reactionChannelUrl"},
///              "viewTheParticipantList":{"enabled":true},"raiseHand":{"enabled":true},"video":{"enabled":true}},
///  "participants":[participant…],
///  "self":{participant + "enableDTMF":true,"mediaBaseUrl":"<selfUrl>/media", devices with
///          "keepAliveUrl"/"keepAliveSecs" (in the lobby), "mediaSessions", "serverTranscoded":true;
///          "controls.audio.lastModifiedRequestedToUnmute", "controls.layouts" once set},
///  "mediaShares":[{"name":"content","url":…,"floor":{"disposition":"RELEASED"}},{"name":"whiteboard",…}],
///  "embeddedApps":[],
///  "links":{"services":{"record":{"url":"<origin>/locus/api/v1/record"}}}}
/// participant:
/// {"id","url":"<locus url>/participant/<id>","state","type":"USER"|"PSTN","identity":"<person uuid>",
///  "person":{"id","name","orgId","email"?,"phoneNumber"?,"isExternal":false},"guest","moderator","isCreator",
///  "hideInRoster":false,"removed"?,"reason"?,
///  "devices":[{"url","deviceType","state","correlationId","intent"?:{"type":"WAIT","reason":"ON_HOLD_LOBBY"},"csis":[]}],
///  "status":{"audioStatus","videoStatus","videoSlidesStatus","csis":[]},     // SENDRECV | RECVONLY | INACTIVE
///  "controls":{"audio":{"muted","requestedToUnmute","disallowUnmute","meta":{…}},"video":{"muted"},
///              "hand":{"raised"},"localRecord":{"recording":false},
///              "role":{"roles":[{"type":"MODERATOR"|"COHOST"|"ATTENDEE","hasRole":true}]}}}
/// ```
/// A delta carries `url`, `syncUrl`, `sequence`, `baseSequence`, and only what changed after the base:
/// changed top-level objects (whole), changed participants, and `self` when the viewer's participant changed.
extension EmulatorStore {
    static let keepAliveSecs = 20

    func locusBase(_ host: String) -> String { "http://\(host)/locus/api/v1" }

    func locusURL(_ l: Locus, host: String) -> String { "\(locusBase(host))/loci/\(l.id)" }

    func participantURL(_ l: Locus, _ pid: String, host: String) -> String { "\(locusURL(l, host: host))/participant/\(pid)" }

    func sequenceHash(_ l: Locus, _ seq: Int64) -> Int {
        Int(MeetingNumbers.hash("\(l.id):\(seq)") & 0x7fff_ffff)
    }

    func syncURL(_ l: Locus, host: String) -> String {
        "\(locusURL(l, host: host))/sync?since=\(l.sequence)&sequenceHash=\(sequenceHash(l, l.sequence))"
    }

    /// The full DTO (`since` nil) or the delta after `since`, as `viewer` sees it.
    func renderLocus(_ l: Locus, viewer: String?, host: String, since base: Int64? = nil) -> JSONValue {
        func include(_ part: LocusPart) -> Bool {
            guard let base else { return true }
            return (l.changed[part] ?? 0) > base
        }
        let changedParticipants = l.participants.filter { p in base.map { p.changed > $0 } ?? true }
        var o: [String: JSONValue] = [:]
        o["url"] = .string(locusURL(l, host: host))
        o["syncUrl"] = .string(syncURL(l, host: host))
        o["sequence"] = [
            "entries": [.int(Int(l.sequence))], "rangeStart": 0, "rangeEnd": 0, "since": .string(String(l.sequence)),
            "sequenceHash": .int(sequenceHash(l, l.sequence)), "dataCenter": "emulator",
            "totalParticipants": .int(l.participants.count),
            "dirtyParticipants": .int(base == nil ? 0 : changedParticipants.count),
        ]
        if let base {
            o["baseSequence"] = ["entries": [.int(Int(base))], "rangeStart": 0, "rangeEnd": 0]
        } else {
            o["created"] = .string(WebexDate.format(l.created))
        }
        if include(.fullState) { o["fullState"] = renderFullState(l) }
        if include(.info) { o["info"] = renderInfo(l) }
        if include(.host) { o["host"] = renderHost(l) }
        if include(.controls) { o["controls"] = renderControls(l, host: host) }
        if include(.mediaShares) { o["mediaShares"] = renderMediaShares(l, host: host) }
        if include(.embeddedApps) { o["embeddedApps"] = [] }
        if include(.links) {
            o["links"] = ["services": ["record": ["url": .string("\(locusBase(host))/record")]]]
        }
        if base == nil || !changedParticipants.isEmpty {
            o["participants"] = .array(changedParticipants.map { renderParticipant(l, $0, host: host) })
        }
        if let viewer, let me = l.participant(person: viewer), base.map({ me.changed > $0 }) ?? true {
            o["self"] = renderSelf(l, me, host: host)
        }
        return .object(o)
    }

    func renderFullState(_ l: Locus) -> JSONValue {
        [
            "active": .bool(l.active), "count": .int(l.participants.filter { $0.state == "JOINED" }.count),
            "locked": .bool(l.locked), "state": l.active ? "ACTIVE" : "INACTIVE", "type": "MEETING",
            "lastActive": .string(WebexDate.format(l.lastActive)), "sessionId": .string(l.sessionId),
        ]
    }

    func renderInfo(_ l: Locus) -> JSONValue {
        let d = l.meeting
        var b = JSONObjectBuilder()
        b.set("sipUri", d.sipAddress)
        b.set("webExMeetingId", d.meetingNumber)
        b.set("webExMeetingName", d.name)
        b.set("topic", d.name)
        b.set("webExSite", meetingSite)
        b.set("owner", d.hostUUID)
        b.set("isPmr", d.isPmr)
        b.set("isUnifiedSpaceMeeting", d.roomUUID != nil)
        b.set("displayHints", displayHints(l))
        return b.value
    }

    /// Display hints (names from JSSDK `DISPLAY_HINTS`): the same lists for every viewer; clients combine
    /// `joined` with `moderator`/`coHost` by their roles.
    func displayHints(_ l: Locus) -> JSONValue {
        var joined = ["ROSTER_IN_MEETING", "VOIP_IS_ENABLED", "RAISE_HAND"]
        joined.append(l.locked ? "LOCK_STATUS_LOCKED" : "LOCK_STATUS_UNLOCKED")
        joined.append(l.reactionsEnabled ? "REACTIONS_ACTIVE" : "REACTIONS_INACTIVE")
        var control = [l.locked ? "LOCK_CONTROL_UNLOCK" : "LOCK_CONTROL_LOCK"]
        if !l.recording {
            control.append("RECORDING_CONTROL_START")
        } else if l.recordingPaused {
            control += ["RECORDING_CONTROL_STOP", "RECORDING_CONTROL_RESUME"]
        } else {
            control += ["RECORDING_CONTROL_STOP", "RECORDING_CONTROL_PAUSE"]
        }
        control += ["ROSTER_WAITING_TO_JOIN", "ADD_GUEST", "MUTE_ALL", "UNMUTE_ALL"]
        control.append(l.muteOnEntry ? "DISABLE_MUTE_ON_ENTRY" : "ENABLE_MUTE_ON_ENTRY")
        control.append(l.disallowUnmute ? "DISABLE_HARD_MUTE" : "ENABLE_HARD_MUTE")
        control.append(l.reactionsEnabled ? "DISABLE_REACTIONS" : "ENABLE_REACTIONS")
        control += ["LOWER_ALL_HANDS", "LOWER_SOMEONE_ELSES_HAND", "LEAVE_TRANSFER_HOST_END_MEETING", "CAN_RENAME_OTHERS"]
        let moderator = control + ["LEAVE_END_MEETING"]
        func list(_ hints: [String]) -> JSONValue { .array(hints.map { .string($0) }) }
        return ["joined": list(joined), "moderator": list(moderator), "coHost": list(control)]
    }

    func renderHost(_ l: Locus) -> JSONValue {
        [
            "id": .string(l.hostUUID), "name": .string(people[l.hostUUID]?.displayName ?? ""), "orgId": .string(org.uuid),
            "isExternal": false, "incomingCallProtocols": [],
        ]
    }

    func renderControls(_ l: Locus, host: String) -> JSONValue {
        var record: [String: JSONValue] = ["recording": .bool(l.recording), "paused": .bool(l.recordingPaused)]
        var meta = JSONObjectBuilder()
        meta.set("lastModified", l.recordModified.map { WebexDate.format($0) })
        meta.set("modifiedBy", l.recordModifiedBy)
        record["meta"] = meta.value
        var controls: [String: JSONValue] = [
            "lock": ["locked": .bool(l.locked)],
            "record": .object(record),
            "transcribe": ["transcribing": false, "caption": false],
            "meetingFull": ["meetingFull": false, "meetingPanelistFull": false],
            "muteOnEntry": ["enabled": .bool(l.muteOnEntry)],
            "disallowUnmute": ["enabled": .bool(l.disallowUnmute)],
            "shareControl": ["control": "ANYONE"],
            "reactions": [
                "enabled": .bool(l.reactionsEnabled), "showDisplayNameWithReactions": .bool(l.showDisplayNameWithReactions),
                "reactionChannelUrl": .string(reactionChannelURL(l, host: host)),
            ],
            "viewTheParticipantList": ["enabled": true],
            "raiseHand": ["enabled": true],
            "video": ["enabled": true],
        ]
        for (scope, value) in l.extraControls {
            if case .object(let sent) = value, case .object(var current)? = controls[scope] {
                for (k, v) in sent { current[k] = v }
                controls[scope] = .object(current)
            } else {
                controls[scope] = value
            }
        }
        return .object(controls)
    }

    func reactionChannelURL(_ l: Locus, host: String) -> String { "\(locusBase(host))/reactions/\(l.id)" }

    func renderMediaShares(_ l: Locus, host: String) -> JSONValue {
        let base = locusURL(l, host: host)
        return [
            [
                "name": "content", "url": .string("\(base)/mediashares/\(HydraID.stableUUID("content:" + l.id))"),
                "floor": ["disposition": "RELEASED"],
            ],
            [
                "name": "whiteboard", "url": .string("\(base)/mediashares/\(HydraID.stableUUID("whiteboard:" + l.id))"),
                "floor": ["disposition": "RELEASED"],
            ],
        ]
    }

    /// `SENDRECV` when a device with media is unmuted, `RECVONLY` when all are muted (the default until
    /// the client reports), `INACTIVE` without media.
    func mediaStatus(_ p: LocusParticipant, video: Bool) -> String {
        let withMedia = p.devices.filter { $0.hasMedia }
        guard !withMedia.isEmpty else { return "INACTIVE" }
        return withMedia.contains { !(video ? $0.videoMuted : $0.audioMuted) } ? "SENDRECV" : "RECVONLY"
    }

    func renderRoles(_ p: LocusParticipant) -> JSONValue {
        var roles: [JSONValue] = []
        if p.moderator { roles.append(["type": "MODERATOR", "hasRole": true]) }
        if p.coHost { roles.append(["type": "COHOST", "hasRole": true]) }
        roles.append(["type": "ATTENDEE", "hasRole": true])
        return ["roles": .array(roles)]
    }

    func renderDevice(_ d: LocusDevice, self isSelf: Bool, selfURL: String) -> JSONValue {
        var b = JSONObjectBuilder()
        b.set("url", d.url)
        b.set("deviceType", d.deviceType)
        b.set("state", d.state)
        b.set("correlationId", d.correlationId)
        b.set("csis", [])
        b.set("isVideoCallback", false)
        if d.waiting { b.set("intent", ["type": "WAIT", "reason": "ON_HOLD_LOBBY"]) }
        if isSelf {
            if d.waiting {
                b.set("keepAliveUrl", "\(selfURL)/keepAlive")
                b.set("keepAliveSecs", .int(Self.keepAliveSecs))
            }
            b.set("serverTranscoded", true)
            let sessions: [JSONValue] =
                d.hasMedia
                ? [
                    ["mediaType": "audio", "mediaContent": "main", "direction": "sendrecv", "state": "active"],
                    ["mediaType": "video", "mediaContent": "main", "direction": "sendrecv", "state": "active"],
                    ["mediaType": "video", "mediaContent": "slides", "direction": "recvonly", "state": "active"],
                ] : []
            b.set("mediaSessions", .array(sessions))
        }
        return b.value
    }

    func renderParticipant(_ l: Locus, _ p: LocusParticipant, host: String, isSelf: Bool = false) -> JSONValue {
        let url = participantURL(l, p.id, host: host)
        var person = JSONObjectBuilder()
        person.set("id", p.personUUID ?? p.id)
        person.set("name", p.name)
        person.set("orgId", org.uuid)
        person.set("email", p.email)
        if p.type == "PSTN" { person.set("phoneNumber", p.address) }
        person.set("isExternal", p.personUUID == nil)
        var audio: [String: JSONValue] = [
            "muted": .bool(p.audioMuted), "requestedToUnmute": .bool(p.requestedToUnmute),
            "disallowUnmute": .bool(p.disallowUnmute),
        ]
        var meta = JSONObjectBuilder()
        meta.set("lastModified", p.audioModified.map { WebexDate.format($0) })
        meta.set("modifiedBy", p.audioModifiedBy)
        audio["meta"] = meta.value
        if isSelf {
            audio["lastModifiedRequestedToUnmute"] = .string(
                WebexDate.format(p.lastModifiedRequestedToUnmute ?? Date(timeIntervalSince1970: 0)))
            audio["localAudioUnmuteRequired"] = false
        }
        var controls: [String: JSONValue] = [
            "audio": .object(audio), "video": ["muted": .bool(p.videoMuted)], "hand": ["raised": .bool(p.handRaised)],
            "localRecord": ["recording": false], "role": renderRoles(p),
        ]
        if isSelf, let layout = p.layout { controls["layouts"] = [layout] }
        var b = JSONObjectBuilder()
        b.set("id", p.id)
        b.set("url", url)
        b.set("state", p.state)
        b.set("type", p.type)
        if let uuid = p.personUUID { b.set("identity", uuid) }
        b.set("person", person.value)
        b.set("guest", p.guest)
        b.set("moderator", p.moderator)
        b.set("isCreator", p.isCreator)
        b.set("hideInRoster", false)
        b.set("devices", .array(p.devices.map { renderDevice($0, self: isSelf, selfURL: url) }))
        b.set("status", [
            "audioStatus": .string(mediaStatus(p, video: false)), "videoStatus": .string(mediaStatus(p, video: true)),
            "videoSlidesStatus": p.devices.contains { $0.hasMedia } ? "RECVONLY" : "INACTIVE", "csis": [],
        ])
        b.set("controls", .object(controls))
        if p.removed { b.set("removed", true) }
        b.set("reason", p.reason)
        if isSelf {
            b.set("enableDTMF", true)
            b.set("mediaBaseUrl", "\(url)/media")
        }
        return b.value
    }

    func renderSelf(_ l: Locus, _ p: LocusParticipant, host: String) -> JSONValue {
        renderParticipant(l, p, host: host, isSelf: true)
    }
}
