import Testing
@testable import WebexMedia

@Suite struct RTPPacketTests {
    @Test func parsesPlainHeader() throws {
        let bytes: [UInt8] = [0x80, 0xEF, 0x12, 0x34, 0x00, 0x00, 0x00, 0x64, 0xDE, 0xAD, 0xBE, 0xEF, 1, 2, 3]
        let p = try RTPPacket(parsing: bytes)
        #expect(p.marker)
        #expect(p.payloadType == 111)
        #expect(p.sequenceNumber == 0x1234)
        #expect(p.timestamp == 100)
        #expect(p.ssrc == 0xDEAD_BEEF)
        #expect(p.csrcs.isEmpty && p.extensions.isEmpty)
        #expect(p.payload == [1, 2, 3])
        #expect(p.serialized() == bytes)
    }

    @Test func oneByteExtensionsRoundTripExactly() throws {
        let bytes: [UInt8] = [
            0x90, 0x60, 0x00, 0x01, 0, 0, 0, 1, 0, 0, 0, 2,
            0xBE, 0xDE, 0x00, 0x02, 0x10, 0xAA, 0x21, 0xBB, 0xCC, 0x00, 0x00, 0x00,
            9, 9,
        ]
        let p = try RTPPacket(parsing: bytes)
        #expect(p.extensions == [RTPHeaderExtension(id: 1, data: [0xAA]), RTPHeaderExtension(id: 2, data: [0xBB, 0xCC])])
        #expect(p.headerExtension(id: 2) == [0xBB, 0xCC])
        #expect(p.payload == [9, 9])
        #expect(p.serialized() == bytes)
    }

    @Test func oneByteExtensionPaddingBetweenElementsAndIdFifteenStops() throws {
        let bytes: [UInt8] = [
            0x90, 0x60, 0x00, 0x01, 0, 0, 0, 1, 0, 0, 0, 2,
            0xBE, 0xDE, 0x00, 0x02, 0x10, 0xAA, 0x00, 0x00, 0x30, 0x07, 0xF0, 0x55,
        ]
        let p = try RTPPacket(parsing: bytes)
        #expect(p.extensions == [RTPHeaderExtension(id: 1, data: [0xAA]), RTPHeaderExtension(id: 3, data: [7])])
    }

    @Test func twoByteExtensions() throws {
        let bytes: [UInt8] = [
            0x90, 0x60, 0x00, 0x01, 0, 0, 0, 1, 0, 0, 0, 2,
            0x10, 0x00, 0x00, 0x02, 0x01, 0x00, 0x14, 0x03, 0x01, 0x02, 0x03, 0x00,
        ]
        let p = try RTPPacket(parsing: bytes)
        #expect(p.extensions == [RTPHeaderExtension(id: 1, data: []), RTPHeaderExtension(id: 20, data: [1, 2, 3])])
        #expect(p.serialized() == bytes)
    }

    @Test func serializerChoosesTheTwoByteFormOnlyWhenNeeded() throws {
        var p = RTPPacket(payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3, payload: [1])
        p.extensions = [RTPHeaderExtension(id: 3, data: [UInt8](repeating: 7, count: 16))]
        #expect(Array(p.serialized()[12..<14]) == [0xBE, 0xDE])
        p.extensions.append(RTPHeaderExtension(id: 5, data: [UInt8](repeating: 1, count: 17)))
        #expect(Array(p.serialized()[12..<14]) == [0x10, 0x00])
        #expect(try RTPPacket(parsing: p.serialized()) == p)
        p.extensions = [RTPHeaderExtension(id: 15, data: [1])]
        #expect(Array(p.serialized()[12..<14]) == [0x10, 0x00])
        #expect(try RTPPacket(parsing: p.serialized()) == p)
    }

    @Test func csrcsAndPaddingRoundTrip() throws {
        let p = RTPPacket(
            marker: true, payloadType: 96, sequenceNumber: 65535, timestamp: .max, ssrc: 42, csrcs: [1, 2, 3],
            extensions: [RTPHeaderExtension(id: 4, data: [1, 2, 3, 4])], payload: [5, 6, 7], paddingLength: 5)
        let bytes = p.serialized()
        #expect(bytes.count == 12 + 12 + 4 + 8 + 3 + 5)
        #expect(bytes[0] == 0x80 | 0x20 | 0x10 | 3)
        #expect(bytes.last == 5)
        #expect(try RTPPacket(parsing: bytes) == p)
    }

