import Foundation

/// Control API for meetings (no auth), for tests.
///
/// `GET /_emulator/loci` — every locus, live and ended, oldest first:
/// ```
/// {"items":[{"id":"<locus uuid>","url":"<origin>/locus/api/v1/loci/<uuid>","live":true,"state":"ACTIVE"|"INACTIVE",
///   "sequence":<n>,"created":"<ISO>","ended":"<ISO>"?,
///   "meeting":{"kind":"scheduled"|"personalRoom"|"space","meetingNumber","name","meetingId","host":"<email>",
///              "sipAddress","joinUrl"},
///   "locked","recording":{"recording","paused"},"muteOnEntry","disallowUnmute","reactionsEnabled",
///   "participants":[{"id","email"?,"address"?,"name","type","state","moderator","coHost","removed",
///                    "audioMuted","videoMuted","disallowUnmute","handRaised","audioStatus","videoStatus",
///                    "devices":[{"url","state","correlationId","mediaId","waiting","hasMedia",
///                                "audioMuted","videoMuted","roapSeq"}],
///                    "dtmfSent":["12#"],"dtmfReceived":[…],"reactions":[{"type":…}]}]}]}
/// ```
/// `GET /_emulator/captchas/{captchaID}` → `{"code":"<answer>"}` (404 when unknown), to solve a meeting
/// password captcha.
extension EmulatorStore {
    func controlLoci(host: String) -> Reply {
        let all = meetingsState.loci.values.sorted { $0.created < $1.created }
        return .json(["items": .array(all.map { controlLocus($0, host: host) })])
    }

    func controlCaptcha(id: String) throws(APIError) -> Reply {
        guard let c = meetingsState.captchas[id] else { throw APIError.notFound("No captcha with id \(id).") }
        return .json(["code": .string(c.code)])
    }

    private func controlLocus(_ l: Locus, host: String) -> JSONValue {
        let d = l.meeting
        var meeting = JSONObjectBuilder()
        meeting.set("kind", d.target.kind)
        meeting.set("meetingNumber", d.meetingNumber)
        meeting.set("name", d.name)
        meeting.set("meetingId", d.meetingId)
        meeting.set("host", people[d.hostUUID]?.email)
        meeting.set("sipAddress", d.sipAddress)
        meeting.set("joinUrl", d.joinURL)
        let participants: [JSONValue] = l.participants.map { p in
            var b = JSONObjectBuilder()
            b.set("id", p.id)
            b.set("email", p.email)
            b.set("address", p.address)
            b.set("name", p.name)
            b.set("type", p.type)
            b.set("state", p.state)
            b.set("moderator", p.moderator)
            b.set("coHost", p.coHost)
            b.set("removed", p.removed)
            b.set("audioMuted", p.audioMuted)
            b.set("videoMuted", p.videoMuted)
            b.set("disallowUnmute", p.disallowUnmute)
            b.set("handRaised", p.handRaised)
            b.set("audioStatus", mediaStatus(p, video: false))
            b.set("videoStatus", mediaStatus(p, video: true))
            b.set("devices", .array(p.devices.map { d in
                [
                    "url": .string(d.url), "state": .string(d.state), "correlationId": .string(d.correlationId),
                    "mediaId": .string(d.mediaId), "waiting": .bool(d.waiting), "hasMedia": .bool(d.hasMedia),
                    "audioMuted": .bool(d.audioMuted), "videoMuted": .bool(d.videoMuted), "roapSeq": .int(d.roapSeq),
                ]
            }))
            b.set("dtmfSent", .array(p.dtmfSent.map { .string($0) }))
            b.set("dtmfReceived", .array(p.dtmfReceived.map { .string($0) }))
            b.set("reactions", .array(p.reactions))
            return b.value
        }
        var b = JSONObjectBuilder()
        b.set("id", l.id)
        b.set("url", locusURL(l, host: host))
        b.set("live", meetingsState.live[l.target.key] == l.id)
        b.set("state", l.active ? "ACTIVE" : "INACTIVE")
        b.set("sequence", .int(Int(l.sequence)))
        b.set("created", WebexDate.format(l.created))
        b.set("ended", l.ended.map { WebexDate.format($0) })
        b.set("meeting", meeting.value)
        b.set("locked", l.locked)
        b.set("recording", ["recording": .bool(l.recording), "paused": .bool(l.recordingPaused)])
        b.set("muteOnEntry", l.muteOnEntry)
        b.set("disallowUnmute", l.disallowUnmute)
        b.set("reactionsEnabled", l.reactionsEnabled)
        b.set("participants", .array(participants))
        return b.value
    }
}
