import CShims
import COpenSSL
import Synchronization

/// Which side of the DTLS handshake we play: `a=setup:active` is the client, `passive` the server.
public enum DTLSRole: Sendable, Equatable {
    case client, server
}

/// DTLS 1.2 for DTLS-SRTP (RFC 5763/5764) on top of OpenSSL, with no socket of its own: the owner feeds
/// received DTLS records to `handle(_:)`, gets datagrams to send through the `send` closure, and calls
/// `tick(now:)` every 10–50 ms so lost flights are retransmitted.
///
/// Trust comes from the SDP, not from a CA: the peer's certificate (self-signed is fine) must hash to
/// the `a=fingerprint` of its SDP, or the handshake is aborted with a `bad_certificate`-class alert.
/// Both SRTP profiles are offered, AES-128-GCM first. Thread-safe: all OpenSSL calls run under one lock,
/// and `send` and the callbacks are called after that lock is released (so they may call back in).
public final class DTLSTransport: @unchecked Sendable {
    /// DTLS record size we ask OpenSSL to stay under (fits in any sane path with IP/UDP/TURN overhead).
    public static let mtu = 1200
    /// First retransmission timeout; OpenSSL doubles it per retry (RFC 6347 §4.2.4.1) up to `maxRetransmitMicros`.
    static let initialRetransmitMicros: UInt32 = 400_000
    static let maxRetransmitMicros: UInt32 = 8_000_000

    public let role: DTLSRole
    /// The fingerprint the peer's certificate must match, as given in its SDP.
    public let remoteFingerprint: (algorithm: String, value: String)
    /// Give up if the handshake has not completed this long after `start()` (or the first record).
    public var handshakeTimeoutMicros: UInt64 {
        get { lock.withLock { _ in handshakeTimeout } }
        set { lock.withLock { _ in handshakeTimeout = newValue } }
    }

    private let certificate: DTLSCertificate
    private let srtpProfiles: [SRTPProfile]
    private let sendDatagram: @Sendable ([UInt8]) -> Void
    private let lock = Mutex<Void>(())

    // Everything below is guarded by `lock`.
    private var context: OpaquePointer?   // SSL_CTX *
    private var ssl: OpaquePointer?       // SSL *, owns both BIOs
    private var readBIO: OpaquePointer?   // memory BIO the received records go into
    /// Datagrams OpenSSL wrote during the current locked call, sent once the lock is released.
    fileprivate var outgoing: [[UInt8]] = []
    /// Set by the verify callback when the peer certificate's hash is not the SDP one ("got" value).
    fileprivate var rejectedFingerprint: String?
    private var handshakeTimeout: UInt64 = 30_000_000
    private var startedAt: UInt64?
    private var connected = false
    private var closed = false
    private var failure: MediaError?
    private var profile: SRTPProfile?
    private var connectedHandler: (@Sendable () -> Void)?
    private var failureHandler: (@Sendable (MediaError) -> Void)?

    /// Called once, when the handshake has completed and the peer's fingerprint was checked.
    public var onConnected: (@Sendable () -> Void)? {
        get { lock.withLock { _ in connectedHandler } }
        set { lock.withLock { _ in connectedHandler = newValue } }
    }
    /// Called once, on the first fatal error (handshake failure, fingerprint mismatch, timeout, peer close).
    public var onFailure: (@Sendable (MediaError) -> Void)? {
        get { lock.withLock { _ in failureHandler } }
        set { lock.withLock { _ in failureHandler = newValue } }
    }

    /// True once the handshake completed and the peer's certificate matched its SDP fingerprint.
    /// True once the peer ended the connection in order (close_notify): the end of a call, not a failure.
    public var closedByPeer: Bool { lock.withLock { _ in peerClosed } }
    private var peerClosed = false

    public var isConnected: Bool { lock.withLock { _ in connected && failure == nil && !closed } }
    /// The SRTP protection profile the peers agreed on through `use_srtp`, once connected.
    public var srtpProfile: SRTPProfile? { lock.withLock { _ in profile } }

