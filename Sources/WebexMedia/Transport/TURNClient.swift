// TURN client (RFC 8656) over UDP or TCP with long-term credentials.
//
// Threading model: a TURNClient owns its connection to the server (its own UDP socket, or a TCP
// connection) and one receive thread, started by `allocate` and stopped by `close`. The thread reads the
// server, matches responses to transactions, unwraps Data indications and ChannelData and hands
// `(bytes, peer)` to `onReceive` (called on that thread, never under the lock), and runs the timers:
// UDP retransmissions, allocation refresh, permission and channel refresh. All shared state sits in one
// `Mutex`. `allocate`, `refresh` and `close` block the caller until the server answers (or the timeout);
// `send` never waits for the network: packets to a peer whose permission is still being installed are
// queued (a few per peer) and flushed when the permission is confirmed.
// Always call `close()`: the running receive thread keeps the client alive until then. `close()` may be
// called from `onReceive` itself (it then sends the deallocation without waiting for the answer).
import Glibc
import Synchronization

/// How the client reaches the TURN server.
public enum TURNTransport: String, Sendable {
    case udp, tcp
}

/// Counters, mostly for tests and call statistics.
public struct TURNStatistics: Sendable, Equatable {
    public var sentSendIndications = 0
    public var sentChannelData = 0
    public var receivedDataIndications = 0
    public var receivedChannelData = 0
    /// Successful refreshes of the allocation (not counting the final deallocation).
    public var refreshes = 0
    /// Packets dropped because no permission could be installed for their peer, or the queue overflowed.
    public var droppedPackets = 0
    /// Requests re-sent with a fresh nonce after a 438 (Stale Nonce) answer.
    public var staleNonceRetries = 0
    /// Successful refreshes of existing permissions and channel bindings.
    public var permissionRefreshes = 0
    public var channelRefreshes = 0
}

public final class TURNClient: ICERelay, @unchecked Sendable {
    public enum State: String, Sendable {
        case idle, allocating, allocated, failed, closed
    }

    public let server: SocketAddress
    public let transport: TURNTransport
    public let username: String
    private let password: String
    /// Lifetime asked for in Allocate and Refresh, in seconds (the server may grant another).
    public let requestedLifetime: UInt32

    /// Permission lifetime is 300 s and channel lifetime 600 s (RFC 8656); refresh well before.
    static let defaultPermissionRefreshMicros: UInt64 = 240_000_000
    static let defaultChannelRefreshMicros: UInt64 = 540_000_000
    static let maxQueuedPerPeerIP = 32
    /// RFC 8656 §12: channel numbers 0x4000–0x4FFF (a subset of RFC 5766's 0x4000–0x7FFF).
    static let firstChannel: UInt16 = 0x4000
    static let lastChannel: UInt16 = 0x4FFF

    private enum TransactionResult {
        case response(STUNMessage)
        case failed(MediaError)
    }

    private struct Transaction {
        var method: UInt16
        var attributes: [(UInt16, [UInt8])]
        /// Encoded as XOR-PEER-ADDRESS when the request is built (the value depends on the transaction ID).
        var peer: SocketAddress?
        var authenticated: Bool
        var raw: [UInt8]
        var nextSendAt: UInt64
        var rto: UInt64
        var sends: Int
        var deadline: UInt64
        var staleNonceRetries: Int
        var completion: @Sendable (TransactionResult) -> Void
    }

    private struct Permission {
        var installed = false
        var pending = false
        var refreshAt: UInt64 = .max
        var retryAfter: UInt64 = 0
        var queue: [(bytes: [UInt8], peer: SocketAddress)] = []
    }

    private struct Channel {
        var number: UInt16
        var bound = false
        var pending = true
        var refreshAt: UInt64 = .max
    }

    private enum Action {
        case createPermission(SocketAddress)
        case channelBind(SocketAddress, UInt16)
        case refresh
    }

    private struct Shared {
        var state: State = .idle
        var connection: TURNConnection?
        var thread: pthread_t?
        var realm: String?
        var nonce: String?
        var key: [UInt8]?
        var relayed: SocketAddress?
        var mapped: SocketAddress?
        var lifetime: UInt32 = 0
        var refreshAt: UInt64 = .max
        var expiresAt: UInt64 = .max
        var refreshInFlight = false
        var refreshIntervalOverride: UInt64?
        var permissionRefreshMicros = TURNClient.defaultPermissionRefreshMicros
        var channelRefreshMicros = TURNClient.defaultChannelRefreshMicros
        var permissions: [String: Permission] = [:]
        var channels: [SocketAddress: Channel] = [:]
        var channelDisabled: Set<SocketAddress> = []
        var peersByChannel: [UInt16: SocketAddress] = [:]
        var nextChannel: UInt16 = TURNClient.firstChannel
        var transactions: [[UInt8]: Transaction] = [:]
        var onReceive: (@Sendable ([UInt8], SocketAddress) -> Void)?
        var onFailure: (@Sendable (MediaError) -> Void)?
        var stats = TURNStatistics()
    }

