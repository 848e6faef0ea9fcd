import Foundation
import NIOCore
import NIOWebSocket
import ServiceLifecycle
import Synchronization

/// Close codes Mercury uses (reference §5.8).
enum MercuryCloseCode {
    static let goingAway = 1001
    static let policyViolation = 1008
    static let replaced = 4000
    static let badRequest = 4400
    static let notAuthorized = 4401
    static let forbidden = 4403
    static let deviceUnregistered = 4404
}

/// The query parameters a client opened the socket with (reference §5.3).
struct MercuryOptions: Sendable, Equatable {
    /// `outboundWireFormat=text`: text frames; otherwise binary frames carrying the same JSON.
    var textFrames: Bool
    /// `bufferStates=true`: a `mercury.buffer_state` message after authorization; otherwise a websocket PING.
    var bufferStates: Bool
    /// `multipleConnections=true`: this connection does not replace the device's other connections.
    var multipleConnections: Bool

    init(query: Query) {
        textFrames = query["outboundWireFormat"]?.lowercased() == "text"
        bufferStates = query["bufferStates"]?.lowercased() == "true"
        multipleConnections = query["multipleConnections"]?.lowercased() == "true"
    }
}

/// One Mercury websocket (reference §5.3–§5.5).
///
/// The first client message must be the authorization frame; until then nothing is delivered. Every
/// server message that carries a `sequenceNumber` (events and pongs) takes the next number of one
/// per-connection counter starting at 1, because JSSDK checks continuity across all of them. Everything
/// written goes through one queue drained by one writer task, in order. Events are never buffered for a
/// device without a live authorized connection.
final class MercuryConnection: Sendable {
    enum Outbound: Sendable {
        /// A `conversation.activity` (or other) event: `data` is the serialized `data` member.
        case event(data: [UInt8], timestamp: Int64, trackingId: String)
        /// The answer to a JSON ping.
        case pong(id: String)
        /// A complete JSON message sent as is (no sequence number), e.g. the buffer state.
        case message(String)
        case wsPing
        case wsPong(ByteBuffer)
        /// Sends a close frame and stops writing.
        case close(code: Int, reason: String?)
        /// Resumed once everything queued before it has been written (or the socket is gone).
        case barrier(CheckedContinuation<Void, Never>)
    }

    private struct State {
        var queue: [Outbound] = []
        /// No more frames will be written (a close frame went out, or the socket is gone).
        var finished = false
        var closeRequested = false
        var authorized = false
        var eventsSent = 0
        var acks = 0
        var lastAcks: [String] = []
        var pings = 0
    }

    /// How many acknowledged message ids are remembered per connection.
    static let rememberedAcks = 20
    /// How long a close handshake may take before the TCP connection is closed anyway.
    static let closeHandshakeTimeout = TimeAmount.seconds(2)

    let deviceId: String
    let ownerUUID: String
    let ownerEmail: String
    /// `Host` of the upgrade request; URLs in this connection's events point there.
    let host: String
    let options: MercuryOptions
    let connectedAt: Date
    let channel: any Channel
    private let state = Mutex(State())
    private let signal: AsyncStream<Void>
    private let signalContinuation: AsyncStream<Void>.Continuation

