import Glibc
import Synchronization

/// Which side decides the selected pair (RFC 8445 §6.1.1). The offerer is usually controlling; against an
/// ICE-lite peer (Webex media servers) we are always controlling.
public enum ICERole: String, Sendable, Equatable { case controlling, controlled }

/// The agent's overall state. `failed` and `closed` are final.
public enum ICEState: String, Sendable, Equatable { case new, checking, connected, failed, closed }

/// Knobs for an `ICEAgent`. The defaults suit real networks; tests shorten the timers.
public struct ICEConfiguration: Sendable {
    /// Ta: pacing between new connectivity checks (RFC 8445 §14.2).
    public var checkInterval: Duration = .milliseconds(50)
    /// First retransmission timeout of a check or STUN server request; doubles each time, capped at 1.6 s.
    public var retransmitTimeout: Duration = .milliseconds(250)
    /// Retransmissions of a check before its pair fails (7 sends in all by default).
    public var maxRetransmits: Int = 6
    /// Controlling side: after the first pair succeeds, wait at most this long for a better pair before
    /// nominating the best one (regular nomination).
    public var nominationDelay: Duration = .milliseconds(200)
    /// RFC 7675 consent freshness: a check on the selected pair about this often (±20 %).
    public var consentInterval: Duration = .seconds(5)
    /// No consent response for this long → `.failed`.
    public var consentTimeout: Duration = .seconds(30)
    /// No selected pair this long after checks began → `.failed`.
    public var connectTimeout: Duration = .seconds(30)
    /// How long server-reflexive gathering waits for STUN servers.
    public var gatherTimeout: Duration = .seconds(2)
    /// Numeric host addresses to advertise instead of looking at the socket / interfaces.
    public var hostAddresses: [String] = []
    /// When the socket is bound to a wildcard address: also advertise loopback addresses.
    public var includeLoopback: Bool = false
    /// STUN servers for server-reflexive candidates.
    public var stunServers: [SocketAddress] = []
    /// Advertise and use only relayed candidates.
    public var relayOnly: Bool = false
    /// Role-conflict tie-breaker; random when nil.
    public var tieBreaker: UInt64? = nil
    /// Fixed local credentials (tests); random when nil.
    public var localUfrag: String? = nil
    public var localPassword: String? = nil
    /// SOFTWARE attribute in our responses, if any.
    public var software: String? = nil

    public init() {}
}

/// A full ICE agent (RFC 8445) for one component (rtcp-mux + BUNDLE: one socket, one stream).
///
/// Design: the agent does no I/O and owns no thread. Its owner
/// - passes every STUN datagram it receives (on the socket or unwrapped from a TURN relay) to
///   `handle(stun:from:via:)`,
/// - calls `tick(now:)` every 10–20 ms with `MediaClock.nowMicros()` (pacing, retransmits, nomination,
///   consent freshness, gathering timeouts all run there; `handle` uses the time of the latest tick),
/// - sends what the agent asks for through the `send` callback (via a relay when one is given).
/// Callbacks run outside the agent's lock, so they may call back into the agent.
///
/// Gathering: `gather` returns host and relay candidates at once, with no I/O. Server-reflexive candidates
/// need a round trip: the Binding requests to `stunServers` go out on the next `tick`, answers arrive via
/// `handle`, and `gatheringComplete` turns true when every server answered or `gatherTimeout` passed;
/// `localCandidates` then holds the full list (or use `gatherBlocking`, which runs that loop itself).
public final class ICEAgent: @unchecked Sendable {
    public let localUfrag: String
    public let localPassword: String
    public let tieBreaker: UInt64

    private let configuration: ICEConfiguration
    private let sendCallback: @Sendable (_ bytes: [UInt8], _ to: SocketAddress, _ via: ICERelay?) -> Void
    private let lock = Mutex<Void>(())

    // MARK: state (guarded by `lock`)

    private var role: ICERole
    private var stateValue: ICEState = .new
    private var stateCallback: (@Sendable (ICEState) -> Void)?
    private var now: UInt64 = 0
    private var started = false

    private struct Base {
        var candidate: ICECandidate
        var relay: ICERelay?
        var family: SocketAddress.Family
    }
    private var localList: [ICECandidate] = []
    private var bases: [Base] = []
    private var hostAddressKeys: Set<SocketAddress> = []
    private var pendingGather: [SocketAddress] = []
    private var gatherDeadline: UInt64? = nil
    private var gatherOutstanding = 0
    private var gatherStarted = false
    private var nextFoundation = 1

