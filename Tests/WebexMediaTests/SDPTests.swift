import Testing
@testable import WebexMedia

@Suite struct SDPParsingTests {
    @Test func aiortcOfferParsesAndRoundTripsByteExact() throws {
        let sdp = try SessionDescription(parsing: SDPSamples.aiortcOffer)
        #expect(sdp.version == 0)
        #expect(sdp.origin == "- 3941205321 3941205321 IN IP4 0.0.0.0")
        #expect(sdp.groups == [["BUNDLE", "0", "1"]])
        #expect(sdp.bundleMids == ["0", "1"])
        #expect(!sdp.isICELite)
        #expect(sdp.media.map(\.kind) == ["audio", "video"])
        let audio = sdp.media[0], video = sdp.media[1]
        #expect(audio.port == 48211 && audio.proto == "UDP/TLS/RTP/SAVPF")
        #expect(audio.formats == ["96", "9", "0", "8"])
        #expect(audio.payloadFormats.map(\.name) == ["opus", "G722", "PCMU", "PCMA"])
        #expect(audio.payloadFormats[0].channels == 2)
        #expect(audio.mid == "0" && audio.direction == .sendrecv && audio.rtcpMux)
        #expect(audio.setup == "actpass")
        #expect(audio.fingerprint?.algorithm == "sha-256")
        #expect(audio.fingerprint?.value.hasPrefix("4A:0B:91") == true)
        #expect(audio.candidates.count == 3)
        #expect(audio.fingerprints.map(\.algorithm) == ["sha-512", "sha-256"])
        #expect(audio.candidates[1].hasSuffix("typ srflx raddr 10.20.30.40 rport 48211"))
        #expect(audio.endOfCandidates)
        #expect(audio.ssrcs == [2868210611])
        #expect(audio.cname(for: 2868210611) == "3f2a9c1e-8b7d-4e60-a1f5-0c9d2e4b6a78")
        #expect(audio.extmaps.map(\.id) == [1, 2])
        #expect(video.payloadFormats.count == 10)
        let h264 = video.payloadFormats.filter { $0.name == "H264" }
        #expect(h264.map(\.payloadType) == [99, 101, 103, 105])
        #expect(h264[0].parameter("Profile-Level-ID") == "42001f")
        #expect(h264[1].parameters["packetization-mode"] == "0")
        #expect(h264[0].feedback == ["nack", "nack pli", "goog-remb"])
        #expect(video.rtxPayloadType(for: 97) == 98)
        #expect(video.rtxPayloadType(for: 105) == 106)
        #expect(video.ssrcs == [1436829007, 3104568217])
        #expect(video.ssrcGroups == [SSRCGroup(semantics: "FID", ssrcs: [1436829007, 3104568217])])
        #expect(sdp.iceCredentials(for: 1)?.ufrag == "Qx7v")
        #expect(sdp.text == SDPSamples.aiortcOffer)
    }

    @Test func chromeOfferWithLFLineEndsParses() throws {
        let sdp = try SessionDescription(parsing: SDPSamples.chromeOffer)
        #expect(sdp.media.count == 3)
        #expect(sdp.media[2].kind == "application" && sdp.media[2].formats == ["webrtc-datachannel"])
        #expect(sdp.media[2].payloadFormats.isEmpty)
        #expect(sdp.media[1].direction == .sendonly)
        #expect(sdp.media[0].payloadFormats.first?.feedback == ["transport-cc"])
        #expect(sdp.media[0].payloadFormats.first?.parameter("useinbandfec") == "1")
        #expect(sdp.media[0].candidates.isEmpty && !sdp.media[0].endOfCandidates)
        #expect(sdp.attributes.contains(SDPAttribute("extmap-allow-mixed")))
        // Serialized with CRLF, and identical to the input apart from the line ends.
        #expect(sdp.text == SDPSamples.chromeOffer.split(separator: "\n").map { $0 + "\r\n" }.joined())
        #expect(try SessionDescription(parsing: sdp.text) == sdp)
    }

