import Foundation
import Synchronization

/// How to listen (`webex.events.listen(options)`).
public struct EventListenOptions: Sendable {
    /// Only these resources (`messages`, `memberships`, `rooms`, `attachmentActions`); nil for all.
    public var resources: Set<String>?
    /// Only these events (`created`, `updated`, `deleted`, `seen`); nil for all.
    public var events: Set<String>?
    /// Only events in this room (Hydra id).
    public var roomId: String?
    /// Where the device registration is kept between runs. Nil registers a new device for this listen and
    /// removes it at the end.
    public var deviceStore: DeviceStateStore?
    /// The device's `name` at WDM.
    public var deviceName: String
    /// After a reconnect, fetch the messages created while disconnected over REST.
    public var catchUp: Bool
    /// Application-level keepalive (JSSDK: ping every 15 s, pong within 14 s).
    public var pingInterval: Double
    public var pongTimeout: Double
    /// The server must confirm the authorization (buffer state) within this many seconds.
    public var authTimeout: Double
    /// Reconnect backoff: `initial` doubling up to `max` seconds, with jitter.
    public var backoffInitial: Double
    public var backoffMax: Double
    /// Reports connection changes (for a terminal status line); events go to the stream.
    public var onStatus: (@Sendable (EventStreamStatus) -> Void)?
    /// Every other Mercury frame (`locus.*`, `relay.event` …), in arrival order, called on the reading task:
    /// the meetings session routes Locus events with it.
    public var onFrame: (@Sendable (JSONValue) -> Void)?

    public init(resources: Set<String>? = nil, events: Set<String>? = nil, roomId: String? = nil,
                deviceStore: DeviceStateStore? = nil, deviceName: String = "webex-cli", catchUp: Bool = true,
                pingInterval: Double = 15, pongTimeout: Double = 14, authTimeout: Double = 30,
                backoffInitial: Double = 1, backoffMax: Double = 32,
                onStatus: (@Sendable (EventStreamStatus) -> Void)? = nil) {
        self.resources = resources; self.events = events; self.roomId = roomId; self.deviceStore = deviceStore
        self.deviceName = deviceName; self.catchUp = catchUp; self.pingInterval = pingInterval
        self.pongTimeout = pongTimeout; self.authTimeout = authTimeout; self.backoffInitial = backoffInitial
        self.backoffMax = backoffMax; self.onStatus = onStatus
    }
}

/// Connection changes while listening.
public enum EventStreamStatus: Sendable, Equatable {
    /// The device in use (`reused` when a stored registration was refreshed).
    case registered(deviceURL: String, reused: Bool)
    /// Authorized and receiving; `reconnect` is false the first time.
    case connected(reconnect: Bool)
    /// The socket closed or could not be opened; the next attempt is in `retryIn` seconds.
    case disconnected(code: UInt16, reason: String, retryIn: Double)
    /// Messages created while disconnected, found over REST and emitted.
    case caughtUp(events: Int)
    /// The socket refused the token (4401); it was refreshed.
    case tokenRefreshed
}

/// `webex.events`: real-time events over the Mercury websocket (reference §5), without a public URL.
public struct EventsAPI: Sendable {
    let client: Webex

    /// Registers (or reuses) a device, connects its websocket and yields events until stopped or until
    /// the connection ends for good (replaced by another connection, refused credentials). Reconnects with
    /// backoff, refreshes a refused token, and after a reconnect emits the messages created meanwhile,
    /// each message once. Errors are `WebexError`.
    public func listen(_ options: EventListenOptions = EventListenOptions()) -> EventSubscription {
        let (stream, continuation) = AsyncThrowingStream<WebexEvent, any Error>.makeStream(bufferingPolicy: .unbounded)
        let session = ListenSession(client: client, options: options, output: continuation)
        let task = Task { await session.run() }
        continuation.onTermination = { _ in task.cancel() }
        return EventSubscription(stream: stream, task: task)
    }

