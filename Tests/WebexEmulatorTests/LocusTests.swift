import Foundation
import Testing
import WebexEmulator

/// Locus (`/locus/api/v1`): join, lobby, controls, deltas and their Mercury events, ROAP.
@Suite struct LocusTests {
    /// Alice's personal room: its join URL and Alice's person uuid.
    static func alicesRoom(_ client: TestClient) async throws -> (joinURL: String, aliceUUID: String) {
        let alice = uuid(try #require(try await client.send("GET", "/v1/people/me").json["id"] as? String))
        let info = try await client.info(["userId": alice])
        return (try #require(info["meetingJoinUrl"] as? String), alice)
    }

    @Test func joinLobbyKeepAliveAndAdmit() async throws {
        try await withEmulator { client, _ in
            let (joinURL, alice) = try await Self.alicesRoom(client)
            let (a, aMedia) = try await client.joined(address: joinURL, deviceURL: "https://wdm.test/devices/alice-1")
            #expect(a.object("fullState")["state"] as? String == "ACTIVE")
            #expect(a.object("fullState")["type"] as? String == "MEETING")
            let seq = a.object("sequence")
            #expect(seq["rangeStart"] as? Int == 0 && seq["rangeEnd"] as? Int == 0 && (seq["entries"] as? [Any])?.count == 1)
            #expect(a.object("info")["webExSite"] as? String == "emulator.webex.com")
            #expect(a.object("info")["isPmr"] as? Bool == true)
            #expect(a.object("host")["id"] as? String == alice)
            let aSelf = a.object("self")
            #expect(aSelf["state"] as? String == "JOINED" && aSelf["moderator"] as? Bool == true)
            #expect(aSelf["isCreator"] as? Bool == true)
            #expect(roles(aSelf) == ["MODERATOR", "ATTENDEE"])
            #expect(aSelf.objects("devices").first?["correlationId"] is String)
            #expect(aSelf.object("status")["audioStatus"] as? String == "INACTIVE")
            #expect(aMedia["mediaId"] is String && aMedia["remoteSdp"] == nil)
            #expect(joinedHints(a).contains("LOCK_STATUS_UNLOCKED") && joinedHints(a).contains("VOIP_IS_ENABLED"))
            #expect(moderatorHints(a).contains("LOCK_CONTROL_LOCK") && moderatorHints(a).contains("LEAVE_END_MEETING"))
            #expect(!(a.object("info").object("displayHints").strings("coHost")).contains("LEAVE_END_MEETING"))
            let locusUrl = try #require(a["url"] as? String)
            #expect(locusUrl.contains("/locus/api/v1/loci/"))

            // Meeting info now names the live locus.
            #expect(try await client.info(["userId": alice], token: "bob-token")["locusUrl"] as? String == locusUrl)

            let (b, _) = try await client.joined(token: "bob-token", locusUrl: locusUrl, deviceURL: "https://wdm.test/devices/bob-1")
            let bobId = try #require(b.object("self")["id"] as? String)
            #expect(b.object("self")["moderator"] as? Bool == false)
            #expect(roles(b.object("self")) == ["ATTENDEE"])
            #expect(b.objects("participants").count == 2)

            // An attendee cannot lock.
            let denied = try await client.call("PATCH", locusUrl + "/controls", token: "bob-token", ["lock": ["locked": true]])
            #expect(denied.status == 403)
            #expect(denied.json["errorCode"] as? Int == 2403101)
            #expect((denied.json["message"] as? String)?.contains("MODERATOR") == true)

            // The host locks; the answer is a delta after the sequence she sent.
            let locked = try await client.call(
                "PATCH", locusUrl + "/controls", ["lock": ["locked": true], "sequence": a["sequence"]!])
            #expect(locked.status == 200)
            let delta = locked.json.object("locus")
            #expect(sequenceValue(delta, "baseSequence") == sequenceValue(a))
            #expect(try #require(sequenceValue(delta)) > sequenceValue(a)!)
            #expect(joinedHints(delta).contains("LOCK_STATUS_LOCKED"))
            #expect(moderatorHints(delta).contains("LOCK_CONTROL_UNLOCK"))
            #expect(delta.object("controls").object("lock")["locked"] as? Bool == true)
            #expect(participant(delta, bobId) != nil)  // Bob joined after her sequence

            // Carol waits in the lobby.
            let (c, _) = try await client.joined(
                token: "carol-token", address: joinURL, deviceURL: "https://wdm.test/devices/carol-1", correlationId: "carol-corr")
            let cSelf = c.object("self")
            let carolId = try #require(cSelf["id"] as? String)
            #expect(cSelf["state"] as? String == "IDLE")
            let cDevice = try #require(cSelf.objects("devices").first)
            #expect(cDevice.object("intent")["type"] as? String == "WAIT")
            #expect(cDevice.object("intent")["reason"] as? String == "ON_HOLD_LOBBY")
            #expect(cDevice["keepAliveSecs"] as? Int == 20)
            let keepAlive = try #require(cDevice["keepAliveUrl"] as? String)
            #expect(try await client.send("GET", keepAlive, token: "carol-token").status == 200)
            #expect(try await client.send("GET", keepAlive, token: "bob-token").status == 404)

            // The same device with the same correlation id changes nothing.
            let (again, _) = try await client.joined(
                token: "carol-token", address: joinURL, deviceURL: "https://wdm.test/devices/carol-1", correlationId: "carol-corr")
            #expect(sequenceValue(again) == sequenceValue(c))

            // Only moderators admit.
            let admit: [String: Any] = ["admit": ["participantIds": [carolId]], "sequence": c["sequence"]!]
            #expect(try await client.call("PUT", locusUrl + "/controls", token: "bob-token", admit).status == 403)
            #expect(try await client.call("PUT", locusUrl + "/controls", admit).status == 200)
            let carolView = try await client.send("GET", locusUrl, token: "carol-token").json
            #expect(carolView.object("self")["state"] as? String == "JOINED")
            #expect(carolView.object("self").objects("devices").first?["intent"] == nil)
            #expect(try await client.send("GET", keepAlive, token: "carol-token").status == 404)

            // A second device of Bob's joins the same participant, past the lobby.
            let (b2, _) = try await client.joined(token: "bob-token", locusUrl: locusUrl, deviceURL: "https://wdm.test/devices/bob-2")
            #expect(b2.object("self")["id"] as? String == bobId)
            #expect(b2.object("self")["state"] as? String == "JOINED")
            #expect(b2.object("self").objects("devices").count == 2)

            let unknown = try await client.call("PATCH", locusUrl + "/participant/\(UUID().uuidString.lowercased())/controls", ["audio": ["muted": true]])
            #expect(unknown.status == 404 && unknown.json["errorCode"] as? Int == 2404100)

            let mine = try await client.send("GET", "/locus/api/v1/loci", token: "bob-token").json
            #expect(mine.strings("locusUrls") == [locusUrl])
            #expect(mine.objects("loci").first?.object("self")["id"] as? String == bobId)
        }
    }

    @Test func muteMembersHardMuteAndMuteOnEntry() async throws {
        try await withEmulator { client, _ in
            let (joinURL, _) = try await Self.alicesRoom(client)
            let (a, _) = try await client.joined(address: joinURL, deviceURL: "dev-a")
            let locusUrl = try #require(a["url"] as? String)
            let aliceId = try #require(a.object("self")["id"] as? String)
            let (b, _) = try await client.joined(token: "bob-token", locusUrl: locusUrl, deviceURL: "dev-b")
            let bobUrl = try #require(b.object("self")["url"] as? String)

            let muted = try await client.call("PATCH", bobUrl + "/controls", ["audio": ["muted": true]])
            #expect(muted.status == 200)
            #expect(participant(muted.json.object("locus"), b.object("self")["id"] as! String)?.object("controls").object("audio")["muted"] as? Bool == true)
            // Bob may unmute himself (no hard mute), but not mute Alice.
            let unmuted = try await client.call("PATCH", bobUrl + "/controls", token: "bob-token", ["audio": ["muted": false]])
            #expect(unmuted.status == 200)
            #expect(unmuted.json.object("locus").object("self").object("controls").object("audio")["muted"] as? Bool == false)
            let other = try await client.call("PATCH", locusUrl + "/participant/\(aliceId)/controls", token: "bob-token", ["video": ["muted": true]])
            #expect(other.status == 403 && other.json["errorCode"] as? Int == 2403101)

            // Hard mute: Bob can no longer unmute himself.
            let hard = try await client.call("PATCH", locusUrl + "/controls", ["disallowUnmute": ["enabled": true]])
            #expect(moderatorHints(hard.json.object("locus")).contains("DISABLE_HARD_MUTE"))
            _ = try await client.call("PATCH", bobUrl + "/controls", ["audio": ["muted": true]])
            let refused = try await client.call("PATCH", bobUrl + "/controls", token: "bob-token", ["audio": ["muted": false]])
            #expect(refused.status == 403 && refused.json["errorCode"] as? Int == 2403102)

            // Mute on entry: Carol joins muted.
            let onEntry = try await client.call("PATCH", locusUrl + "/controls", ["muteOnEntry": ["enabled": true]])
            #expect(moderatorHints(onEntry.json.object("locus")).contains("DISABLE_MUTE_ON_ENTRY"))
            let (c, _) = try await client.joined(token: "carol-token", locusUrl: locusUrl, deviceURL: "dev-c")
            #expect(c.object("self").object("controls").object("audio")["muted"] as? Bool == true)
            #expect(c.object("self").object("controls").object("audio")["disallowUnmute"] as? Bool == true)

            // Mute all, then unmute all (which asks people to unmute).
            _ = try await client.call("PATCH", locusUrl + "/controls", ["disallowUnmute": ["enabled": false]])
            _ = try await client.call("PATCH", locusUrl + "/controls", ["audio": ["muted": false, "disallowUnmute": false, "muteOnEntry": false]])
            let bobView = try await client.send("GET", locusUrl, token: "bob-token").json.object("self").object("controls").object("audio")
            #expect(bobView["muted"] as? Bool == false && bobView["requestedToUnmute"] as? Bool == true)
        }
    }

    @Test func recordingThroughBothPaths() async throws {
        try await withEmulator { client, _ in
            let (joinURL, _) = try await Self.alicesRoom(client)
            let (a, _) = try await client.joined(address: joinURL, deviceURL: "dev-a")
            let locusUrl = try #require(a["url"] as? String)
            _ = try await client.joined(token: "bob-token", locusUrl: locusUrl, deviceURL: "dev-b")
            let recordURL = try #require(a.object("links").object("services").object("record")["url"] as? String)
            let locusId = String(locusUrl.split(separator: "/").last!)
            let service = recordURL + "/loci/\(locusId)/recording"
            func action(_ name: String, token: String = "alice-token") async throws -> Int {
                try await client.call(
                    "PUT", service, token: token,
                    ["meetingInfo": ["locusSessionId": a.object("fullState")["sessionId"]!], "recording": ["action": name]]
                ).status
            }
            func state() async throws -> (recording: Bool?, paused: Bool?, hints: [String]) {
                let dto = try await client.send("GET", locusUrl).json
                let r = dto.object("controls").object("record")
                return (r["recording"] as? Bool, r["paused"] as? Bool, moderatorHints(dto))
            }
            #expect(try await state().hints.contains("RECORDING_CONTROL_START"))
            #expect(try await action("start", token: "bob-token") == 403)
            #expect(try await client.call("PATCH", locusUrl + "/controls", token: "bob-token", ["record": ["recording": true, "paused": false]]).status == 403)
            #expect(try await action("pause") == 409)

            #expect(try await action("start") == 200)
            var s = try await state()
            #expect(s.recording == true && s.paused == false)
            #expect(s.hints.contains("RECORDING_CONTROL_PAUSE") && s.hints.contains("RECORDING_CONTROL_STOP"))
            #expect(try await client.call("PATCH", locusUrl + "/controls", ["record": ["recording": true, "paused": true]]).status == 200)
            s = try await state()
            #expect(s.recording == true && s.paused == true && s.hints.contains("RECORDING_CONTROL_RESUME"))
            #expect(try await action("resume") == 200)
            s = try await state()
            #expect(s.paused == false)
            #expect(try await client.call("PATCH", locusUrl + "/controls", ["record": ["recording": false, "paused": false]]).status == 200)
            s = try await state()
            #expect(s.recording == false && s.hints.contains("RECORDING_CONTROL_START"))
            #expect(try await client.loci().first?.object("recording")["recording"] as? Bool == false)
        }
    }

    @Test func endForEveryone() async throws {
        try await withEmulator { client, _ in
            let (joinURL, alice) = try await Self.alicesRoom(client)
            let (a, _) = try await client.joined(address: joinURL, deviceURL: "dev-a")
            let locusUrl = try #require(a["url"] as? String)
            _ = try await client.joined(token: "bob-token", locusUrl: locusUrl, deviceURL: "dev-b")
            #expect(try await client.call("POST", locusUrl + "/end", token: "bob-token").status == 403)
            let ended = try await client.call("POST", locusUrl + "/end", ["sequence": a["sequence"]!])
            #expect(ended.status == 200)
            let dto = ended.json.object("locus")
            #expect(dto.object("fullState")["state"] as? String == "INACTIVE")
            #expect(dto.object("fullState")["active"] as? Bool == false)
            #expect(dto.objects("participants").allSatisfy { $0["state"] as? String == "LEFT" })
            #expect(dto.object("self")["state"] as? String == "LEFT")
            #expect(try await client.info(["userId": alice])["locusUrl"] == nil)
            #expect(try await client.send("GET", "/locus/api/v1/loci", token: "bob-token").json.strings("locusUrls").isEmpty)
            #expect(try await client.call("PATCH", locusUrl + "/controls", ["lock": ["locked": true]]).status == 403)
            #expect(try await client.joinLocus(token: "bob-token", locusUrl: locusUrl, deviceURL: "dev-b").status == 403)
            // Joining again starts a new locus.
            let (next, _) = try await client.joined(address: joinURL, deviceURL: "dev-a")
            #expect(next["url"] as? String != locusUrl)
            let all = try await client.loci()
            #expect(all.map { $0["state"] as? String } == ["INACTIVE", "ACTIVE"])
            #expect(all.map { $0["live"] as? Bool } == [false, true])
        }
    }

    @Test func deltasReachTheOtherParticipantsMercurySocket() async throws {
        try await withEmulator { client, emulator in
            let (joinURL, _) = try await Self.alicesRoom(client)
            let (socket, deviceId) = try await Mercury.listen(client, emulator, token: "bob-token")
            defer { socket.close() }
            let bobDevice = "\(emulator.endpoint.origin)/wdm/api/v1/devices/\(deviceId)"
            let (a, _) = try await client.joined(address: joinURL, deviceURL: "dev-a")
            let locusUrl = try #require(a["url"] as? String)
            let (b, _) = try await client.joined(token: "bob-token", locusUrl: locusUrl, deviceURL: bobDevice)
            let bobId = try #require(b.object("self")["id"] as? String)
            let s1 = try #require(sequenceValue(b))

            // Bob's join: the full DTO (he had none yet).
            let joinedEvent = try await socket.nextJSON()
            #expect(joinedEvent["id"] is String && joinedEvent["sequenceNumber"] is Int && joinedEvent["trackingId"] is String)
            let jd = joinedEvent.object("data")
            #expect(jd["eventType"] as? String == "locus.participant_joined")
            #expect(jd["locusUrl"] as? String == locusUrl)
            #expect(sequenceValue(jd.object("locus")) == s1)

            // Lock: a delta with only controls/info/fullState, based on the previous sequence.
            _ = try await client.call("PATCH", locusUrl + "/controls", ["lock": ["locked": true]])
            let lockEvent = try await socket.nextJSON().object("data")
            #expect(lockEvent["eventType"] as? String == "locus.difference")
            let d1 = lockEvent.object("locus")
            #expect(sequenceValue(d1, "baseSequence") == s1)
            let s2 = try #require(sequenceValue(d1))
            #expect(s2 > s1)
            #expect(d1["url"] as? String == locusUrl && d1["syncUrl"] is String)
            #expect(d1.object("baseSequence")["rangeStart"] as? Int == 0)
            #expect(joinedHints(d1).contains("LOCK_STATUS_LOCKED"))
            #expect(d1["self"] == nil && d1["participants"] == nil)

            // Muting Bob: his participant and his self change.
            _ = try await client.call("PATCH", locusUrl + "/participant/\(bobId)/controls", ["audio": ["muted": true]])
            let d2 = try await socket.nextJSON().object("data").object("locus")
            #expect(sequenceValue(d2, "baseSequence") == s2)
            let s3 = try #require(sequenceValue(d2))
            #expect(s3 > s2)
            #expect(d2.object("self").object("controls").object("audio")["muted"] as? Bool == true)
            #expect(d2.objects("participants").map { $0["id"] as? String } == [bobId])
            #expect(d2["controls"] == nil)

            // Sync from an older sequence; nothing newer gives {}.
            let sync = try await client.send("GET", locusUrl + "/sync?since=\(s1)&sequenceHash=0", token: "bob-token").json
            #expect(sequenceValue(sync, "baseSequence") == s1 && sequenceValue(sync) == s3)
            #expect(sync["controls"] != nil && participant(sync, bobId) != nil)
            #expect(try await client.send("GET", locusUrl + "/sync?since=\(s3)", token: "bob-token").json.isEmpty)
            #expect(try await client.send("GET", locusUrl + "/sync?since=soon", token: "bob-token").status == 400)

            // A reaction is relayed to the joined participants.
            let channel = try #require(d1.object("controls").object("reactions")["reactionChannelUrl"] as? String)
            let reaction: [String: Any] = [
                "sender": ["participantId": bobId],
                "reaction": ["type": "thumb_up", "codepoints": "1F44D", "shortcodes": ":thumbsup:", "tone": ["type": "normal"]],
            ]
            #expect(try await client.call("POST", channel, token: "bob-token", reaction).status == 200)
            let relay = try await socket.nextJSON().object("data")
            #expect(relay["eventType"] as? String == "relay.event" && relay["relayType"] as? String == "react")
            #expect(relay.object("sender")["participantId"] as? String == bobId)
            #expect(relay.object("reaction")["type"] as? String == "thumb_up")

            // DTMF is recorded.
            let dtmf: [String: Any] = ["deviceUrl": bobDevice, "dtmf": ["correlationId": "c1", "tones": "12#"]]
            #expect(try await client.call("POST", locusUrl + "/participant/\(bobId)/sendDtmf", token: "bob-token", dtmf).status == 200)
            let record = try #require(try await client.loci().first?.objects("participants").first { $0["id"] as? String == bobId })
            #expect(record.strings("dtmfSent") == ["12#"])
            #expect((record["reactions"] as? [[String: Any]])?.first?["type"] as? String == "thumb_up")

            // Bob leaves and still hears about it.
            let left = try await client.call(
                "PUT", locusUrl + "/participant/\(bobId)/leave", token: "bob-token",
                ["device": ["deviceType": "WEB", "url": bobDevice], "correlationId": "x"])
            #expect(left.status == 200)
            let d3 = try await socket.nextJSON().object("data").object("locus")
            #expect(sequenceValue(d3, "baseSequence") == s3)
            #expect(d3.object("self")["state"] as? String == "LEFT")
            // After that he is no longer in the audience.
            _ = try await client.call("PATCH", locusUrl + "/controls", ["lock": ["locked": false]])
            #expect(try await socket.isQuiet(for: 0.3))
        }
    }

    @Test func roapTurnDiscoveryOfferAnswerAndErrors() async throws {
        try await withEmulator { client, emulator in
            let (joinURL, _) = try await Self.alicesRoom(client)
            let turnRequest: [String: Any] = [
                "messageType": "TURN_DISCOVERY_REQUEST", "seq": 0, "version": "2",
                "headers": ["includeAnswerInHttpResponse", "noOkInTransaction"],
            ]
            let (a, media) = try await client.joined(
                address: joinURL, deviceURL: "dev-a", extra: ["localMedias": [["localSdp": localSdp(roap: turnRequest)]]])
            let turn = try remoteRoap(media)
            #expect(turn["messageType"] as? String == "TURN_DISCOVERY_RESPONSE" && turn["seq"] as? Int == 0)
            let headers = turn.strings("headers")
            #expect(headers.filter { $0.hasPrefix("x-cisco-turn-") }.count == 3)
            #expect(headers.contains("x-cisco-turn-url=turns:\(emulator.endpoint.host):443?transport=tcp"))
            #expect(headers.contains { $0.hasPrefix("x-cisco-turn-username=") } && headers.contains { $0.hasPrefix("x-cisco-turn-password=") })
            #expect(headers.contains("noOkInTransaction"))
            let selfDTO = a.object("self")
            #expect(selfDTO.object("status")["audioStatus"] as? String == "RECVONLY")
            let mediaURL = try #require(selfDTO["mediaBaseUrl"] as? String)
            let mediaId = try #require(media["mediaId"] as? String)

            func put(_ sdp: String, token: String = "alice-token") async throws -> (status: Int, json: [String: Any]) {
                try await client.call(
                    "PUT", mediaURL, token: token,
                    [
                        "device": ["url": "dev-a", "deviceType": "WEB"], "correlationId": "c",
                        "clientMediaPreferences": ["preferTranscoding": true],
                        "localMedias": [["localSdp": sdp, "mediaId": mediaId]],
                    ])
            }
            func offer(_ seq: Int, sdp: String = sampleOffer, noOk: Bool = true) -> [String: Any] {
                [
                    "messageType": "OFFER", "sdps": [sdp], "version": "2", "seq": seq, "tieBreaker": 4_294_967_294,
                    "headers": noOk ? ["includeAnswerInHttpResponse", "noOkInTransaction"] : ["includeAnswerInHttpResponse"],
                ]
            }
            let first = try await put(localSdp(audioMuted: false, videoMuted: true, roap: offer(1)))
            #expect(first.status == 200)
            #expect(first.json["locus"] is [String: Any])
            let answerMedia = try #require(first.json.objects("mediaConnections").first)
            #expect(answerMedia["mediaId"] as? String == mediaId)
            let answer = try remoteRoap(answerMedia)
            #expect(answer["messageType"] as? String == "ANSWER" && answer["seq"] as? Int == 1)
            #expect(answer.strings("headers") == ["noOkInTransaction"])
            let sdp = try #require(answer.strings("sdps").first)
            #expect(sdp.hasPrefix("v=0\r\n") && sdp.contains("m=audio 0 UDP/TLS/RTP/SAVPF 111\r\n") && sdp.contains("m=video 0 "))
            #expect(sdp.contains("a=mid:1\r\n"))
            var status = try await client.send("GET", try #require(a["url"] as? String)).json.object("self").object("status")
            #expect(status["audioStatus"] as? String == "SENDRECV" && status["videoStatus"] as? String == "RECVONLY")

            let repeated = try remoteRoap(try await put(localSdp(audioMuted: false, videoMuted: true, roap: offer(1))).json.objects("mediaConnections")[0])
            #expect(repeated["messageType"] as? String == "ERROR" && repeated["errorType"] as? String == "OUT_OF_ORDER" && repeated["seq"] as? Int == 1)
            let garbage = try remoteRoap(try await put(localSdp(audioMuted: false, videoMuted: true, roap: offer(2, sdp: "hello"))).json.objects("mediaConnections")[0])
            #expect(garbage["messageType"] as? String == "ERROR" && garbage["errorType"] as? String == "FAILED")
            let third = try remoteRoap(try await put(localSdp(audioMuted: false, videoMuted: true, roap: offer(3, noOk: false))).json.objects("mediaConnections")[0])
            #expect(third["messageType"] as? String == "ANSWER" && third["seq"] as? Int == 3 && third["headers"] == nil)
            let ok = try await put(localSdp(audioMuted: false, videoMuted: true, roap: ["messageType": "OK", "seq": 3, "version": "2"]))
            #expect(ok.status == 200 && ok.json["locus"] != nil)
            #expect(ok.json.objects("mediaConnections").first?["remoteSdp"] == nil)
            let late = try remoteRoap(try await put(localSdp(audioMuted: false, videoMuted: true, roap: offer(2))).json.objects("mediaConnections")[0])
            #expect(late["errorType"] as? String == "OUT_OF_ORDER")

            // Local mute alone (no ROAP) updates the status.
            let mute = try await put(localSdp(audioMuted: true, videoMuted: false))
            #expect(mute.status == 200)
            status = try await client.send("GET", try #require(a["url"] as? String)).json.object("self").object("status")
            #expect(status["audioStatus"] as? String == "RECVONLY" && status["videoStatus"] as? String == "SENDRECV")
            #expect(try await client.loci().first?.objects("participants").first?.objects("devices").first?["roapSeq"] as? Int == 3)
            // Nobody else's media.
            _ = try await client.joined(token: "bob-token", address: joinURL, deviceURL: "dev-b")
            #expect(try await put(localSdp(audioMuted: false), token: "bob-token").status == 403)
        }
    }

    @Test func accessInvitesRolesAndSpaces() async throws {
        try await withEmulator { client, emulator in
            let m = try await client.scheduleMeeting([
                "password": "Right123", "invitees": [["email": "bob@example.com", "coHost": true]],
            ])
            let link = try #require(m["webLink"] as? String)
            // Carol is neither host nor invitee: she needs a permission token for this password meeting.
            let refused = try await client.joinLocus(token: "carol-token", address: link, deviceURL: "dev-c")
            #expect(try refused.status == 403 && refused.json["errorCode"] as? Int == 2403100)
            let token = try #require(try await client.info(["meetingUrl": link, "password": "Right123"], token: "carol-token")["permissionToken"])
            let (c, _) = try await client.joined(token: "carol-token", address: link, deviceURL: "dev-c", extra: ["permissionToken": token])
            let carolId = try #require(c.object("self")["id"] as? String)
            let locusUrl = try #require(c["url"] as? String)
            #expect(c.object("self")["moderator"] as? Bool == false)
            // Bob (invitee, co-host) needs no token and may lock.
            let (b, _) = try await client.joined(token: "bob-token", address: "wbxmn:\(m["meetingNumber"]!)", deviceURL: "dev-b")
            let bobId = try #require(b.object("self")["id"] as? String)
            #expect(roles(b.object("self")) == ["COHOST", "ATTENDEE"])
            #expect(try await client.call("PATCH", locusUrl + "/controls", token: "bob-token", ["lock": ["locked": true]]).status == 200)
            let (a, _) = try await client.joined(address: "\(m["meetingNumber"]!)@emulator.webex.com", deviceURL: "dev-a")
            #expect(a.object("self")["moderator"] as? Bool == true && a.object("self")["state"] as? String == "JOINED")
            let aliceId = try #require(a.object("self")["id"] as? String)

            // Invitations: phone numbers and emails; cancel a phone invitation.
            let phone = try await client.call("PUT", locusUrl, ["invitees": [["address": "+14085551234"]], "alertIfActive": true])
            #expect(phone.status == 200)
            let pstn = try #require(phone.json.object("locus").objects("participants").first { $0["type"] as? String == "PSTN" })
            #expect(pstn["state"] as? String == "NOTIFIED")
            #expect(try await client.call("PUT", locusUrl, ["invitees": [["address": "hello"]]]).json["errorCode"] as? Int == 2400025)
            #expect(try await client.call("PUT", locusUrl, token: "carol-token", ["invitees": [["address": "+14085550000"]]]).status == 403)
            let cancel = try await client.call("PUT", locusUrl, ["actionType": "REMOVE", "invitees": [["address": "+14085551234"]]])
            #expect(participant(cancel.json.object("locus"), pstn["id"] as! String)?["state"] as? String == "LEFT")
            let email = try await client.call("PUT", locusUrl, ["invitees": [["address": "someone@elsewhere.test"]]])
            #expect(email.json.object("locus").objects("participants").contains { $0["state"] as? String == "NOTIFIED" && $0["type"] as? String == "USER" })

            // Hands: Bob raises his; Carol cannot lower it; everyone's lowered by a moderator.
            let bobUrl = locusUrl + "/participant/\(bobId)"
            #expect(try await client.call("PATCH", bobUrl + "/controls", token: "bob-token", ["hand": ["raised": true]]).status == 200)
            #expect(try await client.call("PATCH", bobUrl + "/controls", token: "carol-token", ["hand": ["raised": false]]).status == 403)
            let lowered = try await client.call("PATCH", locusUrl + "/controls", ["hand": ["raised": false], "requestingParticipantId": aliceId])
            #expect(participant(lowered.json.object("locus"), bobId)?.object("controls").object("hand")["raised"] as? Bool == false)

            // Transfer host to Carol; rename; layout.
            let transfer = try await client.call("PATCH", locusUrl + "/participant/\(carolId)/controls", ["role": ["moderator": true]])
            #expect(transfer.status == 200)
            let after = try await client.send("GET", locusUrl).json
            #expect(participant(after, carolId)?["moderator"] as? Bool == true)
            #expect(after.object("self")["moderator"] as? Bool == false)
            #expect(after.object("host")["id"] as? String == uuid(try await client.send("GET", "/v1/people/me", token: "carol-token").json["id"] as? String ?? ""))
            let renamed = try await client.call("POST", bobUrl + "/alias", token: "carol-token", ["aliasValue": "Robert", "requestingParticipantId": carolId])
            #expect(participant(renamed.json.object("locus"), bobId)?.object("person")["name"] as? String == "Robert")
            #expect(try await client.call("POST", locusUrl + "/participant/\(carolId)/alias", ["aliasValue": "X"]).status == 403)
            let layout = try await client.call("PUT", locusUrl + "/participant/\(aliceId)/controls", ["layout": ["deviceUrl": "dev-a", "type": "Equal"]])
            #expect(layout.json.object("locus").object("self").object("controls").objects("layouts").first?["type"] as? String == "Equal")
            #expect(try await client.call("PUT", locusUrl + "/participant/\(aliceId)/controls", ["layout": ["type": "Huge"]]).status == 400)

            // Removing someone takes a moderator.
            #expect(try await client.call("PUT", locusUrl + "/participant/\(carolId)/leave", ["reason": "FORCED"]).status == 403)
            let removed = try await client.call("PUT", locusUrl + "/participant/\(aliceId)/leave", token: "carol-token", ["reason": "FORCED"])
            #expect(participant(removed.json.object("locus"), aliceId)?["removed"] as? Bool == true)

            // Space meetings: members only; the room's creator is the host.
            let roomId = try await client.create("/v1/rooms", #"{"title":"Standup"}"#)
            _ = try await client.create("/v1/memberships", #"{"roomId":"\#(roomId)","personEmail":"bob@example.com"}"#)
            let conv = "\(emulator.endpoint.origin)/conversation/api/v1/conversations/\(uuid(roomId))"
            let outsider = try await client.joinLocus(token: "carol-token", address: conv, deviceURL: "dev-c")
            #expect(try outsider.status == 403 && outsider.json["errorCode"] as? Int == 2403010)
            let (sb, _) = try await client.joined(token: "bob-token", address: conv, deviceURL: "dev-b")
            #expect(sb.object("self")["moderator"] as? Bool == false)
            #expect(sb.object("info")["isUnifiedSpaceMeeting"] as? Bool == true)
            let (sa, _) = try await client.joined(address: conv, deviceURL: "dev-a")
            #expect(sa.object("self")["moderator"] as? Bool == true && sa["url"] as? String == sb["url"] as? String)

            // Bad joins.
            let noCorrelation = try await client.send(
                "POST", "/locus/api/v1/loci/call", json: jsonText(["device": ["url": "d"], "invitee": ["address": link]]))
            #expect(try noCorrelation.status == 400 && noCorrelation.json["errorCode"] as? Int == 2400000)
            let nowhere = try await client.joinLocus(address: "https://emulator.webex.com/meet/nobody", deviceURL: "d")
            #expect(try nowhere.status == 404 && nowhere.json["errorCode"] as? Int == 2404002)
        }
    }

    /// A media endpoint that names the offerer in its answer, and fails for video-only offers.
    struct NamingEndpoint: LocusMediaEndpoint {
        struct NoAudio: Error, CustomStringConvertible { var description: String { "no audio m-line" } }
        func answer(offerSDP: String, participant: LocusMediaParticipant) async throws -> String {
            guard offerSDP.contains("m=audio") else { throw NoAudio() }
            return "v=0\r\no=custom 1 1 IN IP4 127.0.0.1\r\ns=\(participant.personEmail ?? "")\r\nt=0 0\r\n"
        }
    }

    @Test func theConfiguredMediaEndpointAnswersOffers() async throws {
        let server = EmulatorServer(configuration: EmulatorConfiguration(port: 0, mediaEndpoint: NamingEndpoint()))
        let (stream, continuation) = AsyncStream<EmulatorEndpoint>.makeStream()
        let task = Task {
            defer { continuation.finish() }
            try await server.run { continuation.yield($0) }
        }
        var iterator = stream.makeAsyncIterator()
        let endpoint = try #require(await iterator.next())
        let emulator = RunningEmulator(server: server, endpoint: endpoint, task: task)
        do {
            try await offerToTheNamingEndpoint(TestClient(emulator))
        } catch {
            await emulator.stop()
            throw error
        }
        await emulator.stop()
    }

    private func offerToTheNamingEndpoint(_ client: TestClient) async throws {
        let (joinURL, _) = try await Self.alicesRoom(client)
        let (a, media) = try await client.joined(address: joinURL, deviceURL: "dev-a")
        let mediaURL = try #require(a.object("self")["mediaBaseUrl"] as? String)
        func offer(_ seq: Int, _ sdp: String) async throws -> [String: Any] {
            let roap: [String: Any] = ["messageType": "OFFER", "seq": seq, "version": "2", "sdps": [sdp]]
            let r = try await client.call(
                "PUT", mediaURL,
                ["device": ["url": "dev-a"], "correlationId": "c", "localMedias": [["localSdp": localSdp(roap: roap), "mediaId": media["mediaId"]!]]])
            return try remoteRoap(r.json.objects("mediaConnections")[0])
        }
        let answer = try await offer(1, sampleOffer)
        #expect(answer["messageType"] as? String == "ANSWER")
        #expect(answer.strings("sdps").first?.contains("s=alice@example.com\r\n") == true)
        let videoOnly = sampleOffer.components(separatedBy: "m=audio").first! + "m=video 9 UDP/TLS/RTP/SAVPF 102\r\n"
        let failed = try await offer(2, videoOnly)
        #expect(failed["errorType"] as? String == "FAILED" && failed["errorCause"] as? String == "no audio m-line")
    }
}