    init(deviceId: String, ownerUUID: String, ownerEmail: String, host: String, options: MercuryOptions, channel: any Channel) {
        self.deviceId = deviceId
        self.ownerUUID = ownerUUID
        self.ownerEmail = ownerEmail
        self.host = host
        self.options = options
        self.channel = channel
        self.connectedAt = WebexDate.now()
        (signal, signalContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    var isAuthorized: Bool { state.withLock { $0.authorized } }

    /// Queues a frame; dropped (barriers resumed) when the connection no longer writes.
    func enqueue(_ item: Outbound) {
        let accepted = state.withLock { s -> Bool in
            guard !s.finished, !s.closeRequested else { return false }
            if case .close = item { s.closeRequested = true }
            s.queue.append(item)
            return true
        }
        if accepted {
            signalContinuation.yield()
        } else if case .barrier(let c) = item {
            c.resume()
        }
    }

    /// Starts a close handshake with `code` (no effect once one has started).
    func close(code: Int, reason: String?) {
        enqueue(.close(code: code, reason: reason))
    }

    /// Closes the TCP connection at once, without a close frame.
    func drop() {
        channel.close(promise: nil)
    }

    /// Waits until everything queued so far has been written.
    func flush() async {
        await withCheckedContinuation { enqueue(.barrier($0)) }
    }

    var json: JSONValue {
        state.withLock { s in
            [
                "deviceId": .string(deviceId), "email": .string(ownerEmail), "authorized": .bool(s.authorized),
                "wireFormat": .string(options.textFrames ? "text" : "binary"), "bufferStates": .bool(options.bufferStates),
                "multipleConnections": .bool(options.multipleConnections),
                "connectedAt": .string(WebexDate.format(connectedAt)), "eventsSent": .int(s.eventsSent), "acks": .int(s.acks),
                "lastAckIds": .array(s.lastAcks.map { .string($0) }), "pings": .int(s.pings),
            ]
        }
    }

    // MARK: Running

    /// Serves the socket until it closes: reads client frames, writes the queue.
    func run(_ asyncChannel: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, hub: MercuryHub, store: EmulatorStore) async {
        hub.register(self)
        let authTimeout = hub.authTimeout
        do {
            try await asyncChannel.executeThenClose { inbound, outbound in
                await withGracefulShutdownHandler {
                    await withTaskGroup(of: Void.self) { group in
                        group.addTask { await self.writeLoop(outbound) }
                        let timer = Task {
                            try await Task.sleep(for: authTimeout)
                            guard !self.isAuthorized else { return }
                            let ms = Int((Double(authTimeout.components.seconds) + Double(authTimeout.components.attoseconds) / 1e18) * 1000)
                            // The reason JSSDK recognizes (`_fixCloseCode`), including its "seconds".
                            self.close(
                                code: MercuryCloseCode.policyViolation,
                                reason: "authentication did not happen within the timeout window of \(ms) seconds.")
                        }
                        await self.readLoop(inbound, hub: hub, store: store)
                        timer.cancel()
                        // The reader is done (EOF, close frame or error): the writer sends what is queued
                        // (a close reply) and ends.
                        self.finishWriting()
                        await group.waitForAll()
                    }
                } onGracefulShutdown: {
                    self.close(code: MercuryCloseCode.goingAway, reason: "shutting down")
                    self.channel.eventLoop.scheduleTask(in: .milliseconds(200)) { self.channel.close(promise: nil) }
                }
            }
        } catch {
            // The peer went away; nothing to report.
        }
        stop()
        hub.remove(self)
    }

    /// No further frames are accepted; the writer ends once the queue is drained.
    private func finishWriting() {
        signalContinuation.finish()
    }

    /// The socket is gone: drop what is queued and release any waiting barrier.
    private func stop() {
        let left = state.withLock { s -> [Outbound] in
            s.finished = true
            defer { s.queue = [] }
            return s.queue
        }
        signalContinuation.finish()
        for case .barrier(let c) in left { c.resume() }
    }

    private func writeLoop(_ outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>) async {
        var sequence = 0
        let opcode: WebSocketOpcode = options.textFrames ? .text : .binary
        for await _ in signal {
            let batch = state.withLock { s -> [Outbound] in
                defer { s.queue = [] }
                return s.queue
            }
            var frames: [WebSocketFrame] = []
            var barriers: [CheckedContinuation<Void, Never>] = []
            var events = 0
            var closing = false
            for item in batch {
                switch item {
                case .event(let data, let timestamp, let trackingId):
                    sequence += 1
                    events += 1
                    var buffer = channel.allocator.buffer(capacity: data.count + 256)
                    buffer.writeString(#"{"alertType":"none","data":"#)
                    buffer.writeBytes(data)
                    buffer.writeString(#","filterMessage":false,"headers":{},"id":""#)
                    buffer.writeString(HydraID.newUUID())
                    buffer.writeString(#"","sequenceNumber":\#(sequence),"timestamp":\#(timestamp),"trackingId":"#)
                    buffer.writeString(JSONValue.string(trackingId).serialized())
                    buffer.writeString(#","wsWriteTimestamp":\#(WebexDate.milliseconds(Date()))}"#)
                    frames.append(WebSocketFrame(fin: true, opcode: opcode, data: buffer))
                case .pong(let id):
                    sequence += 1
                    let text = JSONValue.object(["id": .string(id), "type": "pong", "sequenceNumber": .int(sequence)]).serialized()
                    frames.append(WebSocketFrame(fin: true, opcode: opcode, data: ByteBuffer(string: text)))
                case .message(let text):
                    frames.append(WebSocketFrame(fin: true, opcode: opcode, data: ByteBuffer(string: text)))
                case .wsPing:
                    frames.append(WebSocketFrame(fin: true, opcode: .ping, data: ByteBuffer(string: "mercury")))
                case .wsPong(let payload):
                    frames.append(WebSocketFrame(fin: true, opcode: .pong, data: payload))
                case .close(let code, let reason):
                    var buffer = channel.allocator.buffer(capacity: 2 + (reason?.utf8.count ?? 0))
                    buffer.write(webSocketErrorCode: WebSocketErrorCode(codeNumber: code))
                    if let reason { buffer.writeString(reason) }
                    frames.append(WebSocketFrame(fin: true, opcode: .connectionClose, data: buffer))
                    closing = true
                case .barrier(let c):
                    barriers.append(c)
                }
                if closing { break }
            }
            do {
                if !frames.isEmpty { try await outbound.write(contentsOf: frames) }
            } catch {
                closing = true
            }
            if events > 0 { state.withLock { $0.eventsSent += events } }
            for c in barriers { c.resume() }
            if closing {
                stop()
                outbound.finish()
                // Wait briefly for the client's close frame, then close the TCP connection.
                let channel = self.channel
                channel.eventLoop.scheduleTask(in: Self.closeHandshakeTimeout) { channel.close(promise: nil) }
                return
            }
        }
    }

    private func readLoop(_ inbound: NIOAsyncChannelInboundStream<WebSocketFrame>, hub: MercuryHub, store: EmulatorStore) async {
        var fragments: ByteBuffer?
        do {
            for try await frame in inbound {
                switch frame.opcode {
                case .ping:
                    enqueue(.wsPong(frame.unmaskedData))
                case .pong:
                    break
                case .connectionClose:
                    // Answer a client-initiated close with the same code (RFC 6455 §5.5.1).
                    var data = frame.unmaskedData
                    let code = data.readWebSocketErrorCode().map { Int(UInt16(webSocketErrorCode: $0)) } ?? 1000
                    close(code: code, reason: nil)
                    return
                case .text, .binary:
                    if frame.fin {
                        await handleMessage(frame.unmaskedData, hub: hub, store: store)
                    } else {
                        fragments = frame.unmaskedData
                    }
                case .continuation:
                    guard var partial = fragments else { continue }
                    var more = frame.unmaskedData
                    partial.writeBuffer(&more)
                    if frame.fin {
                        fragments = nil
                        await handleMessage(partial, hub: hub, store: store)
                    } else {
                        fragments = partial
                    }
                default:
                    break
                }
            }
        } catch {
            // Reset or protocol error: the connection is over.
        }
    }

    private func handleMessage(_ buffer: ByteBuffer, hub: MercuryHub, store: EmulatorStore) async {
        let message = try? JSONValue.parse(buffer.readableBytesView)
        let type = message?["type"]?.stringValue
        let (authorized, closing) = state.withLock { ($0.authorized, $0.closeRequested || $0.finished) }
        guard !closing else { return }
        guard authorized else {
            await authorize(message, hub: hub, store: store)
            return
        }
        switch type {
        case "ping":
            state.withLock { $0.pings += 1 }
            enqueue(.pong(id: message?["id"]?.stringValue ?? ""))
        case "ack":
            let id = message?["messageId"]?.stringValue ?? ""
            state.withLock { s in
                s.acks += 1
                s.lastAcks.append(id)
                if s.lastAcks.count > Self.rememberedAcks { s.lastAcks.removeFirst(s.lastAcks.count - Self.rememberedAcks) }
            }
        default:
            break  // anything else is ignored, as Mercury does
        }
    }

    /// The first message: `{"id","type":"authorization","data":{"token":"Bearer <token>"},"trackingId"}`.
    private func authorize(_ message: JSONValue?, hub: MercuryHub, store: EmulatorStore) async {
        guard let message, message["type"]?.stringValue == "authorization",
            let token = message["data"]?["token"]?.stringValue, !token.isEmpty
        else {
            close(code: MercuryCloseCode.badRequest, reason: "Bad Request")
            return
        }
        switch await store.mercuryAuthorize(token: token, deviceUUID: deviceId) {
        case .notAuthorized:
            close(code: MercuryCloseCode.notAuthorized, reason: "NotAuthorized")
        case .forbidden:
            close(code: MercuryCloseCode.forbidden, reason: "Forbidden")
        case .deviceGone:
            close(code: MercuryCloseCode.deviceUnregistered, reason: "device unregistered")
        case .authorized:
            // The ready signal goes out before any event can be queued: JSSDK takes only the first message
            // after authorization as the buffer state.
            let ready: Outbound
            if options.bufferStates {
                let bufferState: JSONValue = [
                    "id": .string(HydraID.newUUID()),
                    "data": [
                        "eventType": "mercury.buffer_state",
                        "buffer_state": ["conversation": "UNKNOWN", "locus": "UNKNOWN"],
                    ],
                ]
                ready = .message(bufferState.serialized())
            } else {
                ready = .wsPing
            }
            let ok = state.withLock { s -> Bool in
                guard !s.closeRequested, !s.finished else { return false }
                s.authorized = true
                s.queue.append(ready)
                return true
            }
            guard ok else { return }
            signalContinuation.yield()
            hub.authorized(self)
        }
    }
}