    private let shared = Mutex(Shared())
    private let stopping = Atomic<Bool>(false)

    /// - Parameters:
    ///   - server: the TURN server's numeric address and port.
    ///   - transport: how to reach the server; the relayed transport is always UDP.
    ///   - username, password: long-term credentials.
    ///   - lifetime: requested allocation lifetime in seconds.
    public init(server: SocketAddress, transport: TURNTransport = .udp, username: String, password: String,
                lifetime: UInt32 = 600) {
        self.server = server
        self.transport = transport
        self.username = username
        self.password = password
        self.requestedLifetime = lifetime
    }

    deinit {
        // The receive thread holds a strong reference while it runs, so reaching deinit means it has
        // stopped (or never started); only the socket may be left.
        shared.withLock { $0.connection?.close() }
    }

    // MARK: - Public state

    /// Peer data unwrapped from Data indications and ChannelData, called on the receive thread.
    public var onReceive: (@Sendable ([UInt8], SocketAddress) -> Void)? {
        get { shared.withLock { $0.onReceive } }
        set { shared.withLock { $0.onReceive = newValue } }
    }

    /// Called once, on the receive thread, when the allocation is lost (TCP connection closed, refresh
    /// refused). Not called for `close()`.
    public var onFailure: (@Sendable (MediaError) -> Void)? {
        get { shared.withLock { $0.onFailure } }
        set { shared.withLock { $0.onFailure = newValue } }
    }

    public var state: State { shared.withLock { $0.state } }

    /// The relayed transport address (XOR-RELAYED-ADDRESS); `0.0.0.0:0` before `allocate` succeeds.
    public var relayedAddress: SocketAddress {
        shared.withLock { $0.relayed } ?? SocketAddress(host: "0.0.0.0", port: 0) ?? server
    }

    /// Our address as the server saw it (XOR-MAPPED-ADDRESS): usable as a server-reflexive candidate.
    public var mappedAddress: SocketAddress? { shared.withLock { $0.mapped } }

    /// The local address of the socket that talks to the server.
    public var localAddress: SocketAddress? { shared.withLock { $0.connection?.localAddress } }

    /// Allocation lifetime granted by the server in the last Allocate/Refresh response, in seconds.
    public var lifetime: UInt32 { shared.withLock { $0.lifetime } }

    public var statistics: TURNStatistics { shared.withLock { $0.stats } }

    /// The channel bound to `peer`, nil while data to it still goes in Send indications.
    public func channelNumber(for peer: SocketAddress) -> UInt16? {
        shared.withLock { s in
            guard let c = s.channels[peer], c.bound else { return nil }
            return c.number
        }
    }

    /// Tests: refresh the allocation on this interval instead of shortly before it expires.
    func setRefreshInterval(_ interval: Duration?) {
        shared.withLock { s in
            s.refreshIntervalOverride = interval.map(Self.micros)
            if s.state == .allocated { s.refreshAt = MediaClock.nowMicros() + Self.refreshDelay(lifetime: s.lifetime, override: s.refreshIntervalOverride) }
        }
    }

    /// Tests: refresh permissions and channel bindings on these intervals (defaults 240 s and 540 s).
    func setBindingRefreshIntervals(permission: Duration, channel: Duration) {
        shared.withLock { s in
            s.permissionRefreshMicros = Self.micros(permission)
            s.channelRefreshMicros = Self.micros(channel)
            let now = MediaClock.nowMicros()
            for (ip, var p) in s.permissions where p.installed { p.refreshAt = min(p.refreshAt, now + s.permissionRefreshMicros); s.permissions[ip] = p }
            for (peer, var c) in s.channels where c.bound { c.refreshAt = min(c.refreshAt, now + s.channelRefreshMicros); s.channels[peer] = c }
        }
    }

    // MARK: - Allocate / refresh / close