    @Test func webexAnswerIsLenientlyParsed() throws {
        let sdp = try SessionDescription(parsing: SDPSamples.webexAnswer)
        #expect(sdp.isICELite)
        #expect(sdp.connection == "IN IP4 203.0.113.45")
        #expect(sdp.bandwidths == ["TIAS:4000000"])
        #expect(sdp.media[0].proto == "RTP/AVP")
        #expect(sdp.media[0].iceUfrag == nil)
        let creds = try #require(sdp.iceCredentials(for: 0))
        #expect(creds.ufrag == "vK2pR8tW4xZ6bN0mQ3sD5fH7jL9cA1eG" && creds.ufrag.count == 32)
        #expect(sdp.fingerprint(for: 1)?.value.hasPrefix("E7:12") == true)
        #expect(sdp.setup(for: 0) == "passive")
        #expect(sdp.media[0].candidates[1] == "1 1 xTLS 1962934271 203.0.113.45 443 typ host fingerprint sha-1;5A:C3:7F:14")
        // rtcp-fb:* applies to every format.
        #expect(sdp.media[1].payloadFormats[0].feedback == ["nack", "nack pli", "ccm fir"])
        #expect(sdp.media[2].port == 0 && sdp.media[2].isSlides && sdp.media[2].direction == .inactive)
        #expect(sdp.text == SDPSamples.webexAnswer)
    }

    @Test func unknownLinesAndAttributesAreKept() throws {
        let text = "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=Call\r\ni=A meeting\r\nu=http://x\r\ne=a@b.c\r\nt=0 0\r\nr=7d 1h 0 25h\r\nk=prompt\r\ny=unknown letter\r\na=x-webex-thing:value:with:colons\r\na=flag\r\na=empty:\r\nm=audio 9/2 RTP/AVP 0\r\ni=audio line\r\nc=IN IP4 0.0.0.0\r\nb=AS:64\r\nk=clear:x\r\na=x-custom\r\n"
        let sdp = try SessionDescription(parsing: text)
        #expect(sdp.otherLines == ["i=A meeting", "u=http://x", "e=a@b.c", "r=7d 1h 0 25h", "k=prompt", "y=unknown letter"])
        #expect(sdp.attributes == [SDPAttribute("x-webex-thing", "value:with:colons"), SDPAttribute("flag"), SDPAttribute("empty", "")])
        #expect(sdp.media[0].portCount == 2)
        #expect(sdp.media[0].otherLines == ["i=audio line", "k=clear:x"])
        #expect(sdp.media[0].payloadFormats == [PayloadFormat(payloadType: 0, name: "PCMU", clockRate: 8000, channels: 1)])
        #expect(sdp.text == text)
    }

