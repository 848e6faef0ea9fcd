import ArgumentParser
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import WebexSDK

struct WebhooksServe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Receive webhooks: verify each signature, print each event as one JSON line.",
        discussion: """
            Every POST must carry X-Spark-Signature, the HMAC-SHA1 of its exact body under the webhook's secret;
            anything else is answered 401, logged on stderr and never passed on. Accepted events are printed on
            stdout as one JSON line each (flushed at once) and answered 200 right away.
              WEBEX_WEBHOOK_SECRET=… webex webhooks serve --port 8080 --fetch --exec './on-event.sh'
            --exec runs the command (with sh -c) once per event, in order, with the event on standard input.
            --fetch replaces the event's data with the full resource (a message's text is not in the event).
            """)
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one; the address is printed on stderr).") var port = 8080
    @OptionGroup var secret: SecretOptions
    @Option(help: ArgumentHelp("Run this shell command for each event, with the event on standard input.", valueName: "command")) var exec: String?
    @Flag(help: "Add the full resource to each event (uses WEBEX_ACCESS_TOKEN).") var fetch = false
    @Option(help: "Exit after this many accepted events.") var count: Int?
    @OptionGroup var globals: GlobalOptions

    func validate() throws {
        if !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535") }
        if let c = count, c < 1 { throw ValidationError("--count must be at least 1") }
    }

    func run() async throws {
        let ctx = CLIContext.current
        let io = ctx.io
        guard let secretValue = try secret.resolve(ctx.environment) else {
            throw CLIError.usage("a webhook secret is required to verify events: --secret-file FILE or WEBEX_WEBHOOK_SECRET (or --secret)")
        }
        let client = fetch ? try globals.makeClient() : nil
        var logger = Logger(label: "webex-webhooks")
        logger.logLevel = .critical
        let sink = EventSink(io: io, exec: exec, limit: count, client: client)
        let app = Application(
            responder: WebhookResponder(secret: secretValue, sink: sink, io: io),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { [host] channel in
                let bound = channel.localAddress?.port ?? 0
                io.err("listening on http://\(host):\(bound)/ (events need a valid X-Spark-Signature)\n")
            },
            logger: logger)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [.sigterm], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                await sink.process()
                await group.triggerGracefulShutdown()
            }
            tasks.addTask {
                // SIGTERM shuts the server down gracefully; then stop taking events too.
                defer { sink.finish() }
                try await group.run()
            }
            try await tasks.next()
            try await tasks.next()
        }
    }
}

/// Checks signatures over the raw body and hands accepted events on; answers before any --exec runs.
struct WebhookResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let secret: String
    let sink: EventSink
    let io: IOStreams
    static let signatureHeader = HTTPField.Name(WebhookSignature.header)!

    func respond(to request: Request, context: Context) async throws -> Response {
        guard request.method == .post else { return Response(status: .methodNotAllowed) }
        let body: [UInt8]
        do { body = Array(try await request.body.collect(upTo: 4 * 1024 * 1024).readableBytesView) } catch {
            return Response(status: .contentTooLarge)
        }
        let signature = request.headers[Self.signatureHeader]
        guard WebhookSignature.verify(body, signature: signature, secret: secret) else {
            io.err("rejected POST \(request.uri.path): \(signature == nil ? "no" : "invalid") \(WebhookSignature.header) (\(body.count) bytes)\n")
            return Response(status: .unauthorized)
        }
        guard case .object(let event)? = try? JSONValue.parse(Data(body)) else {
            io.err("rejected POST \(request.uri.path): the body is not a JSON object\n")
            return Response(status: .badRequest)
        }
        guard sink.accept(event) else { return Response(status: .serviceUnavailable) }
        return Response(status: .ok)
    }
}

/// Prints, enriches and runs commands for events one at a time, in arrival order.
final class EventSink: Sendable {
    let io: IOStreams
    let exec: String?
    let limit: Int?
    let client: Webex?
    private let stream: AsyncStream<[String: JSONValue]>
    private let continuation: AsyncStream<[String: JSONValue]>.Continuation
    private let accepted = Mutex(0)

    init(io: IOStreams, exec: String?, limit: Int?, client: Webex?) {
        self.io = io; self.exec = exec; self.limit = limit; self.client = client
        (stream, continuation) = AsyncStream.makeStream()
    }

    /// False once `limit` events were taken (later ones are refused, so Webex retries them elsewhere).
    func accept(_ event: [String: JSONValue]) -> Bool {
        let ok = accepted.withLock { n -> Bool in
            if let limit, n >= limit { return false }
            n += 1
            return true
        }
        guard ok else { return false }
        continuation.yield(event)
        if let limit, accepted.withLock({ $0 }) >= limit { continuation.finish() }
        return true
    }

    /// No more events (the server stopped).
    func finish() { continuation.finish() }

    /// Runs until `limit` events were handled, or the server stopped.
    func process() async {
        for await var event in stream {
            if let client { event = await Self.fetch(event, client: client, io: io) }
            let line = (try? String(decoding: WebexJSON.encoder.encode(JSONValue.object(event)), as: UTF8.self)) ?? "{}"
            io.out(line + "\n")
            io.flush()
            if let exec { ExecHook.run(exec, input: line + "\n", io: io) }
        }
    }

    /// Replaces `data` with the full resource; on failure keeps the event as it came and says why.
    static func fetch(_ event: [String: JSONValue], client: Webex, io: IOStreams) async -> [String: JSONValue] {
        guard let resource = event["resource"]?.stringValue, event["event"]?.stringValue != "deleted",
              let id = event["data"]?["id"]?.stringValue else { return event }
        do {
            let full: Data
            switch resource {
            case "messages": full = try WebexJSON.encoder.encode(try await client.messages.get(id))
            case "memberships": full = try WebexJSON.encoder.encode(try await client.memberships.get(id))
            case "rooms": full = try WebexJSON.encoder.encode(try await client.rooms.get(id))
            case "attachmentActions": full = try WebexJSON.encoder.encode(try await client.attachmentActions.get(id))
            default: return event
            }
            var out = event
            out["data"] = try JSONValue.parse(full)
            return out
        } catch {
            io.err("could not fetch \(resource) \(id): \(error)\n")
            return event
        }
    }
}
