// RFC 3264 offer/answer on top of SessionDescription: building our offers, answering a remote offer,
// and reading the outcome (codec, direction, ICE/DTLS parameters) from an offer/answer pair.

// MARK: Codec presets and matching

extension PayloadFormat {
    /// Opus as we offer it: 48 kHz, 2 channels in rtpmap, in-band FEC.
    public static func opus(payloadType: UInt8 = 111) -> PayloadFormat {
        PayloadFormat(payloadType: payloadType, name: "opus", clockRate: 48000, channels: 2,
                      parameters: ["minptime": "10", "useinbandfec": "1"])
    }

    /// Video feedback we implement: NACK, PLI, FIR, optionally REMB.
    public static func videoFeedback(remb: Bool = true) -> [String] {
        ["nack", "nack pli", "ccm fir"] + (remb ? ["goog-remb"] : [])
    }

    public static func vp8(payloadType: UInt8 = 96, remb: Bool = true) -> PayloadFormat {
        PayloadFormat(payloadType: payloadType, name: "VP8", clockRate: 90000, feedback: videoFeedback(remb: remb))
    }

    /// H.264 constrained baseline level 3.1, packetization mode 1.
    public static func h264(payloadType: UInt8 = 102, remb: Bool = true) -> PayloadFormat {
        PayloadFormat(payloadType: payloadType, name: "H264", clockRate: 90000,
                      parameters: ["level-asymmetry-allowed": "1", "packetization-mode": "1", "profile-level-id": "42e01f"],
                      feedback: videoFeedback(remb: remb))
    }

    /// RTX (RFC 4588) for `apt`.
    public static func rtx(payloadType: UInt8, apt: UInt8, clockRate: Int = 90000) -> PayloadFormat {
        PayloadFormat(payloadType: payloadType, name: "rtx", clockRate: clockRate, parameters: ["apt": String(apt)])
    }

    var isRTX: Bool { name.lowercased() == "rtx" }

    /// Whether a remote format can be handled by this local capability: same name (any case), same clock
    /// rate, same channel count (missing = 1; Opus is always "/2" in SDP), and for H.264 packetization
    /// mode 1 with a (constrained) baseline profile.
    public func accepts(_ remote: PayloadFormat) -> Bool {
        guard remote.name.lowercased() == name.lowercased(), remote.clockRate == clockRate else { return false }
        if name.lowercased() != "opus", (remote.channels ?? 1) != (channels ?? 1) { return false }
        if name.lowercased() == "h264" {
            guard remote.parameter("packetization-mode") == "1" else { return false }
            return Self.isBaselineProfile(remote.parameter("profile-level-id") ?? "42000a")
        }
        return true
    }

    /// profile-level-id with profile_idc 0x42 (baseline / constrained baseline, any level). Main (4d),
    /// high (64) and others are refused because our encoder and decoder are baseline only.
    public static func isBaselineProfile(_ profileLevelID: String) -> Bool {
        let hex = String(Substring(profileLevelID).trimmingSpaces)
        guard hex.utf8.count == 6, UInt32(hex, radix: 16) != nil else { return false }
        return hex.lowercased().hasPrefix("42")
    }
}

// MARK: Parameters of our side

/// Our ICE and DTLS parameters as they go into an offer or answer.
public struct SDPTransportParameters: Sendable, Equatable {
    public var iceUfrag: String
    public var icePwd: String
    /// Fingerprint value, e.g. "AB:CD:…" (from `DTLSCertificate.fingerprint`).
    public var fingerprint: String
    public var fingerprintAlgorithm: String
    /// Candidate values (after "candidate:"), e.g. `ICECandidate.sdpValue`.
    public var candidates: [String]
    /// Adds `a=end-of-candidates` (gathering finished, no trickle).
    public var endOfCandidates: Bool
    /// Address for `c=` and port for `m=` (RFC 8839 default candidate); "0.0.0.0"/9 when nil.
    public var defaultAddress: String?
    public var defaultPort: Int?
    public var iceLite: Bool

