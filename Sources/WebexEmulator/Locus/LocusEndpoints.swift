import Foundation

/// Locus under `/locus/api/v1` (reference §3). Paths below are relative to that prefix; `{locus}` is
/// `loci/<locus uuid>` and `{p}` is `{locus}/participant/<participant id>`.
///
/// ```
/// POST  loci/call[?alternateRedirect=true]    join by invitee.address (link, SIP, wbxmn:<number>, conversation URL)
/// POST  {locus}/participant                   join a live locus
/// GET   loci                                  the caller's live loci {"loci":[DTO],"locusUrls":[…]}
/// GET   {locus}                               full DTO for the caller
/// PUT   {locus}                               invite {"invitees":[{"address"}]} / cancel {"actionType":"REMOVE",…}
/// GET   {locus}/sync?since=&sequenceHash=     delta after `since` ({} when already current)
/// PATCH|PUT {locus}/controls                  lock, record, admit, muteOnEntry, disallowUnmute, audio (mute all),
///                                             reactions, hand (lower all), raiseHand, video, shareControl,
///                                             viewTheParticipantList, transcribe, manualCaption
/// POST  {locus}/end                           end for everyone
/// PUT   {locus}/participant/decline | alert
/// PUT   {p}/leave                             leave (own device), or remove someone with {"reason":"FORCED"}
/// PUT   {p}/media                             local mute + ROAP (§3.7)
/// PATCH|PUT {p}/controls                      audio/video mute, role (transfer host, cohost), hand, layout
/// POST  {p}/alias                             rename {"aliasValue"}
/// POST  {p}/sendDtmf                          DTMF from self, or to a member (moderators)
/// GET   {p}/keepAlive                         200 {} while that participant waits in the lobby, else 404
/// PUT   record/loci/<id>/recording            {"recording":{"action":"start|stop|pause|resume"}} (links.services.record.url)
/// POST  reactions/<locus uuid>                {"sender":{"participantId"},"reaction":{…}} (controls.reactions.reactionChannelUrl)
/// ```
/// Join body: `device.url` and `correlationId` are required (400 otherwise). The meeting host, invitees of
/// a scheduled meeting and members of a space may always join; others need, for a meeting with a
/// password, a `permissionToken` that meeting info minted for them and this meeting; only members join a
/// space's meeting. Answer: `{"locus":<full DTO>,"mediaConnections":[{"mediaId","mediaAgentAlias",
/// "mediaAgentGroupId","mediaAgentCluster","remoteSdp"?}]}` — `remoteSdp` only when the join carried a ROAP
/// message (`TURN_DISCOVERY_REQUEST` → `TURN_DISCOVERY_RESPONSE`). Joining again from the same device with
/// the same correlationId changes nothing; another device is added to the same participant. When the locus
/// is locked, a joiner who is neither moderator nor co-host waits in the lobby (`state:"IDLE"`, device
/// `intent:{"type":"WAIT","reason":"ON_HOLD_LOBBY"}`, `keepAliveUrl` = `{p}/keepAlive`, `keepAliveSecs:20`)
/// until admitted. The meeting's host joins as moderator (roles MODERATOR + ATTENDEE); invitees marked
/// `coHost` get COHOST. With mute-on-entry on, other joiners start with `controls.audio.muted:true`.
/// When the last participant leaves, or a moderator ends the meeting, the locus becomes INACTIVE and is
/// no longer live.
///
/// Delta-request endpoints take the client's `sequence` and answer `{"locus":<delta after it>}` (the full
/// DTO without one, or when nothing changed since). Errors are `{"errorCode":…,"message":…}`:
/// 400 2400000 bad body, 2400014 bad `since`, 2400025 bad invitee address; 403 2403004 meeting ended,
/// 2403010 not a member of the space, 2403100 permission token needed, 2403101 needs the MODERATOR or COHOST
/// role, 2403102 hard-muted, 2403103 not in the meeting / not yours, 2403104 reactions disabled,
/// 2403135/2403136 reclaiming host not allowed / wrong host key; 404 2404002 no meeting at that address,
/// 2404100 no such participant (or device), 2404101 no such locus; 409 2405001 recording not started.
extension EmulatorStore {
    enum LocusErrors {
        static func bad(_ message: String) -> APIError { .locus(.badRequest, errorCode: 2400000, message) }
        static let inactive = APIError.locus(.forbidden, errorCode: 2403004, "The meeting has ended.")
        static let notInSpace = APIError.locus(.forbidden, errorCode: 2403010, "Only members of the space can join its meeting.")
        static let needsToken = APIError.locus(
            .forbidden, errorCode: 2403100,
            "This meeting has a password: join with the permissionToken that meeting info gave you.")
        static func notModerator(_ action: String) -> APIError {
            .locus(.forbidden, errorCode: 2403101, "\(action) requires the MODERATOR or COHOST role.")
        }
        static let hardMuted = APIError.locus(
            .forbidden, errorCode: 2403102, "Unmuting is not allowed: a moderator has disabled unmuting.")
        static let notInMeeting = APIError.locus(.forbidden, errorCode: 2403103, "You are not in this meeting.")
        static let notYours = APIError.locus(.forbidden, errorCode: 2403103, "That participant is not you.")
        static let reactionsDisabled = APIError.locus(.forbidden, errorCode: 2403104, "Reactions are disabled in this meeting.")
        static let noMeeting = APIError.locus(.notFound, errorCode: 2404002, "No meeting matches that address.")
        static let noParticipant = APIError.locus(.notFound, errorCode: 2404100, "The participant could not be found.")
        static let noLocus = APIError.locus(.notFound, errorCode: 2404101, "The locus could not be found.")
        static let notRecording = APIError.locus(.conflict, errorCode: 2405001, "Recording has not started.")
    }

