import Foundation

/// Locus moderator and member controls (see `LocusEndpoints.swift` for the paths, bodies and error codes):
/// meeting controls (`PATCH|PUT {locus}/controls`), recording through the record service, participant
/// controls, rename, DTMF, invitations and reactions.
extension EmulatorStore {
    // MARK: Meeting controls

    func locusControls(locusId: String, _ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        let body = try req.json()
        var l = try activeLocus(locusId)
        let ci = try callerIndex(l, viewer)
        let privileged = l.participants[ci].isPrivileged
        func need(_ action: String) throws(APIError) { if !privileged { throw LocusErrors.notModerator(action) } }
        let now = WebexDate.now()
        for key in body.members.keys.sorted() {
            guard let value = body.members[key], !value.isNull else { continue }
            switch key {
            case "lock":
                try need("Locking or unlocking the meeting")
                guard let locked = try Self.bool(try Self.objectMember(body, key) ?? [:], "locked", in: key) else {
                    throw LocusErrors.bad("lock.locked is required.")
                }
                if locked != l.locked {
                    l.locked = locked
                    l.touchControls()
                    l.touch(.fullState)
                }
            case "record":
                try need("Recording")
                let o = try Self.objectMember(body, key) ?? [:]
                let recording = try Self.bool(o, "recording", in: key) ?? l.recording
                let paused = try Self.bool(o, "paused", in: key) ?? false
                try applyRecording(&l, recording: recording, paused: paused && recording, by: viewer, now: now)
            case "admit":
                try need("Admitting people from the lobby")
                guard let ids = value["participantIds"]?.arrayValue?.compactMap(\.stringValue) else {
                    throw LocusErrors.bad("admit.participantIds must be an array of participant ids.")
                }
                for id in ids {
                    let i = try participantIndex(l, id)
                    guard l.participants[i].isWaiting else { continue }
                    l.participants[i].state = "JOINED"
                    l.participants[i].joinedAt = now
                    for d in l.participants[i].devices.indices { l.participants[i].devices[d].waiting = false }
                    l.touch(participant: l.participants[i].id)
                    l.touch(.fullState)
                }
            case "muteOnEntry":
                try need("Mute on entry")
                if let enabled = try Self.bool(try Self.objectMember(body, key) ?? [:], "enabled", in: key), enabled != l.muteOnEntry {
                    l.muteOnEntry = enabled
                    l.touchControls()
                }
            case "disallowUnmute":
                try need("Disallowing unmute")
                if let enabled = try Self.bool(try Self.objectMember(body, key) ?? [:], "enabled", in: key) {
                    setHardMute(&l, enabled)
                }
            case "audio":
                try need("Muting or unmuting everyone")
                let o = try Self.objectMember(body, key) ?? [:]
                if let muted = try Self.bool(o, "muted", in: key) {
                    for i in l.participants.indices where i != ci && l.participants[i].isPresent && !l.participants[i].isPrivileged {
                        l.participants[i].audioMuted = muted
                        l.participants[i].requestedToUnmute = !muted
                        if !muted { l.participants[i].lastModifiedRequestedToUnmute = now }
                        l.participants[i].audioModified = now
                        l.participants[i].audioModifiedBy = l.participants[ci].id
                        l.touch(participant: l.participants[i].id)
                    }
                }
                if let v = try Self.bool(o, "disallowUnmute", in: key) { setHardMute(&l, v) }
                if let v = try Self.bool(o, "muteOnEntry", in: key), v != l.muteOnEntry {
                    l.muteOnEntry = v
                    l.touchControls()
                }
            case "reactions":
                try need("Enabling or disabling reactions")
                let o = try Self.objectMember(body, key) ?? [:]
                if let v = try Self.bool(o, "enabled", in: key) { l.reactionsEnabled = v }
                if let v = try Self.bool(o, "showDisplayNameWithReactions", in: key) { l.showDisplayNameWithReactions = v }
                l.touchControls()
            case "hand":
                let o = try Self.objectMember(body, key) ?? [:]
                guard try Self.bool(o, "raised", in: key) == false else {
                    throw LocusErrors.bad("hand.raised must be false (lower all hands).")
                }
                try need("Lowering all hands")
                for i in l.participants.indices where l.participants[i].handRaised {
                    l.participants[i].handRaised = false
                    l.touch(participant: l.participants[i].id)
                }
            case "raiseHand", "video", "shareControl", "viewTheParticipantList":
                try need("Changing \(key)")
                try mergeControl(&l, key, value)
            case "transcribe", "manualCaption", "manualCaptionControl":
                try mergeControl(&l, key == "manualCaption" ? "manualCaptionControl" : key, value)
            default:
                continue
            }
        }
        commitLocus(l)
        return .json(locusReply(try locus(l.id), viewer: viewer, host: req.host, body: body))
    }

