import CSRTP
import Glibc
import Synchronization

/// The DTLS-SRTP protection profiles we support (RFC 5764, RFC 7714), offered GCM first.
public enum SRTPProfile: Sendable, Equatable, CaseIterable {
    case aes128CmSha1_80
    case aeadAes128Gcm

    /// Master key length in bytes.
    public var keyLength: Int { 16 }
    /// Master salt length in bytes (RFC 3711: 112 bits; RFC 7714: 96 bits).
    public var saltLength: Int {
        switch self {
        case .aes128CmSha1_80: 14
        case .aeadAes128Gcm: 12
        }
    }

    /// The `use_srtp` name OpenSSL uses.
    public var openSSLName: String {
        switch self {
        case .aes128CmSha1_80: "SRTP_AES128_CM_SHA1_80"
        case .aeadAes128Gcm: "SRTP_AEAD_AES_128_GCM"
        }
    }

    /// From the IANA DTLS-SRTP protection profile id (0x0001, 0x0007).
    init?(openSSLID id: UInt) {
        switch id {
        case 0x0001: self = .aes128CmSha1_80
        case 0x0007: self = .aeadAes128Gcm
        default: return nil
        }
    }
}

/// One direction's SRTP master key and master salt.
public struct SRTPKeyMaterial: Sendable, Equatable, CustomStringConvertible {
    public var key: [UInt8]
    public var salt: [UInt8]

    public init(key: [UInt8], salt: [UInt8]) {
        self.key = key
        self.salt = salt
    }

    /// Key then salt, the layout libsrtp takes.
    public var keyAndSalt: [UInt8] { key + salt }

    /// Never prints the secret bytes.
    public var description: String { "SRTPKeyMaterial(\(key.count)-byte key, \(salt.count)-byte salt)" }
}

/// libsrtp2 2.x, loaded with dlopen on first use so that commands that never send media do not pay for
/// loading it (and `srtp_init`, which runs self-tests for ~19 ms, runs once, lazily).
struct SRTPLibrary: @unchecked Sendable {
    typealias InitFn = @convention(c) () -> srtp_err_status_t
    typealias CreateFn = @convention(c) (UnsafeMutablePointer<srtp_t?>?, UnsafePointer<srtp_policy_t>?) -> srtp_err_status_t
    typealias DeallocFn = @convention(c) (srtp_t?) -> srtp_err_status_t
    typealias ProtectFn = @convention(c) (srtp_t?, UnsafeMutableRawPointer?, UnsafeMutablePointer<Int32>?) -> srtp_err_status_t
    typealias PolicySetFn = @convention(c) (UnsafeMutablePointer<srtp_crypto_policy_t>?) -> Void

    let create: CreateFn
    let dealloc: DeallocFn
    let protect: ProtectFn
    let unprotect: ProtectFn
    let protectRTCP: ProtectFn
    let unprotectRTCP: ProtectFn
    let setAESCM128SHA1_80: PolicySetFn
    let setAESGCM128_16: PolicySetFn

    /// The loaded library, or why it could not be loaded. Initialized once, thread-safely, on first use.
    static let shared: Result<SRTPLibrary, MediaError> = Result { () throws(MediaError) in try SRTPLibrary() }

    static func load() throws(MediaError) -> SRTPLibrary {
        switch shared {
        case .success(let library): return library
        case .failure(let error): throw error
        }
    }