    /// Connects to the server and creates an allocation (401 challenge, then authenticated Allocate).
    /// Blocks up to `timeout`. Throws `MediaError(.turn, …)` saying what went wrong and what to do.
    public func allocate(timeout: Duration = .seconds(5)) throws {
        try shared.withLock { s in
            guard s.state == .idle else {
                throw MediaError(.turn, "TURN client for \(server) was already used (state \(s.state.rawValue)); create a new TURNClient to allocate again.")
            }
            s.state = .allocating
        }
        let deadline = MediaClock.nowMicros() + Self.micros(timeout)
        do {
            let connection: TURNConnection
            switch transport {
            case .udp: connection = try TURNUDPConnection(server: server)
            case .tcp: connection = try TURNTCPConnection(server: server, timeoutMillis: Int(Self.micros(timeout) / 1000))
            }
            shared.withLock { $0.connection = connection }
            try startThread()

            let attributes: [(UInt16, [UInt8])] = [
                (STUNAttributeType.requestedTransport, [17, 0, 0, 0]),   // UDP relay
                (STUNAttributeType.lifetime, TURNWire.be32(requestedLifetime)),
            ]
            var response = try awaitResponse(method: STUNMethod.allocate, attributes: attributes, authenticated: false, deadline: deadline, what: "Allocate")
            if response.messageClass == .errorResponse, response.errorCode?.code == 401 {
                guard let realm = response.realm, let nonce = response.nonce else {
                    throw MediaError(.turn, "TURN server \(server) asked for credentials (401) without a REALM and NONCE; it does not speak the long-term credential mechanism this client uses.")
                }
                let key = stunLongTermKey(username: username, realm: realm, password: password)
                shared.withLock { s in s.realm = realm; s.nonce = nonce; s.key = key }
                response = try awaitResponse(method: STUNMethod.allocate, attributes: attributes, authenticated: true, deadline: deadline, what: "Allocate")
            }
            if response.messageClass == .errorResponse {
                throw allocateError(response)
            }
            guard let relayed = response.xorRelayedAddress else {
                throw MediaError(.turn, "TURN server \(server) accepted the allocation but sent no usable XOR-RELAYED-ADDRESS; this server cannot be used as a relay.")
            }
            let granted = response.lifetime ?? requestedLifetime
            try shared.withLock { s in
                guard s.state == .allocating else {
                    throw MediaError(.turn, "TURN client for \(server) was closed while allocating.")
                }
                s.relayed = relayed
                s.mapped = response.xorMappedAddress
                s.lifetime = granted
                let now = MediaClock.nowMicros()
                s.refreshAt = now + Self.refreshDelay(lifetime: granted, override: s.refreshIntervalOverride)
                s.expiresAt = now + UInt64(granted) * 1_000_000
                s.state = .allocated
            }
        } catch {
            shutdown(finalState: .failed)
            if let e = error as? MediaError { throw e }
            throw MediaError(.turn, "Allocation on TURN server \(server) failed: \(error).")
        }
    }

    /// Refreshes the allocation now (blocking). Normally unnecessary: the receive thread refreshes
    /// automatically before the allocation expires.
    public func refresh(timeout: Duration = .seconds(5)) throws {
        guard state == .allocated else {
            throw MediaError(.turn, "No TURN allocation to refresh on \(server) (state \(state.rawValue)); call allocate() first.")
        }
        let response = try awaitResponse(method: STUNMethod.refresh, attributes: [(STUNAttributeType.lifetime, TURNWire.be32(requestedLifetime))],
                                         authenticated: true, deadline: MediaClock.nowMicros() + Self.micros(timeout), what: "Refresh")
        try applyRefresh(response)
    }

    /// Deletes the allocation (Refresh with LIFETIME 0, waiting up to `timeout` for the answer), stops
    /// the receive thread and closes the connection. Safe to call more than once, from any thread.
    public func close(timeout: Duration = .seconds(1)) {
        let (wasAllocated, onThread) = shared.withLock { s -> (Bool, Bool) in
            let was = s.state == .allocated
            if s.state != .closed && s.state != .failed { s.state = .closed }
            let onThread = s.thread.map { pthread_equal($0, pthread_self()) != 0 } ?? false
            return (was, onThread)
        }
        if wasAllocated {
            let zero: [(UInt16, [UInt8])] = [(STUNAttributeType.lifetime, TURNWire.be32(0))]
            if onThread {
                // Called from onReceive: the answer could only be read by this very thread; don't wait.
                startTransaction(method: STUNMethod.refresh, attributes: zero, authenticated: true, deadline: MediaClock.nowMicros() + 1_000_000) { _ in }
            } else {
                _ = try? awaitResponse(method: STUNMethod.refresh, attributes: zero, authenticated: true,
                                       deadline: MediaClock.nowMicros() + Self.micros(timeout), what: "Refresh")
            }
        }
        shutdown(finalState: .closed)
    }