    @Test func unknownExtensionProfileKeptVerbatim() throws {
        let bytes: [UInt8] = [0x90, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 0xAB, 0xCD, 0, 1, 1, 2, 3, 4, 0x55]
        let p = try RTPPacket(parsing: bytes)
        #expect(p.rawExtension == RTPRawHeaderExtension(profile: 0xABCD, data: [1, 2, 3, 4]))
        #expect(p.serialized() == bytes)
    }

    @Test func malformedPacketsAreRejected() {
        let header: [UInt8] = [0x80, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2]
        let cases: [[UInt8]] = [
            [],
            Array(header.prefix(11)),
            [0x40] + header.dropFirst(),                                  // version 1
            [0x82] + header.dropFirst(),                                  // 2 CSRCs missing
            [0x90] + header.dropFirst() + [0xBE, 0xDE, 0, 1],             // extension body missing
            [0x90] + header.dropFirst() + [0xBE, 0xDE, 0, 1, 0x3F, 1, 2, 3],  // element longer than block
            [0x90] + header.dropFirst() + [0x10, 0x00, 0, 1, 0x01, 0x09, 1, 2],
            [0xA0] + header.dropFirst() + [1, 2, 0],                       // padding count 0
            [0xA0] + header.dropFirst() + [1, 2, 9],                       // padding past the payload
        ]
        for c in cases {
            #expect(throws: MediaError.self) { try RTPPacket(parsing: c) }
            do { _ = try RTPPacket(parsing: c) } catch let e as MediaError { #expect(e.kind == .invalidInput) } catch {}
        }
    }

    @Test func demultiplexing() {
        let rtcp = RTCPPacket.serializeCompound([.receiverReport(ReceiverReport(ssrc: 1))])
        #expect(isRTCP(rtcp))
        let rtp = RTPPacket(marker: true, payloadType: 96, sequenceNumber: 1, timestamp: 1, ssrc: 1, payload: [1]).serialized()
        #expect(!isRTCP(rtp))
        #expect(isRTPOrRTCP(rtp) && isRTPOrRTCP(rtcp))
        #expect(!isRTCP([0x00, 0x01, 0x00, 0x00]))  // STUN
        #expect(!isRTCP([0x80]))
    }

    @Test func sequenceArithmeticWraps() {
        #expect(SequenceNumber.distance(from: 65535, to: 0) == 1)
        #expect(SequenceNumber.distance(from: 0, to: 65535) == -1)
        #expect(SequenceNumber.isNewer(2, than: 65530))
        #expect(!SequenceNumber.isNewer(65530, than: 2))
        var u = SequenceUnwrapper()
        let a = u.unwrap(65534), b = u.unwrap(65535), c = u.unwrap(0), d = u.unwrap(65533), e = u.unwrap(1)
        #expect(b == a + 1 && c == a + 2 && d == a - 1 && e == a + 3)
    }
}

@Suite struct RTCPTests {
    let block = ReportBlock(
        ssrc: 0x1111_2222, fractionLost: 12, cumulativeLost: -5, highestSequence: 0x0001_0005, jitter: 77,
        lastSR: 0xAABB_CCDD, delaySinceLastSR: 65536)

    @Test func senderReportWireFormat() throws {
        let sr = SenderReport(
            ssrc: 0x0102_0304, ntpTimestamp: 0x1122_3344_5566_7788, rtpTimestamp: 0x99AA_BBCC, packetCount: 10,
            octetCount: 1000, reports: [block])
        let bytes = RTCPPacket.serializeCompound([.senderReport(sr)])
        #expect(Array(bytes[0..<8]) == [0x81, 200, 0x00, 0x0C, 1, 2, 3, 4])
        #expect(bytes.count == 52)
        // cumulative lost -5 as 24-bit two's complement
        #expect(Array(bytes[32..<36]) == [12, 0xFF, 0xFF, 0xFB])
        #expect(try RTCPPacket.parseCompound(bytes) == [.senderReport(sr)])
    }

    @Test func compoundRoundTrip() throws {
        let packets: [RTCPPacket] = [
            .receiverReport(ReceiverReport(ssrc: 7, reports: [block, ReportBlock(ssrc: 9, cumulativeLost: 8_388_607)])),
            .sourceDescription([SDESChunk(ssrc: 7, cname: "user@host"), SDESChunk(ssrc: 8, items: [SDESItem(type: 1, text: "abcd"), SDESItem(type: 2, text: "Ünïcode")])]),
            .goodbye(ssrcs: [7, 8], reason: "leaving"),
            .goodbye(ssrcs: [7], reason: nil),
            .nack(senderSSRC: 7, mediaSSRC: 9, lost: [100, 101, 117, 200]),
            .pictureLossIndication(senderSSRC: 7, mediaSSRC: 9),
            .fullIntraRequest(senderSSRC: 7, mediaSSRC: 9, sequence: 3),
            .remb(senderSSRC: 7, bitrate: 1_000_000, ssrcs: [9, 10]),
        ]
        let bytes = RTCPPacket.serializeCompound(packets)
        #expect(bytes.count % 4 == 0)
        #expect(try RTCPPacket.parseCompound(bytes) == packets)
        if case .sourceDescription(let chunks) = try RTCPPacket.parseCompound(bytes)[1] {
            #expect(chunks[0].cname == "user@host")
        } else {
            Issue.record("expected SDES")
        }
    }

