import Foundation
import Glibc
import Synchronization
import Testing
@testable import WebexMedia

/// Collects what an agent asks to send, for tests that drive an agent by hand.
final class SentBox: Sendable {
    let items = Mutex<[(bytes: [UInt8], to: SocketAddress, relay: ICERelay?)]>([])
    func take() -> [(bytes: [UInt8], to: SocketAddress, relay: ICERelay?)] {
        items.withLock { v in defer { v.removeAll() }; return v }
    }
}

/// One agent on one 127.0.0.1 socket; `pump` feeds received STUN to the agent and ticks it.
final class Endpoint: @unchecked Sendable {
    let socket: UDPSocket
    let agent: ICEAgent
    var silent = false
    var received: [[UInt8]] = []

    init(role: ICERole, configure: (inout ICEConfiguration) -> Void = { _ in }) throws {
        let socket = try UDPSocket(bindTo: SocketAddress(host: "127.0.0.1", port: 0)!)
        var configuration = ICEConfiguration()
        configuration.checkInterval = .milliseconds(5)
        configuration.retransmitTimeout = .milliseconds(50)
        configuration.maxRetransmits = 3
        configuration.nominationDelay = .milliseconds(50)
        configuration.connectTimeout = .seconds(3)
        configure(&configuration)
        self.socket = socket
        self.agent = ICEAgent(role: role, configuration: configuration) { bytes, to, _ in
            try? socket.send(bytes, to: to)
        }
    }

    func pump() throws {
        while let (bytes, from) = try socket.receive(timeoutMillis: 0) {
            received.append(bytes)
            if !silent { agent.handle(stun: bytes, from: from, via: nil) }
        }
        if !silent { agent.tick(now: MediaClock.nowMicros()) }
    }

    func offer() throws -> [ICECandidate] { try agent.gather(socket: socket, relays: []) }
}

/// Pumps endpoints until `done` or `seconds` pass.
func run(_ endpoints: [Endpoint], seconds: Double, until done: () -> Bool) throws {
    let deadline = MediaClock.nowMicros() + UInt64(seconds * 1_000_000)
    while MediaClock.nowMicros() < deadline {
        for e in endpoints { try e.pump() }
        if done() { return }
        usleep(2000)
    }
}

func connectPair(_ a: Endpoint, _ b: Endpoint, aKnowsB: Bool = true, bKnowsA: Bool = true) throws {
    let ca = try a.offer(), cb = try b.offer()
    a.agent.setRemote(ufrag: b.agent.localUfrag, password: b.agent.localPassword, candidates: aKnowsB ? cb : [], isLite: false)
    b.agent.setRemote(ufrag: a.agent.localUfrag, password: a.agent.localPassword, candidates: bKnowsA ? ca : [], isLite: false)
    try run([a, b], seconds: 5) { a.agent.state == .connected && b.agent.state == .connected }
}

@Suite struct ICETests {
    @Test func candidateParseAndPrint() throws {
        let host = try ICECandidate(sdpValue: "1 1 udp 2130706431 192.168.1.5 50000 typ host")
        #expect(host.foundation == "1" && host.component == 1 && host.transport == "udp")
        #expect(host.priority == 2_130_706_431 && host.address == "192.168.1.5" && host.port == 50000 && host.type == .host)
        #expect(host.sdpValue == "1 1 udp 2130706431 192.168.1.5 50000 typ host")
        #expect(host.socketAddress == SocketAddress(host: "192.168.1.5", port: 50000))

        let srflx = try ICECandidate(sdpValue: "candidate:842163049 1 UDP 1677729535 203.0.113.7 61234 typ srflx raddr 10.0.0.2 rport 50000 generation 0 network-cost 999")
        #expect(srflx.type == .serverReflexive && srflx.isUDP)
        #expect(srflx.relatedAddress == "10.0.0.2" && srflx.relatedPort == 50000)
        #expect(srflx.extensions == [.init(name: "generation", value: "0"), .init(name: "network-cost", value: "999")])
        #expect(srflx.sdpValue == "842163049 1 UDP 1677729535 203.0.113.7 61234 typ srflx raddr 10.0.0.2 rport 50000 generation 0 network-cost 999")
        #expect(try ICECandidate(sdpValue: srflx.sdpValue) == srflx)

        let tcp = try ICECandidate(sdpValue: "a=candidate:3 1 tcp 1518280447 10.0.0.2 9 typ host tcptype active")
        #expect(tcp.tcpType == "active" && !tcp.isUDP)
        let odd = try ICECandidate(sdpValue: "4 1 xTLS 100 media.example.com 443 typ relay odd")
        #expect(odd.transport == "xTLS" && odd.socketAddress == nil && odd.type == .relay)
        #expect(odd.extensions == [.init(name: "odd", value: "")])
        #expect(try ICECandidate(sdpValue: odd.sdpValue) == odd)
        #expect(try ICECandidate(sdpValue: "1 1 udp 5 ::1 9 typ weird").type.rawValue == "weird")

        for bad in ["", "1 1 udp", "1 x udp 1 1.2.3.4 5 typ host", "1 1 udp -1 1.2.3.4 5 typ host",
                    "1 1 udp 1 1.2.3.4 70000 typ host", "1 1 udp 1 1.2.3.4 5 type host", "1 0 udp 1 1.2.3.4 5 typ host"] {
            #expect(throws: MediaError.self) { try ICECandidate(sdpValue: bad) }
        }
    }

