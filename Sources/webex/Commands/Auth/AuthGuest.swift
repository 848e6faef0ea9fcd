import ArgumentParser
import Foundation
import WebexSDK

struct AuthGuest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guest", abstract: "Log in as a guest: mint a guest-issuer JWT and exchange it, or exchange one you have.",
        discussion: """
              WEBEX_GUEST_ISSUER_SECRET=… webex auth guest --issuer ISSUER_ID --name "Visitor" [--subject visitor-1]
              webex auth guest --jwt - < guest.jwt
            The JWT is signed HS256 with the base64-decoded issuer secret. Guest tokens cannot be refreshed.
            """)
    @Option(help: "The guest issuer ID.") var issuer: String?
    @Option(help: ArgumentHelp("The issuer secret, base64 (visible in ps; prefer WEBEX_GUEST_ISSUER_SECRET or --secret-file).", valueName: "base64")) var secret: String?
    @Option(help: ArgumentHelp("Read the base64 issuer secret from this file.", valueName: "file")) var secretFile: String?
    @Option(help: "The guest's display name.") var name: String?
    @Option(help: "The guest's stable id (letters, digits, hyphens); default from the name.") var subject: String?
    @Option(help: ArgumentHelp("An existing guest JWT to exchange ('-' reads standard input).", valueName: "jwt")) var jwt: String?
    @OptionGroup var globals: GlobalOptions

    func validate() throws {
        if jwt == nil && (issuer == nil || name == nil) { throw ValidationError("give --issuer and --name (with the issuer secret), or --jwt") }
        if jwt != nil && issuer != nil { throw ValidationError("give --jwt or --issuer, not both") }
    }

    func run() async throws {
        let a = try AuthContext(globals)
        let token: String
        if let jwt {
            token = jwt == "-" ? String(decoding: a.io.readStdin(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : jwt
        } else {
            var key = secret ?? a.env["WEBEX_GUEST_ISSUER_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
            if let secretFile {
                guard let d = FileManager.default.contents(atPath: secretFile) else { throw CLIError.usage("cannot read --secret-file \(secretFile)") }
                key = String(decoding: d, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            guard let key else { throw CLIError.usage("the issuer secret is needed: WEBEX_GUEST_ISSUER_SECRET, --secret-file FILE or --secret") }
            let sub = subject ?? String(name!.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
            token = try OAuthAPI.guestJWT(issuer: issuer!, secretBase64: key, subject: sub, name: name!)
        }
        let guest = try await a.client(globals).oauth.jwtLogin(token)
        var c = Credentials(accessToken: guest.token, accessTokenExpiresAt: guest.expiresIn.map { Date().addingTimeInterval($0) }, grant: "guest")
        c.baseURL = a.baseURL.absoluteString
        try await a.finish(c, globals: globals)
    }
}