    @Test func sdesChunkPaddingMatchesRFC() throws {
        // CNAME "abc" = 4 + 2 + 3 = 9 bytes, + null = 10, padded to 12.
        let bytes = RTCPPacket.serializeCompound([.sourceDescription([SDESChunk(ssrc: 1, cname: "abc")])])
        #expect(bytes == [0x81, 202, 0, 3, 0, 0, 0, 1, 1, 3, 0x61, 0x62, 0x63, 0, 0, 0])
        // exactly-aligned text still gets a full word of nulls
        let aligned = RTCPPacket.serializeCompound([.sourceDescription([SDESChunk(ssrc: 1, cname: "ab")])])
        #expect(aligned.count == 16 && aligned.suffix(4) == [0, 0, 0, 0])
        #expect(try RTCPPacket.parseCompound(aligned) == [.sourceDescription([SDESChunk(ssrc: 1, cname: "ab")])])
    }

    @Test func nackAcrossTheWrap() throws {
        let nack = RTCPPacket.nack(senderSSRC: 1, mediaSSRC: 2, lost: [65534, 65535, 0, 2])
        let bytes = nack.serialized()
        #expect(bytes == [0x81, 205, 0, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0xFF, 0xFE, 0x00, 0x0B])
        #expect(try RTCPPacket.parseCompound(bytes) == [nack])
        // Two FCI entries when the span exceeds 16.
        let wide = RTCPPacket.nack(senderSSRC: 1, mediaSSRC: 2, lost: [10, 27, 28])
        #expect(wide.serialized().count == 20)
        #expect(try RTCPPacket.parseCompound(wide.serialized()) == [wide])
    }

    @Test func rembEncoding() throws {
        let bytes = RTCPPacket.remb(senderSSRC: 1, bitrate: 1_000_000, ssrcs: [0x0A0B_0C0D]).serialized()
        // 1_000_000 = 250000 << 2: exponent 2, mantissa 0x3D090
        #expect(Array(bytes[0..<2]) == [0x8F, 206])
        #expect(Array(bytes[12..<16]) == Array("REMB".utf8))
        #expect(Array(bytes[16..<20]) == [1, 0x0B, 0xD0, 0x90])
        // lossy but monotone for big values
        let big = try RTCPPacket.parseCompound(RTCPPacket.remb(senderSSRC: 1, bitrate: 123_456_789, ssrcs: []).serialized())
        if case .remb(_, let rate, _) = big[0] {
            #expect(rate <= 123_456_789 && rate > 123_000_000)
        } else {
            Issue.record("expected REMB")
        }
    }

    @Test func firUsesTheFCI() throws {
        let bytes = RTCPPacket.fullIntraRequest(senderSSRC: 5, mediaSSRC: 6, sequence: 200).serialized()
        #expect(bytes == [0x84, 206, 0, 4, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 6, 200, 0, 0, 0])
    }

    @Test func unknownPacketsArePreserved() throws {
        // transport-cc (RTPFB FMT 15) and an APP packet
        let tcc: [UInt8] = [0x8F, 205, 0, 5, 0, 0, 0, 1, 0, 0, 0, 2, 0, 1, 0, 1, 0, 0, 0, 0, 0x20, 1, 0, 0]
        let app: [UInt8] = [0x80, 204, 0, 2, 0, 0, 0, 1] + Array("NAME".utf8)
        let parsed = try RTCPPacket.parseCompound(tcc + app)
        #expect(parsed == [.other(type: 205, bytes: tcc), .other(type: 204, bytes: app)])
        #expect(RTCPPacket.serializeCompound(parsed) == tcc + app)
    }

    @Test func paddingInAPacketIsSkipped() throws {
        let bytes: [UInt8] = [0xA0, 201, 0, 2, 0, 0, 0, 9, 0, 0, 0, 4]
        #expect(try RTCPPacket.parseCompound(bytes) == [.receiverReport(ReceiverReport(ssrc: 9))])
    }

