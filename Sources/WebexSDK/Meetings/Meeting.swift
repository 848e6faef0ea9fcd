import Foundation

/// How to join.
public struct MeetingJoinOptions: Sendable {
    /// The name others see (Locus `alias`); nil uses the account's name.
    public var displayName: String?
    /// Join as moderator with the host PIN (`pin` + `moderator`, reference §3.1 "intent to join").
    public var hostPIN: String?
    /// Where the device registration is kept; nil registers one for this join and removes it afterwards.
    public var deviceStore: DeviceStateStore?
    public var deviceName: String
    /// Reports the events connection (for a status line).
    public var onStatus: (@Sendable (EventStreamStatus) -> Void)?
    /// Seconds to wait for the events socket before joining.
    public var connectTimeout: Double

    public init(displayName: String? = nil, hostPIN: String? = nil, deviceStore: DeviceStateStore? = nil,
                deviceName: String = "webex-cli", onStatus: (@Sendable (EventStreamStatus) -> Void)? = nil,
                connectTimeout: Double = 30) {
        self.displayName = displayName; self.hostPIN = hostPIN; self.deviceStore = deviceStore
        self.deviceName = deviceName; self.onStatus = onStatus; self.connectTimeout = connectTimeout
    }
}

/// One joined meeting: the Locus working copy kept current from HTTP answers and Locus events, the
/// local state machine, and every control (reference §3, §4, §7.1). Signalling only; media attaches
/// through `sendROAP` (the `/media` call) without changing anything here.
public actor Meeting {
    public nonisolated let client: Webex
    public nonisolated let info: MeetingInfo
    /// A new UUID per join (reference §2): Locus echoes it and ROAP events are routed by it.
    public nonisolated let correlationId: String
    public nonisolated let deviceURL: String
    public private(set) var locus: LocusState
    /// The media connection id from the join (`mediaConnections[].mediaId`).
    public private(set) var mediaId: String?
    /// The local state machine of reference §7.1.
    public private(set) var phase: Phase = .idle
    public private(set) var roap = ROAPClient()
    /// Local mute as last reported on `/media`; Locus assumes muted until told (reference §3.7).
    public private(set) var localAudioMuted = true
    public private(set) var localVideoMuted = true

    public enum Phase: String, Sendable, Codable { case idle = "IDLE", ringing = "RINGING", joined = "JOINED", ended = "ENDED", error = "ERROR" }

    /// Events in order; finishes when the meeting is over for this client.
    public nonisolated let events: AsyncStream<MeetingEvent>
    private let eventSink: AsyncStream<MeetingEvent>.Continuation
    private var subscription: EventSubscription?
    private var tasks: [Task<Void, Never>] = []
    private var keepaliveTask: Task<Void, Never>?
    private var waiting: [JSONValue] = []
    private var syncTimer: Task<Void, Never>?
    private var finished = false
    private var syncing = false

    init(client: Webex, info: MeetingInfo, deviceURL: String, correlationId: String) {
        self.client = client; self.info = info; self.deviceURL = deviceURL; self.correlationId = correlationId
        locus = LocusState(deviceURL: deviceURL)
        (events, eventSink) = AsyncStream<MeetingEvent>.makeStream(bufferingPolicy: .unbounded)
    }

    // MARK: Joining

    /// Registers the device, connects the events socket (so no Locus event is missed), then joins the
    /// meeting `info` describes: the live Locus if there is one, else a new one on its cluster.
    public static func join(_ info: MeetingInfo, client: Webex, options: MeetingJoinOptions = MeetingJoinOptions()) async throws(WebexError) -> Meeting {
        let frames = AsyncStream<JSONValue>.makeStream(bufferingPolicy: .unbounded)
        let statuses = AsyncStream<EventStreamStatus>.makeStream(bufferingPolicy: .unbounded)
        var listen = EventListenOptions(resources: [], deviceStore: options.deviceStore, deviceName: options.deviceName, catchUp: false)
        let userStatus = options.onStatus
        listen.onStatus = { s in statuses.continuation.yield(s); userStatus?(s) }
        listen.onFrame = { f in frames.continuation.yield(f) }
        let subscription = client.events.listen(listen)
        // The stream of conversation events is empty (resources: []); it ends with the connection's error.
        let failure = Task<WebexError?, Never> {
            do { for try await _ in subscription {} } catch { return (error as? WebexError) ?? .disconnected("\(error)") }
            return nil
        }
        var deviceURL: String?
        let deadline = Task {
            guard (try? await Task.sleep(nanoseconds: UInt64(options.connectTimeout * 1e9))) != nil else { return }
            statuses.continuation.finish()
        }
        let watcher = Task { if let e = await failure.value { statuses.continuation.yield(.disconnected(code: 0, reason: e.description, retryIn: -1)) } }
        var connected = false
        for await s in statuses.stream {
            switch s {
            case .registered(let url, _): deviceURL = url
            case .connected: connected = true
            case .disconnected(_, let reason, let retryIn) where retryIn < 0:
                deadline.cancel()
                await subscription.stop()
                throw .disconnected("the events connection could not be opened: \(reason)")
            default: break
            }
            if connected { break }
        }
        deadline.cancel(); watcher.cancel()
        guard connected, let deviceURL, !deviceURL.isEmpty else {
            await subscription.stop()
            throw .disconnected("the events socket did not connect within \(Int(options.connectTimeout)) s, so meeting events could not be received; check the network and the proxy settings (https_proxy, no_proxy)")
        }
        let meeting = Meeting(client: client, info: info, deviceURL: deviceURL, correlationId: UUID().uuidString.lowercased())
        do {
            try await meeting.start(subscription: subscription, frames: frames.stream, statuses: statuses.stream, failure: failure, options: options)
        } catch {
            await subscription.stop()
            throw error
        }
        return meeting
    }

    private func start(subscription: EventSubscription, frames: AsyncStream<JSONValue>, statuses: AsyncStream<EventStreamStatus>,
                       failure: Task<WebexError?, Never>, options: MeetingJoinOptions) async throws(WebexError) {
        self.subscription = subscription
        phase = .ringing
        let url = try await joinURL()
        var body: [String: JSONValue] = [
            "device": device(extra: [:]),
            "usingResource": .null,
            "moveMediaToResource": .bool(false),
            "correlationId": .string(correlationId),
            "respOnlySdp": .bool(true),
            "allowMultiDevice": .bool(true),
            "ensureConversation": .bool(false),
            "supportsNativeLobby": .number(1),
            "clientMediaPreferences": .object(["preferTranscoding": .bool(true), "ipver": .number(4)]),
            "locale": .string("en_US"),
        ]
        if let name = options.displayName, !name.isEmpty { body["alias"] = .string(name) }
        if let token = info.permissionToken { body["permissionToken"] = .string(token) }
        if info.locusURL == nil {
            if let address = info.joinURL ?? info.sipURI ?? info.meetingNumber.map({ "wbxmn:\($0)" }) {
                body["invitee"] = .object(["address": .string(address)])
            }
        }
        var response: JSONValue
        do {
            response = try await request(.post, url, body: .object(body))
        } catch {
            // "Intent to join": the meeting waits for its host; with a host PIN, join again as host (§3.1).
            guard case .api(let e) = error, Self.intentToJoinCodes.contains(e.code ?? 0), let pin = options.hostPIN else {
                phase = .error
                throw Self.explainJoinFailure(error)
            }
            body["pin"] = .string(pin)
            body["moderator"] = .bool(true)
            do { response = try await request(.post, url, body: .object(body)) } catch {
                phase = .error
                throw Self.explainJoinFailure(error)
            }
        }
        guard let dto = response["locus"], LocusSequence(dto["sequence"]) != nil else {
            phase = .error
            throw .invalidResponse("the join answer has no Locus")
        }
        if let id = response["mediaConnections"]?.arrayValue?.last(where: { $0["mediaId"]?.stringValue != nil })?["mediaId"]?.stringValue {
            mediaId = id
        }
        if let u = dto["url"]?.stringValue, let lu = URL(string: u) { try? client.trust(lu) }
        phase = .joined
        await ingest(dto)
        let framesTask = Task { [weak self] in
            for await frame in frames { await self?.handleFrame(frame) }
        }
        let statusTask = Task { [weak self] in
            for await s in statuses {
                if case .connected(reconnect: true) = s { await self?.sync(reason: "the events socket reconnected") }
            }
        }
        // The events connection ending for good (refused token, replaced) ends the meeting for this client:
        // without it the roster would silently freeze.
        let failureTask = Task { [weak self] in
            if let error = await failure.value { await self?.connectionLost(error) }
        }
        tasks += [framesTask, statusTask, failureTask]
    }

    private func connectionLost(_ error: WebexError) async {
        guard !finished else { return }
        eventSink.yield(MeetingEvent("network:disconnected", .object(["reason": .string(error.description)])))
        try? await leave()
        await finish()
    }

    func joinURL() async throws(WebexError) -> URL {
        if let live = info.locusURL {
            guard let u = URL(string: live + "/participant?alternateRedirect=true") else { throw .invalidResponse("bad locusUrl \(live)") }
            try client.trust(u)
            return u
        }
        let catalog = try? await client.serviceURL("locus")
        if let cluster = info.locusClusterURL, !cluster.isEmpty {
            // The catalog's Locus service on the same host keeps its scheme (the emulator is plain http on loopback).
            var scheme = "https"
            if let c = catalog, let host = c.host, cluster == host || cluster == "\(host):\(c.port ?? 0)" { scheme = c.scheme ?? scheme }
            let bare = cluster.hasPrefix("http") ? cluster : "\(scheme)://\(cluster)"
            guard let u = URL(string: bare + "/locus/api/v1/loci/call?alternateRedirect=true") else { throw .invalidResponse("bad locusClusterUrl \(cluster)") }
            try client.trust(u)
            return u
        }
        guard let catalog else { throw .invalidResponse("neither meeting info nor the service catalog names a Locus service") }
        return URL(string: Webex.join(catalog, ["loci", "call"]).absoluteString + "?alternateRedirect=true")!
    }

    static let intentToJoinCodes: Set<Int> = [2423005, 2423006, 2423016, 2423017, 2423018]

    static func explainJoinFailure(_ error: WebexError) -> WebexError {
        guard case .api(let e) = error else { return error }
        if intentToJoinCodes.contains(e.code ?? 0) {
            return .notPermitted("the meeting is waiting for its host: if you are the host, set WEBEX_MEETING_HOST_PIN (or --host-pin) to your host PIN; otherwise wait until the host has joined (\(e.message ?? "intent to join"))")
        }
        if e.status == 403 {
            return .notPermitted("Webex refused to let you join: \(e.message ?? "forbidden"). Check that you are invited, or that the meeting's password was given to `webex meeting info`/`join`")
        }
        return error
    }

    // MARK: Locus working copy

    /// Feeds a full DTO or a delta through the sequence rules (reference §3.5).
    func ingest(_ dto: JSONValue, allowSync: Bool = true) async {
        // While a sync is out, everything waits for its result (the JS parser's PAUSED state).
        if syncing { waiting.append(dto); return }
        switch locus.decide(dto) {
        case .apply:
            apply(dto)
            await drainWaiting()
        case .ignore:
            return
        case .wait:
            waiting.append(dto)
            if waiting.count > 5, allowSync {
                await sync(reason: "more than 5 Locus deltas arrived out of order")
            } else {
                scheduleSync()
            }
        case .sync, .urlChanged:
            if allowSync { await sync(reason: "the Locus sequence cannot be reconciled") } else { scheduleSync() }
        }
    }

    /// Waits 10–15 s for a missing delta, then syncs (the JS SDK's timing).
    private func scheduleSync() {
        guard syncTimer == nil, !finished else { return }
        let delay = 10 + Double.random(in: 0...5)
        syncTimer = Task { [weak self] in
            guard (try? await Task.sleep(nanoseconds: UInt64(delay * 1e9))) != nil else { return }
            await self?.timerFired()
        }
    }

    private func timerFired() async {
        syncTimer = nil
        await sync(reason: "a Locus delta is still missing")
    }

    private func apply(_ dto: JSONValue) {
        let before = locus
        let touched = locus.apply(dto)
        let changes = LocusChanges.events(from: before, to: locus, touched: touched)
        for e in changes { eventSink.yield(e) }
        if locus.inLobby, keepaliveTask == nil { startKeepalive() }
        if !locus.inLobby, keepaliveTask != nil { keepaliveTask?.cancel(); keepaliveTask = nil }
        if LocusChanges.removalReason(locus) != nil || locus.selfState == "LEFT" || locus.selfState == "DECLINED" {
            Task { await self.finish() }
        }
    }

    private func drainWaiting() async {
        var progressed = true
        while progressed, !waiting.isEmpty {
            progressed = false
            for (i, dto) in waiting.enumerated() {
                switch locus.decide(dto) {
                case .apply:
                    waiting.remove(at: i); apply(dto); progressed = true
                case .ignore:
                    waiting.remove(at: i); progressed = true
                default: continue
                }
                break
            }
        }
        if waiting.isEmpty { syncTimer?.cancel(); syncTimer = nil }
    }

    /// `GET syncUrl` (a delta), else `GET locusUrl` (the full DTO); applied unconditionally.
    public func sync(reason: String) async {
        guard !finished, !syncing, let locusURL = locus.url else { return }
        syncTimer?.cancel(); syncTimer = nil
        syncing = true
        client.configuration.logger.log(.info, "meeting: syncing Locus (\(reason))")
        var result: JSONValue?
        if let s = locus.syncURL, let u = URL(string: s), let delta = try? await request(.get, u, body: nil) {
            // An empty answer means the working copy is current.
            result = delta.objectValue?.isEmpty == true ? .object([:]) : (LocusSequence(delta["sequence"]) != nil ? delta : nil)
        }
        if result == nil, let u = URL(string: locusURL), let full = try? await request(.get, u, body: nil), LocusSequence(full["sequence"]) != nil {
            result = full
        }
        syncing = false
        guard let result else {
            client.configuration.logger.log(.warn, "meeting: could not sync the Locus state; trying again shortly")
            scheduleSync()
            return
        }
        if result.objectValue?.isEmpty == false { apply(result) }
        let pending = waiting
        waiting = []
        for dto in pending { await ingest(dto, allowSync: false) }
    }

    /// Routes a Mercury frame: Locus events for this meeting by URL or correlation id (reference §4.2).
    func handleFrame(_ frame: JSONValue) async {
        guard let data = frame["data"], let type = data["eventType"]?.stringValue else { return }
        if type == "locus.message.roap" {
            guard data["correlationId"]?.stringValue == correlationId, let msg = data["message"].flatMap(ROAPMessage.init(json:)) else { return }
            await handleRemoteROAP(msg)
            return
        }
        if type == "relay.event" {
            if data["relayType"]?.stringValue == "react" {
                eventSink.yield(MeetingEvent("meeting:reactionReceived", data["reaction"] ?? data))
            }
            return
        }
        guard type.hasPrefix("locus."), let dto = data["locus"] else { return }
        let forUs: Bool = {
            if let u = data["locusUrl"]?.stringValue ?? dto["url"]?.stringValue, let mine = locus.url { return u == mine }
            let devices = dto["self"]?["devices"]?.arrayValue ?? []
            return devices.contains { $0["url"]?.stringValue == deviceURL && $0["correlationId"]?.stringValue == correlationId }
        }()
        guard forUs else { return }
        await ingest(dto)
    }

    private func startKeepalive() {
        guard let joined = locus.joinedWith, let url = joined["keepAliveUrl"]?.stringValue.flatMap(URL.init(string:)) else { return }
        let secs = joined["keepAliveSecs"]?.doubleValue ?? 0
        guard secs > 1 else { return }
        let interval = (secs - 1) * 0.75
        keepaliveTask = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(interval * 1e9))
                guard !Task.isCancelled, let self else { return }
                if (try? await self.request(.get, url, body: nil)) == nil { return }
            }
        }
    }

    private func finish() async {
        guard !finished else { return }
        finished = true
        phase = .ended
        keepaliveTask?.cancel(); syncTimer?.cancel()
        for t in tasks { t.cancel() }
        eventSink.finish()
        await subscription?.stop()
    }

    // MARK: Requests

    func device(extra: [String: JSONValue]) -> JSONValue {
        var d: [String: JSONValue] = ["url": .string(deviceURL), "deviceType": .string("WEB")]
        for (k, v) in extra { d[k] = v }
        return .object(d)
    }

    /// A Locus request with the device header; an empty answer is `{}`.
    @discardableResult
    func request(_ method: HTTPMethod, _ url: URL, body: JSONValue?) async throws(WebexError) -> JSONValue {
        var req = HTTPRequest(method: method, url: url)
        if let body {
            let data: Data
            do { data = try WebexJSON.encoder.encode(body) } catch { throw .invalidArgument("cannot encode \(error)") }
            req.body = .data(data, contentType: "application/json")
        }
        req.headers.set("cisco-device-url", deviceURL)
        let res = try await client.send(req)
        if res.body.isEmpty { return .object([:]) }
        return (try? JSONValue.parse(res.body)) ?? .object([:])
    }

    /// A "delta request" (reference §3.1): the body carries the current sequence; an answer's `locus` is
    /// applied as a delta.
    @discardableResult
    func deltaRequest(_ method: HTTPMethod, _ url: URL, body: [String: JSONValue]) async throws(WebexError) -> JSONValue {
        var b = body
        if let seq = locus.objects["sequence"] { b["sequence"] = seq }
        let res = try await request(method, url, body: .object(b))
        if let dto = res["locus"], LocusSequence(dto["sequence"]) != nil { await ingest(dto) }
        return res
    }

    private func locusURL(_ path: String...) throws(WebexError) -> URL { try Self.url(locus.url, path) }
    private func selfURL(_ path: String...) throws(WebexError) -> URL { try Self.url(locus.selfURL, path) }

    private static func url(_ base: String?, _ path: [String]) throws(WebexError) -> URL {
        guard let base else { throw .disconnected("not in a meeting") }
        guard let u = URL(string: ([base] + path).joined(separator: "/")) else { throw .invalidResponse("Locus gave an unusable URL: \(base)") }
        return u
    }

    /// Refuses locally what Webex did not offer (display hints, reference §3.4).
    private func require(_ hints: String..., to action: String) throws(WebexError) {
        guard phase == .joined, !finished else { throw .disconnected("cannot \(action): not in the meeting any more") }
        let caps = locus.capabilities
        guard hints.allSatisfy(caps.contains) else {
            if locus.inLobby { throw .notPermitted("cannot \(action) while waiting in the lobby") }
            throw .notPermitted("you are not allowed to \(action): only the host or a cohost can (Webex did not offer \(hints.joined(separator: ", ")) to you)")
        }
    }

    private func participant(_ idOrName: String) throws(WebexError) -> MeetingMember {
        let all = locus.members
        if let m = all.first(where: { $0.id == idOrName }) { return m }
        let q = idOrName.lowercased()
        let present = all.filter { $0.status != "NOT_IN_MEETING" }
        let byEmail = present.filter { $0.email?.lowercased() == q }
        if byEmail.count == 1 { return byEmail[0] }
        let exact = present.filter { ($0.name ?? "").lowercased() == q }
        if exact.count == 1 { return exact[0] }
        let personUUID = HydraID(idOrName)?.uuid ?? idOrName
        if let m = present.first(where: { $0.personId == personUUID }) { return m }
        let byName = present.filter { ($0.name ?? "").lowercased().contains(q) }
        if byName.count == 1 { return byName[0] }
        if byName.count > 1 {
            throw .invalidArgument("'\(idOrName)' matches \(byName.count) members (\(byName.compactMap(\.name).joined(separator: ", "))): use the member id from `webex meeting members`")
        }
        throw .notFound("no member '\(idOrName)' in this meeting; `webex meeting members` lists them")
    }

    // MARK: Controls

    public var members: [MeetingMember] { locus.members }
    public var isFinished: Bool { finished }

    /// `PUT {locusUrl}/participant/{selfId}/leave`.
    /// Ends the meeting for this client even when the request fails (the error is still thrown).
    public func leave() async throws(WebexError) {
        guard !finished else { return }
        var failure: WebexError?
        if locus.meetingState != "INACTIVE", locus.selfState != "LEFT", let selfId = locus.selfId {
            do {
                try await deltaRequest(.put, try locusURL("participant", selfId, "leave"), body: [
                    "device": device(extra: [:]), "usingResource": .null, "correlationId": .string(correlationId),
                ])
            } catch { failure = error }
        }
        await finish()
        if let failure { throw failure }
    }

    /// `PUT {locusUrl}/participant/decline` (an incoming call).
    public func decline(reason: String? = nil) async throws(WebexError) {
        var body: [String: JSONValue] = ["device": device(extra: [:])]
        if let reason { body["reason"] = .string(reason) }
        try await deltaRequest(.put, try locusURL("participant", "decline"), body: body)
        await finish()
    }

    public func lock(_ locked: Bool) async throws(WebexError) {
        if locked { try require("LOCK_CONTROL_LOCK", to: "lock the meeting") } else { try require("LOCK_CONTROL_UNLOCK", to: "unlock the meeting") }
        try await deltaRequest(.patch, try locusURL("controls"), body: ["lock": .object(["locked": .bool(locked)])])
    }

    /// Admits members waiting in the lobby (all of them when `members` is empty).
    @discardableResult
    public func admit(_ members: [String]) async throws(WebexError) -> [MeetingMember] {
        try require("ROSTER_WAITING_TO_JOIN", to: "admit people from the lobby")
        let lobby = locus.members.filter { $0.status == "IN_LOBBY" }
        let chosen: [MeetingMember]
        if members.isEmpty {
            chosen = lobby
        } else {
            var list: [MeetingMember] = []
            for m in members { list.append(try participant(m)) }
            chosen = list
        }
        guard !chosen.isEmpty else { throw .notFound("nobody is waiting in the lobby") }
        if let notWaiting = chosen.first(where: { $0.status != "IN_LOBBY" }) {
            throw .invalidArgument("\(notWaiting.name ?? notWaiting.id) is not waiting in the lobby")
        }
        try await deltaRequest(.put, try locusURL("controls"), body: ["admit": .object(["participantIds": .array(chosen.map { .string($0.id) })])])
        return chosen.map { locus.member(id: $0.id) ?? $0 }
    }

    /// Removes a member (`reason: FORCED`).
    public func remove(_ member: String) async throws(WebexError) -> MeetingMember {
        try require("ROSTER_WAITING_TO_JOIN", to: "remove people")
        let m = try participant(member)
        guard !m.isSelf else { throw .invalidArgument("to remove yourself, leave the meeting") }
        try await deltaRequest(.put, try locusURL("participant", m.id, "leave"), body: ["reason": .string("FORCED")])
        return locus.member(id: m.id) ?? m
    }

    /// Mutes or unmutes another member's audio (or video) from the server side.
    public func mute(member: String, muted: Bool, video: Bool = false) async throws(WebexError) -> MeetingMember {
        let m = try participant(member)
        if m.isSelf { try await muteSelf(muted, video: video); return m }
        try require(muted ? "MUTE_ALL" : "UNMUTE_ALL", to: "\(muted ? "mute" : "unmute") other members")
        try await deltaRequest(.patch, try locusURL("participant", m.id, "controls"),
                               body: [video ? "video" : "audio": .object(["muted": .bool(muted)])])
        return locus.member(id: m.id) ?? m
    }

    /// Local mute (stop sending; `PUT /media` with `audioMuted`/`videoMuted`, reference §3.7–§3.8). Unmuting
    /// while muted by the host also clears the server mute, which Webex refuses under hard mute.
    public func muteSelf(_ muted: Bool, video: Bool = false) async throws(WebexError) {
        guard phase == .joined, !finished else { throw .disconnected("not in the meeting any more") }
        let selfAudio = locus.selfObject?["controls"]?["audio"]
        if !muted, !video, selfAudio?["disallowUnmute"]?.boolValue == true {
            throw .notPermitted("the host does not allow unmuting in this meeting; ask the host to unmute you")
        }
        let previous = video ? localVideoMuted : localAudioMuted
        if video { localVideoMuted = muted } else { localAudioMuted = muted }
        do { try await sendLocalMute() } catch {
            if video { localVideoMuted = previous } else { localAudioMuted = previous }
            throw error
        }
        // Read again after the await: a host mute may have arrived meanwhile.
        let serverMuted = locus.selfObject?["controls"]?[video ? "video" : "audio"]?["muted"]?.boolValue ?? false
        if !muted, serverMuted, let selfId = locus.selfId {
            try await deltaRequest(.patch, try locusURL("participant", selfId, "controls"), body: [video ? "video" : "audio": .object(["muted": .bool(false)])])
        }
    }

    private func sendLocalMute() async throws(WebexError) {
        guard let mediaId else { throw .notPermitted("this join has no media connection (Locus gave no mediaId), so there is nothing to mute") }
        let local: JSONValue = .object(["audioMuted": .bool(localAudioMuted), "videoMuted": .bool(localVideoMuted)])
        try await deltaRequest(.put, try selfURL("media"), body: [
            "device": device(extra: [:]), "correlationId": .string(correlationId),
            "clientMediaPreferences": .object(["preferTranscoding": .bool(true)]),
            "respOnlySdp": .bool(true), "usingResource": .null,
            "localMedias": .array([.object(["localSdp": .string(local.jsonText), "mediaId": .string(mediaId)])]),
        ])
    }

    /// Mute everyone, and optionally newcomers and unmuting (hard mute).
    public func muteAll(_ muted: Bool = true, onEntry: Bool? = nil, disallowUnmute: Bool? = nil) async throws(WebexError) {
        try require(muted ? "MUTE_ALL" : "UNMUTE_ALL", to: muted ? "mute everyone" : "unmute everyone")
        var audio: [String: JSONValue] = ["muted": .bool(muted)]
        if let onEntry {
            try require(onEntry ? "ENABLE_MUTE_ON_ENTRY" : "DISABLE_MUTE_ON_ENTRY", to: "change mute on entry")
            audio["muteOnEntry"] = .bool(onEntry)
        }
        if let disallowUnmute {
            try require(disallowUnmute ? "ENABLE_HARD_MUTE" : "DISABLE_HARD_MUTE", to: "change whether people may unmute")
            audio["disallowUnmute"] = .bool(disallowUnmute)
        }
        try await request(.patch, try locusURL("controls"), body: .object(["audio": .object(audio)]))
    }

    public enum RecordingAction: String, Sendable, CaseIterable { case start, stop, pause, resume }

    /// Recording through the record service when Locus names one, else through Locus controls (§3.9).
    public func record(_ action: RecordingAction) async throws(WebexError) {
        let hint = ["start": "RECORDING_CONTROL_START", "stop": "RECORDING_CONTROL_STOP",
                    "pause": "RECORDING_CONTROL_PAUSE", "resume": "RECORDING_CONTROL_RESUME"][action.rawValue]!
        try require(hint, to: "\(action.rawValue) the recording")
        if let service = locus.objects["links"]?["services"]?["record"]?["url"]?.stringValue, let locusId = locus.url?.split(separator: "/").last,
           let u = URL(string: "\(service)/loci/\(locusId)/recording") {
            try client.trust(u)
            try await request(.put, u, body: .object([
                "meetingInfo": .object(["locusSessionId": locus.objects["fullState"]?["sessionId"] ?? .null]),
                "recording": .object(["action": .string(action.rawValue)]),
            ]))
        } else {
            let (rec, paused): (Bool, Bool) = switch action { case .start, .resume: (true, false); case .pause: (true, true); case .stop: (false, false) }
            try await request(.patch, try locusURL("controls"), body: .object(["record": .object(["recording": .bool(rec), "paused": .bool(paused)])]))
        }
    }

    /// Ends the meeting for everyone (host).
    public func endForAll() async throws(WebexError) {
        let caps = locus.capabilities
        guard caps.contains("LEAVE_END_MEETING") || caps.contains("LEAVE_TRANSFER_HOST_END_MEETING") else {
            try require("LEAVE_END_MEETING", to: "end the meeting for everyone")
            return
        }
        try await deltaRequest(.post, try locusURL("end"), body: [:])
        await finish()
    }

    /// Makes another member the host.
    public func transferHost(to member: String) async throws(WebexError) -> MeetingMember {
        guard locus.roles.contains("MODERATOR") else { throw .notPermitted("only the host can hand the host role to someone else") }
        let m = try participant(member)
        try await deltaRequest(.patch, try locusURL("participant", m.id, "controls"), body: ["role": .object(["moderator": .bool(true)])])
        return locus.member(id: m.id) ?? m
    }

    /// Invites a person by email or a phone number (E.164).
    public func invite(_ address: String) async throws(WebexError) {
        try require("ADD_GUEST", to: "invite people")
        if !address.contains("@") {
            guard address.hasPrefix("+"), address.dropFirst().allSatisfy(\.isASCIIDigit), address.count > 4 else {
                throw .invalidArgument("'\(address)' is neither an email address nor a phone number in E.164 form (+15551234567)")
            }
        }
        try await deltaRequest(.put, try locusURL(), body: ["invitees": .array([.object(["address": .string(address)])]), "alertIfActive": .bool(true)])
    }

    public func cancelPhoneInvite(_ number: String) async throws(WebexError) {
        try require("ADD_GUEST", to: "cancel invitations")
        try await deltaRequest(.put, try locusURL(), body: ["actionType": .string("REMOVE"), "invitees": .array([.object(["address": .string(number)])])])
    }

    /// Sends DTMF tones (0-9 * # A-D) from this client.
    public func sendDTMF(_ tones: String) async throws(WebexError) {
        guard !tones.isEmpty, tones.uppercased().allSatisfy({ "0123456789*#ABCD,".contains($0) }) else {
            throw .invalidArgument("'\(tones)' is not a DTMF string: use 0-9, *, #, A-D and , for a pause")
        }
        guard locus.selfObject?["enableDTMF"]?.boolValue == true else { throw .notPermitted("this meeting does not accept DTMF from you") }
        try await deltaRequest(.post, try selfURL("sendDtmf"), body: [
            "deviceUrl": .string(deviceURL),
            "dtmf": .object(["correlationId": .string(UUID().uuidString.lowercased()), "tones": .string(tones.uppercased())]),
        ])
    }

    public static let reactionTypes: [String: (codepoints: String, shortcode: String)] = [
        "smile": ("1F642", ":slightly_smiling_face:"), "sad": ("1F625", ":sad:"), "wow": ("1F62E", ":open_mouth:"),
        "haha": ("1F603", ":smiley:"), "celebrate": ("1F389", ":tada:"), "clap": ("1F44F", ":clap:"),
        "thumb_up": ("1F44D", ":thumbsup:"), "thumb_down": ("1F44E", ":thumbsdown:"), "heart": ("2764", ":heart:"),
        "fire": ("1F525", ":fire:"), "prayer": ("1F64F", ":pray:"), "speed_up": ("1F407", ":rabbit:"), "slow_down": ("1F422", ":turtle:"),
    ]
    public static let skinTones = ["normal", "light", "medium_light", "medium", "medium_dark", "dark"]

    public func sendReaction(_ type: String, tone: String = "normal") async throws(WebexError) {
        guard let r = Self.reactionTypes[type] else {
            throw .invalidArgument("unknown reaction '\(type)': use one of \(Self.reactionTypes.keys.sorted().joined(separator: ", "))")
        }
        guard Self.skinTones.contains(tone) else { throw .invalidArgument("unknown skin tone '\(tone)': use one of \(Self.skinTones.joined(separator: ", "))") }
        guard locus.capabilities.contains("REACTIONS_ACTIVE") || locus.objects["controls"]?["reactions"]?["enabled"]?.boolValue == true,
              let channel = locus.objects["controls"]?["reactions"]?["reactionChannelUrl"]?.stringValue, let u = URL(string: channel) else {
            throw .notPermitted("reactions are turned off in this meeting")
        }
        try client.trust(u)
        try await request(.post, u, body: .object([
            "sender": .object(["participantId": .string(locus.selfId ?? "")]),
            "reaction": .object(["type": .string(type), "codepoints": .string(r.codepoints), "shortcodes": .string(r.shortcode),
                                 "tone": .object(["type": .string(tone)])]),
        ]))
    }

    public func setReactionsEnabled(_ enabled: Bool) async throws(WebexError) {
        try require(enabled ? "ENABLE_REACTIONS" : "DISABLE_REACTIONS", to: "turn reactions \(enabled ? "on" : "off")")
        try await deltaRequest(.put, try locusURL("controls"), body: ["reactions": .object(["enabled": .bool(enabled)]),
                                                                      "requestingParticipantId": .string(locus.selfId ?? "")])
    }

    public static let layouts = ["Single", "Equal", "ActivePresence", "Prominent", "OnePlusN"]

    public func changeLayout(_ type: String, width: Int? = nil, height: Int? = nil) async throws(WebexError) {
        guard let canonical = Self.layouts.first(where: { $0.lowercased() == type.lowercased() }) else {
            throw .invalidArgument("unknown layout '\(type)': use one of \(Self.layouts.joined(separator: ", "))")
        }
        var layout: [String: JSONValue] = ["deviceUrl": .string(deviceURL), "type": .string(canonical)]
        if let width, let height {
            layout["layoutParams"] = .object(["renderInfo": .object(["main": .object(["width": .number(Double(width)), "height": .number(Double(height))])])])
        }
        try await deltaRequest(.put, try selfURL("controls"), body: ["layout": .object(layout)])
    }

    public func raiseHand(_ raised: Bool, member: String? = nil) async throws(WebexError) {
        let target = try member.map { m throws(WebexError) in try participant(m) }
        if let target, !target.isSelf { try require("LOWER_SOMEONE_ELSES_HAND", to: "lower someone else's hand") }
        guard let id = target?.id ?? locus.selfId else { throw .invalidArgument("not in the meeting") }
        try await deltaRequest(.patch, try locusURL("participant", id, "controls"), body: ["hand": .object(["raised": .bool(raised)])])
    }

    // MARK: Media signalling (ROAP over /media)

    /// Sends a ROAP message on `PUT {selfUrl}/media` with the current mute flags and returns the server's
    /// ROAP reply from the HTTP answer, if any (reference §3.7, §5.2).
    public func sendROAP(_ message: ROAPMessage, mediaId overrideId: String? = nil) async throws(WebexError) -> ROAPMessage? {
        var local: [String: JSONValue] = ["audioMuted": .bool(localAudioMuted), "videoMuted": .bool(localVideoMuted)]
        let raw: JSONValue
        do { raw = try JSONValue.parse(WebexJSON.encoder.encode(message)) } catch { throw .invalidArgument("cannot encode ROAP: \(error)") }
        local["roapMessage"] = raw
        // An empty mediaId asks Locus for a new confluence (§3.7): only when the caller says so.
        guard let id = overrideId ?? mediaId else {
            throw .notPermitted("this join has no media connection (Locus gave no mediaId) to send ROAP on")
        }
        let res = try await request(.put, try selfURL("media"), body: .object([
            "device": device(extra: [:]), "correlationId": .string(correlationId),
            "clientMediaPreferences": .object(["preferTranscoding": .bool(true), "ipver": .number(4)]),
            "localMedias": .array([.object(["localSdp": .string(JSONValue.object(local).jsonText), "mediaId": .string(id)])]),
        ]))
        // The answer always carries the Locus (reference §3.7).
        if let dto = res["locus"], LocusSequence(dto["sequence"]) != nil { await ingest(dto) }
        let connections = res["mediaConnections"]?.arrayValue ?? []
        if let id = connections.last?["mediaId"]?.stringValue, !id.isEmpty { mediaId = id }
        return connections.first?["remoteSdp"]?.stringValue.flatMap(ROAPMessage.fromRemoteSDP)
    }

    /// TURN discovery (reference §5.5): nil when the server gave no usable TURN server.
    public func discoverTURN(newConfluence: Bool = false) async throws(WebexError) -> TURNServer? {
        let reply = try await sendROAP(ROAPMessage(.turnDiscoveryRequest, seq: 0, headers: ROAPMessage.answerInResponse),
                                       mediaId: newConfluence ? "" : nil)
        guard let reply, let server = reply.turnServer else { return nil }
        if !reply.wantsNoOK { _ = try await sendROAP(ROAPMessage(.ok, seq: 0)) }
        return server
    }

    /// Sends an SDP offer and returns the answer SDP (the media session applies it). Retries the
    /// retryable ROAP errors with a new sequence number.
    public func offer(sdp: String) async throws(WebexError) -> String {
        do {
            return try await offerTransaction(sdp: sdp)
        } catch {
            roap.abandon()
            throw error
        }
    }

    private func offerTransaction(sdp: String) async throws(WebexError) -> String {
        var seq = roap.startOffer()
        while true {
            let msg = ROAPMessage(.offer, seq: seq, sdp: sdp, tieBreaker: ROAPMessage.clientTieBreaker, headers: ROAPMessage.answerInResponse)
            guard let reply = try await sendROAP(msg) else {
                throw .invalidResponse("the media server did not answer the offer in the HTTP response")
            }
            switch roap.handle(reply) {
            case .applyAnswer(let answer, let s, let sendOK):
                if sendOK { _ = try await sendROAP(ROAPMessage(.ok, seq: s)) }
                return answer
            case .reoffer(let next): seq = next
            case .fail(let why): throw .invalidResponse(why)
            default: throw .invalidResponse("unexpected ROAP \(reply.messageType.rawValue) in answer to an offer")
            }
        }
    }

    private func handleRemoteROAP(_ m: ROAPMessage) async {
        switch roap.handle(m) {
        case .reply(let r):
            _ = try? await sendROAP(r)
        case .answerOffer(_, let seq):
            // No media session to answer with yet: refuse the server's offer so it does not wait.
            roap.abandon()
            _ = try? await sendROAP(ROAPMessage(.error, seq: seq, errorType: .failed, errorCause: "no media session"))
        default:
            break
        }
    }
}