    @Test func priorities() {
        #expect(ICECandidate.computePriority(type: .host, localPreference: 65535) == 2_130_706_431)
        #expect(ICECandidate.computePriority(type: .serverReflexive, localPreference: 65535) == 1_694_498_815)
        #expect(ICECandidate.computePriority(type: .relay, localPreference: 65535, component: 1) == 16_777_215)
        #expect(ICECandidate.computePriority(type: .peerReflexive, localPreference: 0, component: 2) == 1_845_494_014)
    }

    @Test func credentials() {
        let agent = ICEAgent(role: .controlling) { _, _, _ in }
        #expect(agent.localUfrag.count >= 4 && agent.localPassword.count >= 22)
        #expect(agent.localUfrag.allSatisfy { $0.isLetter || $0.isNumber })
        let other = ICEAgent(role: .controlling) { _, _, _ in }
        #expect(agent.localPassword != other.localPassword && agent.tieBreaker != other.tieBreaker)
    }

    /// Builds a check as a peer would send it to `agent`.
    func check(to agent: ICEAgent, peerUfrag: String = "peer", password: String? = nil, controlling: UInt64? = nil,
               controlled: UInt64? = nil, useCandidate: Bool = false, extra: [STUNAttribute] = [], integrity: Bool = true) -> (STUNMessage, [UInt8]) {
        var m = STUNMessage(method: STUNMethod.binding, messageClass: .request)
        m.username = "\(agent.localUfrag):\(peerUfrag)"
        m.priority = 1_845_501_695
        m.iceControlling = controlling
        m.iceControlled = controlled
        m.useCandidate = useCandidate
        m.attributes += extra
        return (m, m.serialized(integrityKey: integrity ? Array((password ?? agent.localPassword).utf8) : nil, fingerprint: true))
    }

