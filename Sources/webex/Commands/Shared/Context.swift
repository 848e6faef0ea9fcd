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
    @Option(help: ArgumentHelp("Read the access token from this file (first in line, before WEBEX_ACCESS_TOKEN and profiles).", valueName: "file"))
    var tokenFile: String?
    @Option(help: ArgumentHelp("Use this profile's stored login (or WEBEX_PROFILE; default: the active profile).", valueName: "name"))
    var profile: String?

    /// `--token-file`, then `WEBEX_ACCESS_TOKEN`, then the profile's stored credentials.
    func tokenSource(env: [String: String], baseURL: URL, transport: (any HTTPTransport)?) throws -> any TokenSource {
        if let tokenFile {
            guard let d = FileManager.default.contents(atPath: tokenFile) else { throw CLIError.usage("cannot read --token-file \(tokenFile)") }
            let t = String(decoding: d, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !t.isEmpty else { throw CLIError.usage("--token-file \(tokenFile) is empty") }
            var st = stat()
            if stat(tokenFile, &st) == 0, st.st_mode & 0o077 != 0 {
                CLIContext.current.io.err("warning: \(tokenFile) is readable by other users; chmod 600 it\n")
            }
            return StaticTokenSource(token: t, sourceDescription: "--token-file \(tokenFile)")
        }
        if let t = env["WEBEX_ACCESS_TOKEN"]?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty {
            return StaticTokenSource(token: t, sourceDescription: "WEBEX_ACCESS_TOKEN")
        }
        let store = CredentialStore(directory: CredentialStore.defaultDirectory(environment: env))
        return ProfileTokenSource(store: store, profile: try profileName(env: env, store: store), baseURL: baseURL, transport: transport)
    }

    /// `--profile`, `WEBEX_PROFILE`, the active profile, or `default`.
    func profileName(env: [String: String], store: CredentialStore) throws -> String {
        let name = profile ?? env["WEBEX_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? store.activeProfile() ?? "default"
        try CredentialStore.validate(profile: name)
        return name
    }

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
        let io = ctx.io
        let baseURL = try WebexConfiguration.baseURL(environment: env)
        let token = try tokenSource(env: env, baseURL: baseURL, transport: ctx.transport)
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