    static let layoutTypes = ["Single", "Equal", "ActivePresence", "Prominent", "OnePlusN"]
    static let reactionTypes = [
        "smile", "sad", "wow", "haha", "celebrate", "clap", "thumb_up", "thumb_down", "heart", "fire", "prayer",
        "speed_up", "slow_down",
    ]

    // MARK: Routing

    func routeLocus(_ req: APIRequest, viewer: Person) async throws(APIError) -> Reply {
        let s = req.segments
        let m = req.method == "HEAD" ? "GET" : req.method
        func allow(_ methods: String...) throws(APIError) {
            guard methods.contains(m) else { throw APIError(.methodNotAllowed, "\(req.method) is not supported on \(req.path).") }
        }
        if s.count == 4, s[0] == "record", s[1] == "loci", s[3] == "recording" {
            try allow("PUT", "POST")
            return try recordingService(locusId: s[2], req, viewer: viewer)
        }
        if s.count == 2, s[0] == "reactions" {
            try allow("POST")
            return try sendReaction(locusId: s[1], req, viewer: viewer)
        }
        guard s.first == "loci" else { throw APIError.notFound() }
        switch s.count {
        case 1:
            try allow("GET")
            return listLoci(req, viewer: viewer)
        case 2 where s[1] == "call":
            try allow("POST")
            return try await join(req, viewer: viewer, locusId: nil)
        case 2:
            try allow("GET", "PUT")
            if m == "GET" { return try getLocus(id: s[1], req, viewer: viewer) }
            return try invite(locusId: s[1], req, viewer: viewer)
        case 3 where s[2] == "participant":
            try allow("POST")
            return try await join(req, viewer: viewer, locusId: s[1])
        case 3 where s[2] == "sync":
            try allow("GET")
            return try syncLocus(id: s[1], req, viewer: viewer)
        case 3 where s[2] == "controls":
            try allow("PATCH", "PUT")
            return try locusControls(locusId: s[1], req, viewer: viewer)
        case 3 where s[2] == "end":
            try allow("POST")
            return try endLocus(locusId: s[1], req, viewer: viewer)
        case 4 where s[2] == "participant" && (s[3] == "decline" || s[3] == "alert"):
            try allow("PUT")
            return try declineOrAlert(locusId: s[1], decline: s[3] == "decline", req, viewer: viewer)
        case 5 where s[2] == "participant":
            let (locusId, pid) = (s[1], s[3])
            switch s[4] {
            case "leave":
                try allow("PUT")
                return try leave(locusId: locusId, pid: pid, req, viewer: viewer)
            case "media":
                try allow("PUT")
                return try await media(locusId: locusId, pid: pid, req, viewer: viewer)
            case "controls":
                try allow("PATCH", "PUT")
                return try participantControls(locusId: locusId, pid: pid, req, viewer: viewer)
            case "alias":
                try allow("POST", "PUT")
                return try rename(locusId: locusId, pid: pid, req, viewer: viewer)
            case "sendDtmf":
                try allow("POST")
                return try sendDtmf(locusId: locusId, pid: pid, req, viewer: viewer)
            case "keepAlive":
                try allow("GET", "PUT", "POST")
                return try keepAlive(locusId: locusId, pid: pid, viewer: viewer)
            default:
                throw APIError.notFound()
            }
        default:
            throw APIError.notFound()
        }
    }