    private func mergeControl(_ l: inout Locus, _ key: String, _ value: JSONValue) throws(APIError) {
        guard case .object(let sent) = value else { throw LocusErrors.bad("\(key) must be an object.") }
        var current = l.extraControls[key]?.objectValue ?? [:]
        for (k, v) in sent { current[k] = v }
        l.extraControls[key] = .object(current)
        l.touchControls()
    }

    private func setHardMute(_ l: inout Locus, _ enabled: Bool) {
        if enabled != l.disallowUnmute {
            l.disallowUnmute = enabled
            l.touchControls()
        }
        for i in l.participants.indices where !l.participants[i].isPrivileged && l.participants[i].disallowUnmute != enabled {
            l.participants[i].disallowUnmute = enabled
            l.touch(participant: l.participants[i].id)
        }
    }

    private func applyRecording(
        _ l: inout Locus, recording: Bool, paused: Bool, by viewer: Person, now: Date
    ) throws(APIError) {
        guard recording != l.recording || paused != l.recordingPaused else { return }
        if paused && !l.recording { throw LocusErrors.notRecording }
        l.recording = recording
        l.recordingPaused = recording && paused
        l.recordModified = now
        l.recordModifiedBy = viewer.uuid
        l.touchControls()
    }

    /// `PUT {recordUrl}/loci/{locusId}/recording {"meetingInfo":{"locusSessionId"},"recording":{"action"}}`.
    func recordingService(locusId: String, _ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        let body = try req.json()
        var l = try activeLocus(locusId)
        let ci = try callerIndex(l, viewer)
        guard l.participants[ci].isPrivileged else { throw LocusErrors.notModerator("Recording") }
        guard let action = body.members["recording"]?["action"]?.stringValue else {
            throw LocusErrors.bad("recording.action is required (start, stop, pause or resume).")
        }
        let now = WebexDate.now()
        switch action {
        case "start": try applyRecording(&l, recording: true, paused: false, by: viewer, now: now)
        case "stop": try applyRecording(&l, recording: false, paused: false, by: viewer, now: now)
        case "pause":
            guard l.recording else { throw LocusErrors.notRecording }
            try applyRecording(&l, recording: true, paused: true, by: viewer, now: now)
        case "resume":
            guard l.recording else { throw LocusErrors.notRecording }
            try applyRecording(&l, recording: true, paused: false, by: viewer, now: now)
        default:
            throw LocusErrors.bad("recording.action must be start, stop, pause or resume.")
        }
        commitLocus(l)
        return .json([:])
    }

    // MARK: Participant controls

