import Foundation
import Testing
@testable import WebexSDK

@Suite struct WebhookSignatureTests {
    let body = Array("The quick brown fox jumps over the lazy dog".utf8)

    @Test func knownVector() {
        // HMAC-SHA1("key", "The quick brown fox jumps over the lazy dog").
        #expect(WebhookSignature.sign(body, secret: "key") == "de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9")
    }

    @Test func verifiesOnlyTheExactBody() {
        let sig = WebhookSignature.sign(body, secret: "key")
        #expect(WebhookSignature.verify(body, signature: sig, secret: "key"))
        #expect(WebhookSignature.verify(body, signature: sig.uppercased(), secret: "key"))
        #expect(!WebhookSignature.verify(body, signature: sig, secret: "other"))
        #expect(!WebhookSignature.verify(body + [0x20], signature: sig, secret: "key"))
        #expect(!WebhookSignature.verify(body, signature: nil, secret: "key"))
        #expect(!WebhookSignature.verify(body, signature: String(sig.dropLast()), secret: "key"))
        #expect(!WebhookSignature.verify(body, signature: "", secret: "key"))
    }

    @Test func u2cURLFollowsTheBaseURL() throws {
        let emu = URL(string: "http://127.0.0.1:4000/v1")!
        #expect(try WebexConfiguration.u2cURL(environment: [:], baseURL: emu).absoluteString == "http://127.0.0.1:4000/u2c/api/v1")
        #expect(try WebexConfiguration.u2cURL(environment: [:], baseURL: WebexConfiguration.defaultBaseURL) == WebexConfiguration.defaultU2CURL)
        #expect(try WebexConfiguration.u2cURL(environment: ["WEBEX_U2C_URL": "https://u2c.test/u2c/api/v1"], baseURL: emu).host == "u2c.test")
    }
}
