import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOWebSocket
import Synchronization

/// The emulator's HTTP/1.1 connections: plain requests go to the `EmulatorResponder`; a websocket
/// upgrade to `/mercury/v1/apps/wx2/registrations/{deviceId}/messages` becomes a `MercuryConnection`.
///
/// Unlike `HTTP1WebSocketUpgradeChannel` (hummingbird-websocket), a refused upgrade is not answered with a
/// bare 400: the request goes on to the normal responder, which answers 404 for an unknown device (clients
/// register again on 404) and 503 while the control API refuses upgrades. NIO's upgrade handler consumes
/// the head of a request that asks for an upgrade, so `UpgradeHeadRecorder` remembers it and it is
/// replayed (with `Connection: close`, since the HTTP decoder stops after an upgrade request) to the
/// HTTP side. Requests with an `Upgrade` header for other protocols (`h2c`) are answered normally too.
struct EmulatorChannel: ServerChildChannel, HTTPChannelHandler {
    enum Negotiated: Sendable {
        case http(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
        case websocket(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, MercuryConnection)
    }

    struct Value: ServerChildChannelValue {
        let negotiated: EventLoopFuture<Negotiated>
        let channel: any Channel
    }

    /// The largest client frame accepted (clients send small JSON frames).
    static let maxFrameSize = 1 << 20

    let responder: HTTPChannelHandler.Responder
    let store: EmulatorStore

    /// Holds the connection admitted in `shouldUpgrade` until the pipeline is upgraded.
    private final class Admitted: Sendable {
        let connection = Mutex<MercuryConnection?>(nil)
    }

    private struct NotAdmitted: Error {}

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let store = self.store
        return channel.eventLoop.makeCompletedFuture {
            let admitted = Admitted()
            let recorder = NIOLoopBound(UpgradeHeadRecorder(), eventLoop: channel.eventLoop)
            let upgrader = NIOTypedWebSocketServerUpgrader<Negotiated>(
                maxFrameSize: Self.maxFrameSize,
                shouldUpgrade: { channel, head in
                    let promise = channel.eventLoop.makePromise(of: HTTPHeaders?.self)
                    promise.completeWithTask {
                        guard let connection = await store.admitMercury(head: head, channel: channel) else { return nil }
                        admitted.connection.withLock { $0 = connection }
                        return HTTPHeaders()
                    }
                    return promise.futureResult
                },
                upgradePipelineHandler: { channel, _ in
                    channel.eventLoop.makeCompletedFuture {
                        guard let connection = admitted.connection.withLock({ $0 }) else { throw NotAdmitted() }
                        // The recorder reads HTTP parts; websocket frames must not pass through it.
                        channel.pipeline.syncOperations.removeHandler(recorder.value, promise: nil)
                        let asyncChannel = try NIOAsyncChannel<WebSocketFrame, WebSocketFrame>(
                            wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
                        return Negotiated.websocket(asyncChannel, connection)
                    }
                })
            let upgradeConfiguration = NIOTypedHTTPServerUpgradeConfiguration<Negotiated>(
                upgraders: [upgrader],
                notUpgradingCompletionHandler: { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
                        try pipeline.addHandler(HTTPConnectionStateHandler(idleTimeout: nil, logger: logger))
                        let asyncChannel = try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
                            wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
                        if var head = recorder.value.upgradeHead {
                            // The refused upgrade request goes on to the HTTP responder.
                            head.headers.replaceOrAdd(name: "connection", value: "close")
                            let upgradeHandler = try pipeline.context(handlerType: NIOTypedHTTPServerUpgradeHandler<Negotiated>.self)
                            upgradeHandler.fireChannelRead(NIOAny(HTTPServerRequestPart.head(head)))
                            upgradeHandler.fireChannelRead(NIOAny(HTTPServerRequestPart.end(nil)))
                            upgradeHandler.fireChannelReadComplete()
                        }
                        return Negotiated.http(asyncChannel)
                    }
                })
            var configuration = NIOUpgradableHTTPServerPipelineConfiguration(upgradeConfiguration: upgradeConfiguration)
            configuration.enablePipelining = false  // NIOAsyncChannel handles one request at a time
            configuration.enableErrorHandling = false  // Hummingbird answers parse errors
            configuration.enableResponseHeaderValidation = false  // HTTPTypes validates
            let negotiated = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(
                configuration: configuration)
            let upgradeHandler = try channel.pipeline.syncOperations.handler(
                type: NIOTypedHTTPServerUpgradeHandler<Negotiated>.self)
            try channel.pipeline.syncOperations.addHandler(recorder.value, position: .before(upgradeHandler))
            return Value(negotiated: negotiated, channel: channel)
        }
    }

