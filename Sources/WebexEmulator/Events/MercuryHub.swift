import Foundation
import Synchronization

/// Every open Mercury websocket, indexed by the person each authorized one belongs to, plus the
/// "refuse upgrades" switch of the control API. Lives outside the store actor (like the webhook
/// dispatcher) so the store can hand events over synchronously, in the order they happen.
final class MercuryHub: Sendable {
    private struct State {
        var connections: [ObjectIdentifier: MercuryConnection] = [:]
        /// personUUID → that person's authorized connections.
        var listeners: [String: [ObjectIdentifier: MercuryConnection]] = [:]
        var refuseUntil: ContinuousClock.Instant?
        var authTimeout: Duration = .seconds(30)
    }

    private let state = Mutex(State())

    // MARK: Registry

    func register(_ connection: MercuryConnection) {
        state.withLock { $0.connections[ObjectIdentifier(connection)] = connection }
    }

    func remove(_ connection: MercuryConnection) {
        let key = ObjectIdentifier(connection)
        state.withLock { s in
            s.connections[key] = nil
            s.listeners[connection.ownerUUID]?[key] = nil
            if s.listeners[connection.ownerUUID]?.isEmpty == true { s.listeners[connection.ownerUUID] = nil }
        }
    }

    /// The connection has authorized: it starts receiving events. Unless it asked for
    /// `multipleConnections=true`, the device's other connections are replaced (closed with 4000).
    func authorized(_ connection: MercuryConnection) {
        let key = ObjectIdentifier(connection)
        let replaced = state.withLock { s -> [MercuryConnection] in
            s.listeners[connection.ownerUUID, default: [:]][key] = connection
            guard !connection.options.multipleConnections else { return [] }
            return s.connections.values.filter { $0 !== connection && $0.deviceId == connection.deviceId }
        }
        for old in replaced { old.close(code: MercuryCloseCode.replaced, reason: "replaced") }
    }

    var all: [MercuryConnection] {
        state.withLock { Array($0.connections.values) }.sorted { $0.connectedAt < $1.connectedAt }
    }

    /// Whether any authorized socket is open (events are only built when someone listens).
    var hasListeners: Bool { state.withLock { !$0.listeners.isEmpty } }

    // MARK: Delivery

    /// Queues an event for every authorized connection of `people`. `makeData` builds the serialized
    /// `data` member for the host a connection used (URLs in events point where the client connected),
    /// once per distinct host.
    func deliver(to people: some Sequence<String>, makeData: (String) -> [UInt8]) {
        let targets = state.withLock { s -> [MercuryConnection] in
            guard !s.listeners.isEmpty else { return [] }
            var found: [MercuryConnection] = []
            for uuid in people {
                if let mine = s.listeners[uuid] { found.append(contentsOf: mine.values) }
            }
            return found
        }
        guard !targets.isEmpty else { return }
        let timestamp = WebexDate.milliseconds(Date())
        let trackingId = "EMULATOR_\(HydraID.newUUID())"
        var byHost: [String: [UInt8]] = [:]
        for connection in targets {
            let data: [UInt8]
            if let cached = byHost[connection.host] {
                data = cached
            } else {
                data = makeData(connection.host)
                byHost[connection.host] = data
            }
            connection.enqueue(.event(data: data, timestamp: timestamp, trackingId: trackingId))
        }
    }

    /// Waits until everything queued on every open socket has been written.
    func flushAll() async {
        for connection in all { await connection.flush() }
    }

    // MARK: Control

    /// Starts a close handshake on the matching sockets; returns how many.
    @discardableResult
    func close(where matches: (MercuryConnection) -> Bool, code: Int, reason: String?) -> Int {
        let chosen = all.filter(matches)
        for c in chosen { c.close(code: code, reason: reason) }
        return chosen.count
    }

    /// Closes the matching sockets' TCP connections without a close frame; returns how many.
    @discardableResult
    func drop(where matches: (MercuryConnection) -> Bool) -> Int {
        let chosen = all.filter(matches)
        for c in chosen { c.drop() }
        return chosen.count
    }

    /// Refuse upgrades with 503 for `seconds` (0 stops refusing).
    func refuse(seconds: Double) {
        state.withLock { s in
            s.refuseUntil = seconds > 0 ? ContinuousClock.now + .milliseconds(Int(seconds * 1000)) : nil
        }
    }

    var isRefusing: Bool {
        state.withLock { s in
            guard let until = s.refuseUntil else { return false }
            return ContinuousClock.now < until
        }
    }

    var authTimeout: Duration {
        get { state.withLock { $0.authTimeout } }
        set { state.withLock { $0.authTimeout = newValue } }
    }
}
