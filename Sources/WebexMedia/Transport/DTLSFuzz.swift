/// One certificate for all fuzz inputs (key generation is the slow part of setting up a transport).
private let fuzzCertificate: DTLSCertificate? = try? DTLSCertificate.generate()

/// Fuzz entry: feeds `bytes` to a fresh DTLS server and a fresh DTLS client, first as one datagram, then
/// split into datagrams by 2-byte big-endian length prefixes. Must never trap, whatever the bytes.
public func fuzzDTLS(_ bytes: [UInt8]) {
    guard let certificate = fuzzCertificate else { return }
    for role in [DTLSRole.server, .client] {
        guard let transport = try? DTLSTransport(role: role, certificate: certificate,
                                                 remoteFingerprint: ("sha-256", certificate.fingerprint),
                                                 send: { _ in }) else { return }
        if role == .client { try? transport.start() }
        try? transport.handle(bytes)
        var index = 0
        var datagrams = 0
        while index + 2 <= bytes.count, datagrams < 64 {
            let length = Int(bytes[index]) << 8 | Int(bytes[index + 1])
            index += 2
            let end = min(bytes.count, index + length)
            try? transport.handle(Array(bytes[index..<end]))
            index = end
            datagrams += 1
        }
        transport.tick(now: MediaClock.nowMicros())
        _ = try? transport.srtpKeys()
        transport.close()
    }
}
