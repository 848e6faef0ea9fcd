import Foundation
import Synchronization

/// A media session: one SDP offer/answer turned into encrypted audio and video with one peer.
///
/// Shape (pion's, without the interceptors): one UDP socket (BUNDLE + rtcp-mux), packets told apart by
/// their first byte (RFC 7983): STUN to the ICE agent, DTLS records to the DTLS transport, SRTP/SRTCP to
/// the streams. Threads: a network thread owns every inbound packet and every timer (ICE pacing and
/// consent, DTLS retransmission, RTCP reports, NACK and PLI, audio playout every 20 ms); one thread per
/// sending stream reads its source, encodes, packetizes and hands packets to `sendRTP`. The ICE agent, the
/// DTLS transport and the SRTP contexts are only touched while `net` is held; their send callbacks run
/// inside those calls and write to the socket directly.
///
/// Use: `createOffer()` then `setAnswer(_:)`, or `acceptOffer(_:)`; then `run(for:)`.
public final class MediaSession: @unchecked Sendable {
    public let configuration: MediaSessionConfiguration
    /// Progress for a terminal (the CLI decides whether to show it): "gathering", "connecting",
    /// "connected", "sending"…
    public var onProgress: (@Sendable (String) -> Void)?
    /// Observation points (set before `run`).
    public var tap = MediaTap()

    let socket: UDPSocket
    let certificate: DTLSCertificate
    var turnClients: [TURNClient] = []
    let cname = "webex-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)

    // Everything below is guarded by `net` once the network thread runs.
    let net = NSLock()
    var agent: ICEAgent?
    var dtls: DTLSTransport?
    var srtpOut: SRTPSession?
    var srtpIn: SRTPSession?
    var dtlsRole: DTLSRole = .client
    var iceRole: ICERole = .controlling
    var localDescription: SessionDescription?
    var remoteDescription: SessionDescription?
    var streams: [NegotiatedStream] = []
    var outbound: [OutboundRTP] = []
    var inbound: [InboundStream] = []
    /// The echo canceller between a live microphone and the encoder, fed with what the speaker plays.
    var processor: AudioProcessor?
    var speakerOutput: SpeakerOutput?
    /// Opened by `prepareStreams`, read by the sender threads.
    var audioSource: AudioSource?
    var videoSource: VideoSource?
    var lastDTLSSource: (SocketAddress, ICERelay?)?
    var failure: MediaError?
    var connectedAt: UInt64?
    var dtlsStarted = false
    var peerSaidGoodbye = false

    /// Tests only: loses outgoing RTP packets (first transmissions; NACK retransmissions always go out).
    var dropOutgoingRTP: (@Sendable (RTPPacket) -> Bool)?

    let inbox = Mutex<[(bytes: [UInt8], from: SocketAddress, relay: ICERelay?)]>([])
    /// A session is used once: offer or answer, then one `run`, then `close`.
    enum Phase: Int { case new, described, running, closed }
    private let phase = Mutex<Phase>(.new)
    let stopping = Atomic<Bool>(false)
    let endRequested = Atomic<Bool>(false)
    var startMicros: UInt64 = MediaClock.nowMicros()

    public init(configuration: MediaSessionConfiguration) throws {
        self.configuration = configuration
        // One host address: bind to it (tests use 127.0.0.1). Otherwise every interface.
        let bind = configuration.hostAddresses.count == 1 ? configuration.hostAddresses[0].host : "0.0.0.0"
        socket = try UDPSocket(bindTo: SocketAddress(host: bind, port: 0)!)
        certificate = try DTLSCertificate.generate()
    }

    deinit { close() }

    /// Releases everything: the socket, DTLS, and TURN allocations (deallocated on the server). Idempotent;
    /// `run` calls it when it returns, and it is safe after a failed offer or answer or without `run`.
    public func close() {
        let previous = phase.withLock { p -> Phase in
            defer { p = .closed }
            return p
        }
        guard previous != .closed else { return }
        stopping.store(true, ordering: .sequentiallyConsistent)
        net.withLock {
            dtls?.close()
            for s in inbound { s.finish() }
        }
        speakerOutput?.close()
        for t in turnClients { t.close() }
        socket.close()
    }