    @Test func malformedCompoundsAreRejected() {
        let rr: [UInt8] = [0x80, 201, 0, 1, 0, 0, 0, 9]
        let cases: [[UInt8]] = [
            [], [0x80, 201], Array(rr.prefix(7)), rr + [0x80, 201],
            [0x40, 201, 0, 1, 0, 0, 0, 9],                     // version 1
            [0x81, 201, 0, 1, 0, 0, 0, 9],                     // 1 block announced, none present
            [0x81, 200, 0, 1, 0, 0, 0, 9],                     // SR too short
            [0x81, 202, 0, 2, 0, 0, 0, 1, 1, 9, 0x61, 0x62],   // SDES item past the end
            [0x81, 202, 0, 2, 0, 0, 0, 1, 1, 2, 0x61, 0x62],   // SDES without terminator
            [0x82, 203, 0, 1, 0, 0, 0, 1],                     // BYE with a missing SSRC
            [0x81, 203, 0, 2, 0, 0, 0, 1, 9, 0x61, 0x62, 0x63], // BYE reason past the end
            [0x81, 205, 0, 1, 0, 0, 0, 1],                     // NACK without media SSRC
            [0x84, 206, 0, 3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 6], // FIR with a short FCI
            [0xA0, 201, 0, 1, 0, 0, 0, 9],                     // padding count covers the header
        ]
        for c in cases {
            #expect(throws: MediaError.self, "\(c)") { try RTCPPacket.parseCompound(c) }
        }
    }
}

/// A small deterministic generator so the smoke fuzz is reproducible.
struct XorShift: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}

@Suite struct FuzzSmokeTests {
    @Test func mutatedPacketsNeverTrap() {
        var rng = XorShift(state: 0x9E37_79B9_7F4A_7C15)
        let seeds: [[UInt8]] = [
            RTPPacket(marker: true, payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3, csrcs: [4],
                      extensions: [RTPHeaderExtension(id: 1, data: [1, 2]), RTPHeaderExtension(id: 20, data: [])],
                      payload: [0x7C, 0x85, 1, 2, 3], paddingLength: 3).serialized(),
            RTCPPacket.serializeCompound([
                .senderReport(SenderReport(ssrc: 1, ntpTimestamp: 2, rtpTimestamp: 3, packetCount: 4, octetCount: 5, reports: [ReportBlock(ssrc: 6)])),
                .sourceDescription([SDESChunk(ssrc: 1, cname: "x")]), .goodbye(ssrcs: [1], reason: "r"),
                .nack(senderSSRC: 1, mediaSSRC: 2, lost: [1, 5]), .remb(senderSSRC: 1, bitrate: 5000, ssrcs: [2]),
                .fullIntraRequest(senderSSRC: 1, mediaSSRC: 2, sequence: 1), .pictureLossIndication(senderSSRC: 1, mediaSSRC: 2),
            ]),
        ]
        for i in 0..<15_000 {
            var b = seeds[i % seeds.count]
            let flips = Int.random(in: 1...6, using: &rng)
            for _ in 0..<flips {
                switch Int.random(in: 0..<4, using: &rng) {
                case 0 where !b.isEmpty: b[Int.random(in: 0..<b.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                case 1 where !b.isEmpty: b.removeLast(Int.random(in: 1...b.count, using: &rng))
                case 2: b.append(UInt8.random(in: 0...255, using: &rng))
                default: if !b.isEmpty { b[Int.random(in: 0..<b.count, using: &rng)] ^= 1 << UInt8.random(in: 0..<8, using: &rng) }
                }
            }
            fuzzRTP(b)
            fuzzRTCP(b)
            fuzzDepacketizers(b)
            fuzzReceivePath(b)
        }
        for _ in 0..<3_000 {
            let b = (0..<Int.random(in: 0..<80, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            fuzzRTP(b)
            fuzzRTCP(b)
            fuzzDepacketizers(b)
            fuzzReceivePath(b)
        }
    }

    @Test func invalidUTF8InSDESIsStable() throws {
        var raw: [UInt8] = [0x81, 202, 0, 0, 0, 0, 0, 1, 1, 200] + [UInt8](repeating: 0xFF, count: 200) + [0]
        while raw.count % 4 != 0 { raw.append(0) }
        raw[3] = UInt8(raw.count / 4 - 1)
        fuzzRTCP(raw)
        let parsed = try RTCPPacket.parseCompound(raw)
        let again = try RTCPPacket.parseCompound(RTCPPacket.serializeCompound(parsed))
        if case .sourceDescription(let c) = again[0] { #expect(c[0].cname!.utf8.count <= 255) }
    }
}