    public init(iceUfrag: String, icePwd: String, fingerprint: String, fingerprintAlgorithm: String = "sha-256",
                candidates: [String] = [], endOfCandidates: Bool = true, defaultAddress: String? = nil,
                defaultPort: Int? = nil, iceLite: Bool = false) {
        self.iceUfrag = iceUfrag
        self.icePwd = icePwd
        self.fingerprint = fingerprint
        self.fingerprintAlgorithm = fingerprintAlgorithm
        self.candidates = candidates
        self.endOfCandidates = endOfCandidates
        self.defaultAddress = defaultAddress
        self.defaultPort = defaultPort
        self.iceLite = iceLite
    }
}

/// One m-line of our offer.
public struct SDPMediaSpec: Sendable, Equatable {
    public enum Kind: String, Sendable { case audio, video, slides }
    public var kind: Kind
    public var mid: String
    public var direction: MediaDirection
    /// Formats in preference order (include `.rtx` entries only if the RTP layer handles RTX).
    public var codecs: [PayloadFormat]
    /// Our sending SSRC (announced with `a=ssrc:<n> cname:`), and the RTX SSRC when RTX is offered.
    public var ssrc: UInt32
    public var rtxSSRC: UInt32?
    public var streamID: String
    public var trackID: String
    public var extmaps: [String]   // full values after "extmap:", e.g. "1 urn:ietf:params:rtp-hdrext:sdes:mid"

    public init(kind: Kind, mid: String, direction: MediaDirection = .sendrecv, codecs: [PayloadFormat],
                ssrc: UInt32, rtxSSRC: UInt32? = nil, streamID: String = "webex", trackID: String? = nil,
                extmaps: [String] = []) {
        self.kind = kind
        self.mid = mid
        self.direction = direction
        self.codecs = codecs
        self.ssrc = ssrc
        self.rtxSSRC = rtxSSRC
        self.streamID = streamID
        self.trackID = trackID ?? "\(kind.rawValue)-\(mid)"
        self.extmaps = extmaps
    }

    /// Audio with Opus, mid "0".
    public static func audio(ssrc: UInt32, mid: String = "0", direction: MediaDirection = .sendrecv) -> SDPMediaSpec {
        SDPMediaSpec(kind: .audio, mid: mid, direction: direction, codecs: [.opus()], ssrc: ssrc)
    }

    /// Camera video, VP8 then H.264 by default, mid "1".
    public static func video(ssrc: UInt32, mid: String = "1", direction: MediaDirection = .sendrecv,
                             codecs: [PayloadFormat] = [.vp8(), .h264()]) -> SDPMediaSpec {
        SDPMediaSpec(kind: .video, mid: mid, direction: direction, codecs: codecs, ssrc: ssrc)
    }

    /// Screen-share video (`a=content:slides`), mid "2".
    public static func slides(ssrc: UInt32, mid: String = "2", direction: MediaDirection = .sendrecv,
                              codecs: [PayloadFormat] = [.vp8(), .h264()]) -> SDPMediaSpec {
        SDPMediaSpec(kind: .slides, mid: mid, direction: direction, codecs: codecs, ssrc: ssrc)
    }
}

/// What we accept when answering a remote offer.
public struct SDPAnswerOptions: Sendable, Equatable {
    public var audioCodecs: [PayloadFormat]
    public var videoCodecs: [PayloadFormat]
    /// Our wish per kind; the answer uses the reverse of the offer intersected with it.
    public var audioDirection: MediaDirection
    public var videoDirection: MediaDirection
    public var slidesDirection: MediaDirection
    /// Answer RTX for the chosen codec when the offer has it.
    public var acceptRTX: Bool
    /// rtcp-fb values we implement; the answer keeps the intersection with the offer.
    public var feedback: [String]
    /// SSRCs we will send with, by m-line kind; used for `a=ssrc` lines when we send.
    public var audioSSRC: UInt32
    public var videoSSRC: UInt32
    public var slidesSSRC: UInt32
    public var streamID: String

    public init(audioCodecs: [PayloadFormat] = [.opus()], videoCodecs: [PayloadFormat] = [.vp8(), .h264()],
                audioDirection: MediaDirection = .sendrecv, videoDirection: MediaDirection = .sendrecv,
                slidesDirection: MediaDirection = .sendrecv, acceptRTX: Bool = false,
                feedback: [String] = PayloadFormat.videoFeedback(remb: true),
                audioSSRC: UInt32 = 0, videoSSRC: UInt32 = 0, slidesSSRC: UInt32 = 0, streamID: String = "webex") {
        self.audioCodecs = audioCodecs
        self.videoCodecs = videoCodecs
        self.audioDirection = audioDirection
        self.videoDirection = videoDirection
        self.slidesDirection = slidesDirection
        self.acceptRTX = acceptRTX
        self.feedback = feedback
        self.audioSSRC = audioSSRC
        self.videoSSRC = videoSSRC
        self.slidesSSRC = slidesSSRC
        self.streamID = streamID
    }
}