    /// Moves to `next` if the session is in `expected`, else throws what the caller did wrong.
    private func advance(from expected: Phase, to next: Phase, _ what: String) throws {
        try phase.withLock { p in
            guard p == expected else {
                throw MediaError(.invalidInput, p == .closed ? "The media session is closed." : "\(what) is not possible now: a media session makes one offer or answer and runs once.")
            }
            p = next
        }
    }

    // MARK: - Offer/answer

    /// Gathers candidates and returns our SDP offer (we are ICE controlling, DTLS `actpass`).
    public func createOffer() throws -> String {
        try phase.withLock { p in
            guard p == .new, localDescription == nil else {
                throw MediaError(.invalidInput, "This media session has already made its offer or answer.")
            }
        }
        iceRole = .controlling
        let agent = try makeAgent(role: .controlling)
        let candidates = try gather(agent)
        let plan = SDPPlanner.offer(
            configuration: configuration, ufrag: agent.localUfrag, password: agent.localPassword,
            fingerprint: certificate.fingerprint, candidates: candidates, cname: cname)
        localDescription = plan.description
        streams = plan.streams
        return plan.description.text
    }

    /// Applies the peer's answer to our offer.
    public func setAnswer(_ text: String) throws {
        guard let local = localDescription else {
            throw MediaError(.sdp, "There is no offer to answer: create an offer first.")
        }
        let answer = try SessionDescription(parsing: text)
        let plan = try SDPPlanner.applyAnswer(answer, to: local, streams: streams)
        guard let negotiated = plan.negotiated else { throw MediaError(.sdp, "The answer could not be applied.") }
        // An ICE-lite peer never checks: we stay controlling (we offered, so we are anyway).
        try configureRemote(negotiated)
        try advance(from: .new, to: .described, "Applying an answer")
        remoteDescription = answer
        streams = plan.streams
    }

    /// Answers the peer's offer: returns our SDP answer (DTLS `active` unless the peer insists on being
    /// the client; ICE controlled unless the peer is ICE-lite).
    public func acceptOffer(_ text: String) throws -> String {
        let offer = try SessionDescription(parsing: text)
        try phase.withLock { p in
            guard p == .new, localDescription == nil else {
                throw MediaError(.invalidInput, "This media session has already made its offer or answer.")
            }
        }
        iceRole = offer.isICELite ? .controlling : .controlled
        let agent = try makeAgent(role: iceRole)
        let candidates = try gather(agent)
        let plan = try SDPPlanner.answer(
            offer: offer, configuration: configuration, ufrag: agent.localUfrag, password: agent.localPassword,
            fingerprint: certificate.fingerprint, candidates: candidates, cname: cname)
        guard let negotiated = plan.negotiated else { throw MediaError(.sdp, "The offer could not be answered.") }
        try configureRemote(negotiated)
        try advance(from: .new, to: .described, "Answering")
        remoteDescription = offer
        localDescription = plan.description
        streams = plan.streams
        return plan.description.text
    }

    // MARK: - Running

    /// Ends a running call early (Ctrl-C): `run` says goodbye and returns its summary.
    public func end() { endRequested.store(true, ordering: .sequentiallyConsistent) }

