import ArgumentParser
import Foundation
import WebexEmulator

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `webex-emulator`: a Webex-compatible REST server for offline use and tests.
///
/// stdout: first line the base URL (`http://<host>:<port>/v1`), then one line per seeded person,
/// `<email>\t<displayName>\t<token>`. Everything else goes to stderr.
@main
struct WebexEmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webex-emulator",
        abstract: "Run a local Webex-compatible REST server.",
        discussion: """
            Prints the base URL (for WEBEX_BASE_URL) as the first line on stdout, then one line per seeded \
            person: email, display name and access token, separated by tabs. The control API for tests is \
            under /_emulator (health, reset, people, faults, requests, contents/{id}/scan, blobs/{name}).
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

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
        guard !host.isEmpty else { throw ValidationError("--host must not be empty.") }
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
                host: host, port: port, seed: seedData, logRequests: !quiet, handleSignals: true))
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