    private init() throws(MediaError) {
        var handle: UnsafeMutableRawPointer?
        for name in ["libsrtp2.so.1", "libsrtp2.so"] {
            handle = dlopen(name, RTLD_NOW | RTLD_LOCAL)
            if handle != nil { break }
        }
        guard let handle else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown reason"
            throw MediaError(.srtp, "Could not load libsrtp2 (\(reason)): install the libsrtp2-1 package.")
        }
        func symbol<T>(_ name: String, _: T.Type) throws(MediaError) -> T {
            guard let pointer = dlsym(handle, name) else {
                throw MediaError(.srtp, "libsrtp2 has no \(name): version 2.x is required.")
            }
            return unsafeBitCast(pointer, to: T.self)
        }
        let initialize = try symbol("srtp_init", InitFn.self)
        create = try symbol("srtp_create", CreateFn.self)
        dealloc = try symbol("srtp_dealloc", DeallocFn.self)
        protect = try symbol("srtp_protect", ProtectFn.self)
        unprotect = try symbol("srtp_unprotect", ProtectFn.self)
        protectRTCP = try symbol("srtp_protect_rtcp", ProtectFn.self)
        unprotectRTCP = try symbol("srtp_unprotect_rtcp", ProtectFn.self)
        // srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80 is a macro for the rtp_default function.
        setAESCM128SHA1_80 = try symbol("srtp_crypto_policy_set_rtp_default", PolicySetFn.self)
        setAESGCM128_16 = try symbol("srtp_crypto_policy_set_aes_gcm_128_16_auth", PolicySetFn.self)
        let status = initialize()
        guard status == srtp_err_status_ok else {
            throw MediaError(.srtp, "srtp_init failed (libsrtp error \(status.rawValue)).")
        }
    }
}

/// An SRTP/SRTCP context for one direction of one DTLS-SRTP association: `.outbound` with our keys
/// protects what we send, `.inbound` with the peer's keys unprotects what we receive. Any SSRC is
/// accepted (streams are created on first use), replay protection uses a 1024-packet window, and
/// re-protecting an already sent sequence number is allowed (NACK retransmissions of the same packet).
public final class SRTPSession: @unchecked Sendable {
    public enum Direction: Sendable { case outbound, inbound }

    /// Bytes libsrtp may append: RTP tag (≤16) + MKI (≤128); SRTCP adds 4 more for E+index.
    private static let trailerRoom = 16 + 128 + 4
    public let profile: SRTPProfile
    public let direction: Direction
    private let library: SRTPLibrary
    private let lock = Mutex<Void>(())
    private let context: srtp_t   // guarded by lock (libsrtp contexts are not thread-safe)

    public init(profile: SRTPProfile, key: SRTPKeyMaterial, direction: Direction) throws {
        guard key.key.count == profile.keyLength, key.salt.count == profile.saltLength else {
            throw MediaError(.srtp, "SRTP \(profile.openSSLName) needs a \(profile.keyLength)-byte key and a \(profile.saltLength)-byte salt, got \(key.key.count) and \(key.salt.count).")
        }
        let library = try SRTPLibrary.load()
        self.profile = profile
        self.direction = direction
        self.library = library

        var policy = srtp_policy_t()
        withUnsafeMutablePointer(to: &policy.rtp) { rtp in
            withUnsafeMutablePointer(to: &policy.rtcp) { rtcp in
                switch profile {
                case .aes128CmSha1_80:
                    library.setAESCM128SHA1_80(rtp)
                    library.setAESCM128SHA1_80(rtcp)   // RTCP default is the same transform
                case .aeadAes128Gcm:
                    library.setAESGCM128_16(rtp)
                    library.setAESGCM128_16(rtcp)
                }
            }
        }
        policy.ssrc.type = direction == .outbound ? ssrc_any_outbound : ssrc_any_inbound
        policy.ssrc.value = 0
        policy.window_size = 1024
        policy.allow_repeat_tx = 1
        policy.next = nil
        var keyBytes = key.keyAndSalt
        var session: srtp_t?
        let status = keyBytes.withUnsafeMutableBufferPointer { buffer -> srtp_err_status_t in
            policy.key = buffer.baseAddress
            return library.create(&session, &policy)
        }
        // Do not leave key bytes lying around longer than needed.
        for index in keyBytes.indices { keyBytes[index] = 0 }
        guard status == srtp_err_status_ok, let session else {
            throw MediaError(.srtp, "Could not create the SRTP session (\(SRTPSession.describe(status))).")
        }
        context = session
    }

    deinit {
        _ = library.dealloc(context)
    }