    /// Connects (ICE, then DTLS), sends and receives for `seconds`, says goodbye and returns what happened.
    /// Throws when the connection cannot be made; no media is sent then.
    public func run(for seconds: Double) throws -> MediaSummary {
        guard agent != nil, dtls != nil, remoteDescription != nil else {
            throw MediaError(.sdp, "The session has no remote description yet: make an offer and apply the answer, or answer an offer.")
        }
        try advance(from: .described, to: .running, "Running the call")
        defer { close() }
        startMicros = MediaClock.nowMicros()
        try prepareStreams()
        let network = Thread { [self] in networkLoop() }
        network.name = "webex-media-net"
        network.start()

        onProgress?("connecting (ICE, then DTLS)")
        let deadline = startMicros + Self.micros(configuration.connectTimeout)
        while true {
            let (connected, failed) = net.withLock { (srtpOut != nil, failure) }
            if let failed {
                stop(network)
                throw failed
            }
            if connected { break }
            if endRequested.load(ordering: .sequentiallyConsistent) {
                stop(network)
                throw MediaError(.timeout, "Interrupted before the call connected.")
            }
            if MediaClock.nowMicros() > deadline {
                let state = net.withLock { agent?.state }
                stop(network)
                throw MediaError(
                    .timeout,
                    "Could not connect to the peer within \(Int(configuration.connectTimeout)) s (ICE \(state.map { "\($0)" } ?? "not started")): "
                        + "check that its candidates are reachable from here, or use --turn with --relay-only.")
            }
            usleep(5_000)
        }
        onProgress?("connected")
        let senders = startSenders()
        let endAt = MediaClock.nowMicros() + Self.micros(seconds)
        while MediaClock.nowMicros() < endAt {
            if let error = speakerOutput?.error { noteSenderFailure(error) }
            if net.withLock({ failure != nil || peerSaidGoodbye }) || endRequested.load(ordering: .sequentiallyConsistent) {
                break
            }
            usleep(20_000)
        }
        stopping.store(true, ordering: .sequentiallyConsistent)
        for t in senders { t.wait() }
        sendGoodbye()
        stop(network)
        return summary()
    }

    private func stop(_ network: Thread) {
        stopping.store(true, ordering: .sequentiallyConsistent)
        while !network.isFinished { usleep(2_000) }
        close()
    }

    /// Seconds as microseconds, clamped to [0, one day] (NaN and negative values are 0).
    static func micros(_ seconds: Double) -> UInt64 {
        guard seconds.isFinite, seconds > 0 else { return 0 }
        return UInt64(min(seconds, 86_400) * 1_000_000)
    }

    // MARK: - Setup helpers

    private func makeAgent(role: ICERole) throws -> ICEAgent {
        // A failure part way (a second TURN server refusing us) must not leave the first allocated.
        var allocated = false
        defer { if !allocated { for t in turnClients { t.close() }; turnClients.removeAll() } }
        for server in configuration.turnServers {
            onProgress?("allocating a relay on \(server.address) (\(server.transport.rawValue))")
            let client = TURNClient(
                server: server.address, transport: server.transport == .tcp ? .tcp : .udp,
                username: server.username, password: server.password)
            turnClients.append(client)
            client.onReceive = { [weak self, weak client] bytes, peer in
                guard let self, let client else { return }
                self.inbox.withLock { $0.append((bytes, peer, client)) }
            }
            try client.allocate(timeout: .seconds(5))
        }
        var config = ICEConfiguration()
        config.hostAddresses = configuration.hostAddresses.map(\.host)
        config.stunServers = configuration.stunServers
        config.relayOnly = configuration.relayOnly
        let socket = self.socket
        let agent = ICEAgent(role: role, configuration: config) { bytes, to, relay in
            if let relay { try? relay.send(bytes, to: to) } else { try? socket.send(bytes, to: to) }
        }
        self.agent = agent
        allocated = true
        return agent
    }

    private func gather(_ agent: ICEAgent) throws -> [ICECandidate] {
        onProgress?("gathering candidates")
        return try agent.gatherBlocking(socket: socket, relays: turnClients)
    }

    private func configureRemote(_ negotiated: NegotiatedSession) throws {
        guard let agent else { throw MediaError(.ice, "ICE is not set up.") }
        dtlsRole = negotiated.localIsDTLSClient ? .client : .server
        // Candidates we cannot parse (Webex's xTLS ones, say) are left out; the others are enough.
        let candidates = negotiated.remoteCandidates.compactMap { try? ICECandidate(sdpValue: $0) }
        agent.setRemote(
            ufrag: negotiated.remoteICEUfrag, password: negotiated.remoteICEPassword, candidates: candidates,
            isLite: negotiated.remoteIsICELite)
        dtls = try DTLSTransport(
            role: dtlsRole, certificate: certificate,
            remoteFingerprint: (algorithm: negotiated.remoteFingerprintAlgorithm, value: negotiated.remoteFingerprint)
        ) { [unowned self] datagram in
            self.sendToPeer(datagram)
        }
    }

