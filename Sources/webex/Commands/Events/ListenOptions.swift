import ArgumentParser
import Dispatch
import Foundation
import Synchronization
import WebexSDK
#if canImport(Glibc)
import Glibc
#endif

/// What `webex events listen` and `webex messages listen` share.
struct ListenOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only events in this room (ID or exact title).", valueName: "room"))
    var room: String?
    @Option(help: "Exit 0 after this many events.")
    var count: Int?
    @Option(help: ArgumentHelp("Exit 124 after this long without reaching --count: seconds, or 30s, 5m, 2h.", valueName: "duration"))
    var timeout: String?
    @Option(help: ArgumentHelp("Run this shell command for each event, with the event's JSON line on standard input.", valueName: "command"))
    var exec: String?
    @Option(help: ArgumentHelp("Print this jq expression's result for each event instead of the event.", valueName: "expr"))
    var jq: String?
    @Flag(name: .customLong("no-catch-up"), help: "After a reconnect, do not fetch the messages created while disconnected.")
    var noCatchUp = false
    @Flag(help: .hidden) var stats = false

    func validate() throws {
        if let c = count, c < 1 { throw ValidationError("--count must be at least 1") }
        if let t = timeout, Self.seconds(t) == nil {
            throw ValidationError("--timeout '\(t)' is not a duration: use seconds (90) or a number with s, m or h (30s, 5m, 2h)")
        }
        if let jq { _ = try JQProgram(jq) }
    }

    static func seconds(_ text: String) -> Double? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, factor) in units where t.hasSuffix(suffix) {
            guard let n = Double(t.dropLast(suffix.count)), n > 0, n.isFinite else { return nil }
            return n * factor
        }
        guard let n = Double(t), n > 0, n.isFinite else { return nil }
        return n
    }

    enum Ending: Sendable { case count, timeout, interrupted }
    final class EndingBox: Sendable { let value = Mutex<Ending?>(nil) }

    func run(globals: GlobalOptions, resources: Set<String>?, events: Set<String>?) async throws {
        let ctx = CLIContext.current
        let io = ctx.io
        let client = try globals.makeClient()
        var roomId: String?
        if let room { roomId = try await Resolve.room(room, client: client) }
        let program = try jq.map { try JQProgram($0) }
        let chatty = io.stderrIsTTY
        let options = EventListenOptions(
            resources: resources, events: events, roomId: roomId,
            deviceStore: Events.deviceStore(client: client, environment: ctx.environment),
            deviceName: "webex-cli", catchUp: !noCatchUp,
            onStatus: { status in
                guard chatty else { return }
                switch status {
                case .registered(_, let reused):
                    if !reused { io.err("registered a device for events (reused by later runs)\n") }
                case .connected(let reconnect):
                    io.err(reconnect ? "reconnected\n" : "listening for events… (Ctrl-C to stop)\n")
                case .disconnected(let code, let reason, let retryIn):
                    io.err("events connection lost (\(code)\(reason.isEmpty ? "" : ": \(reason)")); reconnecting in \(String(format: "%.0f", retryIn.rounded(.up))) s…\n")
                case .caughtUp(let n):
                    if n > 0 { io.err("caught up: \(n) message\(n == 1 ? "" : "s") sent while disconnected\n") }
                case .tokenRefreshed:
                    io.err("the access token was refreshed\n")
                }
            })
        let subscription = client.events.listen(options)
        let ending = EndingBox()
        // Ctrl-C and --timeout end the stream cleanly: the socket is closed with 1000, the device kept.
        let trap = SignalTrap([SIGINT]) {
            ending.value.withLock { if $0 == nil { $0 = .interrupted } }
            Task { await subscription.stop() }
        }
        defer { trap.release() }
        var timer: Task<Void, Never>?
        if let seconds = timeout.flatMap(Self.seconds) {
            timer = Task {
                try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
                if Task.isCancelled { return }
                ending.value.withLock { if $0 == nil { $0 = .timeout } }
                await subscription.stop()
            }
        }
        defer { timer?.cancel() }

        var received = 0
        var latencies: [Double] = []
        var firstAt: ContinuousClock.Instant?
        var lastAt: ContinuousClock.Instant?
        do {
            for try await event in subscription {
                let line = String(decoding: try WebexJSON.encoder.encode(event), as: UTF8.self)
                if let program {
                    for result in try program.run(Data(line.utf8), pretty: false, color: false) { io.out(result + "\n") }
                } else {
                    io.out(line + "\n")
                }
                io.flush()
                if stats, let at = event.receivedAt {
                    let now = ContinuousClock.now
                    let d = now - at
                    latencies.append(Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
                    if firstAt == nil { firstAt = now }
                    lastAt = now
                }
                if let exec { ExecHook.run(exec, input: line + "\n", io: io) }
                received += 1
                if let count, received >= count {
                    ending.value.withLock { if $0 == nil { $0 = .count } }
                    break
                }
            }
        } catch {
            if ending.value.withLock({ $0 }) == nil { throw error }
        }
        await subscription.stop()
        if stats { Self.printStats(latencies: latencies, span: firstAt.flatMap { f in lastAt.map { $0 - f } } ?? .zero, io: io) }
        switch ending.value.withLock({ $0 }) {
        case .timeout?:
            if chatty { io.err("timed out after \(timeout ?? "") with \(received) event\(received == 1 ? "" : "s")\n") }
            throw ExitCode(ExitCodeValue.timedOut.rawValue)
        case .interrupted?:
            throw ExitCode(ExitCodeValue.interrupted.rawValue)
        case .count?, nil:
            return
        }
    }

    /// `--stats` (for the benchmark), on stderr as JSON: the events that came over the socket, their rate
    /// (first to last line written) and the latency from socket frame read to JSON line written.
    static func printStats(latencies: [Double], span: Duration, io: IOStreams) {
        let seconds = Double(span.components.seconds) + Double(span.components.attoseconds) / 1e18
        let sorted = latencies.sorted()
        func pct(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[max(0, min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1))] }
        let rate = seconds > 0 ? Double(sorted.count - 1) / seconds : 0
        let text = String(format: "{\"events\":%d,\"seconds\":%.3f,\"perSecond\":%.0f,\"latencyMs\":{\"p50\":%.3f,\"p99\":%.3f,\"max\":%.3f}}",
                          sorted.count, seconds, rate, pct(0.5), pct(0.99), sorted.last ?? 0)
        io.err(text + "\n")
    }
}
