import ArgumentParser
import Foundation
import WebexSDK

struct Auth: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth", abstract: "Log in (browser, device code, token, guest), see and switch profiles.",
        discussion: """
            Token sources, first match wins: --token-file FILE, WEBEX_ACCESS_TOKEN, then the stored login of the
            profile (--profile NAME, WEBEX_PROFILE, the active profile, or "default"). Stored logins live in
            $XDG_CONFIG_HOME/webex/profiles/ (files mode 0600) and are refreshed before they expire.
            """,
        subcommands: [AuthLogin.self, AuthGuest.self, AuthStatus.self, AuthToken.self, AuthLogout.self, AuthSwitch.self, AuthList.self])
}

/// What the auth commands share: the store, the profile, a client that needs no token.
struct AuthContext {
    let env: [String: String]
    let io: IOStreams
    let store: CredentialStore
    let profile: String
    let baseURL: URL

    init(_ globals: GlobalOptions) throws {
        let ctx = CLIContext.current
        env = ctx.environment
        io = ctx.io
        globals.applyColor(io, env)
        store = CredentialStore(directory: CredentialStore.defaultDirectory(environment: env))
        profile = try globals.profileName(env: env, store: store)
        baseURL = try WebexConfiguration.baseURL(environment: env)
    }

    /// A client that uses `token` (or none, for the OAuth endpoints).
    func client(_ globals: GlobalOptions, token: String? = nil) throws -> Webex {
        var config = WebexConfiguration(
            baseURL: baseURL,
            tokenSource: token.map { StaticTokenSource(token: $0, sourceDescription: "login") as any TokenSource }
                ?? MissingTokenSource(hint: "no token yet"),
            transport: CLIContext.current.transport,
            logger: StderrLogger(io: io, level: try globals.effectiveLogLevel(env)))
        if let s = CLIContext.current.sleep { config.sleep = s }
        return try Webex(configuration: config)
    }

    /// The integration's client id and secret: options, files or WEBEX_CLIENT_ID / WEBEX_CLIENT_SECRET.
    func oauthClient(id: String?, secret: String?, secretFile: String?) throws -> OAuthClient {
        guard let clientId = id ?? env["WEBEX_CLIENT_ID"].flatMap({ $0.isEmpty ? nil : $0 }) else {
            throw CLIError.usage("an integration's client id is needed: --client-id ID or WEBEX_CLIENT_ID (create one at https://developer.webex.com/my-apps)")
        }
        var clientSecret = secret ?? env["WEBEX_CLIENT_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
        if let secretFile {
            guard let d = FileManager.default.contents(atPath: secretFile) else { throw CLIError.usage("cannot read --client-secret-file \(secretFile)") }
            clientSecret = String(decoding: d, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let clientSecret, !clientSecret.isEmpty else {
            throw CLIError.usage("the integration's client secret is needed: WEBEX_CLIENT_SECRET or --client-secret-file FILE")
        }
        return OAuthClient(id: clientId, secret: clientSecret)
    }

    /// Checks the token with people/me, stores it, makes the profile active when none is.
    func finish(_ credentials: Credentials, globals: GlobalOptions) async throws {
        var c = credentials
        let me = try await client(globals, token: c.accessToken).people.me()
        c.personId = me.id
        c.personEmail = me.primaryEmail
        c.personName = me.displayName
        c.baseURL = baseURL.absoluteString
        try store.save(c, profile: profile)
        if store.activeProfile() == nil { try store.setActiveProfile(profile) }
        io.err("Logged in as \(me.displayName ?? "?") <\(me.primaryEmail ?? "?")> (profile '\(profile)')\n")
        if env["WEBEX_ACCESS_TOKEN"].map({ !$0.isEmpty }) == true {
            io.err("note: WEBEX_ACCESS_TOKEN is set and is used before stored logins; unset it to use this profile\n")
        }
    }
}

struct AuthStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Say which token is in use, for whom, and until when.")
    @OptionGroup var globals: GlobalOptions

    func run() async throws {
        let a = try AuthContext(globals)
        let client = try globals.makeClient()
        let source = client.configuration.tokenSource
        var lines = ["token source: \(source.sourceDescription)", "API: \(a.baseURL.absoluteString)"]
        if let p = source as? ProfileTokenSource, let c = try p.credentials() {
            lines.append("login: \(c.grant)")
            if let e = c.accessTokenExpiresAt { lines.append("access token expires: \(WebexDate.format(e))") }
            if let e = c.refreshTokenExpiresAt { lines.append("refresh token expires: \(WebexDate.format(e))") }
        }
        let me = try await client.people.me()
        lines.insert("logged in as: \(me.displayName ?? "?") <\(me.primaryEmail ?? "?")>", at: 0)
        a.io.out(lines.joined(separator: "\n") + "\n")
    }
}

struct AuthToken: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Print the current access token (refreshed if needed) and nothing else, for scripts.")
    @OptionGroup var globals: GlobalOptions

    func run() async throws {
        let client = try globals.makeClient()
        let io = CLIContext.current.io
        io.out(try await client.configuration.tokenSource.accessToken() + "\n")
    }
}

struct AuthLogout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logout", abstract: "Forget the stored login of a profile.")
    @OptionGroup var globals: GlobalOptions

    func run() async throws {
        let a = try AuthContext(globals)
        if try a.store.delete(a.profile) { a.io.err("Logged out of profile '\(a.profile)'\n") }
        else { a.io.err("Profile '\(a.profile)' had no stored login\n") }
    }
}

struct AuthSwitch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "switch", abstract: "Make another profile the active one.")
    @Argument(help: "The profile name.") var name: String
    @OptionGroup var globals: GlobalOptions

    func run() async throws {
        let a = try AuthContext(globals)
        guard try a.store.load(name) != nil else {
            throw CLIError.notFound("no stored login for profile '\(name)'; `webex auth list` shows them, `webex auth login --profile \(name)` adds it")
        }
        try a.store.setActiveProfile(name)
        a.io.err("Active profile: \(name)\n")
    }
}

struct AuthList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the profiles with stored logins.", aliases: ["ls"])
    @OptionGroup var globals: GlobalOptions

    func run() async throws {
        let a = try AuthContext(globals)
        let active = a.store.activeProfile() ?? "default"
        var rows: [[String]] = []
        for p in a.store.profiles() {
            let c = (try? a.store.load(p)) ?? nil
            rows.append([p == active ? "*" : "", p, c?.personEmail ?? "", c?.grant ?? "",
                         c?.accessTokenExpiresAt.map(WebexDate.format) ?? ""])
        }
        if rows.isEmpty { a.io.err("No stored logins; run `webex auth login`\n"); return }
        if a.io.stdoutIsTTY {
            TablePrinter(io: a.io).render(headers: ["ACTIVE", "PROFILE", "USER", "LOGIN", "EXPIRES"], rows: rows, truncatable: [false, false, true, false, false])
        } else {
            for r in rows { TablePrinter(io: a.io).pipedRow(r) }
        }
    }
}