    private func prepareStreams() throws {
        if configuration.audioProcessing, case .microphone = configuration.audio {
            processor = try AudioProcessor(sampleRate: 48_000, channels: 1)
        }
        // Devices are opened here, before waiting for ICE and DTLS, so a busy or missing one fails the call at once.
        if streams.contains(where: { $0.kind == .audio && $0.sends }), let spec = configuration.audio {
            audioSource = try spec.makeAudioSource(channels: 1)
        }
        if streams.contains(where: { $0.kind == .video && $0.sends && !$0.isContentShare }), let spec = configuration.video {
            videoSource = try spec.makeVideoSource()
        }
        if let speaker = configuration.speaker, streams.contains(where: { $0.kind == .audio && $0.receives }) {
            speakerOutput = try SpeakerOutput(device: speaker, processor: processor)
        }
        outbound = streams.filter(\.sends).map { OutboundRTP(stream: $0) }
        inbound = try streams.filter(\.receives).map { stream in
            try InboundStream(stream: stream, recordDirectory: configuration.recordDirectory,
                              recordDecodedVideo: configuration.recordDecodedVideo, tap: tap,
                              speaker: stream.kind == .audio ? speakerOutput : nil)
        }
    }

    // MARK: - Network thread

    private func networkLoop() {
        var lastReport = MediaClock.nowMicros()
        // The loop sleeps in poll until a packet arrives or the next timer is due: audio playout (every
        // 20 ms while receiving audio), else at most 20 ms for ICE, DTLS and NACK timers. Packets relayed
        // by TURN arrive on the TURN client's thread and wait in `inbox`, so with TURN the loop looks every 5 ms.
        let idle: UInt64 = turnClients.isEmpty ? 20_000 : 5_000
        var timeout = idle
        while !stopping.load(ordering: .sequentiallyConsistent) {
            var received: [(bytes: [UInt8], from: SocketAddress, relay: ICERelay?)] = []
            if let packet = try? socket.receive(timeoutMillis: Int(max(1, timeout / 1000))) {
                received.append((packet.bytes, packet.from, nil))
            }
            received += inbox.withLock { queue in
                defer { queue.removeAll(keepingCapacity: true) }
                return queue
            }
            let now = MediaClock.nowMicros()
            timeout = net.withLock {
                for packet in received { demux(packet.bytes, from: packet.from, relay: packet.relay, now: now) }
                timers(now: now)
                if now - lastReport >= 1_000_000, srtpOut != nil {
                    lastReport = now
                    sendReports(now: now)
                }
                let after = MediaClock.nowMicros()
                return inbound.compactMap(\.playoutDue).reduce(idle) { min($0, $1 > after ? $1 - after : 0) }
            }
        }
    }

    /// RFC 7983: 0–3 STUN, 20–63 DTLS, 128–191 RTP/RTCP.
    private func demux(_ bytes: [UInt8], from: SocketAddress, relay: ICERelay?, now: UInt64) {
        guard let first = bytes.first else { return }
        switch first {
        case 0...3:
            agent?.handle(stun: bytes, from: from, via: relay)
            maybeStartDTLS()
        case 20...63:
            // DTLS only from where ICE says the peer is (a candidate it gave or a checked peer-reflexive
            // one): a spoofed source must not get our handshake flight.
            guard let dtls, let agent,
                agent.selectedPair?.remote == from || agent.remoteCandidates.contains(where: { $0.socketAddress == from })
            else { return }
            lastDTLSSource = (from, relay)
            do {
                try dtls.handle(bytes)
                if dtls.isConnected, srtpOut == nil { try keySRTP() }
            } catch let error as MediaError {
                // close_notify after the call ran is the peer hanging up, like RTCP BYE.
                if dtls.closedByPeer, srtpOut != nil { peerSaidGoodbye = true } else { failure = error }
            } catch {
                failure = MediaError(.dtls, "DTLS failed: \(error)")
            }
        case 128...191:
            guard let srtpIn else { return }
            if isRTCP(bytes) {
                guard let plain = try? srtpIn.unprotectRTCP(bytes) else { return }
                handleRTCP(plain, now: now)
            } else {
                guard let plain = try? srtpIn.unprotectRTP(bytes), let packet = try? RTPPacket(parsing: plain) else {
                    return
                }
                route(packet, size: bytes.count, now: now)
            }
        default:
            return
        }
    }