// MARK: Outcome

/// The outcome for one m-line, seen from OUR side.
public struct NegotiatedMedia: Sendable, Equatable {
    public var index: Int
    public var mid: String?
    /// "audio", "video", "application", …
    public var kind: String
    public var isSlides: Bool
    /// Port 0 in the answer, or nothing we can use.
    public var rejected: Bool
    /// The codec both sides use, with the payload type both sides use (the offerer's number).
    public var codec: PayloadFormat?
    public var rtxPayloadType: UInt8?
    /// Our direction: `.sendonly` means we send and do not receive.
    public var direction: MediaDirection
    /// SSRCs the remote side announced for this m-line.
    public var remoteSSRCs: [UInt32]
    /// RTP header extensions of the answer, "id uri".
    public var extensions: [SDPExtension]
}

public struct SDPExtension: Sendable, Equatable {
    public var id: Int
    public var uri: String
}

/// ICE/DTLS parameters of the remote side and the per-m-line outcomes of an offer/answer exchange.
public struct NegotiatedSession: Sendable, Equatable {
    public var media: [NegotiatedMedia]
    public var remoteICEUfrag: String
    public var remoteICEPassword: String
    public var remoteIsICELite: Bool
    /// Candidate values (after "candidate:") of all used m-lines, deduplicated, unparsed.
    public var remoteCandidates: [String]
    public var remoteFingerprintAlgorithm: String
    public var remoteFingerprint: String
    /// True when we run the DTLS client (we are `active`).
    public var localIsDTLSClient: Bool
    /// All used m-lines are in one BUNDLE group (one transport).
    public var bundled: Bool
    public var rtcpMux: Bool
    /// `c=` address and `m=` port of the first used m-line, for peers that give no usable candidates.
    public var remoteDefaultAddress: String?
    public var remoteDefaultPort: Int?
}

// MARK: Builder and negotiator

public enum SDPNegotiation {

    /// Builds our offer. Session: `o=- <id> <version> IN IP4 127.0.0.1`, BUNDLE of all mids,
    /// `msid-semantic: WMS *`. Each m-line: UDP/TLS/RTP/SAVPF, mid, direction, msid, rtcp-mux,
    /// ICE credentials, sha-256 fingerprint, `setup:actpass`, candidates, codecs, `a=ssrc … cname:`.
    public static func makeOffer(media specs: [SDPMediaSpec], transport: SDPTransportParameters, cname: String,
                                 sessionID: UInt64 = UInt64.random(in: 1...(UInt64(Int64.max))),
                                 sessionVersion: UInt64 = 1) -> SessionDescription {
        var session = SessionDescription(origin: "- \(sessionID) \(sessionVersion) IN IP4 127.0.0.1")
        if transport.iceLite { session.attributes.append(SDPAttribute("ice-lite")) }
        session.attributes.append(SDPAttribute("group", (["BUNDLE"] + specs.map(\.mid)).joined(separator: " ")))
        session.attributes.append(SDPAttribute("msid-semantic", "WMS *"))
        for spec in specs {
            var m = MediaDescription(kind: spec.kind == .audio ? "audio" : "video",
                                     port: transport.defaultPort ?? 9, proto: "UDP/TLS/RTP/SAVPF", formats: [])
            m.connection = "IN IP4 " + (transport.defaultAddress ?? "0.0.0.0")
            if spec.kind == .slides { m.attributes.append(SDPAttribute("content", "slides")) }
            m.attributes.append(SDPAttribute("mid", spec.mid))
            addTransport(to: &m, transport, setup: "actpass")
            m.attributes.append(SDPAttribute(spec.direction.rawValue))
            for e in spec.extmaps { m.attributes.append(SDPAttribute("extmap", e)) }
            m.attributes.append(SDPAttribute("msid", "\(spec.streamID) \(spec.trackID)"))
            m.attributes.append(SDPAttribute("rtcp-mux"))
            m.attributes.append(SDPAttribute("rtcp-rsize"))
            m.payloadFormats = spec.codecs
            if let rtx = spec.rtxSSRC, spec.direction.sends {
                m.attributes.append(SDPAttribute("ssrc-group", "FID \(spec.ssrc) \(rtx)"))
            }
            for ssrc in [spec.ssrc] + (spec.rtxSSRC.map { [$0] } ?? []) {
                m.attributes.append(SDPAttribute("ssrc", "\(ssrc) cname:\(cname)"))
                m.attributes.append(SDPAttribute("ssrc", "\(ssrc) msid:\(spec.streamID) \(spec.trackID)"))
            }
            session.media.append(m)
        }
        return session
    }

