import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What is stored for a profile. Lives in a 0600 file; never logged.
public struct Credentials: Codable, Sendable, Equatable {
    public var accessToken: String
    public var accessTokenExpiresAt: Date?
    public var refreshToken: String?
    public var refreshTokenExpiresAt: Date?
    /// The integration that issued the tokens (needed to refresh them).
    public var client: OAuthClient?
    /// How the tokens were obtained: token, authorization_code, device, guest.
    public var grant: String
    public var baseURL: String?
    public var personId: String?
    public var personEmail: String?
    public var personName: String?
    public var updated: Date?

    public init(accessToken: String, accessTokenExpiresAt: Date? = nil, refreshToken: String? = nil,
                refreshTokenExpiresAt: Date? = nil, client: OAuthClient? = nil, grant: String, baseURL: String? = nil) {
        self.accessToken = accessToken; self.accessTokenExpiresAt = accessTokenExpiresAt; self.refreshToken = refreshToken
        self.refreshTokenExpiresAt = refreshTokenExpiresAt; self.client = client; self.grant = grant; self.baseURL = baseURL
    }

    /// From a token-endpoint answer received at `now`.
    public init(_ r: TokenResponse, client: OAuthClient?, grant: String, baseURL: String?, now: Date = Date()) {
        self.init(accessToken: r.access_token, accessTokenExpiresAt: r.expires_in.map { now.addingTimeInterval($0) },
                  refreshToken: r.refresh_token, refreshTokenExpiresAt: r.refresh_token_expires_in.map { now.addingTimeInterval($0) },
                  client: client, grant: grant, baseURL: baseURL)
    }
}

/// Profiles under `$XDG_CONFIG_HOME/webex/` (or `WEBEX_CONFIG_DIR`): `profiles/<name>.json` (0600, in a 0700
/// folder), written to a temporary file and renamed so a reader never sees half a file; `config.json` names the
/// active profile. `withLock` serialises refreshes across processes with `flock`.
public struct CredentialStore: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// `WEBEX_CONFIG_DIR`, else `$XDG_CONFIG_HOME/webex` (absolute only), else `~/.config/webex`.
    public static func defaultDirectory(environment env: [String: String]) -> String {
        if let d = env["WEBEX_CONFIG_DIR"], d.hasPrefix("/") { return d }
        if let x = env["XDG_CONFIG_HOME"], x.hasPrefix("/") { return x + "/webex" }
        let home = env["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.config/webex"
    }

    public static func validate(profile: String) throws(WebexError) {
        let ok = !profile.isEmpty && profile.count <= 64 && profile.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
            && !profile.hasPrefix(".")
        if !ok { throw .invalidArgument("profile name '\(profile)' may use only letters, digits, '.', '_' and '-' (64 at most)") }
    }

    var profilesDir: String { directory + "/profiles" }
    func path(_ profile: String) -> String { profilesDir + "/\(profile).json" }

    public func load(_ profile: String) throws(WebexError) -> Credentials? {
        try Self.validate(profile: profile)
        guard let data = FileManager.default.contents(atPath: path(profile)) else { return nil }
        do { return try WebexJSON.decoder.decode(Credentials.self, from: data) } catch {
            throw .invalidArgument("the credentials file \(path(profile)) is damaged (\(error)); run: webex auth login --profile \(profile)")
        }
    }

    public func save(_ credentials: Credentials, profile: String) throws(WebexError) {
        try Self.validate(profile: profile)
        var c = credentials
        c.updated = Date()
        let data: Data
        do { data = try WebexJSON.prettyEncoder.encode(c) } catch { throw .invalidArgument("cannot encode credentials: \(error)") }
        try writeAtomically(data, to: path(profile))
    }

    public func delete(_ profile: String) throws(WebexError) -> Bool {
        try Self.validate(profile: profile)
        return unlink(path(profile)) == 0
    }

    public func profiles() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: profilesDir)) ?? [])
            .filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.map { String($0.dropLast(5)) }.sorted()
    }

    // MARK: active profile

    struct Config: Codable { var activeProfile: String? }

    public func activeProfile() -> String? {
        guard let d = FileManager.default.contents(atPath: directory + "/config.json"),
              let c = try? JSONDecoder().decode(Config.self, from: d) else { return nil }
        return c.activeProfile
    }

    public func setActiveProfile(_ profile: String) throws(WebexError) {
        try Self.validate(profile: profile)
        let data = (try? JSONEncoder().encode(Config(activeProfile: profile))) ?? Data()
        try writeAtomically(data, to: directory + "/config.json")
    }

    // MARK: files

    func ensureDirectories() throws(WebexError) {
        for d in [directory, profilesDir] {
            if mkdir(d, 0o700) != 0 && errno != EEXIST {
                if errno == ENOENT {
                    do { try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]) }
                    catch { throw .invalidArgument("cannot create \(d): \(error)") }
                } else {
                    throw .invalidArgument("cannot create \(d): \(String(cString: strerror(errno)))")
                }
            }
        }
    }

    /// Temporary file (0600) in the same folder, fsync, rename: the old file or the new one, never half.
    func writeAtomically(_ data: Data, to path: String) throws(WebexError) {
        try ensureDirectories()
        try AtomicFile.write(data, to: path)
    }

    /// Runs `body` holding an exclusive `flock` on the profile's lock file (other processes wait).
    public func withLock<T>(_ profile: String, _ body: () async throws(WebexError) -> T) async throws(WebexError) -> T {
        try Self.validate(profile: profile)
        try ensureDirectories()
        let lockPath = profilesDir + "/.\(profile).lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .invalidArgument("cannot open \(lockPath): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            if errno != EINTR { throw .invalidArgument("cannot lock \(lockPath): \(String(cString: strerror(errno)))") }
        }
        defer { flock(fd, LOCK_UN) }
        return try await body()
    }
}