    private func maybeStartDTLS() {
        guard let agent, let dtls, !dtlsStarted, agent.state == .connected else { return }
        dtlsStarted = true
        if dtlsRole == .client {
            do { try dtls.start() } catch { failure = MediaError(.dtls, "DTLS could not start: \(error)") }
        }
    }

    private func timers(now: UInt64) {
        agent?.tick(now: now)
        maybeStartDTLS()
        if agent?.state == .failed, failure == nil {
            failure = MediaError(
                .ice,
                srtpOut == nil
                    ? "ICE failed: no candidate pair answered. Check that the peer's candidates are reachable, or relay through TURN."
                    : "ICE consent expired: the peer stopped answering (RFC 7675); the call ended.")
        }
        if let dtls, dtlsStarted {
            dtls.tick(now: now)
        }
        guard srtpOut != nil else { return }
        for stream in inbound {
            let feedback = stream.tick(now: now)
            if !feedback.isEmpty { sendRTCP(feedback) }
        }
    }

    private func keySRTP() throws {
        guard let dtls, let profile = dtls.srtpProfile else {
            throw MediaError(.dtls, "The DTLS handshake did not negotiate an SRTP profile (use_srtp).")
        }
        let keys = try dtls.srtpKeys()
        srtpOut = try SRTPSession(profile: profile, key: keys.local, direction: .outbound)
        srtpIn = try SRTPSession(profile: profile, key: keys.remote, direction: .inbound)
        connectedAt = MediaClock.nowMicros()
    }

    /// Sends on the selected ICE pair; before ICE has selected one (a DTLS server answering early), back to
    /// where the last DTLS record came from.
    func sendToPeer(_ bytes: [UInt8]) {
        if let pair = agent?.selectedPair {
            if let relay = pair.relay { try? relay.send(bytes, to: pair.remote) } else { try? socket.send(bytes, to: pair.remote) }
        } else if let (address, relay) = lastDTLSSource {
            if let relay { try? relay.send(bytes, to: address) } else { try? socket.send(bytes, to: address) }
        }
    }

    // MARK: - RTP in

    private func route(_ packet: RTPPacket, size: Int, now: UInt64) {
        let target =
            inbound.first { $0.remoteSSRCs.contains(packet.ssrc) }
            ?? inbound.first { $0.stream.format.payloadType == packet.payloadType && $0.acceptsNewSSRC }
        guard let target else { return }
        target.receive(packet, size: size, arrival: now)
    }

    // MARK: - RTCP

    private func handleRTCP(_ bytes: [UInt8], now: UInt64) {
        guard let packets = try? RTCPPacket.parseCompound(bytes) else { return }
        for packet in packets {
            switch packet {
            case .senderReport(let sr):
                for s in inbound where s.remoteSSRCs.contains(sr.ssrc) { s.noteSenderReport(sr, at: now) }
                noteReportBlocks(sr.reports, now: now)
            case .receiverReport(let rr):
                noteReportBlocks(rr.reports, now: now)
            case .goodbye(let ssrcs, _):
                if inbound.contains(where: { s in ssrcs.contains { s.remoteSSRCs.contains($0) } }) {
                    peerSaidGoodbye = true
                }
            case .nack(_, let mediaSSRC, let lost):
                guard let out = outbound.first(where: { $0.stream.localSSRC == mediaSSRC }) else { continue }
                for seq in lost {
                    guard let original = out.history.packet(for: seq) else { continue }
                    if let protected = try? srtpOut?.protectRTP(original) {
                        sendToPeer(protected)
                        out.counters.withLock { $0.retransmitted += 1 }
                    }
                }
            case .pictureLossIndication(_, let mediaSSRC), .fullIntraRequest(_, let mediaSSRC, _):
                if let out = outbound.first(where: { $0.stream.localSSRC == mediaSSRC }) {
                    out.keyframeWanted.store(true, ordering: .relaxed)
                    out.counters.withLock { $0.keyframeRequests += 1 }
                }
            default:
                continue
            }
        }
    }