    private static func addTransport(to m: inout MediaDescription, _ t: SDPTransportParameters, setup: String) {
        m.attributes.append(SDPAttribute("ice-ufrag", t.iceUfrag))
        m.attributes.append(SDPAttribute("ice-pwd", t.icePwd))
        if !t.endOfCandidates { m.attributes.append(SDPAttribute("ice-options", "trickle")) }
        m.attributes.append(SDPAttribute("fingerprint", "\(t.fingerprintAlgorithm) \(t.fingerprint)"))
        m.attributes.append(SDPAttribute("setup", setup))
        for c in t.candidates { m.attributes.append(SDPAttribute("candidate", c)) }
        if t.endOfCandidates { m.attributes.append(SDPAttribute("end-of-candidates")) }
    }

    /// Answers a remote offer. Per m-line: the first remote format we support (remote order, remote
    /// payload type); direction = reverse of the offer intersected with ours; port 0 when nothing fits
    /// or the m-line is not audio/video. `a=setup:active` for an `actpass`/`passive` offer (we are the
    /// DTLS client), `passive` for an `active` offer. Returns the answer and the negotiated outcome.
    public static func makeAnswer(to offer: SessionDescription, options: SDPAnswerOptions,
                                  transport: SDPTransportParameters, cname: String,
                                  sessionID: UInt64 = UInt64.random(in: 1...(UInt64(Int64.max)))) throws
        -> (answer: SessionDescription, negotiated: NegotiatedSession) {
        guard !offer.media.isEmpty else { throw MediaError(.sdp, "The SDP offer has no media sections to answer.") }
        let firstSetup = offer.media.indices.lazy.compactMap { offer.setup(for: $0) }.first ?? "actpass"
        let ourSetup: String
        switch firstSetup.lowercased() {
        case "active": ourSetup = "passive"
        case "holdconn": throw MediaError(.sdp, "The SDP offer uses a=setup:holdconn; no DTLS connection can be made.")
        default: ourSetup = "active"
        }
        var answer = SessionDescription(origin: "- \(sessionID) 1 IN IP4 127.0.0.1")
        if transport.iceLite { answer.attributes.append(SDPAttribute("ice-lite")) }
        let offeredBundle = offer.bundleMids
        var accepted: [String] = []
        var usedKinds = Set<String>()
        for (index, om) in offer.media.enumerated() {
            var m = MediaDescription(kind: om.kind, port: 0, proto: om.proto, formats: om.formats.isEmpty ? ["0"] : om.formats)
            m.connection = "IN IP4 " + (transport.defaultAddress ?? "0.0.0.0")
            let kind = om.kind.lowercased()
            let slides = om.isSlides
            let local: [PayloadFormat] = kind == "audio" ? options.audioCodecs : kind == "video" ? options.videoCodecs : []
            let remoteFormats = om.payloadFormats
            let chosen = om.port == 0 ? nil : remoteFormats.first { r in !r.isRTX && local.contains { $0.accepts(r) } }
            guard let chosen, let mine = local.first(where: { $0.accepts(chosen) }) else {
                if let mid = om.mid { m.mid = mid }
                m.attributes.append(SDPAttribute("inactive"))
                answer.media.append(m)
                continue
            }
            m.port = transport.defaultPort ?? 9
            // Our camera and microphone go on the first video and audio m-lines only. A further video line
            // is treated like content share (its own direction and SSRC); a further audio line only receives.
            let extra = !usedKinds.insert(kind).inserted
            let slidesLike = slides || (kind == "video" && extra)
            if slides { m.attributes.append(SDPAttribute("content", "slides")) }
            if let mid = om.mid { m.mid = mid }
            addTransport(to: &m, transport, setup: ourSetup)
            let wish =
                kind == "audio" ? (extra ? options.audioDirection.intersection(.recvonly) : options.audioDirection)
                : slidesLike ? options.slidesDirection : options.videoDirection
            let direction = om.direction.reversed.intersection(wish)
            m.attributes.append(SDPAttribute(direction.rawValue))
            for e in om.attributeValues("extmap") where Self.supportedExtension(e) {
                m.attributes.append(SDPAttribute("extmap", e))
            }
            let ssrc = kind == "audio" ? (extra ? 0 : options.audioSSRC) : slidesLike ? options.slidesSSRC : options.videoSSRC
            let trackID = "\(slidesLike ? "slides" : kind)-\(om.mid ?? String(index))"
            if direction.sends { m.attributes.append(SDPAttribute("msid", "\(options.streamID) \(trackID)")) }
            if om.rtcpMux { m.rtcpMux = true }
            if om.attributes.contains(where: { $0.name == "rtcp-rsize" }) { m.attributes.append(SDPAttribute("rtcp-rsize")) }
            var codec = chosen
            codec.feedback = chosen.feedback.filter { fb in options.feedback.contains { $0.lowercased() == fb.lowercased() } }
            if mine.name.lowercased() == "opus" { codec.parameters = mine.parameters }
            if mine.name.lowercased() == "h264" {
                // Keep the offer's profile (baseline, checked) and mode 1; answer our level asymmetry.
                codec.parameters["level-asymmetry-allowed"] = "1"
            }
            var formats = [codec]
            if options.acceptRTX, let rtxPT = om.rtxPayloadType(for: chosen.payloadType),
               let rtx = remoteFormats.first(where: { $0.payloadType == rtxPT }) {
                formats.append(rtx)
            }
            m.payloadFormats = formats
            if direction.sends, ssrc != 0 {
                m.attributes.append(SDPAttribute("ssrc", "\(ssrc) cname:\(cname)"))
                m.attributes.append(SDPAttribute("ssrc", "\(ssrc) msid:\(options.streamID) \(trackID)"))
            }
            if let mid = om.mid, offeredBundle.contains(mid) { accepted.append(mid) }
            answer.media.append(m)
        }
        if !accepted.isEmpty {
            answer.attributes.append(SDPAttribute("group", (["BUNDLE"] + accepted).joined(separator: " ")))
        }
        answer.attributes.append(SDPAttribute("msid-semantic", "WMS *"))
        let negotiated = try negotiate(offer: offer, answer: answer, weAreOfferer: false)
        return (answer, negotiated)
    }