    // MARK: Shared helpers

    func locus(_ id: String) throws(APIError) -> Locus {
        guard let l = meetingsState.loci[id.lowercased()] else { throw LocusErrors.noLocus }
        return l
    }

    func activeLocus(_ id: String) throws(APIError) -> Locus {
        let l = try locus(id)
        guard l.active else { throw LocusErrors.inactive }
        return l
    }

    func participantIndex(_ l: Locus, _ pid: String) throws(APIError) -> Int {
        guard let i = l.participantIndex(pid.lowercased()) else { throw LocusErrors.noParticipant }
        return i
    }

    /// The caller's participant, which must be in the meeting (joined, or waiting when `lobbyOK`).
    func callerIndex(_ l: Locus, _ viewer: Person, lobbyOK: Bool = false) throws(APIError) -> Int {
        guard let i = l.participantIndex(person: viewer.uuid),
            l.participants[i].state == "JOINED" || (lobbyOK && l.participants[i].state == "IDLE")
        else { throw LocusErrors.notInMeeting }
        return i
    }

    /// `{"locus":…}` for a delta-request: the delta after the client's `sequence`, or the full DTO.
    func locusReply(_ l: Locus, viewer: Person, host: String, body: JSONBody?) -> JSONValue {
        ["locus": locusFor(l, viewer: viewer, host: host, body: body)]
    }

    func locusFor(_ l: Locus, viewer: Person, host: String, body: JSONBody?) -> JSONValue {
        if let entries = body?.members["sequence"]?["entries"]?.arrayValue, let last = entries.last?.intValue,
            Int64(last) < l.sequence, Int64(last) > 0
        {
            return renderLocus(l, viewer: viewer.uuid, host: host, since: Int64(last))
        }
        return renderLocus(l, viewer: viewer.uuid, host: host)
    }

    static func objectMember(_ body: JSONBody, _ key: String) throws(APIError) -> [String: JSONValue]? {
        guard let v = body.members[key], !v.isNull else { return nil }
        guard let o = v.objectValue else { throw LocusErrors.bad("\(key) must be an object.") }
        return o
    }

    static func bool(_ o: [String: JSONValue], _ key: String, in scope: String) throws(APIError) -> Bool? {
        guard let v = o[key], !v.isNull else { return nil }
        guard let b = v.boolValue else { throw LocusErrors.bad("\(scope).\(key) must be a boolean.") }
        return b
    }

    static func mediaConnection(_ device: LocusDevice, remote: RoapMessage?) -> JSONValue {
        var b = JSONObjectBuilder()
        b.set("mediaId", device.mediaId)
        b.set("mediaAgentAlias", "emulator-media")
        b.set("mediaAgentGroupId", "emulator")
        b.set("mediaAgentCluster", "emulator")
        if let remote { b.set("remoteSdp", remote.remoteSdp) }
        return b.value
    }

    /// The first `localMedias[].localSdp`, parsed (it is a JSON document inside a string).
    private static func localSdp(_ body: JSONBody) throws(APIError) -> (sdp: [String: JSONValue], mediaId: String?)? {
        guard let medias = try body.array("localMedias"), let first = medias.first?.objectValue else { return nil }
        guard let text = first["localSdp"]?.stringValue else { throw LocusErrors.bad("localMedias[0].localSdp must be a string.") }
        guard let parsed = try? JSONValue.parse(Array(text.utf8)), let o = parsed.objectValue else {
            throw LocusErrors.bad("localMedias[0].localSdp must be a JSON document in a string.")
        }
        return (o, first["mediaId"]?.stringValue)
    }

    static func deviceURL(_ body: JSONBody) -> String? {
        let url = body.members["device"]?["url"]?.stringValue ?? body.members["deviceUrl"]?.stringValue
        return url?.isEmpty == false ? url : nil
    }

    // MARK: Join