    /// The websocket URL with the query parameters JSSDK sends (reference §5.3), plus
    /// `multipleConnections=true` so two listeners of one profile do not replace each other (4000).
    public static func socketURL(_ base: String, now: Date = Date()) -> URL? {
        let params = "outboundWireFormat=text&bufferStates=true&aliasHttpStatus=true&multipleConnections=true"
            + "&clientTimestamp=\(Int64(now.timeIntervalSince1970 * 1000))"
        return URL(string: base + (base.contains("?") ? "&" : "?") + params)
    }
}

extension Webex {
    public var events: EventsAPI { EventsAPI(client: self) }
}

/// A running `listen()`: iterate it for events; `stop()` closes the socket (close code 1000) and waits
/// until it is closed. The device registration is kept for the next run.
public final class EventSubscription: AsyncSequence, Sendable {
    public typealias Element = WebexEvent
    let stream: AsyncThrowingStream<WebexEvent, any Error>
    let task: Task<Void, Never>

    init(stream: AsyncThrowingStream<WebexEvent, any Error>, task: Task<Void, Never>) {
        self.stream = stream; self.task = task
    }

    public func makeAsyncIterator() -> AsyncThrowingStream<WebexEvent, any Error>.AsyncIterator { stream.makeAsyncIterator() }

    public func stop() async {
        task.cancel()
        await task.value
    }
}

/// A bounded set of recently seen keys (message ids, envelope ids) so nothing is emitted twice.
struct RecentKeys: Sendable {
    let capacity: Int
    private var set: Set<String> = []
    private var order: [String] = []
    private var head = 0

    init(capacity: Int) { self.capacity = capacity }

    /// True when `key` was not seen before (and remembers it).
    mutating func insert(_ key: String) -> Bool {
        guard set.insert(key).inserted else { return false }
        if order.count < capacity {
            order.append(key)
        } else {
            set.remove(order[head])
            order[head] = key
            head = (head + 1) % capacity
        }
        return true
    }
}

/// One `listen()`: the reconnect loop around single connections.
final class ListenSession: Sendable {
    let client: Webex
    let options: EventListenOptions
    let output: AsyncThrowingStream<WebexEvent, any Error>.Continuation
    private let emitted = Mutex(RecentKeys(capacity: 20_000))
    private let envelopes = Mutex(RecentKeys(capacity: 2_000))
    private let me = Mutex<(uuid: String, id: String, orgId: String?, isBot: Bool)?>(nil)
    private let roomUUID: String?
    /// Events in arrival order, each a task: messages are fetched concurrently (up to `fetchWindow` at once)
    /// and still written in the order their frames came.
    private let pipeline: AsyncStream<Task<WebexEvent?, Never>>
    private let pipelineInput: AsyncStream<Task<WebexEvent?, Never>>.Continuation
    private let fetchSlots: Limiter
    static let fetchWindow = 16

    init(client: Webex, options: EventListenOptions, output: AsyncThrowingStream<WebexEvent, any Error>.Continuation) {
        self.client = client; self.options = options; self.output = output
        roomUUID = options.roomId.map { HydraID($0)?.uuid ?? $0 }
        (pipeline, pipelineInput) = AsyncStream.makeStream()
        fetchSlots = Limiter(Self.fetchWindow)
    }

    private var logger: any WebexLogger { client.logger }
    private func status(_ s: EventStreamStatus) { options.onStatus?(s) }

    enum Outcome {
        case cancelled
        case closed(code: UInt16, reason: String, authorized: Bool, lastFrameAt: Date?)
    }

    func run() async {
        let emitter = Task { [pipeline] in
            for await pending in pipeline {
                if let event = await pending.value { yield(event) }
            }
        }
        let result: Result<Void, any Error>
        do { try await loop(); result = .success(()) } catch { result = .failure(error) }
        // Events already received are written before the stream ends.
        pipelineInput.finish()
        await emitter.value
        switch result {
        case .success: output.finish()
        case .failure(let error) where error is CancellationError: output.finish()
        case .failure(let error): output.finish(throwing: error)
        }
    }

