import COpenSSL

/// Owns the OpenSSL key and certificate handles behind a `DTLSCertificate` and frees them once.
final class DTLSCertificateStorage: @unchecked Sendable {
    /// `X509 *`, never mutated after creation (OpenSSL only reads it; SSL_CTX_use_certificate up-refs it).
    let x509: OpaquePointer
    /// `EVP_PKEY *`, never mutated after creation.
    let privateKey: OpaquePointer

    init(x509: OpaquePointer, privateKey: OpaquePointer) {
        self.x509 = x509
        self.privateKey = privateKey
    }

    deinit {
        X509_free(x509)
        EVP_PKEY_free(privateKey)
    }
}

/// A self-signed ECDSA P-256 certificate for DTLS-SRTP. WebRTC peers do not use PKI: the trust anchor is
/// the `a=fingerprint` line in the SDP, so the certificate only has to be fresh and to match its fingerprint.
public struct DTLSCertificate: @unchecked Sendable {
    let storage: DTLSCertificateStorage

    /// "AB:CD:…": uppercase SHA-256 of the certificate's DER, the value for `a=fingerprint:sha-256`.
    public let fingerprint: String

    /// Makes a new P-256 key and a self-signed certificate valid from one day ago for 30 days, with a
    /// random common name (nothing in it identifies the user).
    public static func generate() throws -> DTLSCertificate {
        guard let keyContext = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, nil) else {
            throw DTLSCertificate.opensslError("could not create an EC key context")
        }
        defer { EVP_PKEY_CTX_free(keyContext) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(keyContext) == 1,
              EVP_PKEY_CTX_set_ec_paramgen_curve_nid(keyContext, NID_X9_62_prime256v1) == 1,
              EVP_PKEY_keygen(keyContext, &key) == 1, let key
        else { throw DTLSCertificate.opensslError("could not generate a P-256 key") }

        guard let x509 = X509_new() else {
            EVP_PKEY_free(key)
            throw DTLSCertificate.opensslError("could not allocate a certificate")
        }
        let storage = DTLSCertificateStorage(x509: x509, privateKey: key)

        var serialBytes = [UInt8](repeating: 0, count: 8)
        guard RAND_bytes(&serialBytes, Int32(serialBytes.count)) == 1 else {
            throw DTLSCertificate.opensslError("no random bytes for the serial number")
        }
        // Positive 63-bit serial number.
        let serial = serialBytes.reduce(UInt64(0)) { ($0 << 8) | UInt64($1) } & 0x7FFF_FFFF_FFFF_FFFF
        let commonName = "webex-" + serialBytes.map { hexDigits($0) }.joined().lowercased()

        guard X509_set_version(x509, 2) == 1,
              ASN1_INTEGER_set_uint64(X509_get_serialNumber(x509), serial) == 1,
              X509_gmtime_adj(X509_getm_notBefore(x509), -86_400) != nil,
              X509_gmtime_adj(X509_getm_notAfter(x509), 30 * 86_400) != nil,
              X509_set_pubkey(x509, key) == 1,
              let name = X509_get_subject_name(x509)
        else { throw DTLSCertificate.opensslError("could not fill in the certificate") }
        // 0x1001 = MBSTRING_ASC (a compound macro Swift does not import).
        guard X509_NAME_add_entry_by_txt(name, "CN", 0x1001, commonName, -1, -1, 0) == 1,
              X509_set_issuer_name(x509, name) == 1,
              X509_sign(x509, key, EVP_sha256()) > 0
        else { throw DTLSCertificate.opensslError("could not sign the certificate") }

        guard let fingerprint = DTLSCertificate.fingerprint(of: x509, algorithm: "sha-256") else {
            throw DTLSCertificate.opensslError("could not hash the certificate")
        }
        return DTLSCertificate(storage: storage, fingerprint: fingerprint)
    }

    /// The certificate as PEM (for tests and debugging tools such as `openssl s_server`).
    var pemCertificate: String { DTLSCertificate.pem { PEM_write_bio_X509($0, storage.x509) } }

    /// The private key as unencrypted PKCS#8 PEM (tests only: hand it to `openssl s_server`).
    var pemPrivateKey: String {
        DTLSCertificate.pem { PEM_write_bio_PrivateKey($0, storage.privateKey, nil, nil, 0, nil, nil) }
    }

    private static func pem(_ write: (OpaquePointer) -> Int32) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { return "" }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { return "" }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1024)
        while true {
            let n = BIO_read(bio, &chunk, Int32(chunk.count))
            if n <= 0 { break }
            out.append(contentsOf: chunk[0..<Int(n)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The OpenSSL digest for an SDP hash name ("sha-256", "SHA-1", "sha256" …), or nil if unsupported.
    static func digest(forSDPAlgorithm name: String) -> OpaquePointer? {
        switch String(name.lowercased().filter { $0 != "-" }) {
        case "sha1": return EVP_sha1()
        case "sha224": return EVP_sha224()
        case "sha256": return EVP_sha256()
        case "sha384": return EVP_sha384()
        case "sha512": return EVP_sha512()
        default: return nil
        }
    }

    /// "AB:CD:…" digest of a certificate's DER with the SDP-named hash, or nil.
    static func fingerprint(of x509: OpaquePointer, algorithm: String) -> String? {
        guard let md = digest(forSDPAlgorithm: algorithm) else { return nil }
        var buffer = [UInt8](repeating: 0, count: 64)
        var length: UInt32 = 0
        guard X509_digest(x509, md, &buffer, &length) == 1, length > 0, Int(length) <= buffer.count else {
            return nil
        }
        return buffer[0..<Int(length)].map { hexDigits($0) }.joined(separator: ":")
    }

    /// Canonical form of an SDP fingerprint value for comparison: uppercase, no spaces.
    static func normalizedFingerprint(_ value: String) -> String {
        String(value.uppercased().filter { !$0.isWhitespace })
    }

    static func opensslError(_ what: String) -> MediaError {
        MediaError(.dtls, "DTLS certificate: \(what) (\(openSSLErrorText()))")
    }
}

private let hexAlphabet: [Character] = Array("0123456789ABCDEF")

/// Two uppercase hex digits.
func hexDigits(_ byte: UInt8) -> String {
    String([hexAlphabet[Int(byte >> 4)], hexAlphabet[Int(byte & 0x0F)]])
}

/// Drains OpenSSL's thread-local error queue into one line ("none" if it was empty).
func openSSLErrorText() -> String {
    var parts: [String] = []
    var count = 0
    while count < 8 {
        let code = ERR_get_error()
        if code == 0 { break }
        count += 1
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        parts.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
    ERR_clear_error()
    return parts.isEmpty ? "no OpenSSL error" : parts.joined(separator: "; ")
}