    @Test func answersChecksAndRejectsBadOnes() throws {
        let box = SentBox()
        var configuration = ICEConfiguration()
        configuration.localUfrag = "loca"
        configuration.localPassword = "localpasswordlocalpassword"
        configuration.tieBreaker = 10
        let agent = ICEAgent(role: .controlled, configuration: configuration) { bytes, to, relay in
            box.items.withLock { $0.append((bytes, to, relay)) }
        }
        let peer = SocketAddress(host: "127.0.0.1", port: 40000)!
        agent.tick(now: 1_000)

        // A good check: success, XOR-MAPPED-ADDRESS = source, our integrity, a fingerprint.
        let (request, raw) = check(to: agent, controlling: 99)
        agent.handle(stun: raw, from: peer, via: nil)
        var sent = box.take()
        #expect(sent.count == 1)
        let response = try STUNMessage(parsing: sent[0].bytes)
        #expect(sent[0].to == peer)
        #expect(response.messageClass == .successResponse && response.transactionID == request.transactionID)
        #expect(response.xorMappedAddress == peer)
        #expect(STUNMessage.validateIntegrity(sent[0].bytes, key: Array("localpasswordlocalpassword".utf8)))
        #expect(STUNMessage.validateFingerprint(sent[0].bytes))
        // The unknown source became a peer-reflexive remote candidate.
        #expect(agent.remoteCandidates.contains { $0.type == .peerReflexive && $0.socketAddress == peer && $0.priority == 1_845_501_695 })

        // Wrong password → 401, without integrity.
        agent.handle(stun: check(to: agent, password: "wrong", controlling: 99).1, from: peer, via: nil)
        sent = box.take()
        #expect(try STUNMessage(parsing: sent[0].bytes).errorCode?.code == 401)
        // Wrong ufrag → 401.
        var m = STUNMessage(method: STUNMethod.binding, messageClass: .request)
        m.username = "nope:peer"
        agent.handle(stun: m.serialized(integrityKey: Array("localpasswordlocalpassword".utf8), fingerprint: true), from: peer, via: nil)
        #expect(try STUNMessage(parsing: box.take()[0].bytes).errorCode?.code == 401)
        // No MESSAGE-INTEGRITY → 400.
        agent.handle(stun: check(to: agent, controlling: 99, integrity: false).1, from: peer, via: nil)
        #expect(try STUNMessage(parsing: box.take()[0].bytes).errorCode?.code == 400)
        // Unknown comprehension-required attribute → 420 listing it.
        agent.handle(stun: check(to: agent, controlling: 99, extra: [STUNAttribute(type: 0x7F01, value: [1])]).1, from: peer, via: nil)
        let e420 = box.take()
        let r420 = try STUNMessage(parsing: e420[0].bytes)
        #expect(r420.errorCode?.code == 420 && r420.unknownAttributes == [0x7F01])
        // Comprehension-optional unknowns are fine.
        agent.handle(stun: check(to: agent, controlling: 99, extra: [STUNAttribute(type: 0xC057, value: [1])]).1, from: peer, via: nil)
        #expect(try STUNMessage(parsing: box.take()[0].bytes).messageClass == .successResponse)
        // A broken fingerprint is dropped silently.
        var broken = check(to: agent, controlling: 99).1
        broken[broken.count - 1] ^= 0xFF
        agent.handle(stun: broken, from: peer, via: nil)
        #expect(box.take().isEmpty)
        // Garbage is dropped.
        agent.handle(stun: [0, 1, 2], from: peer, via: nil)
        #expect(box.take().isEmpty)

        // Role conflict: both controlled, our tie-breaker (10) smaller → 487.
        agent.handle(stun: check(to: agent, controlled: 50).1, from: peer, via: nil)
        #expect(try STUNMessage(parsing: box.take()[0].bytes).errorCode?.code == 487)
        #expect(agent.currentRole == .controlled)
        // Both controlled, our tie-breaker larger → we switch to controlling and answer.
        agent.handle(stun: check(to: agent, controlled: 5).1, from: peer, via: nil)
        #expect(try STUNMessage(parsing: box.take()[0].bytes).messageClass == .successResponse)
        #expect(agent.currentRole == .controlling)
        // Now controlling; a controlling peer with a larger tie-breaker wins: we become controlled.
        agent.handle(stun: check(to: agent, controlling: 1000).1, from: peer, via: nil)
        #expect(try STUNMessage(parsing: box.take()[0].bytes).messageClass == .successResponse)
        #expect(agent.currentRole == .controlled)
    }

    @Test func twoAgentsConnect() throws {
        let a = try Endpoint(role: .controlling), b = try Endpoint(role: .controlled)
        defer { a.socket.close(); b.socket.close() }
        var changes: [ICEState] = []
        let recorded = Mutex<[ICEState]>([])
        a.agent.onStateChange = { s in recorded.withLock { $0.append(s) } }
        try connectPair(a, b)
        #expect(a.agent.state == .connected)
        #expect(b.agent.state == .connected)
        changes = recorded.withLock { $0 }
        #expect(changes == [.checking, .connected])
        let sa = try #require(a.agent.selectedPair), sb = try #require(b.agent.selectedPair)
        #expect(sa.remote == b.socket.localAddress && sb.remote == a.socket.localAddress)
        #expect(sa.local.type == .host && sa.local.address == "127.0.0.1" && sa.relay == nil)
        #expect(a.agent.localCandidates.count == 1 && a.agent.gatheringComplete)
        // USE-CANDIDATE went out from the controlling side only.
        #expect(b.received.contains { (try? STUNMessage(parsing: $0))?.useCandidate == true })
        #expect(!a.received.contains { (try? STUNMessage(parsing: $0))?.useCandidate == true })
        a.agent.close()
        #expect(a.agent.state == .closed)
    }