    private func loop() async throws {
        let person = try await client.people.me()
        let meUUID = HydraID(person.id)?.uuid ?? person.id
        me.withLock { $0 = (meUUID, person.id, person.orgId, person.type == "bot") }
        let connector = client.configuration.webSocketConnector
        var device: Device?
        var attempt = 0
        var everConnected = false
        var lastConnectedAt: Date?
        var refusedTokens = 0
        var missingDevices = 0
        var token = try await client.configuration.tokenSource.accessToken()
        defer {
            // A device registered only for this listen is removed again.
            if options.deviceStore == nil, let device {
                let client = self.client
                Task { try? await client.devices.unregister(device) }
            }
        }
        while true {
            try Task.checkCancellation()
            if device == nil {
                device = try await register(userId: meUUID)
            }
            guard let base = device?.webSocketURL, let url = EventsAPI.socketURL(base) else {
                throw WebexError.invalidResponse("the device registration has no webSocketUrl")
            }
            let ws: any WebSocketConnection
            do {
                ws = try await connector.connect(url: url, headers: [("trackingid", "\(client.configuration.trackingIdPrefix)_ws")])
            } catch {
                if case .rejected(let status, _) = error, status == 404 {
                    // WDM forgot the device: register again (webex-bot does the same, three times at most).
                    missingDevices += 1
                    if missingDevices > 3 { throw WebexError.invalidResponse("the events socket keeps answering 404 for new device registrations") }
                    logger.log(.info, "the events socket does not know this device (404); registering again")
                    options.deviceStore?.delete(userId: meUUID)
                    device = nil
                    continue
                }
                attempt += 1
                let delay = backoff(attempt)
                logger.log(.info, "events socket: \(error.description); retrying in \(String(format: "%.1f", delay)) s")
                status(.disconnected(code: 1006, reason: error.description, retryIn: delay))
                try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
                continue
            }
            missingDevices = 0
            let auth: JSONValue = .object([
                "id": .string(UUID().uuidString.lowercased()), "type": .string("authorization"),
                "data": .object(["token": .string("Bearer \(token)")]),
                "trackingId": .string("\(client.configuration.trackingIdPrefix)_\(Int64(Date().timeIntervalSince1970 * 1000))"),
            ])
            try? ws.send(text: auth.jsonText)
            let outcome = await connection(ws, reconnect: everConnected, since: lastConnectedAt)
            switch outcome {
            case .cancelled:
                // Closed from a task that is not cancelled, so the close handshake is not cut short.
                await Task { await ws.close(code: 1000, reason: "Done") }.value
                return
            case .closed(let code, let reason, let authorized, let lastFrameAt):
                if authorized {
                    attempt = 0
                    everConnected = true
                    refusedTokens = 0
                    lastConnectedAt = lastFrameAt ?? Date()
                }
                logger.log(.info, "events socket closed: \(code)\(reason.isEmpty ? "" : " \(reason)")")
                switch code {
                case 4000:
                    throw WebexError.disconnected("the events connection was replaced by another connection of this device (close code 4000); not reconnecting")
                case 4400:
                    throw WebexError.disconnected("the events service refused this connection as a bad request (close code 4400\(reason.isEmpty ? "" : ": \(reason)")); service-account credentials cannot listen for events")
                case 4403:
                    throw WebexError.disconnected("the events service refused this user (close code 4403\(reason.isEmpty ? "" : ": \(reason)")): the token lacks the spark:all scope or the user is not entitled to messaging")
                case 4401:
                    refusedTokens += 1
                    guard refusedTokens <= 2, let fresh = try await client.configuration.tokenSource.refresh(rejected: token) else {
                        throw WebexError.authExpired("the events service refused the access token (close code 4401) and it could not be refreshed: run `webex auth login` or provide a new token")
                    }
                    token = fresh
                    status(.tokenRefreshed)
                    continue
                case 4404:
                    logger.log(.info, "the device registration was removed; registering again")
                    options.deviceStore?.delete(userId: meUUID)
                    device = nil
                    continue
                case 1003:
                    throw WebexError.disconnected("the events service rejected a message from this client (close code 1003\(reason.isEmpty ? "" : ": \(reason)"))")
                default:
                    // 1000/1001/1005/1006/1011 and the rest: transient for a long-running listener (JSSDK reconnects
                    // on 1000 only for some reasons; a CLI that must not miss events reconnects on all of them).
                    attempt += 1
                    let delay = backoff(attempt)
                    status(.disconnected(code: code, reason: reason, retryIn: delay))
                    try await Task.sleep(nanoseconds: UInt64(delay * 1e9))
                }
            }
        }
    }

