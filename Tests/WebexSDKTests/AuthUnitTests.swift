import Foundation
import Testing
@testable import WebexSDK

@Suite struct AuthUnitTests {
    @Test func pkceChallengeIsBase64urlSHA256() {
        // Expected value computed with `openssl dgst -sha256 -binary | base64url`.
        #expect(PKCE(verifier: "test-verifier-0123456789").challenge == "W0ydOrGecYPYHAWsrBbwS0ulL-PQuoph-XMZLgSM49Q")
        let p = PKCE()
        #expect(p.verifier.count == 128)
        #expect(p.verifier.allSatisfy { $0.isLetter || $0.isNumber || "-._~".contains($0) })
        #expect(PKCE().verifier != p.verifier)
    }

    @Test func guestJWTIsHS256WithTheDecodedSecret() throws {
        let secret = Data("key".utf8).base64EncodedString()
        let jwt = try OAuthAPI.guestJWT(issuer: "iss-1", secretBase64: secret, subject: "guest-1", name: "Guest",
                                        expires: Date(timeIntervalSince1970: 2_000_000_000))
        let parts = jwt.split(separator: ".").map(String.init)
        #expect(parts.count == 3)
        let claims = try #require(try JSONSerialization.jsonObject(with: Data(base64Encoded: OAuthAPI.pad(parts[1]))!) as? [String: Any])
        #expect(claims["iss"] as? String == "iss-1")
        #expect(claims["sub"] as? String == "guest-1")
        #expect(claims["exp"] as? Int == 2_000_000_000)
        #expect(parts[2] == Crypto.base64url(Crypto.hmacSHA256(key: Array("key".utf8), data: Array((parts[0] + "." + parts[1]).utf8))))
        // HMAC-SHA256 against openssl's answer for the same input.
        #expect(Crypto.base64url(Crypto.hmacSHA256(key: Array("key".utf8), data: Array("header.payload".utf8))) == "Il5kMD7QaxPM39AbjI84_qIwSCFQh4dHq1oDCf76LLk")
        #expect(throws: WebexError.self) { try OAuthAPI.guestJWT(issuer: "i", secretBase64: secret, subject: "bad subject", name: "x") }
    }

    @Test func credentialStoreWritesAtomicallyWith0600() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("webex-store-\(UUID().uuidString.prefix(6))").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = CredentialStore(directory: dir)
        #expect(try store.load("default") == nil)
        try store.save(Credentials(accessToken: "A", refreshToken: "R", grant: "authorization_code"), profile: "default")
        let attrs = try FileManager.default.attributesOfItem(atPath: dir + "/profiles/default.json")
        #expect((attrs[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try store.load("default")?.refreshToken == "R")
        #expect(store.profiles() == ["default"])
        // No temporary files are left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/profiles").filter { $0.contains(".tmp") }.isEmpty)
        for bad in ["", "../x", ".hidden", "a/b", String(repeating: "x", count: 65)] {
            #expect(throws: WebexError.self) { try CredentialStore.validate(profile: bad) }
        }
        try store.setActiveProfile("work")
        #expect(store.activeProfile() == "work")
    }

    @Test func redactsTokensInBodies() {
        let json = #"{"access_token":"AAA","expires_in":3600,"refresh_token":"RRR","token":"TTT"}"#
        let r = Redact.body(json)
        for s in ["AAA", "RRR", "TTT"] { #expect(!r.contains(s)) }
        #expect(r.contains("3600"))
        let form = "grant_type=refresh_token&refresh_token=RRR&client_id=C&client_secret=SSS&code_verifier=VVV"
        let f = Redact.body(form)
        for s in ["RRR", "SSS", "VVV"] { #expect(!f.contains(s)) }
        #expect(f.contains("client_id=C"))
    }
}
