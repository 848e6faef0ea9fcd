import ArgumentParser
import Foundation
import WebexSDK

/// What a command needs from the outside world, injected so tests can run commands without a terminal
/// or network (gh's Factory). `CLIContext.current` is set once per process (or per test task).
struct CLIContext: Sendable {
    var io: IOStreams
    var environment: [String: String]
    /// Replaces libcurl in tests.
    var transport: (any HTTPTransport)?
    /// Replaces the real sleep between retries in tests.
    var sleep: (@Sendable (Double) async throws -> Void)?

    @TaskLocal static var current = CLIContext(io: IOStreams.system(environment: ProcessInfo.processInfo.environment),
                                               environment: ProcessInfo.processInfo.environment)
}

enum ColorMode: String, ExpressibleByArgument, CaseIterable { case auto, always, never }

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Show each HTTP exchange on stderr (the Authorization header is redacted).")
    var verbose = false
    @Option(help: ArgumentHelp("Diagnostics on stderr: silent|error|warn|log|info|debug|trace (default: WEBEX_LOG_LEVEL or warn).", valueName: "level"))
    var logLevel: String?
    @Option(help: "Colour: auto|always|never (NO_COLOR turns auto off).")
    var color: ColorMode = .auto
    @Option(help: ArgumentHelp("Trust this PEM CA bundle in addition to the system's (or WEBEX_CA_BUNDLE).", valueName: "file"))
    var caBundle: String?

    func validate() throws {
        if let l = logLevel, LogLevel(name: l) == nil {
            throw ValidationError("unknown log level '\(l)': use silent, error, warn, log, info, debug or trace")
        }
    }

    func effectiveLogLevel(_ env: [String: String]) throws -> LogLevel {
        var level = LogLevel.warn
        if let e = env["WEBEX_LOG_LEVEL"], !e.isEmpty {
            guard let l = LogLevel(name: e) else {
                throw CLIError.usage("WEBEX_LOG_LEVEL='\(e)' is not a log level: use silent, error, warn, log, info, debug or trace")
            }
            level = l
        }
        if let l = logLevel.flatMap(LogLevel.init(name:)) { level = l }
        if verbose && level < .debug { level = .debug }
        return level
    }

    /// Applies `--color` and `NO_COLOR` to the streams.
    func applyColor(_ io: IOStreams, _ env: [String: String]) {
        switch color {
        case .always: io.colorEnabled = true
        case .never: io.colorEnabled = false
        case .auto: io.colorEnabled = io.stdoutIsTTY && env["NO_COLOR"] == nil && env["CLICOLOR"] != "0"
        }
    }

    /// A client configured from the environment: token, base URL, logging, retry notices.
    func makeClient() throws -> Webex {
        let ctx = CLIContext.current
        let env = ctx.environment
        applyColor(ctx.io, env)
        let level = try effectiveLogLevel(env)
        let token: any TokenSource
        if let t = env["WEBEX_ACCESS_TOKEN"]?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty {
            token = StaticTokenSource(token: t, sourceDescription: "WEBEX_ACCESS_TOKEN")
        } else {
            token = MissingTokenSource(hint: """
                no access token: set WEBEX_ACCESS_TOKEN
                hint: get a token at https://developer.webex.com (or a bot's token), then without leaving it in your shell history:
                  read -rs WEBEX_ACCESS_TOKEN && export WEBEX_ACCESS_TOKEN
                """)
        }
        let io = ctx.io
        let baseURL = try WebexConfiguration.baseURL(environment: env)
        var config = WebexConfiguration(
            baseURL: baseURL,
            tokenSource: token,
            transport: ctx.transport,
            logger: StderrLogger(io: io, level: level),
            extraCABundle: caBundle ?? env["WEBEX_CA_BUNDLE"].flatMap { $0.isEmpty ? nil : $0 },
            onRetry: { notice in
                // One line, only for a person watching; scripts see nothing (or the log at info level).
                guard io.stderrIsTTY, level < .info else { return }
                io.err("\(notice.reason): retrying in \(String(format: "%.0f", notice.delay.rounded(.up)))s…\n")
            },
            u2cURL: try WebexConfiguration.u2cURL(environment: env, baseURL: baseURL))
        if let s = ctx.sleep { config.sleep = s }
        if let b = caBundle, access(b, R_OK) != 0 { throw CLIError.usage("cannot read CA bundle \(b)") }
        return try Webex(configuration: config)
    }
}

/// SDK diagnostics to stderr.
struct StderrLogger: WebexLogger {
    let io: IOStreams
    let level: LogLevel
    func write(_ level: LogLevel, _ message: String) {
        io.err("[\(level.name)] \(message)\n")
    }
}
