import Foundation
import Testing
import WebexSDK

/// The SDK's meeting session against the real emulator process: the parts the CLI does not drive yet
/// (ROAP over `/media`, TURN discovery, local mute), checked on the wire.
@Suite(.serialized) struct MeetingSDKTests {
    func client(_ emu: Emulator, _ email: String) throws -> Webex {
        try Webex(configuration: WebexConfiguration(baseURL: URL(string: emu.baseURL)!,
                                                    tokenSource: StaticTokenSource(token: emu.token(email), sourceDescription: "test")))
    }

    @Test func roapTurnDiscoveryOfferAndLocalMuteGoThroughMedia() async throws {
        let emu = try Emulator()
        let alice = try client(emu, "alice@example.com")
        let info: MeetingInfo
        do throws(MeetingInfoFailure) { info = try await alice.meetings.info(.personalRoom(nil)) } catch { throw error.webexError }
        #expect(info.isPersonalRoom)
        #expect((info.permissionTokenTTL() ?? 0) > 60)
        let meeting = try await Meeting.join(info, client: alice)
        #expect(await meeting.locus.selfState == "JOINED")
        #expect(await meeting.mediaId != nil)

        // TURN discovery: exactly three headers, with the UDP variant derived.
        let turn = try #require(try await meeting.discoverTURN())
        #expect(turn.url.hasPrefix("turns:") && turn.urls.count == 2)

        // An offer gets an answer for the same sequence, carried in the HTTP response.
        let offer = """
            v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n\
            m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=sendrecv\r\na=rtpmap:111 opus/48000/2\r\n\
            a=ice-ufrag:abcd\r\na=ice-pwd:0123456789abcdef01234567\r\na=fingerprint:sha-256 \
            AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99\r\n\
            a=setup:actpass\r\na=candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host\r\n
            """
        let answer = try await meeting.offer(sdp: offer)
        #expect(answer.hasPrefix("v=0"))
        #expect(await meeting.roap.seq == 1)
        // A second offer moves the sequence on.
        _ = try await meeting.offer(sdp: offer)
        #expect(await meeting.roap.seq == 2)

        // Local mute is reported on /media and shows in the roster as the other side reads it.
        try await meeting.muteSelf(false)
        #expect(await meeting.members.first { $0.isSelf }?.muted == false)
        try await meeting.muteSelf(true)
        #expect(await meeting.members.first { $0.isSelf }?.muted == true)
        let (_, data) = try await emu.http("GET", "/_emulator/loci")
        #expect(String(decoding: data, as: UTF8.self).contains("alice@example.com"))

        try await meeting.leave()
        #expect(await meeting.isFinished)
    }