    // MARK: - Sending

    /// Sends `bytes` to `peer` through the relay: ChannelData once a channel is bound, a Send indication
    /// before that. The first packet to a new peer IP installs a permission first (the packet is queued
    /// meanwhile) and then binds a channel. Never blocks on the network.
    public func send(_ bytes: [UInt8], to peer: SocketAddress) throws {
        guard bytes.count <= 65_535 else {
            throw MediaError(.turn, "A \(bytes.count)-byte packet is too large to relay through TURN (at most 65535 bytes).")
        }
        var actions: [Action] = []
        let (frame, connection) = try shared.withLock { s -> ([UInt8]?, TURNConnection?) in
            guard s.state == .allocated, let connection = s.connection else {
                throw MediaError(.turn, "Cannot send through TURN server \(server): there is no allocation (state \(s.state.rawValue)). Call allocate() first.")
            }
            if let channel = s.channels[peer], channel.bound {
                s.stats.sentChannelData += 1
                return (TURNWire.channelData(channel: channel.number, payload: bytes, pad: transport == .tcp), connection)
            }
            let ip = peer.host
            var permission = s.permissions[ip] ?? Permission()
            defer { s.permissions[ip] = permission }
            if permission.installed {
                if s.channels[peer] == nil, !s.channelDisabled.contains(peer), s.nextChannel <= Self.lastChannel {
                    let number = s.nextChannel
                    s.nextChannel += 1
                    s.channels[peer] = Channel(number: number)
                    s.peersByChannel[number] = peer
                    actions.append(.channelBind(peer, number))
                }
                s.stats.sentSendIndications += 1
                return (Self.sendIndication(bytes, to: peer), connection)
            }
            if permission.pending {
                if permission.queue.count >= Self.maxQueuedPerPeerIP {
                    permission.queue.removeFirst()
                    s.stats.droppedPackets += 1
                }
                permission.queue.append((bytes, peer))
                return (nil, nil)
            }
            if MediaClock.nowMicros() < permission.retryAfter {
                s.stats.droppedPackets += 1
                return (nil, nil)
            }
            permission.pending = true
            permission.queue = [(bytes, peer)]
            actions.append(.createPermission(peer))
            return (nil, nil)
        }
        if let frame, let connection {
            try connection.send(frame)
        }
        perform(actions)
    }

    static func sendIndication(_ bytes: [UInt8], to peer: SocketAddress) -> [UInt8] {
        var message = STUNMessage(method: STUNMethod.send, messageClass: .indication)
        message.xorPeerAddress = peer
        message.data = bytes
        return message.serialized()
    }

    private func perform(_ actions: [Action]) {
        for action in actions {
            switch action {
            case .createPermission(let peer): createPermission(peer)
            case .channelBind(let peer, let number): bindChannel(peer, number: number)
            case .refresh: backgroundRefresh()
            }
        }
    }

    private func createPermission(_ peer: SocketAddress) {
        startTransaction(method: STUNMethod.createPermission, attributes: [], peer: peer, authenticated: true, deadline: MediaClock.nowMicros() + 10_000_000) { [weak self] result in
            guard let self else { return }
            let ok: Bool
            if case .response(let m) = result, m.messageClass == .successResponse { ok = true } else { ok = false }
            let flush = self.shared.withLock { s -> [(bytes: [UInt8], peer: SocketAddress)] in
                var p = s.permissions[peer.host] ?? Permission()
                let queued = p.queue
                p.queue = []
                p.pending = false
                if ok {
                    p.installed = true
                    p.refreshAt = MediaClock.nowMicros() + s.permissionRefreshMicros
                    if p.installed { s.stats.permissionRefreshes += 1 }
                    p.installed = true
                } else if !p.installed {
                    p.retryAfter = MediaClock.nowMicros() + 1_000_000
                    s.stats.droppedPackets += queued.count
                } else {
                    // A failed refresh: try again shortly (the permission lasts 300 s, refreshed at 240 s).
                    p.refreshAt = MediaClock.nowMicros() + 5_000_000
                }
                s.permissions[peer.host] = p
                return ok ? queued : []
            }
            for item in flush { try? self.send(item.bytes, to: item.peer) }
        }
    }