    private func join(_ req: APIRequest, viewer: Person, locusId: String?) async throws(APIError) -> Reply {
        let body = try req.json()
        guard let deviceURL = body.members["device"]?["url"]?.stringValue, !deviceURL.isEmpty else {
            throw LocusErrors.bad("device.url is required.")
        }
        guard let correlationId = try body.string("correlationId"), !correlationId.isEmpty else {
            throw LocusErrors.bad("correlationId is required.")
        }
        let deviceType = body.members["device"]?["deviceType"]?.stringValue ?? "WEB"
        let local = try Self.localSdp(body)
        let wantsModerator = try body.bool("moderator") == true
        let pin = try body.string("pin")
        let alias = try body.string("alias")
        let permissionToken = try body.string("permissionToken")
        let d: MeetingDescriptor
        if let locusId {
            let l = try activeLocus(locusId)
            d = descriptor(l.target) ?? l.meeting
        } else {
            guard let address = body.members["invitee"]?["address"]?.stringValue, !address.isEmpty else {
                throw LocusErrors.bad("invitee.address is required.")
            }
            guard let target = resolveJoinAddress(address), let found = descriptor(target) else { throw LocusErrors.noMeeting }
            d = found
        }
        if !isInsider(viewer, d) {
            if d.roomUUID != nil { throw LocusErrors.notInSpace }
            if d.password != nil, !verifyPermissionToken(permissionToken, viewer: viewer, meeting: d) {
                throw LocusErrors.needsToken
            }
        }

        var l: Locus
        if let id = meetingsState.live[d.target.key], let live = meetingsState.loci[id] {
            l = live
        } else {
            let now = WebexDate.now()
            l = Locus(
                id: HydraID.newUUID(), target: d.target, meeting: d, created: now, sessionId: HydraID.newUUID(),
                hostUUID: d.hostUUID, lastActive: now)
            if d.enabledAutoRecordMeeting {
                l.recording = true
                l.recordModified = now
                l.recordModifiedBy = d.hostUUID
            }
            l.touch(.fullState, .info, .host, .controls, .mediaShares, .links, .embeddedApps)
            meetingsState.live[d.target.key] = l.id
        }
        if let locusId, l.id != locusId.lowercased() { throw LocusErrors.inactive }

        let now = WebexDate.now()
        let pi: Int
        if let existing = l.participantIndex(person: viewer.uuid) {
            pi = existing
        } else {
            l.participants.append(
                LocusParticipant(
                    id: HydraID.newUUID(), personUUID: viewer.uuid, type: "USER", address: nil, name: viewer.displayName,
                    email: viewer.email, state: "LEFT", isCreator: viewer.uuid == d.hostUUID,
                    moderator: viewer.uuid == l.hostUUID, coHost: d.coHosts.contains(viewer.email.lowercased())))
            pi = l.participants.count - 1
            l.pendingNewPeople.insert(viewer.uuid)
        }
        var p = l.participants[pi]
        // A joiner who sends the host key as `pin` with `moderator:true` joins as moderator.
        if wantsModerator, let pin, pin == d.hostKey, !p.moderator { p.moderator = true }
        if let alias, !alias.isEmpty, alias != p.name { p.name = alias }
        let wasIn = p.state == "JOINED"
        let entering = !p.isPresent
        if entering {
            p.removed = false
            p.reason = nil
            p.handRaised = false
            if !p.isPrivileged {
                if l.muteOnEntry { p.audioMuted = true }
                p.disallowUnmute = l.disallowUnmute
            }
        }
        let waiting = l.locked && !p.isPrivileged && !wasIn
        let hasMedia = local != nil
        let newDevice = LocusDevice(
            url: deviceURL, deviceType: deviceType, correlationId: correlationId, mediaId: HydraID.newUUID(),
            waiting: waiting, hasMedia: hasMedia, joined: now)
        var deviceChanged = true
        if let di = p.devices.firstIndex(where: { $0.url == deviceURL }) {
            if p.devices[di].correlationId == correlationId {
                deviceChanged = false
            } else {
                p.devices[di] = newDevice
            }
        } else {
            p.devices.append(newDevice)
        }
        if entering || p.state == "NOTIFIED" || p.state == "DECLINED" {
            p.state = waiting ? "IDLE" : "JOINED"
            if !waiting { p.joinedAt = now }
        }
        if deviceChanged || entering {
            l.participants[pi] = p
            l.touch(participant: p.id)
            l.touch(.fullState)
            l.lastActive = now
        }
        commitLocus(l)
        let locusId = l.id
        let pid = p.id
        var remote: RoapMessage?
        if let roap = local?.sdp["roapMessage"].flatMap(RoapMessage.init) {
            remote = await runRoap(roap, locusId: locusId, pid: pid, deviceURL: deviceURL, host: req.host)
        }
        guard let final = meetingsState.loci[locusId], let me = final.participant(pid),
            let device = me.devices.first(where: { $0.url == deviceURL })
        else { throw LocusErrors.noParticipant }
        return .json([
            "locus": renderLocus(final, viewer: viewer.uuid, host: req.host),
            "mediaConnections": [Self.mediaConnection(device, remote: remote)],
        ])
    }