    @Test(arguments: [
        "", "hello world", "o=- 1 1 IN IP4 1.2.3.4\r\nv=0\r\n", "v=zero\r\no=x\r\n", "v=0\r\ns=-\r\n",
        "v=0\r\no=x\r\nthis is not sdp\r\n", "v=0\r\no=x\r\nm=audio\r\n", "v=0\r\no=x\r\nm=audio 9\r\n",
        "v=0\r\no=x\r\nm=audio 70000 RTP/AVP 0\r\n", "v=0\r\no=x\r\nm=audio -1 RTP/AVP 0\r\n",
        "v=0\r\no=x\r\nm=audio 9/x RTP/AVP 0\r\n", "v=0\r\no=x\r\n=novalue\r\n", "v=0\r\no=x\r\n1=digit\r\n",
        "{\"sdp\": \"v=0\"}",
    ])
    func garbageIsRejected(_ text: String) {
        #expect {
            _ = try SessionDescription(parsing: text)
        } throws: { ($0 as? MediaError)?.kind == .sdp }
    }

    @Test func oversizedInputIsRejected() {
        let big = "v=0\r\no=x\r\n" + String(repeating: "a=x\r\n", count: 300_000)
        #expect(throws: MediaError.self) { try SessionDescription(parsing: big) }
    }

    @Test func accessorsSetInPlace() throws {
        var m = try #require(try SessionDescription(parsing: SDPSamples.aiortcOffer).media.first)
        m.direction = .recvonly
        #expect(m.direction == .recvonly)
        #expect(m.attributes.filter { MediaDirection(rawValue: $0.name) != nil }.count == 1)
        #expect(m.attributes[0] == SDPAttribute("recvonly"))   // replaced where sendrecv was
        m.mid = "audio"
        m.setup = "active"
        m.rtcpMux = false
        m.candidates = ["1 1 udp 1 127.0.0.1 9 typ host"]
        m.payloadFormats = [.opus(payloadType: 109)]
        let reparsed = try SessionDescription(parsing: "v=0\r\no=x\r\n" + m.text).media[0]
        #expect(reparsed == m)
        #expect(reparsed.mid == "audio" && reparsed.setup == "active" && !reparsed.rtcpMux)
        #expect(reparsed.formats == ["109"])
        #expect(reparsed.payloadFormats == [.opus(payloadType: 109)])
        #expect(reparsed.candidates == ["1 1 udp 1 127.0.0.1 9 typ host"])
    }

    @Test func directionAlgebra() {
        #expect(MediaDirection.sendonly.reversed == .recvonly)
        #expect(MediaDirection.recvonly.reversed == .sendonly)
        #expect(MediaDirection.sendrecv.reversed == .sendrecv)
        #expect(MediaDirection.inactive.reversed == .inactive)
        #expect(MediaDirection.sendrecv.intersection(.recvonly) == .recvonly)
        #expect(MediaDirection.sendonly.intersection(.recvonly) == .inactive)
    }
}

@Suite struct SDPNegotiationTests {
    static let transport = SDPTransportParameters(
        iceUfrag: "ab12", icePwd: "0123456789abcdefghijkl",
        fingerprint: "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF",
        candidates: ["1 1 udp 2130706431 127.0.0.1 40000 typ host"], defaultAddress: "127.0.0.1", defaultPort: 40000)

    @Test func answerToAiortcOffer() throws {
        let offer = try SessionDescription(parsing: SDPSamples.aiortcOffer)
        let options = SDPAnswerOptions(audioSSRC: 11, videoSSRC: 22)
        let (answer, result) = try SDPNegotiation.makeAnswer(to: offer, options: options, transport: Self.transport, cname: "me")
        let parsed = try SessionDescription(parsing: answer.text)
        #expect(parsed == answer)
        #expect(answer.bundleMids == ["0", "1"])
        #expect(answer.media.map(\.mid) == ["0", "1"])
        for m in answer.media {
            #expect(m.setup == "active")
            #expect(m.rtcpMux)
            #expect(m.iceUfrag == "ab12" && m.icePwd == "0123456789abcdefghijkl")
            #expect(m.fingerprint?.algorithm == "sha-256")
            #expect(m.candidates == Self.transport.candidates && m.endOfCandidates)
            #expect(m.proto == "UDP/TLS/RTP/SAVPF" && m.port == 40000)
            #expect(m.direction == .sendrecv)
        }
        #expect(answer.media[0].payloadFormats.map(\.payloadType) == [96])   // remote PT kept
        #expect(answer.media[0].payloadFormats[0].parameter("useinbandfec") == "1")
        #expect(answer.media[1].payloadFormats.map(\.payloadType) == [97])   // VP8 first in the offer
        #expect(answer.media[1].payloadFormats[0].feedback == ["nack", "nack pli", "goog-remb"])
        #expect(answer.media[0].cname(for: 11) == "me" && answer.media[1].ssrcs == [22])
        #expect(result.localIsDTLSClient)
        #expect(result.remoteICEUfrag == "Qx7v" && result.remoteICEPassword == "Zb0kq3mT9rLw2yN8cF4hJ6")
        #expect(result.remoteCandidates.count == 3)   // deduplicated over both m-lines
        #expect(result.remoteFingerprintAlgorithm == "sha-256" && result.remoteFingerprint.hasPrefix("4A:0B"))
        #expect(result.bundled && result.rtcpMux && !result.remoteIsICELite)
        #expect(result.media[0].codec?.name == "opus" && result.media[1].codec?.payloadType == 97)
        #expect(result.media[1].remoteSSRCs == [1436829007, 3104568217])
        #expect(result.remoteDefaultAddress == "10.20.30.40" && result.remoteDefaultPort == 48211)
    }