    private func noteReportBlocks(_ blocks: [ReportBlock], now: UInt64) {
        for block in blocks {
            guard let out = outbound.first(where: { $0.stream.localSSRC == block.ssrc }),
                let rtt = roundTripMicros(reportBlock: block, arrivalNTP: NTPTime.now())
            else { continue }
            out.counters.withLock { $0.rttMs = (Double(rtt) / 100).rounded() / 10 }
            for s in inbound { s.rttMicros = max(rtt, 10_000) }
        }
    }

    /// Once a second, per sending stream, a compound RTCP packet as libwebrtc sends it: a sender report
    /// (the first one carries our report blocks about what we receive) and an SDES with that SSRC's CNAME.
    /// A receive-only session sends a receiver report instead. One SDES chunk per packet keeps strict and
    /// lenient parsers alike happy (aiortc's SDES parser does not realign between chunks).
    private func sendReports(now: UInt64) {
        for compound in reports(now: now) { sendRTCP(compound) }
    }

    private func reports(now: UInt64) -> [[RTCPPacket]] {
        let ntp = NTPTime.now()
        let blocks = inbound.compactMap { $0.reportBlock(now: now) }
        if outbound.isEmpty {
            let ssrc = streams.first?.localSSRC ?? 1
            return [[.receiverReport(ReceiverReport(ssrc: ssrc, reports: blocks)),
                     .sourceDescription([SDESChunk(ssrc: ssrc, cname: cname)])]]
        }
        return outbound.enumerated().map { i, out in
            // The RTP time for `now` on the same capture clock the senders stamp packets with (not extrapolated
            // from the last packet, which left after its encode): what a receiver needs for lip sync.
            var report = out.sendStatistics.makeSenderReport(now: now, ntp: ntp, reports: i == 0 ? blocks : [])
            report.rtpTimestamp = out.rtpTimestamp(captureMicros: now, startMicros: startMicros)
            return [
                .senderReport(report),
                .sourceDescription([SDESChunk(ssrc: out.stream.localSSRC, cname: cname)]),
            ]
        }
    }

    private func sendRTCP(_ packets: [RTCPPacket]) {
        guard let srtpOut else { return }
        let bytes = RTCPPacket.serializeCompound(packets)
        if let protected = try? srtpOut.protectRTCP(bytes) { sendToPeer(protected) }
    }

    /// The last report of each sending stream, followed by BYE (RFC 3550 §6.6).
    private func sendGoodbye() {
        net.withLock {
            let now = MediaClock.nowMicros()
            for (i, compound) in reports(now: now).enumerated() where i < outbound.count {
                sendRTCP(compound + [.goodbye(ssrcs: [outbound[i].stream.localSSRC], reason: "call ended")])
            }
        }
    }

    // MARK: - RTP out

    /// Called by the send threads with plaintext RTP packets.
    func sendRTP(_ packets: [RTPPacket], stream: OutboundRTP) {
        net.withLock {
            guard let srtpOut else { return }
            let now = MediaClock.nowMicros()
            for packet in packets {
                let plain = packet.serialized()
                stream.history.store(sequenceNumber: packet.sequenceNumber, packet: plain)
                guard let protected = try? srtpOut.protectRTP(plain) else { continue }
                stream.sendStatistics.sent(packet, now: now)
                if let drop = dropOutgoingRTP, drop(packet) { continue }
                sendToPeer(protected)
            }
        }
    }

    private func startSenders() -> [SenderThread] {
        var threads: [SenderThread] = []
        for out in outbound {
            switch out.stream.kind {
            case .audio:
                guard let source = audioSource else { continue }
                audioSource = nil  // one sender per source; the sender thread owns it from here
                let sender = AudioSender(session: self, stream: out, source: source)
                threads.append(SenderThread(name: "webex-media-audio") { try sender.run() })
            case .video:
                guard let source = videoSource, !out.stream.isContentShare else { continue }
                videoSource = nil
                let sender = VideoSender(session: self, stream: out, source: source)
                threads.append(SenderThread(name: "webex-media-video") { try sender.run() })
            }
        }
        for t in threads { t.start() }
        return threads
    }