    func participantControls(locusId: String, pid: String, _ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        let body = try req.json()
        var l = try activeLocus(locusId)
        let ti = try participantIndex(l, pid)
        let ci = try callerIndex(l, viewer, lobbyOK: true)
        let isSelf = ti == ci
        let privileged = l.participants[ci].isPrivileged && l.participants[ci].state == "JOINED"
        func need(_ action: String) throws(APIError) { if !privileged { throw LocusErrors.notModerator(action) } }
        let now = WebexDate.now()
        var target = l.participants[ti]
        var caller = l.participants[ci]
        var hostChanged = false
        if let o = try Self.objectMember(body, "audio"), let muted = try Self.bool(o, "muted", in: "audio") {
            if isSelf {
                if !muted && target.audioMuted && target.disallowUnmute && !privileged { throw LocusErrors.hardMuted }
                target.audioMuted = muted
                if !muted { target.requestedToUnmute = false }
            } else {
                try need(muted ? "Muting another participant" : "Unmuting another participant")
                target.audioMuted = muted
                target.requestedToUnmute = !muted
                if !muted { target.lastModifiedRequestedToUnmute = now }
            }
            target.audioModified = now
            target.audioModifiedBy = caller.id
        }
        if let o = try Self.objectMember(body, "video"), let muted = try Self.bool(o, "muted", in: "video") {
            if !isSelf { try need(muted ? "Stopping another participant's video" : "Unmuting another participant's video") }
            target.videoMuted = muted
        }
        if let o = try Self.objectMember(body, "hand"), let raised = try Self.bool(o, "raised", in: "hand") {
            if !isSelf {
                guard !raised else { throw APIError.locus(.forbidden, errorCode: 2403103, "You can only raise your own hand.") }
                try need("Lowering someone else's hand")
            }
            target.handRaised = raised
        }
        if let o = try Self.objectMember(body, "layout") {
            if !isSelf { try need("Changing another participant's layout") }
            guard let type = o["type"]?.stringValue, Self.layoutTypes.contains(type) else {
                throw LocusErrors.bad("layout.type must be one of \(Self.layoutTypes.joined(separator: ", ")).")
            }
            var layout: [String: JSONValue] = ["type": .string(type)]
            if let params = o["layoutParams"], !params.isNull { layout["layoutParams"] = params }
            target.layout = .object(layout)
        }
        if let role = try Self.objectMember(body, "role") {
            if let moderator = try Self.bool(role, "moderator", in: "role"), moderator, !target.moderator {
                try need("Transferring the host role")
                target.moderator = true
                if !isSelf { caller.moderator = false }
                hostChanged = true
            }
            for item in role["roles"]?.arrayValue ?? [] {
                guard let type = item["type"]?.stringValue, let has = item["hasRole"]?.boolValue else {
                    throw LocusErrors.bad("role.roles[] needs type and hasRole.")
                }
                switch type {
                case "COHOST":
                    try need("Assigning the COHOST role")
                    target.coHost = has
                case "MODERATOR" where has && !target.moderator:
                    if isSelf, let key = item["hostKey"]?.stringValue {
                        guard key == l.meeting.hostKey || key == descriptor(l.target)?.hostKey else {
                            throw APIError.locus(.forbidden, errorCode: 2403136, "The host key is not correct.")
                        }
                    } else if isSelf {
                        throw APIError.locus(.forbidden, errorCode: 2403135, "Reclaiming the host role needs the host key.")
                    } else {
                        try need("Transferring the host role")
                        if caller.moderator { caller.moderator = false }
                    }
                    target.moderator = true
                    hostChanged = true
                case "MODERATOR" where !has && target.moderator:
                    try need("Removing the MODERATOR role")
                    target.moderator = false
                default:
                    continue
                }
            }
        }
        if isSelf { caller = target }
        if hostChanged {
            // Only one moderator (host) at a time: the new one replaces every other.
            for i in l.participants.indices where i != ti && l.participants[i].moderator {
                l.participants[i].moderator = false
                l.touch(participant: l.participants[i].id)
            }
            if let uuid = target.personUUID, uuid != l.hostUUID {
                l.hostUUID = uuid
                l.touch(.host)
            }
        }
        if !isSelf, caller != l.participants[ci] {
            l.participants[ci] = caller
            l.touch(participant: caller.id)
        }
        if target != l.participants[ti] {
            l.participants[ti] = target
            l.touch(participant: target.id)
        }
        commitLocus(l)
        return .json(locusReply(try locus(l.id), viewer: viewer, host: req.host, body: body))
    }