    @Test func peerReflexiveRemoteFromUnknownAddress() throws {
        // b is told nothing about a's candidates: it must learn a's address from a's checks.
        let a = try Endpoint(role: .controlling), b = try Endpoint(role: .controlled)
        defer { a.socket.close(); b.socket.close() }
        try connectPair(a, b, aKnowsB: true, bKnowsA: false)
        #expect(a.agent.state == .connected && b.agent.state == .connected)
        #expect(b.agent.remoteCandidates.contains { $0.type == .peerReflexive && $0.socketAddress == a.socket.localAddress })
        #expect(b.agent.selectedPair?.remote == a.socket.localAddress)
    }

    @Test func checksArrivingBeforeTheAnswerAreKept() throws {
        // a checks b before b knows a's credentials (b's answer not yet applied): b answers at once,
        // remembers the pair, and checks it as soon as setRemote gives it the password.
        let a = try Endpoint(role: .controlling), b = try Endpoint(role: .controlled)
        defer { a.socket.close(); b.socket.close() }
        _ = try a.offer()
        let cb = try b.offer()
        a.agent.setRemote(ufrag: b.agent.localUfrag, password: b.agent.localPassword, candidates: cb, isLite: false)
        try run([a, b], seconds: 0.3) { false }
        #expect(b.agent.state == .new)
        #expect(b.agent.remoteCandidates.count == 1)
        b.agent.setRemote(ufrag: a.agent.localUfrag, password: a.agent.localPassword, candidates: [], isLite: false)
        try run([a, b], seconds: 5) { a.agent.state == .connected && b.agent.state == .connected }
        #expect(a.agent.state == .connected && b.agent.state == .connected)
        #expect(b.agent.selectedPair?.remote == a.socket.localAddress)
    }

    @Test func controlledPeerLearnsAndTheControllingSideOnlyKnowsPrflx() throws {
        // The controlling side knows nothing: it learns b from b's checks and nominates that pair.
        let a = try Endpoint(role: .controlling), b = try Endpoint(role: .controlled)
        defer { a.socket.close(); b.socket.close() }
        try connectPair(a, b, aKnowsB: false, bKnowsA: true)
        #expect(a.agent.state == .connected && b.agent.state == .connected)
        #expect(a.agent.selectedPair?.remote == b.socket.localAddress)
    }

    @Test(arguments: [ICERole.controlling, .controlled])
    func roleConflictResolves(role: ICERole) throws {
        let a = try Endpoint(role: role) { $0.tieBreaker = 1 }
        let b = try Endpoint(role: role) { $0.tieBreaker = 2 }
        defer { a.socket.close(); b.socket.close() }
        try connectPair(a, b)
        #expect(a.agent.state == .connected && b.agent.state == .connected)
        // The larger tie-breaker controls.
        #expect(b.agent.currentRole == .controlling)
        #expect(a.agent.currentRole == .controlled)
        #expect(a.agent.selectedPair?.remote == b.socket.localAddress)
    }

    @Test(arguments: [true, false])
    func iceLitePeer(signsResponses: Bool) throws {
        // A lite server: answers checks (integrity with its password), never sends any.
        let lite = try UDPSocket(bindTo: SocketAddress(host: "127.0.0.1", port: 0)!)
        let a = try Endpoint(role: .controlled)
        defer { lite.close(); a.socket.close() }
        let litePassword = "litepasswordlitepassword"
        var sawUseCandidate = false, sawControlling = false
        var liteCandidate = ICECandidate(foundation: "1", priority: 2_130_706_431, address: "127.0.0.1",
                                         port: Int(lite.localAddress.port), type: .host)
        liteCandidate.extensions = [.init(name: "generation", value: "0")]
        _ = try a.offer()
        a.agent.setRemote(ufrag: "lite", password: litePassword, candidates: [liteCandidate], isLite: true)
        #expect(a.agent.currentRole == .controlling)
        let deadline = MediaClock.nowMicros() + 3_000_000
        while MediaClock.nowMicros() < deadline, a.agent.state != .connected {
            while let (bytes, from) = try lite.receive(timeoutMillis: 0) {
                let request = try STUNMessage(parsing: bytes)
                #expect(request.username == "lite:\(a.agent.localUfrag)")
                #expect(STUNMessage.validateIntegrity(bytes, key: Array(litePassword.utf8)))
                #expect(STUNMessage.validateFingerprint(bytes))
                #expect(request.priority != nil)
                if request.useCandidate { sawUseCandidate = true }
                if request.iceControlling == a.agent.tieBreaker { sawControlling = true }
                var response = request.response()
                response.xorMappedAddress = from
                try lite.send(response.serialized(integrityKey: signsResponses ? Array(litePassword.utf8) : nil, fingerprint: true), to: from)
            }
            try a.pump()
            usleep(2000)
        }
        #expect(a.agent.state == .connected)
        #expect(sawUseCandidate && sawControlling)
        #expect(a.agent.selectedPair?.remote == lite.localAddress)
    }