    @Test func h264OnlyPicksPacketizationModeOneBaseline() throws {
        let offer = try SessionDescription(parsing: SDPSamples.aiortcOffer)
        let options = SDPAnswerOptions(videoCodecs: [.h264()], acceptRTX: true)
        let (answer, result) = try SDPNegotiation.makeAnswer(to: offer, options: options, transport: Self.transport, cname: "me")
        let formats = answer.media[1].payloadFormats
        #expect(formats.map(\.payloadType) == [99, 100])
        #expect(formats[0].parameter("profile-level-id") == "42001f")
        #expect(formats[0].parameter("packetization-mode") == "1")
        #expect(formats[1].name == "rtx" && formats[1].parameter("apt") == "99")
        #expect(result.media[1].rtxPayloadType == 100)
    }

    @Test func h264ProfileRules() {
        let local = PayloadFormat.h264()
        func remote(_ params: [String: String]) -> PayloadFormat {
            PayloadFormat(payloadType: 120, name: "h264", clockRate: 90000, parameters: params)
        }
        #expect(local.accepts(remote(["packetization-mode": "1", "profile-level-id": "42e01f"])))
        #expect(local.accepts(remote(["packetization-mode": "1", "profile-level-id": "42C01F"])))
        #expect(local.accepts(remote(["packetization-mode": "1", "profile-level-id": "42001f"])))
        #expect(local.accepts(remote(["packetization-mode": "1"])))   // default profile is baseline
        #expect(!local.accepts(remote(["packetization-mode": "0", "profile-level-id": "42e01f"])))
        #expect(!local.accepts(remote(["profile-level-id": "42e01f"])))
        #expect(!local.accepts(remote(["packetization-mode": "1", "profile-level-id": "4d001f"])))
        #expect(!local.accepts(remote(["packetization-mode": "1", "profile-level-id": "640c1f"])))
        #expect(!local.accepts(remote(["packetization-mode": "1", "profile-level-id": "42zz1f"])))
        #expect(!local.accepts(PayloadFormat(payloadType: 1, name: "H264", clockRate: 8000, parameters: ["packetization-mode": "1"])))
        #expect(PayloadFormat.opus().accepts(PayloadFormat(payloadType: 96, name: "OPUS", clockRate: 48000, channels: 2)))
        #expect(!PayloadFormat.opus().accepts(PayloadFormat(payloadType: 0, name: "PCMU", clockRate: 8000)))
    }

    @Test func answerToChromeOfferRejectsDataChannelAndReversesDirection() throws {
        let offer = try SessionDescription(parsing: SDPSamples.chromeOffer)
        let options = SDPAnswerOptions(videoCodecs: [.h264()], videoSSRC: 33)
        let (answer, result) = try SDPNegotiation.makeAnswer(to: offer, options: options, transport: Self.transport, cname: "me")
        #expect(answer.media.count == 3)
        #expect(answer.media[2].port == 0 && answer.media[2].kind == "application" && answer.media[2].mid == "2")
        #expect(answer.media[2].formats == ["webrtc-datachannel"])
        #expect(answer.bundleMids == ["0", "1"])
        #expect(answer.media[0].payloadFormats.map(\.payloadType) == [111])
        #expect(answer.media[0].payloadFormats[0].feedback.isEmpty)   // transport-cc not implemented
        #expect(answer.media[1].direction == .recvonly)               // Chrome sends only
        #expect(answer.media[1].ssrcs.isEmpty)                        // we do not send there
        #expect(answer.media[1].payloadFormats.map(\.payloadType) == [102])
        #expect(answer.media[1].extmaps.map(\.id) == [2, 4])          // toffset dropped
        #expect(answer.media[0].attributes.contains(SDPAttribute("rtcp-rsize")))
        #expect(result.media[1].direction == .recvonly)
        #expect(result.media[2].rejected && result.media[2].direction == .inactive)
        #expect(result.remoteCandidates.isEmpty)
        #expect(result.bundled)
    }