    /// - Parameters:
    ///   - remoteFingerprint: the peer's `a=fingerprint` (algorithm such as "sha-256", value "AB:CD:…").
    ///   - srtpProfiles: what we offer (client) or accept (server) in `use_srtp`, most preferred first.
    ///   - send: called with each datagram to put on the wire (never while the transport's lock is held).
    public init(role: DTLSRole, certificate: DTLSCertificate, remoteFingerprint: (algorithm: String, value: String),
                srtpProfiles: [SRTPProfile] = [.aeadAes128Gcm, .aes128CmSha1_80],
                send: @escaping @Sendable ([UInt8]) -> Void) throws {
        guard !srtpProfiles.isEmpty else { throw MediaError(.dtls, "At least one SRTP profile must be offered.") }
        self.srtpProfiles = srtpProfiles
        self.role = role
        self.certificate = certificate
        self.remoteFingerprint = remoteFingerprint
        self.sendDatagram = send
        guard DTLSCertificate.digest(forSDPAlgorithm: remoteFingerprint.algorithm) != nil else {
            throw MediaError(.dtls, "The peer's SDP uses the fingerprint hash '\(remoteFingerprint.algorithm)', which is not supported (use sha-256).")
        }
        try setUp()
    }

    deinit {
        if let ssl { SSL_free(ssl) }
        if let context { SSL_CTX_free(context) }
    }

    private func setUp() throws {
        ERR_clear_error()
        guard let ctx = SSL_CTX_new(DTLS_method()) else { throw setupError("SSL_CTX_new") }
        context = ctx
        guard webex_ssl_ctx_set_proto_versions(ctx, DTLS1_2_VERSION, DTLS1_2_VERSION) == 1 else {
            throw setupError("DTLS 1.2 only")
        }
        // No renegotiation (keys are exported once) and no session tickets (one message less per handshake).
        webex_ssl_ctx_set_dtls_srtp_options(ctx)
        guard SSL_CTX_use_certificate(ctx, certificate.storage.x509) == 1,
              SSL_CTX_use_PrivateKey(ctx, certificate.storage.privateKey) == 1,
              SSL_CTX_check_private_key(ctx) == 1
        else { throw setupError("certificate") }
        // Forward-secret AEAD suites first; both ECDSA and RSA peers (media servers may use RSA keys).
        let ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
            + "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
            + "ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES256-SHA:"
            + "AES128-GCM-SHA256:AES128-SHA"
        guard SSL_CTX_set_cipher_list(ctx, ciphers) == 1,
              webex_ssl_ctx_set1_groups_list(ctx, "X25519:P-256:P-384") == 1
        else { throw setupError("cipher suites") }
        // Note the inverted convention: 0 means success for this one.
        guard SSL_CTX_set_tlsext_use_srtp(ctx, srtpProfiles.map(\.openSSLName).joined(separator: ":")) == 0 else {
            throw setupError("use_srtp")
        }
        // The peer must present a certificate; any chain is accepted by the callback, which checks only
        // that the leaf hashes to the SDP fingerprint.
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nil)
        SSL_CTX_set_cert_verify_callback(ctx, dtlsVerifyCallback, Unmanaged.passUnretained(self).toOpaque())