    @Test func consentKeepsAliveAndFailsWhenPeerGoesSilent() throws {
        let configure: (inout ICEConfiguration) -> Void = {
            $0.consentInterval = .milliseconds(100)
            $0.consentTimeout = .milliseconds(600)
        }
        let a = try Endpoint(role: .controlling, configure: configure), b = try Endpoint(role: .controlled, configure: configure)
        defer { a.socket.close(); b.socket.close() }
        try connectPair(a, b)
        #expect(a.agent.state == .connected && b.agent.state == .connected)
        // Both alive: consent checks keep the connection up well past the timeout.
        try run([a, b], seconds: 1.2) { a.agent.state != .connected || b.agent.state != .connected }
        #expect(a.agent.state == .connected && b.agent.state == .connected)
        // b goes silent: a fails after the consent timeout, not much later.
        b.silent = true
        let start = MediaClock.nowMicros()
        try run([a, b], seconds: 3) { a.agent.state == .failed }
        #expect(a.agent.state == .failed)
        let elapsed = MediaClock.nowMicros() - start
        #expect(elapsed >= 400_000 && elapsed < 2_500_000)
    }

    @Test func failsWhenNothingAnswers() throws {
        let a = try Endpoint(role: .controlling)
        let dead = try UDPSocket(bindTo: SocketAddress(host: "127.0.0.1", port: 0)!)
        defer { a.socket.close(); dead.close() }
        _ = try a.offer()
        let c = ICECandidate(foundation: "1", priority: 100, address: "127.0.0.1", port: Int(dead.localAddress.port), type: .host)
        a.agent.setRemote(ufrag: "x", password: "yyyyyyyyyyyyyyyyyyyyyy", candidates: [c], isLite: false)
        try run([a], seconds: 3) { a.agent.state == .failed }
        #expect(a.agent.state == .failed)
        #expect(a.agent.selectedPair == nil)
    }

    @Test func serverReflexiveGathering() throws {
        let server = try UDPSocket(bindTo: SocketAddress(host: "127.0.0.1", port: 0)!)
        let silentServer = try UDPSocket(bindTo: SocketAddress(host: "127.0.0.1", port: 0)!)
        defer { server.close(); silentServer.close() }
        let mapped = SocketAddress(host: "203.0.113.9", port: 61000)!
        let a = try Endpoint(role: .controlling) {
            $0.stunServers = [server.localAddress, silentServer.localAddress]
            $0.gatherTimeout = .milliseconds(400)
        }
        defer { a.socket.close() }
        let immediate = try a.offer()
        #expect(immediate.map(\.type) == [.host])
        #expect(!a.agent.gatheringComplete)
        let start = MediaClock.nowMicros()
        var answered = 0
        while MediaClock.nowMicros() < start + 2_000_000, !a.agent.gatheringComplete {
            if let (bytes, from) = try server.receive(timeoutMillis: 0) {
                let request = try STUNMessage(parsing: bytes)
                #expect(request.method == STUNMethod.binding && request.messageClass == .request)
                var response = request.response()
                response.xorMappedAddress = mapped
                try server.send(response.serialized(fingerprint: true), to: from)
                answered += 1
            }
            try a.pump()
            usleep(2000)
        }
        #expect(a.agent.gatheringComplete)
        #expect(answered >= 1)
        let elapsed = MediaClock.nowMicros() - start
        #expect(elapsed >= 300_000 && elapsed < 2_000_000)  // waited for the silent server, bounded
        let srflx = a.agent.localCandidates.filter { $0.type == .serverReflexive }
        #expect(srflx.count == 1)
        #expect(srflx.first?.address == "203.0.113.9" && srflx.first?.port == 61000)
        #expect(srflx.first?.relatedAddress == "127.0.0.1")
    }

