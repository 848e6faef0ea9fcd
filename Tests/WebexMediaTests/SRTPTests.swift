import Testing
@testable import WebexMedia

private func hex(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var iterator = text.filter { $0.isHexDigit }.makeIterator()
    while let high = iterator.next(), let low = iterator.next() {
        bytes.append(UInt8(String([high, low]), radix: 16)!)
    }
    return bytes
}

/// RTP header (V=2, PT 96) + payload.
private func rtpPacket(sequence: UInt16, ssrc: UInt32 = 0x1234_5678, payload: [UInt8] = Array(repeating: 0x42, count: 160)) -> [UInt8] {
    [0x80, 96, UInt8(sequence >> 8), UInt8(sequence & 0xFF), 0, 0, 0x03, 0xE8,
     UInt8(ssrc >> 24), UInt8((ssrc >> 16) & 0xFF), UInt8((ssrc >> 8) & 0xFF), UInt8(ssrc & 0xFF)] + payload
}

/// A receiver report with no blocks followed by an SDES-less padding-free body (8 bytes, RFC 3550 §6.4.2).
private func rtcpReceiverReport(ssrc: UInt32 = 0x1234_5678) -> [UInt8] {
    [0x80, 201, 0, 1, UInt8(ssrc >> 24), UInt8((ssrc >> 16) & 0xFF), UInt8((ssrc >> 8) & 0xFF), UInt8(ssrc & 0xFF)]
}

private func keys(_ profile: SRTPProfile, seed: UInt8) -> SRTPKeyMaterial {
    SRTPKeyMaterial(key: (0..<profile.keyLength).map { UInt8(truncatingIfNeeded: Int($0) * 7 + Int(seed)) },
                    salt: (0..<profile.saltLength).map { UInt8(truncatingIfNeeded: Int($0) * 13 + Int(seed)) })
}

@Suite("SRTP")
struct SRTPTests {
    /// The AES-CM-128/HMAC-SHA1-80 known answer that libsrtp's own driver checks (master key and salt
    /// from RFC 3711 Appendix B.3): proves our key/salt layout and policy reach libsrtp as intended.
    @Test func knownAnswerAESCM() throws {
        let material = SRTPKeyMaterial(key: hex("e1f97a0d3e018be0d64fa32c06de4139"), salt: hex("0ec675ad498afeebb6960b3aabe6"))
        let plain = hex("800f1234decafbadcafebabe") + Array(repeating: 0xAB, count: 16)
        let expected = hex("800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb")
        let sender = try SRTPSession(profile: .aes128CmSha1_80, key: material, direction: .outbound)
        #expect(try sender.protectRTP(plain) == expected)
        let receiver = try SRTPSession(profile: .aes128CmSha1_80, key: material, direction: .inbound)
        #expect(try receiver.unprotectRTP(expected) == plain)
    }