        guard let ssl = SSL_new(ctx) else { throw setupError("SSL_new") }
        self.ssl = ssl
        guard let rbio = BIO_new(BIO_s_mem()), let method = dtlsWriteMethod.pointer else {
            throw setupError("BIO_new")
        }
        _ = webex_bio_set_mem_eof_return(rbio, -1)   // empty = "want read", not EOF
        guard let wbio = BIO_new(method) else {
            BIO_free(rbio)
            throw setupError("BIO_new")
        }
        BIO_set_data(wbio, Unmanaged.passUnretained(self).toOpaque())
        BIO_set_init(wbio, 1)
        SSL_set_bio(ssl, rbio, wbio)
        readBIO = rbio
        guard webex_ssl_set_fixed_mtu(ssl, Self.mtu) == 1,
              SSL_set_ex_data(ssl, 0, Unmanaged.passUnretained(self).toOpaque()) == 1
        else { throw setupError("MTU") }
        DTLS_set_timer_cb(ssl, dtlsTimerCallback)
        switch role {
        case .client: SSL_set_connect_state(ssl)
        case .server: SSL_set_accept_state(ssl)
        }
    }

    private func setupError(_ step: String) -> MediaError {
        MediaError(.dtls, "Could not set up DTLS (\(step)): \(openSSLErrorText())")
    }

    // MARK: - Driving the handshake

    /// Begins the handshake: the client sends its ClientHello; the server only starts its timeout clock.
    public func start() throws {
        try run { (now: UInt64) throws(MediaError) in
            if startedAt == nil { startedAt = now }
            if role == .client { try advance() }
        }
    }

    /// Feeds one received datagram (DTLS records: first byte 20…63, RFC 7983). Throws if this datagram
    /// makes the handshake fail (then `onFailure` fires too); datagrams after a failure or `close()` are ignored.
    public func handle(_ datagram: [UInt8]) throws {
        guard let first = datagram.first, (20...63).contains(first) else {
            throw MediaError(.invalidInput, "Not a DTLS record (first byte \(datagram.first.map(String.init) ?? "none")).")
        }
        guard datagram.count <= 65_535 else {
            throw MediaError(.invalidInput, "DTLS datagram of \(datagram.count) bytes is too long.")
        }
        try run { (now: UInt64) throws(MediaError) in
            guard failure == nil, !closed, let readBIO else { return }
            if startedAt == nil { startedAt = now }
            let written = datagram.withUnsafeBytes { BIO_write(readBIO, $0.baseAddress, Int32($0.count)) }
            guard written == Int32(datagram.count) else {
                throw fail(MediaError(.dtls, "Could not buffer a DTLS datagram: \(openSSLErrorText())"))
            }
            try advance()
        }
    }

    /// Retransmits the last flight when its timer expired and enforces the handshake timeout.
    /// `now` is `MediaClock.nowMicros()`; OpenSSL's own timer uses the same monotonic idea internally.
    public func tick(now: UInt64) {
        try? run(now: now) { (now: UInt64) throws(MediaError) in
            guard failure == nil, !closed, let ssl else { return }
            if !connected, let startedAt, now > startedAt, now - startedAt > handshakeTimeout {
                throw fail(MediaError(.timeout, "The DTLS handshake did not complete within \(handshakeTimeout / 1_000_000) s: the peer never answered (or its answers were lost)."))
            }
            var millis = 0
            guard webex_dtls_get_timeout_ms(ssl, &millis) == 1, millis == 0 else { return }
            if webex_dtls_handle_timeout(ssl) < 0 {
                throw fail(MediaError(.dtls, "The DTLS handshake gave up after too many retransmissions: \(openSSLErrorText())"))
            }
        }
    }

    /// The SRTP master keys and salts exported per RFC 5764 §4.2 (client key, server key, client salt,
    /// server salt): `local` protects what we send, `remote` unprotects what the peer sends.
    public func srtpKeys() throws -> (local: SRTPKeyMaterial, remote: SRTPKeyMaterial) {
        try lock.withLock { _ throws(MediaError) -> (local: SRTPKeyMaterial, remote: SRTPKeyMaterial) in
            guard connected, failure == nil, let ssl, let profile else {
                throw MediaError(.dtls, "No SRTP keys yet: the DTLS handshake has not completed.")
            }
            let keyLength = profile.keyLength, saltLength = profile.saltLength
            var material = [UInt8](repeating: 0, count: 2 * (keyLength + saltLength))
            let label = "EXTRACTOR-dtls_srtp"
            let ok = SSL_export_keying_material(ssl, &material, material.count, label, label.utf8.count, nil, 0, 0)
            guard ok == 1 else {
                throw MediaError(.dtls, "Could not export the DTLS-SRTP keys: \(openSSLErrorText())")
            }
            let clientKey = Array(material[0..<keyLength])
            let serverKey = Array(material[keyLength..<2 * keyLength])
            let clientSalt = Array(material[2 * keyLength..<2 * keyLength + saltLength])
            let serverSalt = Array(material[(2 * keyLength + saltLength)...])
            let client = SRTPKeyMaterial(key: clientKey, salt: clientSalt)
            let server = SRTPKeyMaterial(key: serverKey, salt: serverSalt)
            return role == .client ? (client, server) : (server, client)
        }
    }

    /// Sends close_notify (if connected) and stops processing; further datagrams are ignored.
    public func close() {
        try? run { (_: UInt64) throws(MediaError) in
            guard !closed else { return }
            closed = true
            if connected, failure == nil, let ssl {
                _ = SSL_shutdown(ssl)
                ERR_clear_error()
            }
        }
    }

    // MARK: - Internals (called with the lock held)

    /// Runs `body` under the lock, then sends what OpenSSL wrote and fires callbacks with the lock released.
    private func run(now: UInt64 = MediaClock.nowMicros(), _ body: (UInt64) throws(MediaError) -> Void) throws {
        let (datagrams, events, thrown) = lock.withLock { _ -> ([[UInt8]], [Event], MediaError?) in
            let wasConnected = connected, hadFailure = failure != nil
            var thrown: MediaError?
            do throws(MediaError) { try body(now) } catch { thrown = error }
            var events: [Event] = []
            if !wasConnected, connected, let connectedHandler { events.append(.connected(connectedHandler)) }
            if !hadFailure, let failure, let failureHandler { events.append(.failed(failureHandler, failure)) }
            let datagrams = outgoing
            outgoing.removeAll()
            return (datagrams, events, thrown)
        }
        for datagram in datagrams { sendDatagram(datagram) }
        for event in events {
            switch event {
            case .connected(let handler): handler()
            case .failed(let handler, let error): handler(error)
            }
        }
        if let thrown { throw thrown }
    }

    private enum Event {
        case connected(@Sendable () -> Void)
        case failed(@Sendable (MediaError) -> Void, MediaError)
    }

    /// Records the first fatal error and returns it (for `throw fail(…)`).
    private func fail(_ error: MediaError) -> MediaError {
        if failure == nil { failure = error }
        return error
    }

    /// Steps the handshake (or, once connected, drains records: alerts, close_notify, stray data).
    private func advance() throws(MediaError) {
        guard let ssl else { return }
        ERR_clear_error()
        if !connected {
            let result = SSL_do_handshake(ssl)
            if result == 1 {
                try finishHandshake(ssl)
            } else {
                let code = SSL_get_error(ssl, result)
                if code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE { return }
                throw fail(handshakeError())
            }
        }
        // Connected: read whatever records arrived (DTLS-SRTP carries no application data; discard it).
        var buffer = [UInt8](repeating: 0, count: 2048)
        for _ in 0..<64 {
            let n = SSL_read(ssl, &buffer, Int32(buffer.count))
            if n > 0 { continue }
            let code = SSL_get_error(ssl, n)
            if code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE { return }
            if code == SSL_ERROR_ZERO_RETURN {
                peerClosed = true
                throw fail(MediaError(.dtls, "The peer closed the DTLS connection (close_notify)."))
            }
            throw fail(MediaError(.dtls, "The DTLS connection failed: \(openSSLErrorText())"))
        }
    }

    private func finishHandshake(_ ssl: OpaquePointer) throws(MediaError) {
        // The verify callback already checked this; check again so no path can skip it.
        guard let peer = SSL_get0_peer_certificate(ssl) else {
            throw fail(MediaError(.dtls, "The peer sent no DTLS certificate: the connection was refused and no media was sent."))
        }
        let got = DTLSCertificate.fingerprint(of: peer, algorithm: remoteFingerprint.algorithm) ?? "?"
        guard DTLSCertificate.normalizedFingerprint(got) == DTLSCertificate.normalizedFingerprint(remoteFingerprint.value) else {
            _ = SSL_shutdown(ssl)
            throw fail(mismatchError(got: got))
        }
        guard let selected = SSL_get_selected_srtp_profile(ssl),
              let negotiated = SRTPProfile(openSSLID: selected.pointee.id)
        else {
            _ = SSL_shutdown(ssl)
            throw fail(MediaError(.dtls, "The peer completed DTLS without agreeing on an SRTP profile (use_srtp): no media can be protected."))
        }
        profile = negotiated
        connected = true
    }

    private func mismatchError(got: String) -> MediaError {
        MediaError(.dtls, "The peer's DTLS certificate does not match the fingerprint in its SDP (expected \(remoteFingerprint.algorithm) \(DTLSCertificate.normalizedFingerprint(remoteFingerprint.value)), got \(got)): the connection was refused and no media was sent.")
    }

    private func handshakeError() -> MediaError {
        if let rejectedFingerprint {
            ERR_clear_error()
            return mismatchError(got: rejectedFingerprint)
        }
        return MediaError(.dtls, "The DTLS handshake failed: \(openSSLErrorText())")
    }

    /// Verify callback body: accept any chain whose leaf hashes to the SDP fingerprint.
    fileprivate func verify(storeContext: OpaquePointer) -> Int32 {
        guard let leaf = X509_STORE_CTX_get0_cert(storeContext) else {
            X509_STORE_CTX_set_error(storeContext, X509_V_ERR_CERT_REJECTED)
            return 0
        }
        let got = DTLSCertificate.fingerprint(of: leaf, algorithm: remoteFingerprint.algorithm) ?? "?"
        if DTLSCertificate.normalizedFingerprint(got) == DTLSCertificate.normalizedFingerprint(remoteFingerprint.value) {
            X509_STORE_CTX_set_error(storeContext, X509_V_OK)
            return 1
        }
        rejectedFingerprint = got
        X509_STORE_CTX_set_error(storeContext, X509_V_ERR_CERT_REJECTED)
        return 0
    }
}