    func rename(locusId: String, pid: String, _ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        let body = try req.json()
        var l = try activeLocus(locusId)
        let ti = try participantIndex(l, pid)
        let ci = try callerIndex(l, viewer, lobbyOK: true)
        if ti != ci, !l.participants[ci].isPrivileged { throw LocusErrors.notModerator("Renaming another participant") }
        guard let alias = try body.string("aliasValue"), !alias.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw LocusErrors.bad("aliasValue is required.")
        }
        if l.participants[ti].name != alias {
            l.participants[ti].name = alias
            l.touch(participant: l.participants[ti].id)
        }
        commitLocus(l)
        return .json(locusReply(try locus(l.id), viewer: viewer, host: req.host, body: body))
    }

    func sendDtmf(locusId: String, pid: String, _ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        let body = try req.json()
        let l = try activeLocus(locusId)
        let ti = try participantIndex(l, pid)
        let ci = try callerIndex(l, viewer)
        guard let tones = body.members["dtmf"]?["tones"]?.stringValue, !tones.isEmpty,
            tones.allSatisfy({ "0123456789*#ABCDabcd,".contains($0) })
        else { throw LocusErrors.bad("dtmf.tones must be digits, *, #, A-D or commas.") }
        var updated = l
        if ti == ci {
            updated.participants[ti].dtmfSent.append(tones)
        } else {
            guard l.participants[ci].isPrivileged else { throw LocusErrors.notModerator("Sending DTMF to another participant") }
            updated.participants[ti].dtmfReceived.append(tones)
        }
        commitLocus(updated)
        return .json(locusReply(updated, viewer: viewer, host: req.host, body: body))
    }

    // MARK: Invitations

    func invite(locusId: String, _ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        let body = try req.json()
        var l = try activeLocus(locusId)
        let ci = try callerIndex(l, viewer)
        guard let invitees = try body.array("invitees"), !invitees.isEmpty else {
            throw LocusErrors.bad("invitees is required.")
        }
        let removing = try body.string("actionType") == "REMOVE"
        guard l.participants[ci].isPrivileged else {
            throw LocusErrors.notModerator(removing ? "Cancelling an invitation" : "Inviting people")
        }
        for item in invitees {
            let raw = item["address"]?.stringValue ?? item["emailAddress"]?.stringValue ?? item["email"]?.stringValue
                ?? item["phoneNumber"]?.stringValue ?? ""
            var address = raw.trimmingCharacters(in: .whitespaces)
            if address.lowercased().hasPrefix("tel:") { address = String(address.dropFirst(4)) }
            let isPhone = Self.isE164(address)
            guard isPhone || address.contains("@") else {
                throw APIError.locus(.badRequest, errorCode: 2400025, "'\(raw)' is neither an email address nor an E.164 number.")
            }
            let known = isPhone ? nil : person(email: address)
            let existing = l.participants.firstIndex { p in
                if let known { return p.personUUID == known.uuid }
                return p.address?.lowercased() == address.lowercased()
            }
            if removing {
                guard let i = existing else { throw LocusErrors.noParticipant }
                guard l.participants[i].state == "NOTIFIED" || l.participants[i].type == "PSTN" else { continue }
                l.participants[i].state = "LEFT"
                l.participants[i].devices = []
                l.touch(participant: l.participants[i].id)
                continue
            }
            if let i = existing {
                guard !l.participants[i].isPresent, l.participants[i].state != "NOTIFIED" else { continue }
                l.participants[i].state = "NOTIFIED"
                l.touch(participant: l.participants[i].id)
                if let uuid = l.participants[i].personUUID { l.pendingNewPeople.insert(uuid) }
                continue
            }
            let p = LocusParticipant(
                id: HydraID.newUUID(), personUUID: known?.uuid, type: isPhone ? "PSTN" : "USER", address: address,
                name: known?.displayName ?? address, email: isPhone ? nil : (known?.email ?? address), state: "NOTIFIED",
                isCreator: false, moderator: false, coHost: known.map { l.meeting.coHosts.contains($0.email.lowercased()) } ?? false,
                guest: known == nil)
            l.participants.append(p)
            l.touch(participant: p.id)
            if let uuid = p.personUUID { l.pendingNewPeople.insert(uuid) }
        }
        commitLocus(l)
        return .json(locusReply(try locus(l.id), viewer: viewer, host: req.host, body: body))
    }

    static func isE164(_ s: String) -> Bool {
        guard s.hasPrefix("+"), (3...16).contains(s.count) else { return false }
        let digits = s.dropFirst()
        return digits.first != "0" && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    // MARK: Reactions

    func sendReaction(locusId: String, _ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        let body = try req.json()
        var l = try activeLocus(locusId)
        let ci = try callerIndex(l, viewer)
        if let sender = body.members["sender"]?["participantId"]?.stringValue, sender.lowercased() != l.participants[ci].id {
            throw LocusErrors.notYours
        }
        guard l.reactionsEnabled else { throw LocusErrors.reactionsDisabled }
        guard let reaction = body.members["reaction"], let type = reaction["type"]?.stringValue, Self.reactionTypes.contains(type) else {
            throw LocusErrors.bad("reaction.type must be one of \(Self.reactionTypes.joined(separator: ", ")).")
        }
        l.participants[ci].reactions.append(reaction)
        commitLocus(l)
        publishReaction(l, sender: l.participants[ci], reaction: reaction)
        return .json([:])
    }
}