    /// 1 s, 2 s, 4 s … capped at 32 s, each scaled by a random factor in [0.5, 1] so many clients do not
    /// reconnect in step.
    func backoff(_ attempt: Int) -> Double {
        let raw = min(options.backoffMax, options.backoffInitial * pow(2, Double(max(0, attempt - 1))))
        return raw * Double.random(in: 0.5...1.0)
    }

    private func register(userId: String) async throws(WebexError) -> Device {
        if let store = options.deviceStore {
            let before = store.load(userId: userId)?.device.url
            let device = try await client.devices.ensureRegistered(store: store, userId: userId, name: options.deviceName)
            let stillReused = before != nil && before == device.url
            status(.registered(deviceURL: device.url ?? "", reused: stillReused))
            return device
        }
        let device = try await client.devices.register(DeviceRegistrationRequest(name: options.deviceName))
        status(.registered(deviceURL: device.url ?? "", reused: false))
        return device
    }

    // MARK: One connection

    private final class ConnectionState: Sendable {
        struct Values {
            var authorized = false
            var pendingPing: String?
            var lastFrameAt: Date?
            var closeReason: String?
            var lastSequence: Int?
        }
        let values = Mutex(Values())
    }

    private func connection(_ ws: any WebSocketConnection, reconnect: Bool, since: Date?) async -> Outcome {
        let state = ConnectionState()
        return await withTaskGroup(of: Outcome?.self) { group in
            group.addTask { await self.read(ws, state: state, reconnect: reconnect, since: since) }
            group.addTask { await self.keepalive(ws, state: state); return nil }
            var result: Outcome = .cancelled
            while let next = await group.next() {
                if let next { result = next; break }
            }
            group.cancelAll()
            return result
        }
    }