    @Test func answerDirectionIntersectsOurWish() throws {
        var offer = try SessionDescription(parsing: SDPSamples.aiortcOffer)
        offer.media[0].direction = .recvonly
        offer.media[1].direction = .sendrecv
        let options = SDPAnswerOptions(audioDirection: .recvonly, videoDirection: .sendonly)
        let (answer, result) = try SDPNegotiation.makeAnswer(to: offer, options: options, transport: Self.transport, cname: "me")
        #expect(answer.media[0].direction == .inactive)
        #expect(answer.media[1].direction == .sendonly)
        #expect(result.media[0].direction == .inactive && result.media[1].direction == .sendonly)
    }

    @Test func setupRolesInAnswers() throws {
        var offer = try SessionDescription(parsing: SDPSamples.aiortcOffer)
        for i in offer.media.indices { offer.media[i].setup = "active" }
        let (answer, result) = try SDPNegotiation.makeAnswer(to: offer, options: SDPAnswerOptions(), transport: Self.transport, cname: "c")
        #expect(answer.media.allSatisfy { $0.setup == "passive" })
        #expect(!result.localIsDTLSClient)
        for i in offer.media.indices { offer.media[i].setup = "passive" }
        let (answer2, result2) = try SDPNegotiation.makeAnswer(to: offer, options: SDPAnswerOptions(), transport: Self.transport, cname: "c")
        #expect(answer2.media.allSatisfy { $0.setup == "active" } && result2.localIsDTLSClient)
        for i in offer.media.indices { offer.media[i].setup = "holdconn" }
        #expect(throws: MediaError.self) {
            try SDPNegotiation.makeAnswer(to: offer, options: SDPAnswerOptions(), transport: Self.transport, cname: "c")
        }
    }

    @Test func nothingInCommonThrows() throws {
        var offer = try SessionDescription(parsing: SDPSamples.aiortcOffer)
        offer.media.removeLast()
        offer.media[0].payloadFormats = [PayloadFormat(payloadType: 0, name: "PCMU", clockRate: 8000)]
        #expect(throws: MediaError.self) {
            try SDPNegotiation.makeAnswer(to: offer, options: SDPAnswerOptions(), transport: Self.transport, cname: "c")
        }
    }

    static func ourOffer() -> SessionDescription {
        SDPNegotiation.makeOffer(
            media: [.audio(ssrc: 1001), .video(ssrc: 2002), .slides(ssrc: 3003, codecs: [.h264()])],
            transport: transport, cname: "webex-cname", sessionID: 42)
    }

    @Test func ourOfferHasWhatAiortcNeeds() throws {
        let offer = Self.ourOffer()
        let text = offer.text
        #expect(text.hasPrefix("v=0\r\no=- 42 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"))
        let parsed = try SessionDescription(parsing: text)
        #expect(parsed == offer)
        #expect(parsed.groups == [["BUNDLE", "0", "1", "2"]])
        #expect(parsed.attribute("msid-semantic") == "WMS *")
        #expect(parsed.media.map(\.kind) == ["audio", "video", "video"])
        #expect(parsed.media.map(\.mid) == ["0", "1", "2"])
        #expect(parsed.media.map(\.isSlides) == [false, false, true])
        for (i, m) in parsed.media.enumerated() {
            #expect(m.proto == "UDP/TLS/RTP/SAVPF")
            #expect(m.setup == "actpass" && m.rtcpMux && m.direction == .sendrecv)
            #expect(m.fingerprint?.algorithm == "sha-256")
            #expect(m.iceUfrag == "ab12" && m.icePwd == "0123456789abcdefghijkl")
            #expect(m.candidates == Self.transport.candidates && m.endOfCandidates)
            #expect(m.cname(for: [1001, 2002, 3003][i]) == "webex-cname")
            #expect(m.attribute("msid") != nil)
            #expect(m.connection == "IN IP4 127.0.0.1" && m.port == 40000)
        }
        let audio = parsed.media[0].payloadFormats
        #expect(audio == [PayloadFormat(payloadType: 111, name: "opus", clockRate: 48000, channels: 2,
                                        parameters: ["minptime": "10", "useinbandfec": "1"])])
        #expect(text.contains("a=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n"))
        let video = parsed.media[1].payloadFormats
        #expect(video.map(\.name) == ["VP8", "H264"])
        #expect(video[1].fmtpValue == "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f")
        #expect(video[0].feedback == ["nack", "nack pli", "ccm fir", "goog-remb"])
        #expect(parsed.media[2].payloadFormats.map(\.name) == ["H264"])
    }

    @Test func offerWithRTXAnnouncesFIDGroup() throws {
        var spec = SDPMediaSpec.video(ssrc: 5, codecs: [.vp8(), .rtx(payloadType: 97, apt: 96)])
        spec.rtxSSRC = 6
        let offer = SDPNegotiation.makeOffer(media: [spec], transport: Self.transport, cname: "c")
        let m = try SessionDescription(parsing: offer.text).media[0]
        #expect(m.ssrcGroups == [SSRCGroup(semantics: "FID", ssrcs: [5, 6])])
        #expect(m.rtxPayloadType(for: 96) == 97)
    }

    @Test func webexAnswerToOurOffer() throws {
        let offer = Self.ourOffer()
        let answer = try SessionDescription(parsing: SDPSamples.webexAnswer)
        let result = try SDPNegotiation.processAnswer(answer, toOffer: offer)
        #expect(result.remoteIsICELite)
        #expect(result.localIsDTLSClient)   // server is passive
        #expect(result.remoteICEUfrag == "vK2pR8tW4xZ6bN0mQ3sD5fH7jL9cA1eG")
        #expect(result.remoteICEPassword == "Tq8Wn3Xb6Yc1Zd4Ae7Bf0Cg2Dh5Ei9Fj")
        #expect(result.remoteFingerprintAlgorithm == "sha-256" && result.remoteFingerprint.hasPrefix("E7:12:5C"))
        #expect(result.remoteCandidates == [
            "0 1 UDP 2130706431 203.0.113.45 5004 typ host",
            "1 1 xTLS 1962934271 203.0.113.45 443 typ host fingerprint sha-1;5A:C3:7F:14",
        ])
        #expect(result.media[0].codec?.name == "opus" && result.media[0].codec?.payloadType == 111)
        #expect(result.media[0].direction == .sendrecv)
        #expect(result.media[0].remoteSSRCs == [91238475])
        #expect(result.media[1].codec?.name == "H264" && result.media[1].codec?.payloadType == 102)
        #expect(result.media[1].direction == .sendonly)   // the server only receives camera video
        #expect(result.media[2].rejected && result.media[2].isSlides && result.media[2].direction == .inactive)
        #expect(result.bundled && result.rtcpMux)
        #expect(result.remoteDefaultAddress == "203.0.113.45" && result.remoteDefaultPort == 5004)
    }

    @Test func aiortcAnswerToOurOffer() throws {
        let offer = Self.ourOffer()
        let answer = try SessionDescription(parsing: SDPSamples.aiortcAnswer)
        #expect(answer.text == SDPSamples.aiortcAnswer)
        let result = try SDPNegotiation.processAnswer(answer, toOffer: offer)
        #expect(!result.localIsDTLSClient)   // aiortc is active: it runs the DTLS client
        #expect(!result.remoteIsICELite)
        #expect(result.remoteICEUfrag == "Wq3e")
        #expect(result.remoteFingerprintAlgorithm == "sha-256" && result.remoteFingerprint.hasPrefix("9F:1E"))
        #expect(result.remoteCandidates == ["0a1b2c3d4e5f60718293a4b5c6d7e8f9 1 udp 2130706431 10.20.30.40 51820 typ host"])
        #expect(result.media.map { $0.codec?.name } == ["opus", "VP8", "H264"])   // first answered codec wins
        #expect(result.media.map(\.direction) == [.sendrecv, .sendonly, .sendonly])
        #expect(result.media[2].isSlides)
        #expect(result.bundled && result.rtcpMux)
    }

    @Test func mismatchedAnswersAreRejected() throws {
        let offer = Self.ourOffer()
        var answer = try SessionDescription(parsing: SDPSamples.webexAnswer)
        answer.media.removeLast()
        #expect(throws: MediaError.self) { try SDPNegotiation.processAnswer(answer, toOffer: offer) }
        answer = try SessionDescription(parsing: SDPSamples.webexAnswer)
        answer.media[1].mid = "7"
        #expect(throws: MediaError.self) { try SDPNegotiation.processAnswer(answer, toOffer: offer) }
        answer = try SessionDescription(parsing: SDPSamples.webexAnswer)
        answer.media[0].kind = "video"
        #expect(throws: MediaError.self) { try SDPNegotiation.processAnswer(answer, toOffer: offer) }
        answer = try SessionDescription(parsing: SDPSamples.webexAnswer)
        answer.attributes.removeAll { $0.name == "fingerprint" }
        #expect {
            try SDPNegotiation.processAnswer(answer, toOffer: offer)
        } throws: { ($0 as? MediaError)?.message.contains("fingerprint") == true }
        answer = try SessionDescription(parsing: SDPSamples.webexAnswer)
        answer.attributes.removeAll { $0.name == "ice-pwd" }
        #expect(throws: MediaError.self) { try SDPNegotiation.processAnswer(answer, toOffer: offer) }
    }

    @Test func ourAnswerProcessedByTheOfferingSide() throws {
        // What a peer that received our answer to its offer concludes must mirror what we concluded.
        let offer = try SessionDescription(parsing: SDPSamples.aiortcOffer)
        let options = SDPAnswerOptions(audioDirection: .recvonly)
        let (answer, ours) = try SDPNegotiation.makeAnswer(to: offer, options: options, transport: Self.transport, cname: "c")
        let theirs = try SDPNegotiation.processAnswer(answer, toOffer: offer)
        #expect(theirs.localIsDTLSClient == !ours.localIsDTLSClient)
        #expect(theirs.media.map(\.direction) == ours.media.map(\.direction.reversed))
        #expect(theirs.media.map(\.codec) == ours.media.map(\.codec))
        #expect(theirs.remoteICEUfrag == "ab12")
    }
}

