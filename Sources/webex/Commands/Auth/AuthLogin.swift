import ArgumentParser
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import WebexSDK

struct AuthLogin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login", abstract: "Log in and store the tokens for a profile.",
        discussion: """
            Three ways:
              webex auth login                    browser: OAuth code grant with PKCE and a loopback redirect
                                                  (register http://127.0.0.1/callback on your integration)
              webex auth login --device           a code to enter on another device: for SSH and headless boxes
              webex auth login --with-token < f   a token on standard input: for bots and CI
            The first two need an integration: --client-id or WEBEX_CLIENT_ID, and WEBEX_CLIENT_SECRET
            (or --client-secret-file). Tokens are refreshed before they expire.
            """)
    @Flag(help: "Read an access token from standard input.") var withToken = false
    @Flag(help: "Use the device authorization grant (no browser on this machine).") var device = false
    @Option(help: "The integration's client id (or WEBEX_CLIENT_ID).") var clientId: String?
    @Option(help: ArgumentHelp("The integration's client secret (visible in ps; prefer WEBEX_CLIENT_SECRET or --client-secret-file).", valueName: "secret")) var clientSecret: String?
    @Option(help: ArgumentHelp("Read the client secret from this file (or WEBEX_CLIENT_SECRET).", valueName: "file")) var clientSecretFile: String?
    @Option(help: "Space-separated scopes to ask for.") var scope = "spark:all"
    @Flag(help: "Do not try to open a browser; just print the URL.") var noBrowser = false
    @Option(help: "Loopback port for the redirect (default: a free one).") var port = 0
    @Option(help: "Seconds to wait for the login to complete.") var timeout = 300.0
    @OptionGroup var globals: GlobalOptions

    func validate() throws {
        if withToken && device { throw ValidationError("--with-token and --device cannot be used together") }
        if clientSecret != nil && clientSecretFile != nil { throw ValidationError("give --client-secret or --client-secret-file, not both") }
        if !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() async throws {
        let a = try AuthContext(globals)
        if withToken {
            var token = String(decoding: a.io.readStdin(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if token.lowercased().hasPrefix("bearer ") { token = String(token.dropFirst(7)) }
            guard !token.isEmpty else { throw CLIError.usage("no token on standard input: webex auth login --with-token < token-file") }
            try await a.finish(Credentials(accessToken: token, grant: "token"), globals: globals)
            return
        }
        let oauthClient = try a.oauthClient(id: clientId, secret: clientSecret, secretFile: clientSecretFile)
        let api = try a.client(globals).oauth
        let response = device ? try await deviceFlow(a, api, oauthClient) : try await browserFlow(a, api, oauthClient)
        try await a.finish(Credentials(response, client: oauthClient, grant: device ? "device" : "authorization_code",
                                       baseURL: a.baseURL.absoluteString), globals: globals)
    }

    // MARK: device grant

    func deviceFlow(_ a: AuthContext, _ api: OAuthAPI, _ oauthClient: OAuthClient) async throws -> TokenResponse {
        let auth = try await api.deviceAuthorize(clientId: oauthClient.id, scope: scope)
        a.io.err("To log in, open \(auth.verification_uri) on any device and enter the code \(auth.user_code)\n")
        if let complete = auth.verification_uri_complete { a.io.err("(or open \(complete))\n") }
        var interval = max(auth.interval ?? 5, 0)
        let deadline = Date().addingTimeInterval(min(auth.expires_in ?? timeout, timeout))
        let sleep = CLIContext.current.sleep ?? { s in try await Task.sleep(nanoseconds: UInt64(s * 1e9)) }
        while Date() < deadline {
            try await sleep(interval)
            switch try await api.devicePoll(deviceCode: auth.device_code, oauthClient: oauthClient) {
            case .granted(let token): return token
            case .pending: continue
            case .slowDown: interval += 5
            case .denied: throw WebexError.authExpired("the login was denied on the other device")
            case .expired: throw WebexError.authExpired("the code expired before it was entered; run `webex auth login --device` again")
            }
        }
        throw WebexError.authExpired("no one entered the code in time; run `webex auth login --device` again")
    }

    // MARK: code grant with PKCE and a loopback redirect

    func browserFlow(_ a: AuthContext, _ api: OAuthAPI, _ oauthClient: OAuthClient) async throws -> TokenResponse {
        let pkce = PKCE()
        let state = PKCE.state()
        let (callbacks, continuation) = AsyncStream<[String: String]>.makeStream()
        var logger = Logger(label: "webex-login")
        logger.logLevel = .critical
        let redirectBox = Mutex<String?>(nil)
        let app = Application(
            responder: CallbackResponder(continuation: continuation),
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port), serverName: nil),
            onServerRunning: { channel in
                redirectBox.withLock { $0 = "http://127.0.0.1:\(channel.localAddress?.port ?? 0)/callback" }
                continuation.yield(["_ready": "1"])
            },
            logger: logger)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [], logger: logger))
        return try await withThrowingTaskGroup(of: TokenResponse?.self) { tasks in
            tasks.addTask { try await group.run(); return nil }
            tasks.addTask {
                try await Task.sleep(nanoseconds: UInt64(timeout * 1e9))
                throw WebexError.authExpired("the login did not complete within \(Int(timeout))s; run `webex auth login` again")
            }
            defer { tasks.cancelAll() }
            var redirect = ""
            for await query in callbacks {
                if query["_ready"] != nil {
                    redirect = redirectBox.withLock { $0 } ?? ""
                    let url = api.authorizeURL(clientId: oauthClient.id, redirectURI: redirect, scope: scope, state: state, pkce: pkce)
                    a.io.err("Open this URL in a browser to log in:\n\(url.absoluteString)\n")
                    openBrowser(url, a)
                    continue
                }
                guard query["state"] == state else { continue }  // not our redirect: keep waiting
                if let error = query["error"] {
                    await group.triggerGracefulShutdown()
                    throw WebexError.authExpired("the login was not approved (\(error))")
                }
                guard let code = query["code"] else { continue }
                await group.triggerGracefulShutdown()
                return try await api.exchange(code: code, redirectURI: redirect, pkce: pkce, oauthClient: oauthClient)
            }
            throw CLIError.failure("the login server stopped")
        }
    }

    /// Opens a browser only when there is a desktop to show it on.
    func openBrowser(_ url: URL, _ a: AuthContext) {
        guard !noBrowser, a.env["DISPLAY"] != nil || a.env["WAYLAND_DISPLAY"] != nil,
              FileManager.default.isExecutableFile(atPath: "/usr/bin/xdg-open") else { return }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/xdg-open")
        p.arguments = [url.absoluteString]
        p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        p.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try? p.run()
    }
}

/// Receives the OAuth redirect on the loopback address.
struct CallbackResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let continuation: AsyncStream<[String: String]>.Continuation

    func respond(to request: Request, context: Context) async throws -> Response {
        guard request.method == .get, request.uri.path == "/callback" else { return Response(status: .notFound) }
        var query: [String: String] = [:]
        for item in URLComponents(string: "http://x" + request.uri.description)?.queryItems ?? [] { query[item.name] = item.value ?? "" }
        continuation.yield(query)
        let ok = query["code"] != nil
        let page = ok ? "Logged in. You can close this window and return to the terminal." : "The login was not completed: \(query["error"] ?? "no code")."
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: ok ? .ok : .badRequest, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: page + "\n")))
    }
}