    private func bindChannel(_ peer: SocketAddress, number: UInt16) {
        let channelValue: [UInt8] = [UInt8(number >> 8), UInt8(number & 0xFF), 0, 0]
        startTransaction(method: STUNMethod.channelBind,
                         attributes: [(STUNAttributeType.channelNumber, channelValue)], peer: peer, authenticated: true, deadline: MediaClock.nowMicros() + 10_000_000) { [weak self] result in
            guard let self else { return }
            let ok: Bool
            if case .response(let m) = result, m.messageClass == .successResponse { ok = true } else { ok = false }
            self.shared.withLock { s in
                guard var c = s.channels[peer], c.number == number else { return }
                c.pending = false
                if ok {
                    let now = MediaClock.nowMicros()
                    if c.bound { s.stats.channelRefreshes += 1 }
                    c.bound = true
                    c.refreshAt = now + s.channelRefreshMicros
                    s.channels[peer] = c
                    // A channel binding also installs/refreshes the permission for the peer's IP.
                    var p = s.permissions[peer.host] ?? Permission()
                    p.installed = true
                    p.refreshAt = now + s.permissionRefreshMicros
                    s.permissions[peer.host] = p
                } else {
                    // Binding (or re-binding) failed: fall back to Send indications for this peer.
                    s.channels[peer] = nil
                    s.peersByChannel[number] = nil
                    s.channelDisabled.insert(peer)
                }
            }
        }
    }

    private func backgroundRefresh() {
        startTransaction(method: STUNMethod.refresh, attributes: [(STUNAttributeType.lifetime, TURNWire.be32(requestedLifetime))],
                         authenticated: true, deadline: MediaClock.nowMicros() + 10_000_000) { [weak self] result in
            guard let self else { return }
            let expired = self.shared.withLock { s -> Bool in
                s.refreshInFlight = false
                let now = MediaClock.nowMicros()
                // No answer: try again in a few seconds while the allocation still lives.
                if case .failed = result { s.refreshAt = now + 5_000_000 }
                return now >= s.expiresAt
            }
            do {
                switch result {
                case .response(let m): try self.applyRefresh(m)
                case .failed(let e):
                    if expired {
                        throw MediaError(.turn, "TURN server \(self.server) stopped answering refreshes and the allocation expired (\(e.message)); the relay is gone.")
                    }
                }
            } catch let error as MediaError {
                self.fail(error)
            } catch {}
        }
    }

    private func applyRefresh(_ response: STUNMessage) throws {
        if response.messageClass == .errorResponse {
            let (code, reason) = response.errorCode ?? (0, "")
            throw MediaError(.turn, "TURN server \(server) refused to refresh the allocation (\(code) \(reason)); the relay is gone. Allocate again with a new TURNClient.")
        }
        let granted = response.lifetime ?? requestedLifetime
        shared.withLock { s in
            s.lifetime = granted
            let now = MediaClock.nowMicros()
            s.refreshAt = now + Self.refreshDelay(lifetime: granted, override: s.refreshIntervalOverride)
            s.expiresAt = now + UInt64(granted) * 1_000_000
            s.stats.refreshes += 1
        }
    }

    /// The allocation is lost: mark failed, tell the owner once.
    private func fail(_ error: MediaError) {
        let callback = shared.withLock { s -> (@Sendable (MediaError) -> Void)? in
            guard s.state == .allocated || s.state == .allocating else { return nil }
            s.state = .failed
            return s.onFailure
        }
        callback?(error)
    }

    // MARK: - Transactions

    /// Serializes a request: attributes, then USERNAME/REALM/NONCE and MESSAGE-INTEGRITY when authenticated.
    private func buildRequest(_ s: Shared, method: UInt16, attributes: [(UInt16, [UInt8])], peer: SocketAddress?,
                              authenticated: Bool, transactionID: [UInt8]) -> [UInt8] {
        var message = STUNMessage(method: method, messageClass: .request, transactionID: transactionID,
                                  attributes: attributes.map { STUNAttribute(type: $0.0, value: $0.1) })
        if let peer { message.xorPeerAddress = peer }
        var key: [UInt8]?
        if authenticated, let realm = s.realm, let nonce = s.nonce, let k = s.key {
            message.username = username
            message.realm = realm
            message.nonce = nonce
            key = k
        }
        return message.serialized(integrityKey: key)
    }