// MARK: - C callbacks (non-capturing; the transport comes back through its userdata pointer)

/// Called by OpenSSL inside SSL_do_handshake, i.e. with the transport's lock already held.
private func dtlsVerifyCallback(_ storeContext: OpaquePointer?, _ arg: UnsafeMutableRawPointer?) -> Int32 {
    guard let storeContext, let arg else { return 0 }
    return Unmanaged<DTLSTransport>.fromOpaque(arg).takeUnretainedValue().verify(storeContext: storeContext)
}

/// Retransmission back-off: `initialRetransmitMicros`, doubled per timeout, capped.
private func dtlsTimerCallback(_ ssl: OpaquePointer?, _ previous: UInt32) -> UInt32 {
    if previous == 0 { return DTLSTransport.initialRetransmitMicros }
    return min(previous.multipliedReportingOverflow(by: 2).partialValue, DTLSTransport.maxRetransmitMicros)
}

/// A write-only BIO whose every write is one datagram, so a flight split by OpenSSL into several
/// records keeps its datagram boundaries (a memory BIO would glue them together past the MTU).
private struct DTLSWriteMethod: @unchecked Sendable {
    let pointer: OpaquePointer?   // BIO_METHOD *, created once, never freed

    init() {
        let type = BIO_get_new_index() | BIO_TYPE_SOURCE_SINK
        guard let method = BIO_meth_new(type, "webex dtls datagram") else { pointer = nil; return }
        _ = BIO_meth_set_write(method) { bio, data, length in
            guard let bio, let data, length >= 0, let owner = BIO_get_data(bio) else { return -1 }
            let transport = Unmanaged<DTLSTransport>.fromOpaque(owner).takeUnretainedValue()
            let bytes = UnsafeRawBufferPointer(start: UnsafeRawPointer(data), count: Int(length))
            transport.outgoing.append(Array(bytes))   // lock held: called from inside an SSL_* call
            return length
        }
        _ = BIO_meth_set_ctrl(method) { _, command, _, _ in
            switch command {
            case BIO_CTRL_FLUSH: return 1
            case BIO_CTRL_PENDING, BIO_CTRL_WPENDING: return 0
            default: return 0
            }
        }
        _ = BIO_meth_set_create(method) { bio in
            BIO_set_init(bio, 1)
            return 1
        }
        _ = BIO_meth_set_destroy(method) { _ in 1 }
        pointer = method
    }
}

private let dtlsWriteMethod = DTLSWriteMethod()