    func handle(value: Value, logger: Logger) async {
        do {
            switch try await value.negotiated.get() {
            case .http(let asyncChannel):
                await handleHTTP(asyncChannel: asyncChannel, logger: logger)
            case .websocket(let asyncChannel, let connection):
                await connection.run(asyncChannel, hub: store.mercury, store: store)
            }
        } catch {
            logger.debug("Connection setup failed: \(error)")
        }
    }
}

/// Sits in front of NIO's upgrade handler and remembers the head of a request that asks for an upgrade.
final class UpgradeHeadRecorder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    private(set) var upgradeHead: HTTPRequestHead?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data), head.headers.contains(name: "upgrade") {
            upgradeHead = head
        }
        context.fireChannelRead(data)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with the Mercury websocket upgrade.
    static func emulator(store: EmulatorStore) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in EmulatorChannel(responder: responder, store: store) }
    }
}

/// The Mercury path `/mercury/v1/apps/wx2/registrations/{deviceId}/messages`.
enum MercuryPath {
    static let prefix = "/mercury/"

    /// The device id named by `path`, or nil when it is not the registration path.
    static func deviceId(_ path: String) -> String? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.count == 7, parts[0] == "mercury", parts[1] == "v1", parts[2] == "apps", parts[3] == "wx2",
            parts[4] == "registrations", parts[6] == "messages"
        else { return nil }
        return String(parts[5]).lowercased()
    }
}

extension EmulatorStore {
    /// Decides a websocket upgrade (no auth header needed; authorization happens in the socket):
    /// 503 while refusing, 404 for a path that is not a registered device's, otherwise admitted. Each
    /// attempt on the Mercury path is recorded in the request log (status 101 when admitted).
    func admitMercury(head: HTTPRequestHead, channel: any Channel) -> MercuryConnection? {
        let (path, query) = Self.splitURI(head.uri)
        guard path.hasPrefix(MercuryPath.prefix) else { return nil }
        func log(_ status: Int) {
            record(
                RequestLogEntry(
                    method: head.method.rawValue, path: path, query: query, status: status,
                    trackingId: head.headers["trackingid"].first, userAgent: head.headers["user-agent"].first,
                    contentType: nil))
        }
        if mercury.isRefusing {
            log(503)
            return nil
        }
        guard let deviceId = MercuryPath.deviceId(path), let owner = deviceOwner(deviceId) else {
            log(404)
            return nil
        }
        var host = head.headers["host"].first ?? ""
        if host.isEmpty, let local = channel.localAddress, let ip = local.ipAddress, let port = local.port {
            host = ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
        }
        log(101)
        return MercuryConnection(
            deviceId: deviceId, ownerUUID: owner.uuid, ownerEmail: owner.email, host: host,
            options: MercuryOptions(query: Query(query)), channel: channel)
    }

    nonisolated static func splitURI(_ uri: String) -> (path: String, query: String?) {
        guard let q = uri.firstIndex(of: "?") else { return (uri, nil) }
        return (String(uri[..<q]), String(uri[uri.index(after: q)...]))
    }

    enum MercuryAuthorization: Sendable {
        case authorized
        case notAuthorized
        case forbidden
        case deviceGone
    }

    /// Checks a socket's authorization frame: the token (with or without `Bearer `) must be valid and
    /// belong to the device's owner.
    func mercuryAuthorize(token raw: String, deviceUUID: String) -> MercuryAuthorization {
        var token = raw.trimmingCharacters(in: .whitespaces)
        if token.lowercased().hasPrefix("bearer ") { token = String(token.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
        guard let person = authenticate(token: token) else { return .notAuthorized }
        guard let device = devices[deviceUUID] else { return .deviceGone }
        return device.ownerUUID == person.uuid ? .authorized : .forbidden
    }
}
