import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import UnixSignals

/// How to run the emulator.
public struct EmulatorConfiguration: Sendable {
    /// Address to bind; default loopback only.
    public var host: String
    /// Port to bind; 0 picks a free port (the real one is passed to `onListening`).
    public var port: Int
    /// People, tokens and org to start with (and to return to on `POST /_emulator/reset`).
    public var seed: EmulatorSeed
    /// One line per request on stderr.
    public var logRequests: Bool
    /// Shut down gracefully on SIGINT/SIGTERM (the executable sets this; in-process tests do not).
    public var handleSignals: Bool
    /// Webhook retry backoff and deactivation threshold (also changeable with `PUT /_emulator/settings`).
    public var webhookDelivery: WebhookDeliverySettings
    /// Issued token lifetimes and device-grant polling (also changeable with `PUT /_emulator/settings`).
    public var oauth: OAuthSettings
    /// The Webex site named by meeting links, SIP addresses and meeting info (`emulator.webex.com`).
    public var meetingSite: String
    /// Answers the SDP offers clients send to Locus; the default rejects every m-line.
    public var mediaEndpoint: any LocusMediaEndpoint

    public init(
        host: String = "127.0.0.1", port: Int = 0, seed: EmulatorSeed = .default, logRequests: Bool = false,
        handleSignals: Bool = false, webhookDelivery: WebhookDeliverySettings = WebhookDeliverySettings(),
        oauth: OAuthSettings = OAuthSettings(), meetingSite: String = MeetingSite.defaultSite,
        mediaEndpoint: any LocusMediaEndpoint = RejectingMediaEndpoint()
    ) {
        self.oauth = oauth
        self.meetingSite = meetingSite
        self.mediaEndpoint = mediaEndpoint
        self.host = host
        self.port = port
        self.seed = seed
        self.logRequests = logRequests
        self.handleSignals = handleSignals
        self.webhookDelivery = webhookDelivery
    }
}

/// Where a running emulator can be reached.
public struct EmulatorEndpoint: Sendable, Equatable {
    public var host: String
    public var port: Int

    /// `http://<host>:<port>/v1`, the base URL for REST clients.
    public var baseURL: String { "\(origin)/v1" }
    /// `http://<host>:<port>`, for the control API under `/_emulator`.
    public var origin: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return "http://\(h):\(port)"
    }
}

/// A Webex-compatible server, built on Hummingbird: REST (people, rooms, memberships, messages, files,
/// teams, team memberships, attachment actions, webhooks with background delivery), U2C discovery,
/// the conversation service's read status, WDM device registration and the Mercury events websocket
/// (`conversation.activity` for every change), scheduled meetings (`/v1/meetings`), meeting info
/// (`/wbxappapi/v1`), personal rooms (`/hecate/api/v1`) and Locus (`/locus/api/v1`, with
/// `locus.difference` events), plus a control API for tests.
///
/// ```swift
/// let server = EmulatorServer(configuration: .init(port: 0))
/// try await server.run { endpoint in print(endpoint.baseURL) }
/// ```
/// `run` returns after `shutdown()`, when the surrounding task is cancelled, or, with `handleSignals`, on
/// SIGINT/SIGTERM.
public final class EmulatorServer: Sendable {
    public let configuration: EmulatorConfiguration
    /// The server's state, for in-process inspection.
    public let store: EmulatorStore
    private let group = Mutex<ServiceGroup?>(nil)

    public init(configuration: EmulatorConfiguration = EmulatorConfiguration()) {
        self.configuration = configuration
        self.store = EmulatorStore(
            seed: configuration.seed, webhookDelivery: configuration.webhookDelivery, oauth: configuration.oauth,
            meetingSite: configuration.meetingSite, mediaEndpoint: configuration.mediaEndpoint)
    }

    public func run(onListening: @escaping @Sendable (EmulatorEndpoint) async -> Void = { _ in }) async throws {
        let configuration = self.configuration
        var logger = Logger(label: "webex-emulator")
        logger.logLevel = .warning
        let responder = EmulatorResponder(store: store, logger: RequestLogger(enabled: configuration.logRequests))
        let app = Application(
            responder: responder,
            server: .emulator(store: store),
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port)),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                await onListening(EmulatorEndpoint(host: configuration.host, port: port))
            },
            logger: logger
        )
        let serviceGroup = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [], logger: logger))
        group.withLock { $0 = serviceGroup }
        defer {
            group.withLock { $0 = nil }
            // No webhook deliveries or websockets outlive the server.
            store.dispatcher.cancelAll()
            store.mercury.drop(where: { _ in true })
        }
        guard configuration.handleSignals else {
            try await serviceGroup.run()
            return
        }
        // Trap SIGINT/SIGTERM before the server starts (this waits until the handlers are registered),
        // so a signal sent right after the base URL is printed still shuts down gracefully.
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                for await _ in signals {
                    await serviceGroup.triggerGracefulShutdown()
                }
            }
            try await serviceGroup.run()
            tasks.cancelAll()
        }
    }

    /// Stops a running server gracefully: open requests finish, then `run` returns.
    public func shutdown() async {
        guard let serviceGroup = group.withLock({ $0 }) else { return }
        await serviceGroup.triggerGracefulShutdown()
    }
}