    @Test(arguments: [SRTPProfile.aes128CmSha1_80, .aeadAes128Gcm])
    func rtpRoundTripReplayAndTamper(profile: SRTPProfile) throws {
        let material = keys(profile, seed: 3)
        let sender = try SRTPSession(profile: profile, key: material, direction: .outbound)
        let receiver = try SRTPSession(profile: profile, key: material, direction: .inbound)
        var protected: [[UInt8]] = []
        for sequence in UInt16(1000)..<1010 {
            let plain = rtpPacket(sequence: sequence)
            let secured = try sender.protectRTP(plain)
            #expect(secured.count == plain.count + (profile == .aeadAes128Gcm ? 16 : 10))
            #expect(Array(secured[12...]) != Array(plain[12...]), "payload must be encrypted")
            #expect(try receiver.unprotectRTP(secured) == plain)
            protected.append(secured)
        }
        // Replay of an accepted packet.
        #expect(throws: MediaError.self) { try receiver.unprotectRTP(protected[4]) }
        // One flipped payload bit fails authentication.
        var tampered = try sender.protectRTP(rtpPacket(sequence: 1010))
        tampered[20] ^= 0x01
        #expect { try receiver.unprotectRTP(tampered) } throws: { error in
            (error as? MediaError)?.kind == .srtp && "\(error)".contains("authentication")
        }
        // The wrong key is rejected too.
        let stranger = try SRTPSession(profile: profile, key: keys(profile, seed: 9), direction: .outbound)
        #expect(throws: MediaError.self) { try receiver.unprotectRTP(stranger.protectRTP(rtpPacket(sequence: 1011))) }
        // Retransmission: re-protecting an already sent sequence number is allowed (allow_repeat_tx).
        #expect(try sender.protectRTP(rtpPacket(sequence: 1005)) == protected[5])
        // Out of order within the window is fine.
        #expect(try receiver.unprotectRTP(sender.protectRTP(rtpPacket(sequence: 1013))) == rtpPacket(sequence: 1013))
        #expect(try receiver.unprotectRTP(sender.protectRTP(rtpPacket(sequence: 1012))) == rtpPacket(sequence: 1012))
    }

    @Test(arguments: [SRTPProfile.aes128CmSha1_80, .aeadAes128Gcm])
    func rtcpRoundTripReplayAndTamper(profile: SRTPProfile) throws {
        let material = keys(profile, seed: 5)
        let sender = try SRTPSession(profile: profile, key: material, direction: .outbound)
        let receiver = try SRTPSession(profile: profile, key: material, direction: .inbound)
        let plain = rtcpReceiverReport() + [0x81, 202, 0, 2, 0x12, 0x34, 0x56, 0x78, 1, 2, 0x61, 0x62]
        let first = try sender.protectRTCP(plain)
        #expect(first.count > plain.count + 4)
        #expect(try receiver.unprotectRTCP(first) == plain)
        #expect(throws: MediaError.self) { try receiver.unprotectRTCP(first) }   // replay (same SRTCP index)
        var tampered = try sender.protectRTCP(plain)
        tampered[9] ^= 0x80
        #expect(throws: MediaError.self) { try receiver.unprotectRTCP(tampered) }
        let second = try sender.protectRTCP(plain)
        #expect(second != first, "each SRTCP packet has a fresh index")
        #expect(try receiver.unprotectRTCP(second) == plain)
    }

    @Test func malformedInputIsRejectedNotTrapped() throws {
        let profile = SRTPProfile.aeadAes128Gcm
        let sender = try SRTPSession(profile: profile, key: keys(profile, seed: 1), direction: .outbound)
        let receiver = try SRTPSession(profile: profile, key: keys(profile, seed: 1), direction: .inbound)
        let bad: [[UInt8]] = [
            [], [0x80], Array(repeating: 0, count: 11),
            [0x8F, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0],            // 15 CSRCs announced, none present
            [0x90, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xBE, 0xDE, 0xFF, 0xFF],   // extension longer than packet
            [0x40] + Array(repeating: 0, count: 20),                    // version 1
        ]
        for packet in bad {
            #expect(throws: MediaError.self) { try sender.protectRTP(packet) }
            #expect(throws: MediaError.self) { try receiver.unprotectRTP(packet) }
            #expect(throws: MediaError.self) { try receiver.unprotectRTCP(packet) }
        }
        // Random garbage of every length up to 80 never traps.
        var state: UInt32 = 12345
        for length in 0..<80 {
            let bytes = (0..<length).map { _ -> UInt8 in
                state = state &* 1_103_515_245 &+ 12345
                return UInt8(truncatingIfNeeded: state >> 16)
            }
            _ = try? receiver.unprotectRTP(bytes)
            _ = try? receiver.unprotectRTCP(bytes)
            _ = try? sender.protectRTP(bytes)
        }
        #expect(throws: MediaError.self) {
            try SRTPSession(profile: .aeadAes128Gcm, key: keys(.aes128CmSha1_80, seed: 1), direction: .inbound)
        }
    }

    @Test func fuzzEntryNeverTraps() {
        var state: UInt32 = 99
        for length in [0, 1, 7, 8, 11, 12, 13, 20, 28, 40, 64, 200, 1300] {
            for variant in [0, 1, 4, 5] {
                var bytes = (0..<length).map { _ -> UInt8 in
                    state = state &* 1_103_515_245 &+ 12345
                    return UInt8(truncatingIfNeeded: state >> 16)
                }
                if !bytes.isEmpty { bytes[0] = variant.isMultiple(of: 2) ? 0x80 : bytes[0] | 0x80 }
                if bytes.count > 1, variant >= 4 { bytes[1] = 200 }   // looks like RTCP
                fuzzSRTP(bytes)
            }
        }
        // Valid RTP round-trips through the fuzz path as well.
        fuzzSRTP(rtpPacket(sequence: 1))
        fuzzSRTP(rtcpReceiverReport())
    }

    @Test func keyMaterialDoesNotPrintSecrets() {
        let material = keys(.aes128CmSha1_80, seed: 0xEE)
        #expect(!"\(material)".contains("238"))
        #expect(material.keyAndSalt.count == 30)
    }
}