    /// Header extensions we keep in answers (ids as offered).
    static func supportedExtension(_ value: String) -> Bool {
        let uris = ["urn:ietf:params:rtp-hdrext:sdes:mid", "urn:ietf:params:rtp-hdrext:ssrc-audio-level",
                    "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"]
        return value.split(separator: " ").dropFirst().first.map { uris.contains(String($0)) } ?? false
    }

    /// Reads the result of an exchange. `weAreOfferer` tells which side is remote: when true the remote
    /// parameters come from the answer, else from the offer. Lenient on the answer profile (`RTP/AVP`
    /// to our `UDP/TLS/RTP/SAVPF` is accepted). Throws `MediaError(.sdp)` when the m-lines do not
    /// correspond, or the remote side lacks ICE credentials or a fingerprint on a used m-line.
    public static func negotiate(offer: SessionDescription, answer: SessionDescription,
                                 weAreOfferer: Bool) throws -> NegotiatedSession {
        guard answer.media.count == offer.media.count else {
            throw MediaError(.sdp, "The SDP answer has \(answer.media.count) media sections but the offer had \(offer.media.count).")
        }
        let remote = weAreOfferer ? answer : offer
        var result: [NegotiatedMedia] = []
        var firstUsed: Int?
        for i in offer.media.indices {
            let o = offer.media[i], a = answer.media[i]
            guard o.kind.lowercased() == a.kind.lowercased() else {
                throw MediaError(.sdp, "SDP answer m-line \(i) is \"\(a.kind.prefix(20))\" but the offer's is \"\(o.kind.prefix(20))\".")
            }
            if let om = o.mid, let am = a.mid, om != am {
                throw MediaError(.sdp, "SDP answer m-line \(i) has mid \"\(am.prefix(20))\" but the offer's is \"\(om.prefix(20))\".")
            }
            let offered = o.payloadFormats
            let answered = a.payloadFormats
            let codec = a.port == 0 ? nil : answered.first { f in
                !f.isRTX && offered.contains { $0.payloadType == f.payloadType && $0.name.lowercased() == f.name.lowercased() }
            }
            var rtx: UInt8?
            if let codec, let pt = a.rtxPayloadType(for: codec.payloadType), o.rtxPayloadType(for: codec.payloadType) == pt {
                rtx = pt
            }
            let answerDirection = a.direction
            let ours = weAreOfferer ? answerDirection.reversed : answerDirection
            let rejected = codec == nil
            if !rejected, firstUsed == nil { firstUsed = i }
            let remoteSide = weAreOfferer ? a : o
            result.append(NegotiatedMedia(
                index: i, mid: o.mid ?? a.mid, kind: o.kind, isSlides: o.isSlides || a.isSlides, rejected: rejected,
                codec: codec, rtxPayloadType: rtx, direction: rejected ? .inactive : ours,
                remoteSSRCs: remoteSide.ssrcs,
                extensions: a.extmaps.map { SDPExtension(id: $0.id, uri: $0.uri) }))
        }
        guard let used = firstUsed else {
            throw MediaError(.sdp, "No media section was accepted: the peers have no codec in common.")
        }
        guard let creds = remote.iceCredentials(for: used) else {
            throw MediaError(.sdp, "The remote SDP has no a=ice-ufrag/a=ice-pwd for its first used media section.")
        }
        guard let fp = remote.fingerprint(for: used) else {
            throw MediaError(.sdp, "The remote SDP has no a=fingerprint for its first used media section.")
        }
        var candidates: [String] = []
        var seen = Set<String>()
        for i in result.indices where !result[i].rejected {
            for c in remote.media[i].candidates where seen.insert(c).inserted { candidates.append(c) }
        }
        let remoteSetup = (remote.setup(for: used) ?? (weAreOfferer ? "active" : "actpass")).lowercased()
        let localIsClient: Bool
        if weAreOfferer {
            // Our offer said actpass; the answerer picks (an answer must not say actpass; if one does,
            // it accepts either role and we take the client role, like for passive).
            localIsClient = remoteSetup == "passive" || remoteSetup == "actpass"
        } else {
            let ours = (answer.setup(for: used) ?? "active").lowercased()
            localIsClient = ours == "active"
        }
        let usedMids = result.filter { !$0.rejected }.compactMap(\.mid)
        let bundle = answer.bundleMids
        let bundled = !usedMids.isEmpty && usedMids.count == result.filter({ !$0.rejected }).count
            && usedMids.allSatisfy { bundle.contains($0) }
        let usedLines = result.filter { !$0.rejected }.map { answer.media[$0.index] }
        let mux = !usedLines.isEmpty && usedLines.allSatisfy(\.rtcpMux)
        let rm = remote.media[used]
        let conn = rm.connection ?? remote.connection
        let address = conn.flatMap { c -> String? in
            let parts = c.split(separator: " ")
            guard parts.count >= 3 else { return nil }
            return String(parts[2].split(separator: "/").first ?? parts[2])
        }
        return NegotiatedSession(
            media: result, remoteICEUfrag: creds.ufrag, remoteICEPassword: creds.password,
            remoteIsICELite: remote.isICELite, remoteCandidates: candidates,
            remoteFingerprintAlgorithm: fp.algorithm, remoteFingerprint: fp.value,
            localIsDTLSClient: localIsClient, bundled: bundled, rtcpMux: mux,
            remoteDefaultAddress: address, remoteDefaultPort: rm.port)
    }

    /// Convenience: the outcome of our offer and the remote answer.
    public static func processAnswer(_ answer: SessionDescription, toOffer offer: SessionDescription) throws -> NegotiatedSession {
        try negotiate(offer: offer, answer: answer, weAreOfferer: true)
    }
}
