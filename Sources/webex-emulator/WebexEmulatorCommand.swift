import ArgumentParser
import Foundation
import WebexEmulator

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `webex-emulator`: a Webex-compatible server (REST, events websocket, OAuth) for offline use and tests.
///
/// stdout: first line the base URL (`http://<host>:<port>/v1`), then one line per seeded person,
/// `<email>\t<displayName>\t<token>`. Everything else goes to stderr.
@main
struct WebexEmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webex-emulator",
        abstract: "Run a local Webex-compatible server (REST, events websocket, OAuth).",
        discussion: """
            Prints the base URL (for WEBEX_BASE_URL) as the first line on stdout, then one line per seeded \
            person: email, display name and access token, separated by tabs. Besides /v1 it answers U2C \
            discovery (/u2c/api/v1/catalog), read status (/conversation/api/v1), WDM device registration \
            (/wdm/api/v1/devices), the Mercury events websocket (/mercury/v1/apps/wx2/registrations/{id}/messages, \
            a conversation.activity for every change, locus.difference for every meeting change), OAuth \
            (/v1/authorize, /v1/access_token, /v1/device/authorize, /v1/device/token, /v1/jwt/login; seeded \
            integration emulator-client / emulator-secret, guest issuer emulator-issuer), scheduled meetings \
            (/v1/meetings), meeting info (/wbxappapi/v1/meetingInfo), personal rooms (/hecate/api/v1) and \
            Locus (/locus/api/v1: join, lobby, controls, ROAP). The control API for tests is under /_emulator \
            (health, reset, people, faults, requests, deliveries, settings, contents/{id}/scan, blobs/{name}, \
            oauth, integrations, guest-issuers, device, tokens, devices, mercury/connections, mercury/drop, \
            mercury/close, mercury/refuse, mercury/flood, loci, captchas/{id}).
            """
    )

    @Option(help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "Port to listen on; 0 picks a free port.")
    var port: Int = 0

    @Option(help: ArgumentHelp("JSON file with the org and people (with tokens) to start with.", valueName: "file"))
    var seed: String?

    @Flag(help: "Do not log requests on stderr.")
    var quiet: Bool = false

    @Option(help: ArgumentHelp("Webhook retry backoff base: waits base, 2×base, 4×base… between attempts.", valueName: "ms"))
    var webhookRetryBaseMs: Int = WebhookDeliverySettings().retryBaseMs

    @Option(help: "Attempts per webhook delivery before it counts as failed.")
    var webhookMaxAttempts: Int = WebhookDeliverySettings().maxAttempts

    @Option(help: "Failed deliveries in a row after which a webhook becomes inactive.")
    var webhookFailuresBeforeInactive: Int = WebhookDeliverySettings().failuresBeforeInactive

    @Option(help: ArgumentHelp("Lifetime of issued access tokens.", valueName: "seconds"))
    var accessTokenLifetime: Int = OAuthSettings().accessTokenLifetime

    @Option(help: ArgumentHelp("Lifetime of issued refresh tokens.", valueName: "seconds"))
    var refreshTokenLifetime: Int = OAuthSettings().refreshTokenLifetime

    @Option(help: ArgumentHelp("Webex site named by meeting links and SIP addresses.", valueName: "host"))
    var meetingSite: String = MeetingSite.defaultSite

    func validate() throws {
        guard accessTokenLifetime >= 1 else { throw ValidationError("--access-token-lifetime must be at least 1.") }
        guard refreshTokenLifetime >= 1 else { throw ValidationError("--refresh-token-lifetime must be at least 1.") }
        guard webhookRetryBaseMs >= 0 else { throw ValidationError("--webhook-retry-base-ms must not be negative.") }
        guard webhookMaxAttempts >= 1 else { throw ValidationError("--webhook-max-attempts must be at least 1.") }
        guard webhookFailuresBeforeInactive >= 1 else {
            throw ValidationError("--webhook-failures-before-inactive must be at least 1.")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
        guard !host.isEmpty else { throw ValidationError("--host must not be empty.") }
        guard !meetingSite.isEmpty, !meetingSite.contains("/"), !meetingSite.contains(" ") else {
            throw ValidationError("--meeting-site must be a host name such as emulator.webex.com.")
        }
    }

    func run() async throws {
        // A parent that stops reading our stdout/stderr must not kill the server.
        signal(SIGPIPE, SIG_IGN)
        var seedData = EmulatorSeed.default
        if let seed {
            do {
                seedData = try EmulatorSeed.load(path: seed)
            } catch {
                try? FileHandle.standardError.write(contentsOf: Data("webex-emulator: \(error.description)\n".utf8))
                throw ExitCode(2)
            }
        }
        let people = seedData.people
        let server = EmulatorServer(
            configuration: EmulatorConfiguration(
                host: host, port: port, seed: seedData, logRequests: !quiet, handleSignals: true,
                webhookDelivery: WebhookDeliverySettings(
                    retryBaseMs: webhookRetryBaseMs, maxAttempts: webhookMaxAttempts,
                    failuresBeforeInactive: webhookFailuresBeforeInactive),
                oauth: OAuthSettings(accessTokenLifetime: accessTokenLifetime, refreshTokenLifetime: refreshTokenLifetime),
                meetingSite: meetingSite))
        do {
            try await runServer(server, people: people)
        } catch {
            try? FileHandle.standardError.write(contentsOf: Data("webex-emulator: cannot serve on \(host):\(port): \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    private func runServer(_ server: EmulatorServer, people: [EmulatorSeed.Person]) async throws {
        try await server.run { endpoint in
            var lines = endpoint.baseURL + "\n"
            for p in people {
                lines += "\(p.email)\t\(p.displayName)\t\(p.token)\n"
            }
            // FileHandle writes are unbuffered, so a parent reading the pipe sees the lines at once.
            try? FileHandle.standardOutput.write(contentsOf: Data(lines.utf8))
        }
    }
}