    private func read(_ ws: any WebSocketConnection, state: ConnectionState, reconnect: Bool, since: Date?) async -> Outcome {
        for await event in ws.events {
            let text: String, receivedAt: ContinuousClock.Instant
            switch event {
            case .text(let s, let at): text = s; receivedAt = at
            case .binary(let b, let at): text = String(decoding: b, as: UTF8.self); receivedAt = at
            case .closed(let code, let reason, _):
                let v = state.values.withLock { $0 }
                return .closed(code: code, reason: v.closeReason ?? reason, authorized: v.authorized, lastFrameAt: v.lastFrameAt)
            }
            guard let json = try? JSONValue.parse(Data(text.utf8)) else {
                logger.log(.debug, "events socket: ignoring a frame that is not JSON (\(text.prefix(80)))")
                continue
            }
            let authorized = state.values.withLock { v -> Bool in
                v.lastFrameAt = Date()
                return v.authorized
            }
            let id = json["id"]?.stringValue
            if let id {
                try? ws.send(text: "{\"messageId\":\"\(id)\",\"type\":\"ack\"}")
            }
            let type = json["type"]?.stringValue
            let eventType = json["data"]?["eventType"]?.stringValue
            if type == "pong" {
                state.values.withLock { if $0.pendingPing == id { $0.pendingPing = nil } }
                continue
            }
            if type == "shutdown" {
                // The server is going away (WMH reconnects on it): reconnect now rather than wait for the drop.
                state.values.withLock { $0.closeReason = "server shutdown" }
                Task { await ws.close(code: 1000, reason: "shutdown") }
                continue
            }
            if !authorized {
                if type == nil, eventType == "mercury.buffer_state" || eventType == "mercury.registration_status" {
                    state.values.withLock { $0.authorized = true }
                    status(.connected(reconnect: reconnect))
                    if reconnect, options.catchUp, let since, wants(resource: "messages", event: "created") {
                        // Five seconds of slack for clock differences; duplicates are dropped by id.
                        await catchUp(since: since.addingTimeInterval(-5))
                    }
                }
                continue
            }
            if let seq = json["sequenceNumber"]?.intValue {
                let previous = state.values.withLock { v -> Int? in defer { v.lastSequence = seq }; return v.lastSequence }
                if let previous, seq != previous + 1 { logger.log(.debug, "events socket: sequence \(previous) → \(seq)") }
            }
            guard eventType == "conversation.activity", let activity = json["data"]?["activity"] else {
                if eventType != nil { options.onFrame?(json) }
                continue
            }
            if let id, !envelopes.withLock({ $0.insert(id) }) { continue }
            for mapped in ActivityMapper.map(activity) {
                await deliver(mapped, receivedAt: receivedAt)
            }
        }
        let v = state.values.withLock { $0 }
        if Task.isCancelled { return .cancelled }
        return .closed(code: 1006, reason: v.closeReason ?? "", authorized: v.authorized, lastFrameAt: v.lastFrameAt)
    }

    /// Pings every `pingInterval`; no pong within `pongTimeout` closes the socket (and the loop reconnects).
    /// Also bounds the wait for authorization.
    private func keepalive(_ ws: any WebSocketConnection, state: ConnectionState) async {
        let started = Date()
        while !Task.isCancelled {
            let authorized = state.values.withLock { $0.authorized }
            if !authorized {
                if Date().timeIntervalSince(started) > options.authTimeout {
                    state.values.withLock { $0.closeReason = "no authorization confirmation in \(Int(options.authTimeout)) s" }
                    await ws.close(code: 1000, reason: "auth timeout")
                    return
                }
                try? await Task.sleep(nanoseconds: 200_000_000)
                continue
            }
            do { try await Task.sleep(nanoseconds: UInt64(options.pingInterval * 1e9)) } catch { return }
            let id = UUID().uuidString.lowercased()
            state.values.withLock { $0.pendingPing = id }
            try? ws.send(text: "{\"id\":\"\(id)\",\"type\":\"ping\"}")
            do { try await Task.sleep(nanoseconds: UInt64(options.pongTimeout * 1e9)) } catch { return }
            if state.values.withLock({ $0.pendingPing == id }) {
                state.values.withLock { $0.closeReason = "pong not received" }
                logger.log(.info, "events socket: no pong in \(Int(options.pongTimeout)) s; reconnecting")
                await ws.close(code: 1000, reason: "Pong not received")
                return
            }
        }
    }

    // MARK: Emitting

    func wants(resource: String, event: String) -> Bool {
        (options.resources?.contains(resource) ?? true) && (options.events?.contains(event) ?? true)
    }

    private func inRoom(_ roomId: String?) -> Bool {
        guard let roomUUID else { return true }
        guard let roomId else { return false }
        return (HydraID(roomId)?.uuid ?? roomId) == roomUUID
    }

    private func yield(_ event: WebexEvent) {
        var e = event
        if let me = me.withLock({ $0 }) { e.orgId = me.orgId; e.createdBy = me.id }
        output.yield(e)
    }