    private var remoteUfrag: String?
    private var remotePassword: String?
    private var remoteIsLite = false
    private var remotes: [SocketAddress: ICECandidate] = [:]

    private enum PairState { case frozen, waiting, inProgress, succeeded, failed }
    private struct Pair {
        var base: Int
        var remote: SocketAddress
        var remotePriority: UInt32
        var state: PairState = .waiting
        var useCandidateReceived = false
        var nominating = false
        var nominated = false
    }
    private var pairs: [Pair] = []
    private var triggered: [(pair: Int, nominate: Bool)] = []
    private var nextCheckAt: UInt64 = 0
    private var checkingSince: UInt64? = nil
    private var firstSuccessAt: UInt64? = nil
    private var selected: Int? = nil
    private var lastConsent: UInt64 = 0
    private var nextConsentAt: UInt64 = 0

    private enum Purpose {
        case check(pair: Int, nominate: Bool, role: ICERole)
        case consent(pair: Int)
        case gather(server: SocketAddress)
    }
    private struct Transaction {
        var purpose: Purpose
        var bytes: [UInt8]
        var destination: SocketAddress
        var relay: ICERelay?
        var nextSend: UInt64
        var rto: UInt64
        var sendsLeft: Int
    }
    private var transactions: [[UInt8]: Transaction] = [:]

    private struct Outgoing { var bytes: [UInt8]; var to: SocketAddress; var relay: ICERelay? }
    private var outbox: [Outgoing] = []
    private var stateEvents: [ICEState] = []

    // MARK: init

    /// - Parameter send: called (outside the agent's lock) for every datagram the agent wants sent; when
    ///   `via` is not nil, send through that relay (`relay.send(bytes, to:)`), else on the media socket.
    public init(role: ICERole, configuration: ICEConfiguration = ICEConfiguration(),
                send: @escaping @Sendable (_ bytes: [UInt8], _ to: SocketAddress, _ via: ICERelay?) -> Void) {
        self.role = role
        self.configuration = configuration
        self.sendCallback = send
        var g = SystemRandomNumberGenerator()
        self.localUfrag = configuration.localUfrag ?? ICEAgent.randomICEString(length: 8, using: &g)
        self.localPassword = configuration.localPassword ?? ICEAgent.randomICEString(length: 24, using: &g)
        self.tieBreaker = configuration.tieBreaker ?? UInt64.random(in: 0...UInt64.max, using: &g)
    }