    private func startTransaction(method: UInt16, attributes: [(UInt16, [UInt8])], peer: SocketAddress? = nil, authenticated: Bool, deadline: UInt64,
                                  completion: @escaping @Sendable (TransactionResult) -> Void) {
        let txid = STUNMessage.randomTransactionID()
        let now = MediaClock.nowMicros()
        let (raw, connection) = shared.withLock { s -> ([UInt8]?, TURNConnection?) in
            guard let connection = s.connection else { return (nil, nil) }
            let raw = buildRequest(s, method: method, attributes: attributes, peer: peer, authenticated: authenticated, transactionID: txid)
            s.transactions[txid] = Transaction(method: method, attributes: attributes, peer: peer, authenticated: authenticated, raw: raw,
                                               nextSendAt: now + 500_000, rto: 500_000, sends: 1, deadline: deadline,
                                               staleNonceRetries: 0, completion: completion)
            return (raw, connection)
        }
        guard let raw, let connection else {
            completion(.failed(MediaError(.turn, "TURN client for \(server) is not connected.")))
            return
        }
        do {
            try connection.send(raw)
        } catch {
            let removed = shared.withLock { $0.transactions.removeValue(forKey: txid) }
            if removed != nil {
                completion(.failed(error as? MediaError ?? MediaError(.turn, "Sending to TURN server \(server) failed: \(error).")))
            }
        }
    }

    /// Runs one transaction and waits for its response (success or error response), or throws on timeout.
    private func awaitResponse(method: UInt16, attributes: [(UInt16, [UInt8])], authenticated: Bool, deadline: UInt64, what: String) throws -> STUNMessage {
        let waiter = TURNWaiter()
        startTransaction(method: method, attributes: attributes, authenticated: authenticated, deadline: deadline) { result in
            switch result {
            case .response(let m): waiter.complete(.success(m))
            case .failed(let e): waiter.complete(.failure(e))
            }
        }
        // The receive thread enforces the deadline; the extra second only guards against a dead thread.
        guard let result = waiter.wait(untilMicros: deadline + 1_000_000) else {
            throw timeoutError(what)
        }
        switch result {
        case .success(let m): return m
        case .failure(let e):
            if e.kind == .timeout { throw timeoutError(what) }
            throw e
        }
    }

    private func timeoutError(_ what: String) -> MediaError {
        MediaError(.turn, "TURN server \(server) did not answer the \(what) request over \(transport.rawValue.uppercased()) in time: check the server address and port, and that \(transport.rawValue.uppercased()) traffic to it is not blocked.")
    }

    private func allocateError(_ response: STUNMessage) -> MediaError {
        let (code, reason) = response.errorCode ?? (0, "no error code")
        let realm = shared.withLock { $0.realm } ?? ""
        switch code {
        case 401:
            return MediaError(.turn, "TURN server \(server) refused the credentials (401 \(reason.isEmpty ? "Unauthorized" : reason)) for user \"\(username)\" in realm \"\(realm)\": check the TURN username and password, or fetch fresh TURN credentials (they often expire).")
        case 437:
            return MediaError(.turn, "TURN server \(server) already has an allocation for this client address (437 \(reason)): wait for it to expire or use another local port.")
        case 442:
            return MediaError(.turn, "TURN server \(server) does not relay UDP (442 \(reason)); use a TURN server that allows UDP relays.")
        case 486:
            return MediaError(.turn, "TURN server \(server) refused a new allocation because user \"\(username)\" has too many (486 \(reason)); close other sessions or wait for their allocations to expire.")
        case 508:
            return MediaError(.turn, "TURN server \(server) is out of relay capacity (508 \(reason)); try again later or use another TURN server.")
        default:
            return MediaError(.turn, "TURN server \(server) rejected the Allocate request (\(code) \(reason)).")
        }
    }

    // MARK: - Receive thread

    private func startThread() throws {
        stopping.store(false, ordering: .releasing)
        let context = Unmanaged.passRetained(self).toOpaque()
        var tid = pthread_t()
        let rc = pthread_create(&tid, nil, { arg in
            guard let arg else { return nil }
            let client = Unmanaged<TURNClient>.fromOpaque(arg).takeRetainedValue()
            client.runLoop()
            return nil
        }, context)
        guard rc == 0 else {
            Unmanaged<TURNClient>.fromOpaque(context).release()
            throw MediaError(.turn, "Could not start the TURN receive thread (error \(rc)).")
        }
        shared.withLock { $0.thread = tid }
    }