    private func deliver(_ mapped: MappedActivity, receivedAt: ContinuousClock.Instant) async {
        switch mapped {
        case .event(var e):
            guard wants(resource: e.resource, event: e.event), inRoom(e.roomId) else { return }
            e.receivedAt = receivedAt
            let ready = e
            pipelineInput.yield(Task { ready })
        case .fetchMessage(let id, let actorId, let created, let roomId):
            guard wants(resource: "messages", event: "created"), inRoom(roomId) else { return }
            guard emitted.withLock({ $0.insert(id) }) else { return }
            await fetchSlots.acquire()
            let client = self.client, logger = self.logger, slots = fetchSlots
            pipelineInput.yield(Task {
                defer { slots.release() }
                do {
                    let message = try await client.get(JSONValue.self, client.url(["messages", id]))
                    return WebexEvent(resource: "messages", event: "created", actorId: message["personId"]?.stringValue ?? actorId,
                                      created: message["created"]?.stringValue ?? created, data: message, receivedAt: receivedAt)
                } catch {
                    // Deleted meanwhile, or not visible to this user (a bot not mentioned): nothing to emit.
                    let status = (error as? WebexError)?.httpStatus
                    logger.log(status == 404 || status == 403 ? .debug : .warn,
                               "could not fetch message \(id) for its event: \(error)")
                    return nil
                }
            })
        }
    }

    /// Messages created since `since` in rooms active since then, oldest first, each once.
    private func catchUp(since: Date) async {
        guard let me = me.withLock({ $0 }) else { return }
        var found: [(Date, JSONValue)] = []
        let limit = 1000
        do {
            var rooms: [(id: String, type: String?)] = []
            if let roomId = options.roomId {
                let room = try await client.get(JSONValue.self, client.url(["rooms", roomId]))
                rooms = [(roomId, room["type"]?.stringValue)]
            } else {
                var it = client.paginate(JSONValue.self, client.url(["rooms"], query: [("sortBy", "lastactivity"), ("max", "100")])).makeAsyncIterator()
                while let room = try await it.nextItem() {
                    guard let id = room["id"]?.stringValue else { continue }
                    if let last = room["lastActivity"]?.stringValue.flatMap(WebexDate.parse), last < since { break }
                    rooms.append((id, room["type"]?.stringValue))
                }
            }
            roomLoop: for room in rooms {
                let mention = me.isBot && room.type == "group" ? "me" : nil
                let url = client.url(["messages"], query: [("roomId", room.id), ("mentionedPeople", mention), ("max", "100")])
                var it = client.paginate(JSONValue.self, url).makeAsyncIterator()
                while let message = try await it.nextItem() {
                    guard let created = message["created"]?.stringValue.flatMap(WebexDate.parse) else { continue }
                    if created < since { break }
                    found.append((created, message))
                    if found.count >= limit {
                        logger.log(.warn, "catch-up stopped at \(limit) messages; older ones created while disconnected are not emitted")
                        break roomLoop
                    }
                }
            }
        } catch {
            logger.log(.warn, "could not fetch the messages created while disconnected: \(error)")
        }
        var count = 0
        for (_, message) in found.sorted(by: { $0.0 < $1.0 }) {
            guard let id = message["id"]?.stringValue, inRoom(message["roomId"]?.stringValue),
                  emitted.withLock({ $0.insert(id) }) else { continue }
            count += 1
            let event = WebexEvent(resource: "messages", event: "created", actorId: message["personId"]?.stringValue,
                                   created: message["created"]?.stringValue ?? WebexDate.format(Date()), data: message)
            pipelineInput.yield(Task { event })
        }
        logger.log(.info, "caught up: \(count) message(s) created while disconnected")
        status(.caughtUp(events: count))
    }
}

/// At most `n` holders at once; `acquire` waits for a `release` (first come, first served).
final class Limiter: Sendable {
    private let state: Mutex<(available: Int, waiters: [CheckedContinuation<Void, Never>])>

    init(_ n: Int) { state = Mutex((n, [])) }

    func acquire() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s -> Bool in
                if s.available > 0 { s.available -= 1; return true }
                s.waiters.append(c)
                return false
            }
            if now { c.resume() }
        }
    }

    func release() {
        let next = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if !s.waiters.isEmpty { return s.waiters.removeFirst() }
            s.available += 1
            return nil
        }
        next?.resume()
    }
}