    /// Letters and digits (a subset of RFC 8839 ice-char that needs no escaping anywhere).
    static func randomICEString(length: Int, using g: inout SystemRandomNumberGenerator) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &g)] })
    }

    // MARK: public API

    public var state: ICEState { lock.withLock { _ in stateValue } }

    /// The current role (it can change on a role conflict or against an ICE-lite peer).
    public var currentRole: ICERole { lock.withLock { _ in role } }

    public var onStateChange: (@Sendable (ICEState) -> Void)? {
        get { lock.withLock { _ in stateCallback } }
        set { lock.withLock { _ in stateCallback = newValue } }
    }

    /// Every local candidate gathered so far (host, srflx, relay), for the SDP.
    public var localCandidates: [ICECandidate] { lock.withLock { _ in localList } }

    /// Remote candidates, including peer-reflexive ones learned from incoming checks.
    public var remoteCandidates: [ICECandidate] {
        lock.withLock { _ in remotes.values.sorted { $0.priority > $1.priority } }
    }

    /// True once server-reflexive gathering has finished (at once when there are no STUN servers).
    public var gatheringComplete: Bool {
        lock.withLock { _ in gatherStarted && pendingGather.isEmpty && gatherOutstanding == 0 }
    }

    /// The pair media should use: our local candidate, the peer's address, and the relay to send through.
    public var selectedPair: (local: ICECandidate, remote: SocketAddress, relay: ICERelay?)? {
        lock.withLock { _ in
            guard let s = selected, s < pairs.count else { return nil }
            let base = bases[pairs[s].base]
            return (base.candidate, pairs[s].remote, base.relay)
        }
    }

    /// Computes host candidates (no I/O) for `socket` and relay candidates for `relays`, and queues Binding
    /// requests to the STUN servers (sent on the next `tick`). Returns the candidates known now.
    /// Host addresses: `configuration.hostAddresses` if set; else the socket's address when it is bound to
    /// a specific one; else every up, non-loopback interface address of the socket's family (loopback
    /// too with `includeLoopback`, or when nothing else exists).
    @discardableResult
    public func gather(socket: UDPSocket, relays: [ICERelay]) throws -> [ICECandidate] {
        let bound = socket.localAddress
        var hosts: [SocketAddress] = []
        if !configuration.hostAddresses.isEmpty {
            for text in configuration.hostAddresses {
                guard let a = SocketAddress(host: text, port: bound.port) else {
                    throw MediaError(.ice, "The ICE host address \"\(text)\" is not a numeric IP address.")
                }
                hosts.append(a)
            }
        } else if !bound.isWildcard {
            hosts = [bound]
        } else {
            hosts = ICEAgent.interfaceAddresses(family: bound.family, includeLoopback: configuration.includeLoopback)
                .map { SocketAddress(addressBytes: $0.addressBytes, port: bound.port) ?? $0 }
            if hosts.isEmpty {
                hosts = ICEAgent.interfaceAddresses(family: bound.family, includeLoopback: true)
                    .map { SocketAddress(addressBytes: $0.addressBytes, port: bound.port) ?? $0 }
            }
        }
        return lock.withLock { _ in
            var seen = Set<SocketAddress>()
            var localPreference: UInt32 = 65535
            if !configuration.relayOnly {
                for host in hosts where host.family == bound.family && seen.insert(host).inserted {
                    let c = ICECandidate(
                        foundation: foundation(), priority: ICECandidate.computePriority(type: .host, localPreference: localPreference),
                        address: host.host, port: Int(host.port), type: .host)
                    localList.append(c)
                    hostAddressKeys.insert(host)
                    if !bases.contains(where: { $0.relay == nil && $0.family == host.family }) {
                        bases.append(Base(candidate: c, relay: nil, family: host.family))
                    }
                    localPreference = localPreference > 1 ? localPreference - 1 : 1
                }
                pendingGather += configuration.stunServers.filter { $0.family == bound.family }
            }
            var relayPreference: UInt32 = 65535
            for relay in relays {
                let a = relay.relayedAddress
                let c = ICECandidate(
                    foundation: foundation(), priority: ICECandidate.computePriority(type: .relay, localPreference: relayPreference),
                    address: a.host, port: Int(a.port), type: .relay,
                    relatedAddress: hosts.first?.host ?? (a.family == .ipv4 ? "0.0.0.0" : "::"),
                    relatedPort: Int(hosts.first?.port ?? 0))
                localList.append(c)
                bases.append(Base(candidate: c, relay: relay, family: a.family))
                relayPreference = relayPreference > 1 ? relayPreference - 1 : 1
            }
            gatherStarted = true
            rebuildPairs()
            return localList
        }
    }

    /// Runs gathering to completion by reading `socket` itself (for use before media starts): feeds STUN
    /// answers to `handle` and ticks until `gatheringComplete`. Non-STUN datagrams read meanwhile are dropped.
    @discardableResult
    public func gatherBlocking(socket: UDPSocket, relays: [ICERelay]) throws -> [ICECandidate] {
        try gather(socket: socket, relays: relays)
        tick(now: MediaClock.nowMicros())
        let limit = MediaClock.nowMicros() + micros(configuration.gatherTimeout) + 1_000_000
        while !gatheringComplete && MediaClock.nowMicros() < limit {
            if let (bytes, from) = try socket.receive(timeoutMillis: 10), isSTUN(bytes) {
                handle(stun: bytes, from: from, via: nil)
            }
            tick(now: MediaClock.nowMicros())
        }
        return localCandidates
    }

    /// The peer's credentials and candidates (from its SDP). Candidates that are not UDP, not component 1,
    /// or not numeric addresses are ignored. Against an ICE-lite peer we take the controlling role.
    public func setRemote(ufrag: String, password: String, candidates: [ICECandidate], isLite: Bool) {
        flush(lock.withLock { _ in
            remoteUfrag = ufrag
            remotePassword = password
            remoteIsLite = isLite
            if isLite { role = .controlling }
            for c in candidates { addRemoteLocked(c) }
            rebuildPairs()
            if stateValue == .new { setState(.checking) }
            if checkingSince == nil, started { checkingSince = now }
            return drain()
        })
    }

    /// Adds one more remote candidate (trickle ICE).
    public func addRemoteCandidate(_ candidate: ICECandidate) {
        lock.withLock { _ in
            addRemoteLocked(candidate)
            rebuildPairs()
        }
    }

    /// Feeds one STUN datagram received on the socket (`via` nil) or from a relay (`from` = peer address).
    /// Requests are answered, responses matched to our transactions; anything malformed is dropped.
    public func handle(stun bytes: [UInt8], from: SocketAddress, via relay: ICERelay?) {
        flush(lock.withLock { _ in
            handleLocked(bytes, from: from, relay: relay)
            return drain()
        })
    }

    /// Drives pacing, retransmissions, nomination, consent freshness and timeouts. `now` is in µs
    /// (`MediaClock.nowMicros()`); call every 10–20 ms.
    public func tick(now: UInt64) {
        flush(lock.withLock { _ in
            tickLocked(now)
            return drain()
        })
    }

    /// Stops everything; the state becomes `.closed`.
    public func close() {
        flush(lock.withLock { _ in
            transactions.removeAll()
            triggered.removeAll()
            pendingGather.removeAll()
            gatherOutstanding = 0
            if stateValue != .closed { setState(.closed) }
            return drain()
        })
    }

    // MARK: plumbing

    private typealias Drained = (out: [Outgoing], events: [ICEState], callback: (@Sendable (ICEState) -> Void)?)

    private func drain() -> Drained {
        defer { outbox.removeAll(); stateEvents.removeAll() }
        return (outbox, stateEvents, stateCallback)
    }

    private func flush(_ d: Drained) {
        for o in d.out { sendCallback(o.bytes, o.to, o.relay) }
        if let callback = d.callback { for e in d.events { callback(e) } }
    }

    private func setState(_ s: ICEState) {
        guard s != stateValue, stateValue != .closed else { return }
        stateValue = s
        stateEvents.append(s)
    }

    private func micros(_ d: Duration) -> UInt64 {
        // Clamped to a day so that `now + interval` can never overflow.
        let (seconds, attoseconds) = d.components
        let clampedSeconds = UInt64(max(0, min(seconds, 86_400)))
        return clampedSeconds * 1_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000_000)
    }

    private func foundation() -> String {
        defer { nextFoundation += 1 }
        return String(nextFoundation)
    }

    private func addRemoteLocked(_ c: ICECandidate) {
        guard c.isUDP, c.component == 1, let address = c.socketAddress, address.port != 0, !address.isWildcard,
              remotes.count < 100 else { return }
        if let existing = remotes[address], existing.priority >= c.priority { return }
        remotes[address] = c
    }

    /// One pair per (base, remote) of the same family; existing pairs keep their state.
    private func rebuildPairs() {
        for (address, remote) in remotes.sorted(by: { $0.value.priority > $1.value.priority }) {
            for (i, base) in bases.enumerated() where base.family == address.family {
                if !pairs.contains(where: { $0.base == i && $0.remote == address }), pairs.count < 100 {
                    pairs.append(Pair(base: i, remote: address, remotePriority: remote.priority))
                }
            }
        }
    }

    /// RFC 8445 §6.1.2.3: 2^32·min(G,D) + 2·max(G,D) + (G>D ? 1 : 0), G = controlling side's priority.
    private func pairPriority(_ p: Pair) -> UInt64 {
        let local = UInt64(bases[p.base].candidate.priority), remote = UInt64(p.remotePriority)
        let g = role == .controlling ? local : remote
        let d = role == .controlling ? remote : local
        return (min(g, d) << 32) &+ 2 &* max(g, d) &+ (g > d ? 1 : 0)
    }

    private func prflxPriority(base: Int) -> UInt32 {
        let localPreference = (bases[base].candidate.priority >> 8) & 0xFFFF
        return ICECandidate.computePriority(type: .peerReflexive, localPreference: localPreference)
    }

    private func startTransaction(_ message: STUNMessage, bytes: [UInt8], to: SocketAddress, relay: ICERelay?,
                                  purpose: Purpose, retransmits: Int) {
        let rto = micros(configuration.retransmitTimeout)
        transactions[message.transactionID] = Transaction(
            purpose: purpose, bytes: bytes, destination: to, relay: relay, nextSend: now + rto, rto: rto, sendsLeft: retransmits)
        outbox.append(Outgoing(bytes: bytes, to: to, relay: relay))
    }

    private func sendCheck(pair index: Int, nominate: Bool, consent: Bool = false) {
        guard let ufrag = remoteUfrag, let password = remotePassword, index < pairs.count else { return }
        let pair = pairs[index]
        var m = STUNMessage(method: STUNMethod.binding, messageClass: .request)
        m.username = "\(ufrag):\(localUfrag)"
        m.priority = prflxPriority(base: pair.base)
        if role == .controlling { m.iceControlling = tieBreaker } else { m.iceControlled = tieBreaker }
        if nominate { m.useCandidate = true }
        let bytes = m.serialized(integrityKey: Array(password.utf8), fingerprint: true)
        if consent {
            startTransaction(m, bytes: bytes, to: pair.remote, relay: bases[pair.base].relay,
                             purpose: .consent(pair: index), retransmits: 0)
            // A consent request is answered or not; it expires after one interval without retransmits.
            transactions[m.transactionID]?.nextSend = now + micros(configuration.consentInterval)
        } else {
            if pairs[index].state != .succeeded { pairs[index].state = .inProgress }
            startTransaction(m, bytes: bytes, to: pair.remote, relay: bases[pair.base].relay,
                             purpose: .check(pair: index, nominate: nominate, role: role),
                             retransmits: configuration.maxRetransmits)
        }
    }

    private func hasCheckInFlight(_ index: Int, nominate: Bool) -> Bool {
        transactions.values.contains {
            if case .check(let p, let n, _) = $0.purpose { return p == index && n == nominate }
            return false
        }
    }

    private func enqueueTriggered(_ index: Int, nominate: Bool) {
        if let at = triggered.firstIndex(where: { $0.pair == index }) {
            if nominate { triggered[at].nominate = true }
            return
        }
        if nominate { triggered.insert((index, true), at: 0) } else { triggered.append((index, false)) }
    }

    // MARK: tick

    private func tickLocked(_ time: UInt64) {
        now = max(now, min(time, UInt64.max / 2))
        guard stateValue != .closed else { return }
        if !started {
            started = true
            if remotePassword != nil, checkingSince == nil { checkingSince = now }
        }
        if gatherStarted, !pendingGather.isEmpty {
            for server in pendingGather {
                let m = STUNMessage(method: STUNMethod.binding, messageClass: .request)
                startTransaction(m, bytes: m.serialized(fingerprint: true), to: server, relay: nil,
                                 purpose: .gather(server: server), retransmits: 4)
                gatherOutstanding += 1
            }
            pendingGather.removeAll()
            gatherDeadline = now + micros(configuration.gatherTimeout)
        }
        if let deadline = gatherDeadline, now >= deadline, gatherOutstanding > 0 {
            for (id, t) in transactions { if case .gather = t.purpose { transactions[id] = nil } }
            gatherOutstanding = 0
            gatherDeadline = nil
        }
        runTimers()
        guard stateValue == .checking || stateValue == .connected, remotePassword != nil else { return }

        if selected == nil {
            if now >= nextCheckAt { scheduleCheck() }
            if role == .controlling { maybeNominate() }
            if let since = checkingSince, now >= since + micros(configuration.connectTimeout) {
                setState(.failed)
                return
            }
            if !pairs.isEmpty, triggered.isEmpty, pairs.allSatisfy({ $0.state == .failed }) {
                setState(.failed)
                return
            }
        } else {
            // Keep answering the controlling side's nominations with triggered checks.
            if now >= nextCheckAt, !triggered.isEmpty { scheduleCheck() }
            if role == .controlling { maybeNominate() }
            if now >= lastConsent + micros(configuration.consentTimeout) {
                setState(.failed)
                return
            }
            if now >= nextConsentAt, let s = selected {
                sendCheck(pair: s, nominate: false, consent: true)
                scheduleConsent()
            }
        }
    }

    private func scheduleConsent() {
        let interval = micros(configuration.consentInterval)
        var g = SystemRandomNumberGenerator()
        let jitter = UInt64.random(in: 0...(interval / 5 * 2 + 1), using: &g)
        nextConsentAt = now + interval - interval / 5 + jitter
    }

    /// One new check per Ta: a triggered one first, else the best waiting pair.
    private func scheduleCheck() {
        while !triggered.isEmpty {
            let next = triggered.removeFirst()
            guard next.pair < pairs.count else { continue }
            if hasCheckInFlight(next.pair, nominate: next.nominate) { continue }
            if pairs[next.pair].state == .succeeded && !next.nominate && selected != nil { continue }
            sendCheck(pair: next.pair, nominate: next.nominate)
            nextCheckAt = now + micros(configuration.checkInterval)
            return
        }
        guard selected == nil else { return }
        if let best = bestPair(where: { $0.state == .waiting || $0.state == .frozen }) {
            sendCheck(pair: best, nominate: false)
            nextCheckAt = now + micros(configuration.checkInterval)
        }
    }

    /// Index of the highest-priority pair matching `filter`.
    private func bestPair(where filter: (Pair) -> Bool) -> Int? {
        var best: (index: Int, priority: UInt64)? = nil
        for (i, p) in pairs.enumerated() where filter(p) {
            let priority = pairPriority(p)
            if best.map({ priority > $0.priority }) ?? true { best = (i, priority) }
        }
        return best?.index
    }

    /// Regular nomination: when the best valid pair cannot be beaten any more (or the delay passed),
    /// send it a check with USE-CANDIDATE.
    private func maybeNominate() {
        guard selected == nil, !pairs.contains(where: { $0.nominating || $0.nominated }) else { return }
        guard let best = bestPair(where: { $0.state == .succeeded }) else { return }
        let bestPriority = pairPriority(pairs[best])
        let better = pairs.contains {
            ($0.state == .waiting || $0.state == .frozen || $0.state == .inProgress) && pairPriority($0) > bestPriority
        }
        let waited = firstSuccessAt.map { now >= $0 + micros(configuration.nominationDelay) } ?? false
        guard !better || waited else { return }
        pairs[best].nominating = true
        enqueueTriggered(best, nominate: true)
        nextCheckAt = min(nextCheckAt, now)
        scheduleCheck()
    }

    private func runTimers() {
        let cap: UInt64 = 1_600_000
        for (id, t) in transactions where t.nextSend <= now {
            if t.sendsLeft > 0 {
                var u = t
                u.sendsLeft -= 1
                u.rto = u.rto >= cap / 2 ? max(u.rto, cap) : u.rto * 2
                u.nextSend = now + u.rto
                transactions[id] = u
                outbox.append(Outgoing(bytes: t.bytes, to: t.destination, relay: t.relay))
            } else {
                transactions[id] = nil
                timedOut(t)
            }
        }
    }

    private func timedOut(_ t: Transaction) {
        switch t.purpose {
        case .gather:
            gatherOutstanding = max(0, gatherOutstanding - 1)
        case .consent:
            break  // consent failure is decided by consentTimeout
        case .check(let index, let nominate, _):
            guard index < pairs.count else { return }
            if nominate { pairs[index].nominating = false }
            let stillTrying = transactions.values.contains {
                if case .check(let p, _, _) = $0.purpose { return p == index }
                return false
            }
            if !stillTrying, !(pairs[index].state == .succeeded && !nominate) {
                pairs[index].state = .failed
            }
        }
    }

    // MARK: incoming

    private func handleLocked(_ raw: [UInt8], from: SocketAddress, relay: ICERelay?) {
        guard stateValue != .closed, let message = try? STUNMessage(parsing: raw) else { return }
        // A FINGERPRINT that is present must be right (it is how STUN is told apart from media).
        if raw.count >= 28, raw[raw.count - 8] == 0x80, raw[raw.count - 7] == 0x28, !STUNMessage.validateFingerprint(raw) {
            return
        }
        switch message.messageClass {
        case .request where message.method == STUNMethod.binding:
            handleRequest(message, raw: raw, from: from, relay: relay)
        case .successResponse, .errorResponse:
            handleResponse(message, raw: raw, from: from, relay: relay)
        default:
            return  // indications (keepalives) and other methods need nothing
        }
    }

    private static let knownRequestAttributes: Set<UInt16> = [
        STUNAttributeType.username, STUNAttributeType.priority, STUNAttributeType.useCandidate,
        STUNAttributeType.mappedAddress, STUNAttributeType.xorMappedAddress, STUNAttributeType.errorCode,
    ]

    private func reply(_ response: STUNMessage, to: SocketAddress, relay: ICERelay?, authenticated: Bool) {
        var r = response
        if let software = configuration.software { r.software = software }
        let bytes = r.serialized(integrityKey: authenticated ? Array(localPassword.utf8) : nil, fingerprint: true)
        outbox.append(Outgoing(bytes: bytes, to: to, relay: relay))
    }

    private func handleRequest(_ request: STUNMessage, raw: [UInt8], from: SocketAddress, relay: ICERelay?) {
        let authentic = STUNMessage.validateIntegrity(raw, key: Array(localPassword.utf8))
        let unknown = request.unknownComprehensionRequired(known: ICEAgent.knownRequestAttributes)
        if !unknown.isEmpty {
            var r = request.response(.errorResponse)
            r.errorCode = (420, "Unknown Attribute")
            r.unknownAttributes = unknown
            reply(r, to: from, relay: relay, authenticated: authentic)
            return
        }
        guard let username = request.username, STUNMessage.hasIntegrity(raw) else {
            var r = request.response(.errorResponse)
            r.errorCode = (400, "Bad Request")
            reply(r, to: from, relay: relay, authenticated: false)
            return
        }
        let parts = username.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.first.map(String.init) == localUfrag, authentic else {
            var r = request.response(.errorResponse)
            r.errorCode = (401, "Unauthorized")
            reply(r, to: from, relay: relay, authenticated: false)
            return
        }

        // Role conflict (RFC 8445 §7.3.1.1).
        if role == .controlling, let theirs = request.iceControlling {
            if tieBreaker >= theirs {
                var r = request.response(.errorResponse)
                r.errorCode = (487, "Role Conflict")
                reply(r, to: from, relay: relay, authenticated: true)
                return
            }
            role = .controlled
        } else if role == .controlled, let theirs = request.iceControlled {
            if tieBreaker >= theirs {
                role = .controlling
            } else {
                var r = request.response(.errorResponse)
                r.errorCode = (487, "Role Conflict")
                reply(r, to: from, relay: relay, authenticated: true)
                return
            }
        }

        var response = request.response(.successResponse)
        response.xorMappedAddress = from
        reply(response, to: from, relay: relay, authenticated: true)

        // Learn a peer-reflexive remote candidate when the source is new (RFC 8445 §7.3.1.3).
        if remotes[from] == nil, remotes.count < 100 {
            remotes[from] = ICECandidate(
                foundation: "prflx\(remotes.count + 1)", priority: request.priority ?? 0,
                address: from.host, port: Int(from.port), type: .peerReflexive)
        }
        guard let baseIndex = bases.firstIndex(where: { relay == nil ? ($0.relay == nil && $0.family == from.family) : $0.relay === relay })
        else { return }
        var index = pairs.firstIndex { $0.base == baseIndex && $0.remote == from }
        if index == nil, pairs.count < 100 {
            pairs.append(Pair(base: baseIndex, remote: from, remotePriority: remotes[from]?.priority ?? 0))
            index = pairs.count - 1
        }
        guard let index else { return }

        let nominatedByPeer = request.useCandidate && role == .controlled
        if nominatedByPeer { pairs[index].useCandidateReceived = true }
        switch pairs[index].state {
        case .succeeded:
            if nominatedByPeer { markNominated(index) }
        case .inProgress:
            break  // the check in flight will complete it
        case .waiting, .frozen, .failed:
            pairs[index].state = .waiting
            enqueueTriggered(index, nominate: false)
        }
    }

    private func handleResponse(_ response: STUNMessage, raw: [UInt8], from: SocketAddress, relay: ICERelay?) {
        guard let t = transactions[response.transactionID] else { return }
        if case .gather = t.purpose {
            transactions[response.transactionID] = nil
            gatherOutstanding = max(0, gatherOutstanding - 1)
            guard response.messageClass == .successResponse,
                  let mapped = response.xorMappedAddress ?? response.mappedAddress,
                  !hostAddressKeys.contains(mapped),
                  !localList.contains(where: { $0.type == .serverReflexive && $0.address == mapped.host && $0.port == Int(mapped.port) }),
                  let base = bases.first(where: { $0.relay == nil && $0.family == mapped.family })
            else { return }
            let localPreference = (base.candidate.priority >> 8) & 0xFFFF
            localList.append(ICECandidate(
                foundation: foundation(), priority: ICECandidate.computePriority(type: .serverReflexive, localPreference: localPreference),
                address: mapped.host, port: Int(mapped.port), type: .serverReflexive,
                relatedAddress: base.candidate.address, relatedPort: base.candidate.port))
            return
        }
        // Checks and consent: the response must carry our peer's integrity (error responses may lack it).
        guard let password = remotePassword else { return }
        let authentic = STUNMessage.validateIntegrity(raw, key: Array(password.utf8))
        // Some ICE-lite servers answer without MESSAGE-INTEGRITY; the 96-bit transaction ID still ties the
        // answer to our request, so an unsigned success is accepted from a lite peer only.
        let unsigned = !STUNMessage.hasIntegrity(raw)
        guard authentic || (unsigned && (response.messageClass == .errorResponse || remoteIsLite)) else { return }
        transactions[response.transactionID] = nil

        switch t.purpose {
        case .gather:
            return
        case .consent(let index):
            if response.messageClass == .successResponse, from == t.destination, t.relay === relay, index == selected {
                lastConsent = now
            }
        case .check(let index, let nominate, let sentRole):
            guard index < pairs.count else { return }
            if response.messageClass == .errorResponse {
                if nominate { pairs[index].nominating = false }
                if response.errorCode?.code == 487 {
                    if role == sentRole { role = sentRole == .controlling ? .controlled : .controlling }
                    if pairs[index].state != .succeeded { pairs[index].state = .waiting }
                    enqueueTriggered(index, nominate: false)
                } else if pairs[index].state != .succeeded {
                    pairs[index].state = .failed
                }
                return
            }
            // Non-symmetric answers fail the pair (RFC 8445 §7.2.5.2.1).
            guard from == t.destination, t.relay === relay else {
                if pairs[index].state != .succeeded { pairs[index].state = .failed }
                return
            }
            if pairs[index].state != .succeeded {
                pairs[index].state = .succeeded
                if firstSuccessAt == nil { firstSuccessAt = now }
            }
            if index == selected { lastConsent = now }
            if nominate { pairs[index].nominating = false }
            if nominate && sentRole == .controlling && role == .controlling {
                markNominated(index)
            } else if role == .controlled && pairs[index].useCandidateReceived {
                markNominated(index)
            }
        }
    }

    /// A pair is nominated: select it (or switch to it when it beats the current one) and connect.
    private func markNominated(_ index: Int) {
        pairs[index].nominated = true
        if let s = selected, s != index, pairPriority(pairs[s]) >= pairPriority(pairs[index]) { return }
        let first = selected == nil
        selected = index
        lastConsent = now
        if first {
            scheduleConsent()
            // Checks on other pairs are no longer needed.
            triggered.removeAll { $0.pair != index }
        }
        if stateValue == .checking || stateValue == .new { setState(.connected) }
    }

    // MARK: interfaces

    /// Up interface addresses of `family` (IPv6 link-local skipped), loopback only when asked.
    static func interfaceAddresses(family: SocketAddress.Family, includeLoopback: Bool) -> [SocketAddress] {
        var head: UnsafeMutablePointer<ifaddrs>? = nil
        guard getifaddrs(&head) == 0 else { return [] }
        defer { freeifaddrs(head) }
        var result: [SocketAddress] = []
        var cursor = head
        var guardCount = 0
        while let ifa = cursor, guardCount < 1024 {
            guardCount += 1
            cursor = ifa.pointee.ifa_next
            let flags = ifa.pointee.ifa_flags
            guard flags & UInt32(IFF_UP) != 0, let sa = ifa.pointee.ifa_addr,
                  let address = SocketAddress(sockaddr: sa), address.family == family else { continue }
            if address.isLoopback && !includeLoopback { continue }
            if address.isLinkLocal || address.isWildcard { continue }
            if !result.contains(address) { result.append(address) }
        }
        return result
    }
}

/// Fuzz entry for the agent's input path: feeds `bytes` as an incoming STUN datagram to a fresh agent
/// with remote credentials set. Must never trap.
public func fuzzICEAgent(_ bytes: [UInt8]) {
    var configuration = ICEConfiguration()
    configuration.localUfrag = "fuzz"
    configuration.localPassword = "pass"
    let agent = ICEAgent(role: .controlled, configuration: configuration) { _, _, _ in }
    agent.setRemote(ufrag: "peer", password: "pass", candidates: [], isLite: false)
    guard let from = SocketAddress(host: "127.0.0.1", port: 9) else { return }
    agent.handle(stun: bytes, from: from, via: nil)
    agent.tick(now: 1_000_000)
}