@Suite struct SDPFuzzTests {
    /// Deterministic xorshift so failures reproduce.
    struct Rng { var s: UInt64; mutating func next() -> UInt64 { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return s } }

    @Test func fuzzEntryNeverTrapsOnMutatedSamples() {
        var rng = Rng(s: 0x9E3779B97F4A7C15)
        let seeds = [SDPSamples.aiortcOffer, SDPSamples.chromeOffer, SDPSamples.webexAnswer].map { Array($0.utf8) }
        let alphabet = Array("v=o0 :/\r\na=m=c=\u{FF}*;".utf8) + [0, 0x80, 0xC3]
        for i in 0..<800 {
            var bytes = seeds[i % seeds.count]
            for _ in 0..<(1 + Int(rng.next() % 8)) {
                guard !bytes.isEmpty else { break }
                let pos = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 4 {
                case 0: bytes[pos] = UInt8(truncatingIfNeeded: rng.next())
                case 1: bytes.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: pos)
                case 2: bytes.removeSubrange(pos..<min(bytes.count, pos + Int(rng.next() % 64)))
                default: bytes = Array(bytes[..<pos])
                }
            }
            fuzzSDP(bytes)
        }
        for n in 0..<300 {
            fuzzSDP((0..<(n % 200)).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
        }
        fuzzSDP(Array("v=0\r\no=\r\nm=a 0 b \u{FFFD}\r\r\r\na=\r\na=:\r\n\r\r\n".utf8))
        fuzzSDP([0x76, 0x3D, 0x30, 0x0A, 0x6F, 0x3D, 0xFF, 0x0D, 0x0D, 0x0A, 0x6D, 0x3D, 0x61, 0x20, 0x30, 0x20, 0xC3])
    }
}
