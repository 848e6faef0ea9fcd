/// Turns the session's configuration into SDP (through `SDPNegotiation`) and the negotiated outcome into
/// the streams the session runs.
enum SDPPlanner {
    struct Plan {
        var description: SessionDescription
        var streams: [NegotiatedStream]
        var negotiated: NegotiatedSession?
    }

    static func videoFormats(_ codecs: [VideoCodecKind]) -> [PayloadFormat] {
        codecs.map { $0 == .h264 ? PayloadFormat.h264() : PayloadFormat.vp8() }
    }

    static func transport(ufrag: String, password: String, fingerprint: String, candidates: [ICECandidate]) -> SDPTransportParameters {
        // RFC 8839: c= and the m= port name the default candidate (the first one: the most preferred).
        SDPTransportParameters(
            iceUfrag: ufrag, icePwd: password, fingerprint: fingerprint, candidates: candidates.map(\.sdpValue),
            endOfCandidates: true, defaultAddress: candidates.first?.address, defaultPort: candidates.first?.port)
    }

    /// Our offer: audio (mid 0), video (mid 1) and, when asked, a receive-only content-share video (mid 2).
    static func offer(
        configuration: MediaSessionConfiguration, ufrag: String, password: String, fingerprint: String,
        candidates: [ICECandidate], cname: String
    ) -> Plan {
        let video = videoFormats(configuration.videoCodecs)
        var specs: [SDPMediaSpec] = [
            SDPMediaSpec(
                kind: .audio, mid: "0", direction: configuration.audio == nil ? .recvonly : .sendrecv,
                codecs: [.opus()], ssrc: randomSSRC()),
            SDPMediaSpec(
                kind: .video, mid: "1", direction: configuration.video == nil ? .recvonly : .sendrecv,
                codecs: video, ssrc: randomSSRC()),
        ]
        if configuration.offerContentShare {
            specs.append(SDPMediaSpec(kind: .slides, mid: "2", direction: .recvonly, codecs: video, ssrc: randomSSRC()))
        }
        let description = SDPNegotiation.makeOffer(
            media: specs, transport: transport(ufrag: ufrag, password: password, fingerprint: fingerprint, candidates: candidates),
            cname: cname)
        let streams = specs.map { spec in
            NegotiatedStream(
                mid: spec.mid, kind: spec.kind == .audio ? .audio : .video, format: spec.codecs[0],
                sends: spec.direction.sends, receives: spec.direction.receives, localSSRC: spec.ssrc, remoteSSRCs: [],
                isContentShare: spec.kind == .slides)
        }
        return Plan(description: description, streams: streams, negotiated: nil)
    }

    /// The peer's answer to our offer: the streams as agreed.
    static func applyAnswer(_ answer: SessionDescription, to offer: SessionDescription, streams: [NegotiatedStream]) throws -> Plan {
        let negotiated = try SDPNegotiation.processAnswer(answer, toOffer: offer)
        let agreed = negotiated.media.compactMap { media -> NegotiatedStream? in
            guard !media.rejected, let codec = media.codec,
                let ours = streams.first(where: { $0.mid == (media.mid ?? "") }) ?? (media.index < streams.count ? streams[media.index] : nil)
            else { return nil }
            var stream = ours
            stream.format = codec
            stream.sends = media.direction.sends
            stream.receives = media.direction.receives
            stream.remoteSSRCs = media.remoteSSRCs
            return stream
        }
        return Plan(description: offer, streams: agreed, negotiated: negotiated)
    }

    /// Our answer to the peer's offer.
    static func answer(
        offer: SessionDescription, configuration: MediaSessionConfiguration, ufrag: String, password: String,
        fingerprint: String, candidates: [ICECandidate], cname: String
    ) throws -> Plan {
        let options = SDPAnswerOptions(
            audioCodecs: [.opus()], videoCodecs: videoFormats(configuration.videoCodecs),
            audioDirection: configuration.audio == nil ? .recvonly : .sendrecv,
            videoDirection: configuration.video == nil ? .recvonly : .sendrecv,
            slidesDirection: .recvonly,
            audioSSRC: randomSSRC(), videoSSRC: randomSSRC(), slidesSSRC: randomSSRC())
        let (description, negotiated) = try SDPNegotiation.makeAnswer(
            to: offer, options: options,
            transport: transport(ufrag: ufrag, password: password, fingerprint: fingerprint, candidates: candidates),
            cname: cname)
        var streams: [NegotiatedStream] = []
        var sawVideo = false
        for media in negotiated.media where !media.rejected {
            guard let codec = media.codec, let mid = media.mid ?? Optional(String(media.index)) else { continue }
            let isAudio = media.kind.lowercased() == "audio"
            // Only the first video m-line carries our camera; a second one (or one marked as slides) is content share.
            let share = !isAudio && (media.isSlides || sawVideo)
            if !isAudio { sawVideo = true }
            streams.append(NegotiatedStream(
                mid: mid, kind: isAudio ? .audio : .video, format: codec,
                sends: media.direction.sends && !share, receives: media.direction.receives,
                localSSRC: isAudio ? options.audioSSRC : (share ? options.slidesSSRC : options.videoSSRC),
                remoteSSRCs: media.remoteSSRCs, isContentShare: share))
        }
        guard !streams.isEmpty else {
            throw MediaError(.sdp, "Nothing in the offer can be answered: no audio with Opus and no video with \(configuration.videoCodecs.map(\.rawValue).joined(separator: " or ")).")
        }
        return Plan(description: description, streams: streams, negotiated: negotiated)
    }

    static func randomSSRC() -> UInt32 { UInt32.random(in: 1...UInt32.max) }
}
