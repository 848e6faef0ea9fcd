import COpenSSL
import Foundation

/// The few primitives OAuth needs, all from OpenSSL: SHA-256 (PKCE), HMAC-SHA256 (guest JWTs) and
/// random bytes (codes and tokens); plus base64url, which is only an encoding.
enum OAuthCrypto {
    static func sha256(_ message: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let bytes = message.isEmpty ? [0] : message
        let ok = bytes.withUnsafeBufferPointer { m in
            EVP_Digest(m.baseAddress, message.count, &digest, &length, EVP_sha256(), nil)
        }
        precondition(ok == 1, "EVP_Digest(SHA-256) failed")
        return Array(digest.prefix(Int(length)))
    }

    static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        // OpenSSL treats a NULL key as "reuse the previous key"; always pass a real (possibly empty) buffer.
        let keyBytes = key.isEmpty ? [0] : key
        let messageBytes = message.isEmpty ? [0] : message
        let result = keyBytes.withUnsafeBufferPointer { k in
            messageBytes.withUnsafeBufferPointer { m in
                HMAC(EVP_sha256(), k.baseAddress, Int32(key.count), m.baseAddress, message.count, &digest, &length)
            }
        }
        precondition(result != nil, "HMAC-SHA256 failed")
        return Array(digest.prefix(Int(length)))
    }

    /// Equal length and equal bytes, without stopping at the first difference.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let ok = bytes.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
        precondition(ok == 1, "RAND_bytes failed")
        return bytes
    }

    /// `count` random characters from `alphabet` (rejection sampling, so every character is equally likely).
    static func randomString(_ count: Int, alphabet: [Character]) -> String {
        let limit = 256 - (256 % alphabet.count)
        var out = ""
        while out.count < count {
            for b in randomBytes(count * 2) where Int(b) < limit && out.count < count {
                out.append(alphabet[Int(b) % alphabet.count])
            }
        }
        return out
    }

    static let alphanumerics = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    static func randomAlphanumeric(_ count: Int) -> String { randomString(count, alphabet: alphanumerics) }

    static func randomHex(_ byteCount: Int) -> String {
        randomBytes(byteCount).map { String($0, radix: 16).leftPadded(2) }.joined()
    }

    static func base64URLEncode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes base64url or standard base64, padded or not. Nil on any other character.
    static func base64Decode(_ text: String) -> [UInt8]? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.hasSuffix("=") { s.removeLast() }
        guard s.count % 4 != 1 else { return nil }
        s += String(repeating: "=", count: (4 - s.count % 4) % 4)
        return Data(base64Encoded: s).map(Array.init)
    }
}