    @Test func gatherBlockingWaitsForTheServer() throws {
        let server = try UDPSocket(bindTo: SocketAddress(host: "127.0.0.1", port: 0)!)
        defer { server.close() }
        // A real thread: blocking work must not sit on the test's cooperative pool.
        let answering = Thread {
            guard let (bytes, from) = try? server.receive(timeoutMillis: 3000),
                  var response = try? STUNMessage(parsing: bytes).response() else { return }
            response.xorMappedAddress = SocketAddress(host: "198.51.100.7", port: 1234)
            try? server.send(response.serialized(fingerprint: true), to: from)
        }
        answering.start()
        let socket = try UDPSocket(bindTo: SocketAddress(host: "127.0.0.1", port: 0)!)
        defer { socket.close() }
        var configuration = ICEConfiguration()
        configuration.stunServers = [server.localAddress]
        let agent = ICEAgent(role: .controlling, configuration: configuration) { bytes, to, _ in try? socket.send(bytes, to: to) }
        let candidates = try agent.gatherBlocking(socket: socket, relays: [])
        #expect(agent.gatheringComplete)
        #expect(candidates.map(\.type) == [.host, .srflx])
        #expect(candidates.last?.sdpValue.hasSuffix("198.51.100.7 1234 typ srflx raddr 127.0.0.1 rport \(socket.localAddress.port)") == true)
    }

    @Test func hostCandidatesFromWildcardSocket() throws {
        let socket = try UDPSocket(bindTo: SocketAddress(host: "0.0.0.0", port: 0)!)
        defer { socket.close() }
        var configuration = ICEConfiguration()
        configuration.includeLoopback = true
        let agent = ICEAgent(role: .controlling, configuration: configuration) { _, _, _ in }
        let candidates = try agent.gather(socket: socket, relays: [])
        #expect(!candidates.isEmpty)
        #expect(candidates.allSatisfy { $0.type == .host && $0.port == Int(socket.localAddress.port) && $0.socketAddress?.family == .ipv4 })
        #expect(candidates.contains { $0.address == "127.0.0.1" })
        #expect(Set(candidates.map(\.priority)).count == candidates.count)
        var explicit = ICEConfiguration()
        explicit.hostAddresses = ["not an ip"]
        #expect(throws: MediaError.self) { try ICEAgent(role: .controlling, configuration: explicit) { _, _, _ in }.gather(socket: socket, relays: []) }
    }

    @Test func connectsThroughARelay() throws {
        // A stand-in for a TURN allocation: its own UDP socket is the "relayed address".
        final class FakeRelay: ICERelay, @unchecked Sendable {
            let socket: UDPSocket
            init() throws { socket = try UDPSocket(bindTo: SocketAddress(host: "127.0.0.1", port: 0)!) }
            var relayedAddress: SocketAddress { socket.localAddress }
            func send(_ bytes: [UInt8], to peer: SocketAddress) throws { try socket.send(bytes, to: peer) }
        }
        let relay = try FakeRelay()
        let a = try Endpoint(role: .controlling) { $0.relayOnly = true }
        let b = try Endpoint(role: .controlled)
        defer { relay.socket.close(); a.socket.close(); b.socket.close() }
        let box = SentBox()
        let relayed = ICEAgent(role: .controlling, configuration: {
            var c = ICEConfiguration(); c.relayOnly = true; c.checkInterval = .milliseconds(5); c.nominationDelay = .milliseconds(50)
            return c
        }()) { bytes, to, via in box.items.withLock { $0.append((bytes, to, via)) } }
        let ca = try relayed.gather(socket: a.socket, relays: [relay])
        #expect(ca.map(\.type) == [.relay])
        #expect(ca.first?.socketAddress == relay.relayedAddress)
        let cb = try b.offer()
        relayed.setRemote(ufrag: b.agent.localUfrag, password: b.agent.localPassword, candidates: cb, isLite: false)
        b.agent.setRemote(ufrag: relayed.localUfrag, password: relayed.localPassword, candidates: ca, isLite: false)
        let deadline = MediaClock.nowMicros() + 3_000_000
        var everythingViaRelay = true
        while MediaClock.nowMicros() < deadline, !(relayed.state == .connected && b.agent.state == .connected) {
            for item in box.take() {
                if item.relay !== relay { everythingViaRelay = false }
                try item.relay?.send(item.bytes, to: item.to)
            }
            while let (bytes, from) = try relay.socket.receive(timeoutMillis: 0) {
                relayed.handle(stun: bytes, from: from, via: relay)
            }
            relayed.tick(now: MediaClock.nowMicros())
            try b.pump()
            usleep(2000)
        }
        #expect(relayed.state == .connected && b.agent.state == .connected)
        #expect(everythingViaRelay)
        #expect(relayed.selectedPair?.relay === relay)
        #expect(relayed.selectedPair?.local.type == .relay)
        #expect(b.agent.selectedPair?.remote == relay.relayedAddress)
    }