    /// Answers a ROAP message of one device; records the answered OFFER seq (and that the device has media).
    private func runRoap(_ message: RoapMessage, locusId: String, pid: String, deviceURL: String, host: String) async
        -> RoapMessage?
    {
        guard let l = meetingsState.loci[locusId], let p = l.participant(pid),
            let device = p.devices.first(where: { $0.url == deviceURL })
        else { return nil }
        switch planRoap(message, lastSeq: device.roapSeq, host: host, participantId: pid) {
        case .reply(let reply):
            return reply
        case .accept:
            return nil
        case .answer(let offer):
            let info = LocusMediaParticipant(
                locusId: locusId, participantId: pid, personEmail: p.email, deviceURL: deviceURL, mediaId: device.mediaId,
                correlationId: device.correlationId)
            let answer = await answerOffer(offer, participant: info)
            // Other requests may have run meanwhile: look everything up again.
            guard var now = meetingsState.loci[locusId], let i = now.participantIndex(pid),
                let j = now.participants[i].devices.firstIndex(where: { $0.url == deviceURL })
            else { return .error("FAILED", seq: offer.seq, cause: "the device left the meeting") }
            guard now.participants[i].devices[j].roapSeq < offer.seq else {
                return .error("OUT_OF_ORDER", seq: offer.seq, cause: "a later offer was answered first")
            }
            if answer.messageType == "ANSWER" {
                now.participants[i].devices[j].roapSeq = offer.seq
                if !now.participants[i].devices[j].hasMedia {
                    now.participants[i].devices[j].hasMedia = true
                    now.touch(participant: pid)
                }
                commitLocus(now)
            }
            return answer
        }
    }

    // MARK: Media

    private func media(locusId: String, pid: String, _ req: APIRequest, viewer: Person) async throws(APIError) -> Reply {
        let body = try req.json()
        var l = try activeLocus(locusId)
        let pi = try participantIndex(l, pid)
        guard l.participants[pi].personUUID == viewer.uuid else { throw LocusErrors.notYours }
        guard let deviceURL = Self.deviceURL(body) else { throw LocusErrors.bad("device.url is required.") }
        guard let di = l.participants[pi].devices.firstIndex(where: { $0.url == deviceURL }) else {
            throw APIError.locus(.notFound, errorCode: 2404100, "That device has not joined this meeting.")
        }
        guard let local = try Self.localSdp(body) else { throw LocusErrors.bad("localMedias[0].localSdp is required.") }
        var device = l.participants[pi].devices[di]
        let before = device
        if local.mediaId == "" { device.mediaId = HydraID.newUUID() }
        device.hasMedia = true
        if let v = local.sdp["audioMuted"]?.boolValue { device.audioMuted = v }
        if let v = local.sdp["videoMuted"]?.boolValue { device.videoMuted = v }
        if let c = try body.string("correlationId"), !c.isEmpty { device.correlationId = c }
        l.participants[pi].devices[di] = device
        if before.hasMedia != device.hasMedia || before.audioMuted != device.audioMuted
            || before.videoMuted != device.videoMuted || before.correlationId != device.correlationId
        {
            l.touch(participant: l.participants[pi].id)
        }
        commitLocus(l)
        var remote: RoapMessage?
        if let roap = local.sdp["roapMessage"].flatMap(RoapMessage.init) {
            remote = await runRoap(roap, locusId: l.id, pid: l.participants[pi].id, deviceURL: deviceURL, host: req.host)
        }
        let final = try locus(l.id)
        let current = final.participant(l.participants[pi].id)?.devices.first { $0.url == deviceURL } ?? device
        return .json([
            "locus": locusFor(final, viewer: viewer, host: req.host, body: body),
            "mediaConnections": [Self.mediaConnection(current, remote: remote)],
        ])
    }

    // MARK: Reading

    private func listLoci(_ req: APIRequest, viewer: Person) -> Reply {
        let mine = meetingsState.loci.values.filter { l in
            guard l.active, let p = l.participant(person: viewer.uuid) else { return false }
            return p.isPresent || p.state == "NOTIFIED"
        }.sorted { $0.created < $1.created }
        return .json([
            "loci": .array(mine.map { renderLocus($0, viewer: viewer.uuid, host: req.host) }),
            "locusUrls": .array(mine.map { .string(locusURL($0, host: req.host)) }),
        ])
    }