    func loci(_ emu: Emulator) async throws -> [[String: Any]] {
        let (_, data) = try await emu.http("GET", "/_emulator/loci")
        return ((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["items"] as? [[String: Any]]) ?? []
    }

    func participants(_ emu: Emulator) async throws -> [[String: Any]] {
        try await loci(emu).last.flatMap { $0["participants"] as? [[String: Any]] } ?? []
    }

    /// Every host control the CLI does not exercise end to end, checked in the emulator's state.
    @Test func hostControlsReachLocus() async throws {
        let emu = try Emulator()
        let alice = try client(emu, "alice@example.com"), bob = try client(emu, "bob@example.com")
        let info: MeetingInfo, bobInfo: MeetingInfo
        do throws(MeetingInfoFailure) {
            info = try await alice.meetings.info(.personalRoom(nil))
            bobInfo = try await bob.meetings.info(.sip("alice@example.com"))
        } catch { throw error.webexError }
        let host = try await Meeting.join(info, client: alice)
        let guest = try await Meeting.join(bobInfo, client: bob)
        // The guest's join reaches the host over the events socket.
        for _ in 0..<100 where await host.members.filter({ $0.status == "IN_MEETING" }).count < 2 { try await Task.sleep(nanoseconds: 50_000_000) }
        #expect(await host.members.filter { $0.status == "IN_MEETING" }.count == 2)

        try await host.invite("carol@example.com")
        try await host.invite("+15551234567")
        await #expect(throws: WebexError.self) { try await host.invite("not-a-number") }
        try await host.cancelPhoneInvite("+15551234567")
        try await host.sendDTMF("12#")
        try await host.sendReaction("clap", tone: "medium")
        try await host.changeLayout("equal")
        try await host.muteAll(true, onEntry: true)
        try await host.raiseHand(true)
        var people = try await participants(emu)
        let me = people.first { $0["email"] as? String == "alice@example.com" }
        #expect((me?["dtmfSent"] as? [String]) == ["12#"])
        #expect(((me?["reactions"] as? [[String: Any]])?.first?["type"] as? String) == "clap")
        #expect(me?["handRaised"] as? Bool == true)
        #expect(people.contains { $0["email"] as? String == "carol@example.com" })
        #expect(people.first { $0["email"] as? String == "bob@example.com" }?["audioMuted"] as? Bool == true)
        #expect(try await loci(emu).last?["muteOnEntry"] as? Bool == true)

        // The guest is refused host controls locally, with the reason.
        do { try await guest.lock(true); Issue.record("a guest must not lock") } catch {
            guard case .notPermitted(let m) = error else { Issue.record("\(error)"); return }
            #expect(m.contains("only the host"))
        }
        try await host.setReactionsEnabled(false)
        for _ in 0..<100 where await guest.locus.capabilities.contains("REACTIONS_ACTIVE") { try await Task.sleep(nanoseconds: 50_000_000) }
        await #expect(throws: WebexError.self) { try await guest.sendReaction("heart") }

        // Host hands over, and the new host removes the old one.
        _ = try await host.transferHost(to: "Bob Example")
        for _ in 0..<100 where !(await guest.locus.roles.contains("MODERATOR")) { try await Task.sleep(nanoseconds: 50_000_000) }
        _ = try await guest.remove("alice@example.com")
        for _ in 0..<100 where !(await host.isFinished) { try await Task.sleep(nanoseconds: 50_000_000) }
        #expect(await host.isFinished)
        people = try await participants(emu)
        #expect(people.first { $0["email"] as? String == "alice@example.com" }?["state"] as? String == "LEFT")
        try await guest.endForAll()
        #expect(try await loci(emu).last?["state"] as? String == "INACTIVE")
    }

    /// Three wrong passwords bring a captcha; refreshing gives a new one; solving it with the password opens
    /// the meeting. A personal room is claimed with its PIN.
    @Test func captchaRefreshAndPersonalRoomClaim() async throws {
        let emu = try Emulator()
        let alice = try client(emu, "alice@example.com"), carol = try client(emu, "carol@example.com")
        let start = Date(), end = Date().addingTimeInterval(3600)
        let m = try await alice.scheduledMeetings.create(ScheduledMeetingFields(title: "Board", start: start, end: end, password: "Right-1"))
        let link = try #require(m.webLink)
        var captcha: MeetingCaptcha?
        for attempt in 1...3 {
            do throws(MeetingInfoFailure) {
                _ = try await carol.meetings.info(.link(link), password: "wrong-\(attempt)")
                Issue.record("a wrong password must be refused")
            } catch {
                switch error {
                case .passwordRequired(_, let wrong): #expect(wrong && attempt < 3)
                case .captchaRequired(let c, _, _): #expect(attempt == 3); captcha = c
                default: Issue.record("\(error)")
                }
            }
        }
        let first = try #require(captcha)
        let fresh = try await carol.meetings.refreshCaptcha(first)
        #expect(fresh.id != first.id)
        let (_, data) = try await emu.http("GET", "/_emulator/captchas/\(fresh.id)")
        let code = try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["code"] as? String)
        do throws(MeetingInfoFailure) {
            let info = try await carol.meetings.info(.link(link), password: "Right-1", captcha: (fresh.id, code))
            #expect(info.meetingName == "Board" && info.permissionToken != nil)
        } catch { Issue.record("the solved captcha with the right password must open the meeting: \(error)") }

        let claimed = try emu.webex(["meeting", "pmr", "--claim", "https://emulator.webex.com/meet/alice"],
                                    extraEnv: ["WEBEX_MEETING_HOST_PIN": "4321"])
        #expect(claimed.status == 0 && claimed.stdout.contains("claimed"), "\(claimed.stderr)")
        let badPIN = try emu.webex(["meeting", "pmr", "--claim", "https://emulator.webex.com/meet/alice", "--pin", "12"])
        #expect(badPIN.status == 2 && badPIN.stderr.contains("4 to 6 digits"), "\(badPIN.stderr)")
    }
}
