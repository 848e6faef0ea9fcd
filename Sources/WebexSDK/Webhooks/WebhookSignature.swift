import COpenSSL
import Foundation

/// `X-Spark-Signature`: lowercase hex HMAC-SHA1 of the raw request body, keyed with the webhook secret
/// (reference §4.2). Computed by OpenSSL; compared in constant time.
public enum WebhookSignature {
    public static let header = "X-Spark-Signature"

    public static func sign(_ body: [UInt8], secret: String) -> String {
        let key = Array(secret.utf8)
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var outLen: UInt32 = 0
        key.withUnsafeBytes { k in
            body.withUnsafeBytes { b in
                _ = HMAC(EVP_sha1(), k.baseAddress, Int32(k.count), b.baseAddress?.assumingMemoryBound(to: UInt8.self), b.count, &out, &outLen)
            }
        }
        return out.prefix(Int(outLen)).map { String(format: "%02x", $0) }.joined()
    }

    /// True only when `signature` is the body's HMAC under `secret` (hex, any case).
    public static func verify(_ body: [UInt8], signature: String?, secret: String) -> Bool {
        guard let signature else { return false }
        let expected = Array(sign(body, secret: secret).utf8)
        let given = Array(signature.trimmingCharacters(in: .whitespaces).lowercased().utf8)
        guard given.count == expected.count else { return false }
        return CRYPTO_memcmp(expected, given, expected.count) == 0
    }
}

/// What Webex POSTs to a webhook's target (reference §4.1). `data` carries no message text.
public struct WebhookEvent: Codable, Sendable {
    public var id: String?
    public var name: String?
    public var targetUrl: String?
    public var resource: String?
    public var event: String?
    public var filter: String?
    public var orgId: String?
    public var createdBy: String?
    public var appId: String?
    public var ownedBy: String?
    public var status: String?
    public var created: String?
    public var actorId: String?
    public var data: JSONValue?
}
