import COpenSSL
import Foundation

/// `X-Spark-Signature`: lower-case hex of HMAC-SHA1 over the raw body bytes, keyed with the webhook's
/// secret (reference §4.2). Computed with OpenSSL.
public enum WebhookSignature {
    public static let header = "X-Spark-Signature"

    public static func sign(secret: String, body: [UInt8]) -> String {
        hmacSHA1Hex(key: Array(secret.utf8), message: body)
    }

    static func hmacSHA1Hex(key: [UInt8], message: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        // OpenSSL treats a NULL key as "reuse the previous key"; always pass a real (possibly empty) buffer.
        let keyBytes = key.isEmpty ? [0] : key
        let messageBytes = message.isEmpty ? [0] : message
        let ok = keyBytes.withUnsafeBufferPointer { k in
            messageBytes.withUnsafeBufferPointer { m in
                HMAC(EVP_sha1(), k.baseAddress, Int32(key.count), m.baseAddress, message.count, &digest, &length)
            }
        }
        guard ok != nil else { return "" }
        return digest.prefix(Int(length)).map { String($0, radix: 16).leftPadded(2) }.joined()
    }
}