    @Test func pacingAndRetransmitsOnAFakeClock() throws {
        let box = SentBox()
        var configuration = ICEConfiguration()
        configuration.checkInterval = .milliseconds(50)
        configuration.retransmitTimeout = .milliseconds(250)
        configuration.maxRetransmits = 2
        configuration.hostAddresses = ["127.0.0.1"]
        let agent = ICEAgent(role: .controlling, configuration: configuration) { bytes, to, relay in
            box.items.withLock { $0.append((bytes, to, relay)) }
        }
        let socket = try UDPSocket(bindTo: SocketAddress(host: "127.0.0.1", port: 0)!)
        defer { socket.close() }
        try agent.gather(socket: socket, relays: [])
        let remotes = (1...3).map {
            ICECandidate(foundation: "\($0)", priority: UInt32(100 * $0), address: "127.0.0.1", port: 40000 + $0, type: .host)
        }
        agent.setRemote(ufrag: "r", password: "rrrrrrrrrrrrrrrrrrrrrrrr", candidates: remotes, isLite: false)
        #expect(agent.state == .checking)
        let t0: UInt64 = 10_000_000
        agent.tick(now: t0)
        var sent = box.take()
        #expect(sent.map(\.to.port) == [40003])  // highest priority first
        agent.tick(now: t0 + 10_000)
        #expect(box.take().isEmpty)                // Ta not yet elapsed
        agent.tick(now: t0 + 50_000)
        #expect(box.take().map(\.to.port) == [40002])
        agent.tick(now: t0 + 100_000)
        #expect(box.take().map(\.to.port) == [40001])
        agent.tick(now: t0 + 150_000)
        #expect(box.take().isEmpty)                // every pair is in progress
        agent.tick(now: t0 + 250_000)
        sent = box.take()
        #expect(sent.map(\.to.port) == [40003])  // first retransmission, same transaction
        let first = try STUNMessage(parsing: sent[0].bytes)
        #expect(first.useCandidate == false && first.iceControlling == agent.tieBreaker)
        // 250 ms, then 500 ms, then give up after another 1 s: all pairs failed → failed.
        var resends = 0
        for step in 1...40 {
            agent.tick(now: t0 + 250_000 + UInt64(step) * 100_000)
            resends += box.take().count
        }
        #expect(resends == 5)  // 3 pairs × 2 retransmissions, minus the one already seen
        #expect(agent.state == .failed)
        #expect(agent.selectedPair == nil)
    }

    @Test func fuzzAgentInput() {
        var g = SystemRandomNumberGenerator()
        let agent = ICEAgent(role: .controlled) { _, _, _ in }
        let (_, good) = check(to: agent, controlling: 5)
        fuzzICEAgent(good)
        for seed in [good, RFC5769.request, RFC5769.responseV4] {
            for _ in 0..<500 {
                var bytes = seed
                for _ in 0..<Int.random(in: 1...3, using: &g) {
                    bytes[Int.random(in: 0..<bytes.count, using: &g)] = UInt8.random(in: 0...255, using: &g)
                }
                fuzzICEAgent(bytes)
                fuzzICECandidate(Array("1 1 udp 2130706431 192.168.1.5 50000 typ host raddr 1 rport 2".utf8).map {
                    Int.random(in: 0..<20, using: &g) == 0 ? UInt8.random(in: 0...255, using: &g) : $0
                })
            }
        }
    }
}
