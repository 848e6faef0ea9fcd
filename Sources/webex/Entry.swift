import ArgumentParser
import Foundation
import WebexSDK
#if canImport(Glibc)
import Glibc
#endif

/// The root command. Subcommands are grouped by noun, one file per verb.
struct WebexCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webex",
        abstract: "Cisco Webex from the command line: people, rooms, messages, teams, webhooks and any API call.",
        discussion: """
            Authentication: `webex auth login` (browser, --device or --with-token), or WEBEX_ACCESS_TOKEN, or --token-file FILE. Point at another server (e.g. webex-emulator) with WEBEX_BASE_URL.
            Output: a table on a terminal, tab-separated rows when piped; --json, --jsonl or --jq EXPR for scripts.

            Exit status: 0 ok; 1 API or runtime error; 2 usage error; 3 authentication missing or refused;
            4 not found; 5 rate limited after retries; 124 --timeout ran out; 130 interrupted.

            Environment: WEBEX_ACCESS_TOKEN, WEBEX_BASE_URL, WEBEX_LOG_LEVEL, WEBEX_CA_BUNDLE, WEBEX_STATE_DIR, NO_COLOR,
            https_proxy/HTTPS_PROXY, http_proxy, ALL_PROXY, NO_PROXY.
            """,
        version: WebexConfiguration.sdkVersion,
        subcommands: [Auth.self, People.self, Rooms.self, Messages.self, Memberships.self, Teams.self, TeamMemberships.self,
                      Webhooks.self, Events.self, Cards.self, AttachmentActions.self, Meetings.self, MeetingCommand.self, Media.self, API.self]
    )
}

@main
enum Main {
    static func main() async {
        signal(SIGPIPE, SIG_IGN)
        let status = await run(Array(CommandLine.arguments.dropFirst()))
        CLIContext.current.io.flush()
        exit(status.rawValue)
    }

    /// Parses and runs one command line; returns the exit status. Used by tests too.
    static func run(_ arguments: [String]) async -> ExitCodeValue {
        let io = CLIContext.current.io
        let command: any ParsableCommand
        do {
            command = try WebexCLI.parseAsRoot(rewrite(arguments))
        } catch {
            let code = WebexCLI.exitCode(for: error)
            let text = WebexCLI.fullMessage(for: error)
            if code == .success {
                io.out(text + "\n")
                return .ok
            }
            io.err(text + "\n")
            return .usage
        }
        let activity = Activity(io: io, label: "Working…")
        io.beforeFirstOutput = { activity.stop() }
        defer { activity.stop() }
        do {
            if var async = command as? any AsyncParsableCommand { try await async.run() } else {
                var sync = command
                try sync.run()
            }
            io.flush()
            return .ok
        } catch let e as ExitCode {
            io.flush()
            return ExitCodeValue(rawValue: e.rawValue) ?? .failure
        } catch {
            activity.stop()
            io.flush()
            if !(error is WebexError || error is CLIError) {
                // ArgumentParser's own errors (validation, help, version) keep its wording; usage errors exit 2.
                let code = WebexCLI.exitCode(for: error)
                let text = WebexCLI.fullMessage(for: error)
                if code == .success { io.out(text + "\n"); io.flush(); return .ok }
                if !text.isEmpty { io.err(text + "\n") }
                return code == .validationFailure || error is ValidationError ? .usage : .failure
            }
            io.err(ErrorReport.message(for: error))
            return ErrorReport.status(for: error)
        }
    }

    /// `--json=a,b` → `--json --json-fields a,b` (the flag takes an optional field list).
    static func rewrite(_ args: [String]) -> [String] {
        var out: [String] = []
        for (i, a) in args.enumerated() {
            if a == "--" { out += args[i...]; break }
            if a.hasPrefix("--json="), !a.hasPrefix("--json-fields") {
                out += ["--json", "--json-fields", String(a.dropFirst("--json=".count))]
            } else {
                out.append(a)
            }
        }
        return out
    }
}
