/// Fuzz entry: unprotects `bytes` as SRTP and SRTCP with both profiles (fixed keys, so nearly every input
/// fails authentication, which is the path worth fuzzing), and protects it as RTP/RTCP. Must never trap.
public func fuzzSRTP(_ bytes: [UInt8]) {
    for profile in SRTPProfile.allCases {
        let key = SRTPKeyMaterial(key: Array(repeating: 0x11, count: profile.keyLength),
                                  salt: Array(repeating: 0x22, count: profile.saltLength))
        guard let inbound = try? SRTPSession(profile: profile, key: key, direction: .inbound),
              let outbound = try? SRTPSession(profile: profile, key: key, direction: .outbound)
        else { return }
        _ = try? inbound.unprotectRTP(bytes)
        _ = try? inbound.unprotectRTCP(bytes)
        if let protected = try? outbound.protectRTP(bytes) { _ = try? inbound.unprotectRTP(protected) }
        if let protected = try? outbound.protectRTCP(bytes) { _ = try? inbound.unprotectRTCP(protected) }
    }
}