    private func runLoop() {
        while !stopping.load(ordering: .acquiring) {
            guard let connection = shared.withLock({ $0.connection }) else { break }
            switch connection.receive(timeoutMillis: 10) {
            case .frames(let frames):
                for frame in frames { handleFrame(frame) }
            case .closed(let why):
                if !stopping.load(ordering: .acquiring) {
                    connectionLost(why)
                }
                return
            }
            tick(now: MediaClock.nowMicros())
        }
    }

    private func connectionLost(_ why: String) {
        let pending = shared.withLock { s -> [Transaction] in
            let all = Array(s.transactions.values)
            s.transactions.removeAll()
            return all
        }
        let error = MediaError(.turn, "Lost the connection to TURN server \(server): \(why). The relay is gone; media through it stops.")
        for t in pending { t.completion(.failed(error)) }
        fail(error)
    }

    /// Retransmissions (UDP), transaction timeouts and the refresh timers.
    private func tick(now: UInt64) {
        var expired: [Transaction] = []
        var resend: [[UInt8]] = []
        var actions: [Action] = []
        let connection = shared.withLock { s -> TURNConnection? in
            let reliable = s.connection?.isReliable ?? true
            for (id, var t) in s.transactions {
                if now >= t.deadline {
                    s.transactions[id] = nil
                    expired.append(t)
                } else if !reliable, now >= t.nextSendAt, t.sends < 7 {
                    resend.append(t.raw)
                    t.sends += 1
                    t.rto = min(t.rto * 2, 4_000_000)
                    t.nextSendAt = now + t.rto
                    s.transactions[id] = t
                }
            }
            guard s.state == .allocated else { return s.connection }
            if now >= s.refreshAt, !s.refreshInFlight {
                s.refreshInFlight = true
                actions.append(.refresh)
            }
            for (ip, var p) in s.permissions where p.installed && !p.pending && now >= p.refreshAt {
                // Refresh with any peer of that IP (permissions ignore the port).
                guard let peer = SocketAddress(host: ip, port: 0) else { continue }
                p.pending = true
                s.permissions[ip] = p
                actions.append(.createPermission(peer))
            }
            for (peer, var c) in s.channels where c.bound && !c.pending && now >= c.refreshAt {
                c.pending = true
                c.refreshAt = .max
                s.channels[peer] = c
                actions.append(.channelBind(peer, c.number))
            }
            return s.connection
        }
        for raw in resend { try? connection?.send(raw) }
        for t in expired { t.completion(.failed(MediaError(.timeout, "TURN transaction timed out"))) }
        perform(actions)
    }

    private func handleFrame(_ frame: [UInt8]) {
        guard let first = frame.first else { return }
        if first & 0xC0 == 0x40 {
            guard let (channel, payload) = TURNWire.parseChannelData(frame) else { return }
            let (peer, callback) = shared.withLock { s -> (SocketAddress?, (@Sendable ([UInt8], SocketAddress) -> Void)?) in
                guard s.state == .allocated, let peer = s.peersByChannel[channel] else { return (nil, nil) }
                s.stats.receivedChannelData += 1
                return (peer, s.onReceive)
            }
            if let peer { callback?(payload, peer) }
            return
        }
        guard first & 0xC0 == 0, let message = try? STUNMessage(parsing: frame) else { return }
        switch message.messageClass {
        case .indication:
            guard message.method == STUNMethod.data,
                  let peer = message.xorPeerAddress,
                  let data = message.data else { return }
            let callback = shared.withLock { s -> (@Sendable ([UInt8], SocketAddress) -> Void)? in
                guard s.state == .allocated else { return nil }
                s.stats.receivedDataIndications += 1
                return s.onReceive
            }
            callback?(data, peer)
        case .successResponse, .errorResponse:
            handleResponse(message, raw: frame)
        case .request:
            break
        }
    }