    /// Participants (also former ones) and people who may join can read a locus.
    private func readableLocus(_ id: String, viewer: Person) throws(APIError) -> Locus {
        let l = try locus(id)
        guard l.participant(person: viewer.uuid) != nil || isInsider(viewer, l.meeting) else { throw LocusErrors.noLocus }
        return l
    }

    private func getLocus(id: String, _ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        .json(renderLocus(try readableLocus(id, viewer: viewer), viewer: viewer.uuid, host: req.host))
    }

    private func syncLocus(id: String, _ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        let l = try readableLocus(id, viewer: viewer)
        guard let raw = req.query["since"], let since = Int64(raw), since >= 0 else {
            throw APIError.locus(.badRequest, errorCode: 2400014, "since must be a sequence number.")
        }
        if since >= l.sequence { return .json([:]) }
        return .json(renderLocus(l, viewer: viewer.uuid, host: req.host, since: since))
    }

    private func keepAlive(locusId: String, pid: String, viewer: Person) throws(APIError) -> Reply {
        let l = try locus(locusId)
        guard let p = l.participant(pid.lowercased()), p.personUUID == viewer.uuid, l.active, p.isWaiting else {
            throw APIError.locus(.notFound, errorCode: 2404100, "That participant is not waiting in the lobby.")
        }
        return .json([:])
    }

    // MARK: Leaving and ending

    private func leave(locusId: String, pid: String, _ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        let body = try req.json()
        var l = try locus(locusId)
        let ti = try participantIndex(l, pid)
        guard l.active else { return .json(locusReply(l, viewer: viewer, host: req.host, body: body)) }
        let forced = try body.string("reason") == "FORCED"
        var target = l.participants[ti]
        if target.personUUID == viewer.uuid {
            if let url = Self.deviceURL(body), target.devices.contains(where: { $0.url == url }) {
                target.devices.removeAll { $0.url == url }
            } else {
                target.devices = []
            }
            if target.devices.isEmpty {
                target.state = "LEFT"
                target.handRaised = false
            }
        } else {
            let ci = try callerIndex(l, viewer)
            guard l.participants[ci].isPrivileged else {
                throw LocusErrors.notModerator(forced ? "Removing a participant" : "Making someone else leave")
            }
            target.state = "LEFT"
            target.devices = []
            target.handRaised = false
            target.removed = true
            target.reason = "FORCED"
        }
        l.participants[ti] = target
        l.touch(participant: target.id)
        l.touch(.fullState)
        if !l.participants.contains(where: { $0.isPresent }) { endAll(&l) }
        commitLocus(l)
        return .json(locusReply(try locus(l.id), viewer: viewer, host: req.host, body: body))
    }

    private func endLocus(locusId: String, _ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        let body = try req.json()
        var l = try activeLocus(locusId)
        let ci = try callerIndex(l, viewer)
        guard l.participants[ci].isPrivileged else { throw LocusErrors.notModerator("Ending the meeting for everyone") }
        endAll(&l)
        commitLocus(l)
        return .json(locusReply(try locus(l.id), viewer: viewer, host: req.host, body: body))
    }

    /// Everyone leaves, recording stops, the locus turns INACTIVE.
    func endAll(_ l: inout Locus) {
        let now = WebexDate.now()
        l.active = false
        l.ended = now
        l.lastActive = now
        if l.recording {
            l.recording = false
            l.recordingPaused = false
            l.recordModified = now
            l.touchControls()
        }
        for i in l.participants.indices where l.participants[i].state != "LEFT" && l.participants[i].state != "DECLINED" {
            l.participants[i].state = "LEFT"
            l.participants[i].devices = []
            l.participants[i].handRaised = false
            l.touch(participant: l.participants[i].id)
        }
        l.touch(.fullState)
    }

    private func declineOrAlert(locusId: String, decline: Bool, _ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        let body = try req.json()
        var l = try activeLocus(locusId)
        guard let i = l.participantIndex(person: viewer.uuid) else { throw LocusErrors.notInMeeting }
        if decline, l.participants[i].state == "NOTIFIED" {
            l.participants[i].state = "DECLINED"
            l.participants[i].reason = try body.string("reason")
            l.touch(participant: l.participants[i].id)
        }
        commitLocus(l)
        return .json(locusReply(try locus(l.id), viewer: viewer, host: req.host, body: body))
    }
}