    /// Encrypts and authenticates one RTP packet.
    public func protectRTP(_ packet: [UInt8]) throws -> [UInt8] {
        try checkRTPHeader(packet)
        return try transform(packet, library.protect, what: "protect RTP")
    }

    /// Authenticates (and rejects replays of) one SRTP packet and decrypts it.
    public func unprotectRTP(_ packet: [UInt8]) throws -> [UInt8] {
        try checkRTPHeader(packet)
        return try transform(packet, library.unprotect, what: "unprotect RTP")
    }

    /// Encrypts and authenticates one (compound) RTCP packet.
    public func protectRTCP(_ packet: [UInt8]) throws -> [UInt8] {
        try checkRTCPHeader(packet)
        return try transform(packet, library.protectRTCP, what: "protect RTCP")
    }

    /// Authenticates (and rejects replays of) one SRTCP packet and decrypts it.
    public func unprotectRTCP(_ packet: [UInt8]) throws -> [UInt8] {
        try checkRTCPHeader(packet)
        return try transform(packet, library.unprotectRTCP, what: "unprotect RTCP")
    }

    private func transform(_ packet: [UInt8], _ function: SRTPLibrary.ProtectFn, what: String) throws(MediaError) -> [UInt8] {
        var buffer = packet
        buffer.append(contentsOf: repeatElement(0, count: Self.trailerRoom))
        var length = Int32(packet.count)
        let status = lock.withLock { _ in
            buffer.withUnsafeMutableBytes { function(context, $0.baseAddress, &length) }
        }
        guard status == srtp_err_status_ok else {
            throw MediaError(.srtp, "Could not \(what) (\(Self.describe(status))).")
        }
        guard length >= 0, Int(length) <= buffer.count else {
            throw MediaError(.srtp, "libsrtp returned an impossible length \(length) for \(what).")
        }
        buffer.removeSubrange(Int(length)...)
        return buffer
    }

    /// Refuses what libsrtp would misparse: too short, wrong version, CSRCs/extension past the end.
    private func checkRTPHeader(_ packet: [UInt8]) throws(MediaError) {
        guard packet.count >= 12, packet.count <= 65_535 else {
            throw MediaError(.invalidInput, "An RTP packet of \(packet.count) bytes is not valid.")
        }
        guard packet[0] >> 6 == 2 else { throw MediaError(.invalidInput, "Not RTP version 2.") }
        var headerLength = 12 + 4 * Int(packet[0] & 0x0F)
        if packet[0] & 0x10 != 0 {
            guard packet.count >= headerLength + 4 else {
                throw MediaError(.invalidInput, "RTP header extension runs past the packet end.")
            }
            headerLength += 4 + 4 * (Int(packet[headerLength + 2]) << 8 | Int(packet[headerLength + 3]))
        }
        guard headerLength <= packet.count else {
            throw MediaError(.invalidInput, "RTP header (\(headerLength) bytes) runs past the packet end (\(packet.count)).")
        }
    }

    private func checkRTCPHeader(_ packet: [UInt8]) throws(MediaError) {
        guard packet.count >= 8, packet.count <= 65_535 else {
            throw MediaError(.invalidInput, "An RTCP packet of \(packet.count) bytes is not valid.")
        }
        guard packet[0] >> 6 == 2 else { throw MediaError(.invalidInput, "Not RTCP version 2.") }
    }

    static func describe(_ status: srtp_err_status_t) -> String {
        switch status {
        case srtp_err_status_auth_fail: "authentication failed: wrong key or tampered packet"
        case srtp_err_status_replay_fail: "replayed packet"
        case srtp_err_status_replay_old: "packet too old for the replay window"
        case srtp_err_status_bad_param: "bad parameter"
        case srtp_err_status_no_ctx: "no context for this SSRC"
        case srtp_err_status_cipher_fail: "cipher failure"
        case srtp_err_status_parse_err: "parse error"
        default: "libsrtp error \(status.rawValue)"
        }
    }
}