    private func handleResponse(_ message: STUNMessage, raw: [UInt8]) {
        let now = MediaClock.nowMicros()
        var completion: (@Sendable (TransactionResult) -> Void)?
        var retry: ([UInt8], TURNConnection?)?
        shared.withLock { s in
            guard var t = s.transactions[message.transactionID] else { return }
            // Authenticated answers must carry a valid MESSAGE-INTEGRITY if they carry one at all.
            if t.authenticated, let key = s.key, STUNMessage.hasIntegrity(raw),
               !STUNMessage.validateIntegrity(raw, key: key) {
                return
            }
            s.transactions[message.transactionID] = nil
            if message.messageClass == .errorResponse, message.errorCode?.code == 438,
               t.staleNonceRetries < 3, let nonce = message.nonce {
                // Stale nonce: take the new one and send the same request again.
                s.nonce = nonce
                if let realm = message.realm, realm != s.realm {
                    s.realm = realm
                    s.key = stunLongTermKey(username: username, realm: realm, password: password)
                }
                let txid = STUNMessage.randomTransactionID()
                t.raw = buildRequest(s, method: t.method, attributes: t.attributes, peer: t.peer, authenticated: t.authenticated, transactionID: txid)
                t.staleNonceRetries += 1
                s.stats.staleNonceRetries += 1
                t.sends = 1
                t.rto = 500_000
                t.nextSendAt = now + t.rto
                s.transactions[txid] = t
                retry = (t.raw, s.connection)
                return
            }
            completion = t.completion
        }
        if let (raw, connection) = retry { try? connection?.send(raw) }
        completion?(.response(message))
    }

    /// Stops the receive thread, closes the connection, fails whatever is still pending.
    private func shutdown(finalState: State) {
        stopping.store(true, ordering: .releasing)
        let (thread, connection) = shared.withLock { s -> (pthread_t?, TURNConnection?) in
            let t = s.thread
            s.thread = nil
            return (t, s.connection)
        }
        if let thread {
            if pthread_equal(thread, pthread_self()) != 0 {
                pthread_detach(thread)
            } else {
                pthread_join(thread, nil)
            }
        }
        let pending = shared.withLock { s -> [Transaction] in
            s.state = finalState
            s.connection = nil
            let all = Array(s.transactions.values)
            s.transactions.removeAll()
            for (ip, var p) in s.permissions { p.queue = []; s.permissions[ip] = p }
            return all
        }
        // When detached from its own thread the connection is closed after the loop sees `stopping`.
        connection?.close()
        for t in pending { t.completion(.failed(MediaError(.turn, "TURN client for \(server) was closed."))) }
    }

    // MARK: - Helpers

    /// Fuzzing: runs the frame dispatcher of a client without an allocation on arbitrary bytes.
    static func fuzzFrame(_ bytes: [UInt8]) {
        guard let server = SocketAddress(addressBytes: [127, 0, 0, 1], port: 3478) else { return }
        TURNClient(server: server, username: "u", password: "p").handleFrame(bytes)
    }

    static func micros(_ d: Duration) -> UInt64 {
        let (seconds, attoseconds) = d.components
        guard seconds >= 0 else { return 0 }
        return UInt64(seconds) * 1_000_000 + UInt64(max(attoseconds, 0) / 1_000_000_000_000)
    }

    /// When to refresh: a minute before expiry, or at half the lifetime for short lifetimes.
    static func refreshDelay(lifetime: UInt32, override: UInt64?) -> UInt64 {
        if let override { return override }
        let l = UInt64(lifetime) * 1_000_000
        return l > 120_000_000 ? l - 60_000_000 : max(l / 2, 1_000_000)
    }
}

/// A one-shot result slot a caller can block on (a semaphore plus a Mutex-protected value).
final class TURNWaiter: @unchecked Sendable {
    private let value = Mutex<Result<STUNMessage, MediaError>?>(nil)
    private let semaphore: UnsafeMutablePointer<sem_t>

    init() {
        semaphore = .allocate(capacity: 1)
        sem_init(semaphore, 0, 0)
    }

    deinit {
        sem_destroy(semaphore)
        semaphore.deallocate()
    }

    func complete(_ result: Result<STUNMessage, MediaError>) {
        let first = value.withLock { v -> Bool in
            guard v == nil else { return false }
            v = result
            return true
        }
        if first { sem_post(semaphore) }
    }

    /// Waits until completed or until the monotonic deadline (µs) passes.
    func wait(untilMicros deadline: UInt64) -> Result<STUNMessage, MediaError>? {
        while true {
            if let v = value.withLock({ $0 }) { return v }
            let now = MediaClock.nowMicros()
            if now >= deadline { return nil }
            var ts = timespec()
            clock_gettime(CLOCK_REALTIME, &ts)
            let waitMicros = min(deadline - now, 100_000)
            var nsec = Int(ts.tv_nsec) + Int(waitMicros) * 1000
            ts.tv_sec += nsec / 1_000_000_000
            nsec %= 1_000_000_000
            ts.tv_nsec = nsec
            _ = sem_timedwait(semaphore, &ts)
        }
    }
}