    func noteSenderFailure(_ error: Error) {
        net.withLock {
            if failure == nil { failure = (error as? MediaError) ?? MediaError(.io, "Sending failed: \(error)") }
        }
    }

    var isStopping: Bool { stopping.load(ordering: .sequentiallyConsistent) }

    // MARK: - Summary

    func summary() -> MediaSummary {
        net.withLock {
            let pair = agent?.selectedPair
            let connection = MediaSummary.Connection(
                iceRole: iceRole == .controlling ? "controlling" : "controlled",
                iceState: agent.map { "\($0.state)" } ?? "new",
                localCandidate: pair.map { "\($0.local.type) \($0.local.address):\($0.local.port)" },
                remoteAddress: pair.map { "\($0.remote)" },
                relayed: pair?.relay != nil,
                dtlsRole: dtlsRole == .client ? "client" : "server",
                srtpProfile: dtls?.srtpProfile.map { $0 == .aeadAes128Gcm ? "AEAD_AES_128_GCM" : "AES_CM_128_HMAC_SHA1_80" },
                connectMilliseconds: connectedAt.map { Int(($0 - startMicros) / 1000) })
            var list: [MediaSummary.Stream] = []
            for stream in streams {
                let out = outbound.first { $0.stream.mid == stream.mid }
                let inb = inbound.first { $0.stream.mid == stream.mid }
                var sent = MediaSummary.Sent()
                if let out {
                    let c = out.counters.withLock { $0 }
                    sent.packets = Int(out.sendStatistics.packetCount)
                    sent.bytes = Int(out.sendStatistics.octetCount)
                    sent.source = stream.kind == .audio ? configuration.audio?.description : (stream.isContentShare ? nil : configuration.video?.description)
                    sent.frames = c.frames
                    if stream.kind == .video {
                        sent.keyframes = c.keyframes
                        sent.width = c.width
                        sent.height = c.height
                        sent.retransmitted = c.retransmitted
                        sent.keyframeRequests = c.keyframeRequests
                    }
                }
                let direction: String =
                    switch (stream.sends, stream.receives) {
                    case (true, true): "sendrecv"
                    case (true, false): "sendonly"
                    case (false, true): "recvonly"
                    case (false, false): "inactive"
                    }
                list.append(MediaSummary.Stream(
                    mid: stream.mid, kind: stream.kind.rawValue,
                    codec: stream.format.channels.map { "\(stream.codecName)/\(stream.clockRate)/\($0)" }
                        ?? "\(stream.codecName)/\(stream.clockRate)",
                    payloadType: Int(stream.format.payloadType), direction: direction,
                    rttMs: out?.counters.withLock { $0.rttMs },
                    sent: sent, received: inb?.summary() ?? MediaSummary.Received()))
            }
            let duration = Double(MediaClock.nowMicros() - startMicros) / 1_000_000
            let endedBy =
                failure != nil ? "error" : peerSaidGoodbye ? "peer"
                : endRequested.load(ordering: .sequentiallyConsistent) ? "local" : "duration"
            return MediaSummary(
                durationSeconds: (duration * 10).rounded() / 10, connection: connection, streams: list,
                endedBy: endedBy, error: failure?.message)
        }
    }
}

/// A named thread whose end can be waited for (its body reports its own errors to the session).
final class SenderThread: @unchecked Sendable {
    private final class Flag: Sendable { let done = Atomic<Bool>(false) }
    private let flag = Flag()
    private let thread: Thread

    init(name: String, body: @escaping @Sendable () throws -> Void) {
        let flag = self.flag
        let thread = Thread {
            _ = try? body()
            flag.done.store(true, ordering: .sequentiallyConsistent)
        }
        thread.name = name
        self.thread = thread
    }

    func start() { thread.start() }
    /// Waits for the thread to end, at most `seconds` (a device that stopped delivering would block a read
    /// forever; the call still ends).
    func wait(seconds: Double = 2) {
        let deadline = MediaClock.nowMicros() + MediaSession.micros(seconds)
        while !flag.done.load(ordering: .sequentiallyConsistent) && MediaClock.nowMicros() < deadline { usleep(2_000) }
    }
}
