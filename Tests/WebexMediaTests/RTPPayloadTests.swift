import Testing
@testable import WebexMedia

/// Packets of one frame with consecutive sequence numbers and the marker on the last.
private func packets(_ payloads: [[UInt8]], firstSeq: UInt16, timestamp: UInt32) -> [(payload: [UInt8], seq: UInt16, ts: UInt32, marker: Bool)] {
    payloads.enumerated().map { (i, p) in (p, firstSeq &+ UInt16(i), timestamp, i == payloads.count - 1) }
}

private let sps: [UInt8] = [0x67, 0x42, 0xE0, 0x1F, 0xDA, 0x01, 0x40, 0x16, 0xE8]
private let pps: [UInt8] = [0x68, 0xCE, 0x3C, 0x80]
private func idr(_ n: Int) -> [UInt8] { [0x65] + (0..<n).map { UInt8(truncatingIfNeeded: $0 * 7 + 1) } }
private func slice(_ n: Int, seed: Int) -> [UInt8] { [0x41] + (0..<n).map { UInt8(truncatingIfNeeded: $0 * 3 + seed) } }

@Suite struct H264Tests {
    @Test func splitsAnnexBWithThreeAndFourByteStartCodes() {
        let stream: [UInt8] = [0, 0, 0, 1] + sps + [0, 0, 1] + pps + [0, 0, 0, 1] + [0x65, 1, 2, 0]
        let nals = H264Payloader.splitAnnexB(stream).map(Array.init)
        #expect(nals == [sps, pps, [0x65, 1, 2]])
    }

    @Test func keyframeUsesSTAPAAndFUAAndRoundTrips() throws {
        let big = idr(3000)
        let au: [UInt8] = [0, 0, 1] + sps + [0, 0, 1] + pps + [0, 0, 0, 1] + big
        let payloads = H264Payloader(maxPayloadSize: 1200).packetize(au)
        #expect(payloads.count == 4)
        #expect(payloads[0][0] & 0x1F == 24)  // STAP-A
        #expect(payloads[0] == [0x78, 0, UInt8(sps.count)] + sps + [0, UInt8(pps.count)] + pps)
        #expect(payloads[1][0] == 0x7C && payloads[1][1] == 0x85)  // FU-A start, type 5
        #expect(payloads[2][1] == 0x05)
        #expect(payloads[3][1] == 0x45)  // end
        #expect(payloads.allSatisfy { $0.count <= 1200 })

        let d = H264Depacketizer()
        var out: [UInt8]?
        for p in packets(payloads, firstSeq: 65534, timestamp: 9000) {  // crosses the wrap
            out = d.push(payload: p.payload, sequenceNumber: p.seq, timestamp: p.ts, marker: p.marker)
            if !p.marker { #expect(out == nil) }
        }
        #expect(out == [0, 0, 0, 1] + sps + [0, 0, 0, 1] + pps + [0, 0, 0, 1] + big)
        #expect(d.lostFrames == 0)
    }

    @Test func smallNALsAreSingleNALPackets() {
        let payloads = H264Payloader().packetize([0, 0, 0, 1] + slice(100, seed: 1) + [0, 0, 0, 1] + slice(50, seed: 2))
        #expect(payloads == [slice(100, seed: 1), slice(50, seed: 2)])
    }

    @Test func lostFragmentDropsTheFrameAndTheNextKeyframeRecovers() {
        let d = H264Depacketizer()
        let key = H264Payloader().packetize([0, 0, 0, 1] + sps + [0, 0, 0, 1] + pps + [0, 0, 0, 1] + idr(2500))
        let p1 = H264Payloader().packetize([0, 0, 0, 1] + slice(2500, seed: 3))
        var seq: UInt16 = 100
        var got: [[UInt8]] = []
        for p in packets(key, firstSeq: seq, timestamp: 0) {
            if let f = d.push(payload: p.payload, sequenceNumber: p.seq, timestamp: p.ts, marker: p.marker) { got.append(f) }
        }
        seq &+= UInt16(key.count)
        for (i, p) in packets(p1, firstSeq: seq, timestamp: 3000).enumerated() where i != 1 {
            if let f = d.push(payload: p.payload, sequenceNumber: p.seq, timestamp: p.ts, marker: p.marker) { got.append(f) }
        }
        seq &+= UInt16(p1.count)
        #expect(got.count == 1)
        // Further frames: the broken one is given up once newer frames are waiting.
        for k in 0..<3 {
            let f = H264Payloader().packetize([0, 0, 0, 1] + slice(200, seed: k))
            for p in packets(f, firstSeq: seq, timestamp: UInt32(6000 + 3000 * k)) {
                if let f = d.push(payload: p.payload, sequenceNumber: p.seq, timestamp: p.ts, marker: p.marker) { got.append(f) }
            }
            seq &+= UInt16(f.count)
        }
        while let f = d.nextFrame() { got.append(f) }
        #expect(d.lostFrames == 1)
        // the keyframe, then the three P frames released in order when the broken one is given up
        #expect(got == [got[0]] + (0..<3).map { [0, 0, 0, 1] + slice(200, seed: $0) })
    }

    @Test func reorderedAndRetransmittedPacketsComplete() {
        let d = H264Depacketizer()
        let payloads = H264Payloader().packetize([0, 0, 0, 1] + sps + [0, 0, 0, 1] + pps + [0, 0, 0, 1] + idr(4000))
        var ps = packets(payloads, firstSeq: 65533, timestamp: 1234)
        ps.swapAt(1, 3)
        let missing = ps.remove(at: 2)  // arrives last, like a NACK retransmission
        var out: [UInt8]?
        for p in ps { #expect(d.push(payload: p.payload, sequenceNumber: p.seq, timestamp: p.ts, marker: p.marker) == nil) }
        out = d.push(payload: missing.payload, sequenceNumber: missing.seq, timestamp: missing.ts, marker: missing.marker)
        #expect(out == [0, 0, 0, 1] + sps + [0, 0, 0, 1] + pps + [0, 0, 0, 1] + idr(4000))
        // a duplicate afterwards is ignored
        #expect(d.push(payload: missing.payload, sequenceNumber: missing.seq, timestamp: missing.ts, marker: missing.marker) == nil)
        #expect(d.lostFrames == 0)
    }

    @Test func libwebrtcStyleSTAPAWithSliceAndFUAStreamsDecode() {
        // A STAP-A that carries SPS, PPS and a small IDR slice, then a P frame as FU-A in two parts.
        let small = idr(20)
        var stap: [UInt8] = [0x78]
        for n in [sps, pps, small] { stap += [0, UInt8(n.count)] + n }
        let d = H264Depacketizer()
        #expect(d.push(payload: stap, sequenceNumber: 10, timestamp: 90000, marker: true) == [0, 0, 0, 1] + sps + [0, 0, 0, 1] + pps + [0, 0, 0, 1] + small)
        let p = slice(30, seed: 4)
        let fu1: [UInt8] = [0x5C, 0x81] + p[1..<16]
        let fu2: [UInt8] = [0x5C, 0x41] + p[16...]
        #expect(d.push(payload: fu1, sequenceNumber: 11, timestamp: 93000, marker: false) == nil)
        #expect(d.push(payload: fu2, sequenceNumber: 12, timestamp: 93000, marker: true) == [0, 0, 0, 1] + p)
    }

    @Test func frameStartingWithFUAContinuationIsDropped() {
        let d = H264Depacketizer()
        _ = d.push(payload: [0x41, 1], sequenceNumber: 1, timestamp: 0, marker: true)
        // first packet (FU-A start) of the next frame lost
        #expect(d.push(payload: [0x5C, 0x41, 9, 9], sequenceNumber: 3, timestamp: 3000, marker: true) == nil)
        #expect(d.push(payload: [0x41, 2], sequenceNumber: 4, timestamp: 6000, marker: true) == nil)
        #expect(d.push(payload: [0x41, 3], sequenceNumber: 5, timestamp: 9000, marker: true) == nil)
        let f = d.push(payload: [0x41, 4], sequenceNumber: 6, timestamp: 12000, marker: true)
        #expect(d.lostFrames == 1)
        // the frames held back behind the gap come out in order once the broken one is given up
        #expect(f == [0, 0, 0, 1, 0x41, 2])
        #expect(d.nextFrame() == [0, 0, 0, 1, 0x41, 3])
        #expect(d.nextFrame() == [0, 0, 0, 1, 0x41, 4])
        #expect(d.nextFrame() == nil)
    }

    @Test func malformedPayloadsDoNotEmit() {
        let d = H264Depacketizer()
        #expect(d.push(payload: [0x78, 0, 9, 1], sequenceNumber: 1, timestamp: 0, marker: true) == nil)  // STAP-A size past end
        #expect(d.push(payload: [0x7D, 0x85, 1], sequenceNumber: 2, timestamp: 3000, marker: true) == nil)  // FU-B
        #expect(d.lostFrames == 2)
    }
}

@Suite struct VP8Tests {
    @Test func payloaderWritesFifteenBitPictureIDs() {
        var p = VP8Payloader(maxPayloadSize: 104, pictureID: 0x7FFF)
        let frame = (0..<250).map { UInt8(truncatingIfNeeded: $0) }
        let a = p.packetize(frame)
        #expect(a.count == 3)
        #expect(Array(a[0][0..<4]) == [0x90, 0x80, 0xFF, 0xFF])
        #expect(Array(a[1][0..<4]) == [0x80, 0x80, 0xFF, 0xFF])
        #expect(a.allSatisfy { $0.count <= 104 })
        let b = p.packetize([1, 2, 3])
        #expect(b == [[0x90, 0x80, 0x80, 0x00, 1, 2, 3]])  // wrapped to 0
    }

    @Test func descriptorForms() throws {
        let minimal = try #require(VP8PayloadDescriptor([0x10, 0xAA]))
        #expect(minimal.startOfPartition && minimal.pictureID == nil && minimal.headerSize == 1)
        let sevenBit = try #require(VP8PayloadDescriptor([0x90, 0x80, 0x15, 0xAA]))
        #expect(sevenBit.pictureID == 0x15 && !sevenBit.pictureIDIs15Bit && sevenBit.headerSize == 3)
        let full = try #require(VP8PayloadDescriptor([0x90, 0xF0, 0x81, 0x23, 0x07, 0b1010_0011, 0xAA]))
        #expect(full.pictureID == 0x0123 && full.pictureIDIs15Bit)
        #expect(full.tl0PicIdx == 7 && full.temporalLayer == 2 && full.layerSync && full.keyIndex == 3)
        #expect(full.headerSize == 6)
        let kOnly = try #require(VP8PayloadDescriptor([0x90, 0x10, 0x05, 0xAA]))
        #expect(kOnly.keyIndex == 5 && kOnly.temporalLayer == nil && kOnly.headerSize == 3)
        #expect(VP8PayloadDescriptor([]) == nil)
        #expect(VP8PayloadDescriptor([0x90, 0x80, 0x81]) == nil)         // 15-bit PictureID cut
        #expect(VP8PayloadDescriptor([0x90, 0xF0, 0x81, 0x23, 0x07]) == nil)
        #expect(VP8PayloadDescriptor([0x10]) == nil)                      // no VP8 data
    }

    @Test func roundTripAcrossTheWrapWithEveryDescriptorForm() {
        let frame = (0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var payloader = VP8Payloader(pictureID: 5)
        let d = VP8Depacketizer()
        var out: [UInt8]?
        for p in packets(payloader.packetize(frame), firstSeq: 65535, timestamp: 4_294_967_000) {
            out = d.push(payload: p.payload, sequenceNumber: p.seq, timestamp: p.ts, marker: p.marker)
        }
        #expect(out == frame)
        // aiortc-like 7-bit PictureID and no extension at all, timestamp wrapped
        #expect(d.push(payload: [0x90, 0x80, 0x11, 1, 2], sequenceNumber: 2, timestamp: 2000, marker: false) == nil)
        #expect(d.push(payload: [0x00, 3], sequenceNumber: 3, timestamp: 2000, marker: false) == nil)
        #expect(d.push(payload: [0x80, 0xE0, 0x11, 0x02, 0x40, 4], sequenceNumber: 4, timestamp: 2000, marker: true) == [1, 2, 3, 4])
        #expect(d.lostFrames == 0)
    }

    @Test func gapDropsTheFrameAndRetransmissionInTimeSavesIt() {
        let d = VP8Depacketizer()
        var payloader = VP8Payloader(maxPayloadSize: 100)
        let f1 = (0..<400).map { UInt8(truncatingIfNeeded: $0) }
        let ps = packets(payloader.packetize(f1), firstSeq: 1000, timestamp: 0)
        for (i, p) in ps.enumerated() where i != 2 {
            #expect(d.push(payload: p.payload, sequenceNumber: p.seq, timestamp: p.ts, marker: p.marker) == nil)
        }
        #expect(d.push(payload: ps[2].payload, sequenceNumber: ps[2].seq, timestamp: 0, marker: ps[2].marker) == f1)

        // Now a frame whose middle never comes: three newer frames make the depacketizer give up.
        let f2 = packets(payloader.packetize(f1), firstSeq: 1005, timestamp: 3000)
        for (i, p) in f2.enumerated() where i != 1 { _ = d.push(payload: p.payload, sequenceNumber: p.seq, timestamp: p.ts, marker: p.marker) }
        var got: [[UInt8]] = []
        for k in 0..<3 {
            let small = packets(payloader.packetize([UInt8(k), 9]), firstSeq: 1010 + UInt16(k), timestamp: UInt32(6000 + 3000 * k))
            for p in small { got += d.pushAll(payload: p.payload, sequenceNumber: p.seq, timestamp: p.ts, marker: p.marker) }
        }
        #expect(d.lostFrames == 1)
        #expect(got == [[0, 9], [1, 9], [2, 9]])
        // the late packet of the dropped frame is ignored
        #expect(d.push(payload: f2[1].payload, sequenceNumber: f2[1].seq, timestamp: 3000, marker: false) == nil)
    }

    @Test func packetWithoutStartBitDoesNotBeginAFrame() {
        let d = VP8Depacketizer()
        #expect(d.push(payload: [0x00, 1], sequenceNumber: 7, timestamp: 0, marker: true) == nil)
        #expect(d.push(payload: [0x10, 2], sequenceNumber: 8, timestamp: 3000, marker: true) == nil)  // predecessor unknown
        for k in 0..<3 { _ = d.push(payload: [0x10, 3], sequenceNumber: 9 + UInt16(k), timestamp: 6000 + 3000 * UInt32(k), marker: true) }
        #expect(d.lostFrames >= 1)
    }

    @Test func keyframeFlag() {
        #expect(VP8Depacketizer.isKeyframe([0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A]))
        #expect(!VP8Depacketizer.isKeyframe([0x11, 0x02]))
    }
}

@Suite struct JitterBufferTests {
    @Test func waitsForTheTargetDelayThenPlaysInOrder() {
        let jb = AudioJitterBuffer()
        let t0: UInt64 = 1_000_000
        jb.insert(sequenceNumber: 65535, timestamp: 0, payload: [1], arrival: t0)
        #expect(jb.pop(now: t0) == .empty)
        jb.insert(sequenceNumber: 1, timestamp: 1920, payload: [3], arrival: t0 + 20_000)  // arrives before 0
        jb.insert(sequenceNumber: 0, timestamp: 960, payload: [2], arrival: t0 + 21_000)
        #expect(jb.pop(now: t0 + 10_000) == .empty)
        #expect(jb.pop(now: t0 + 40_000) == .packet([1]))
        #expect(jb.peekNext() == [3])
        #expect(jb.pop(now: t0 + 60_000) == .packet([2]))
        #expect(jb.pop(now: t0 + 80_000) == .packet([3]))
        // underrun: conceal but hold the position; the late packet then plays
        #expect(jb.pop(now: t0 + 100_000) == .lost)
        jb.insert(sequenceNumber: 2, timestamp: 2880, payload: [4], arrival: t0 + 105_000)
        #expect(jb.pop(now: t0 + 120_000) == .packet([4]))
    }

    @Test func missingPacketIsReportedLostAndSkipped() {
        let jb = AudioJitterBuffer()
        var t: UInt64 = 0
        for seq in [10, 11, 13, 14] as [UInt16] {
            jb.insert(sequenceNumber: seq, timestamp: UInt32(seq) * 960, payload: [UInt8(seq)], arrival: t)
            t += 20_000
        }
        var outs: [JitterOutput] = []
        for k in 0..<5 { outs.append(jb.pop(now: 100_000 + UInt64(k) * 20_000)) }
        #expect(outs == [.packet([10]), .packet([11]), .lost, .packet([13]), .packet([14])])
        #expect(jb.lostFrames == 1)
        // a very late packet is discarded
        jb.insert(sequenceNumber: 12, timestamp: 12 * 960, payload: [12], arrival: t)
        #expect(jb.latePackets == 1)
    }

    @Test func targetDelayFollowsJitterWithinBounds() {
        let steady = AudioJitterBuffer()
        let jittery = AudioJitterBuffer()
        var seq: UInt16 = 65000
        for k in 0..<500 {
            let ts = UInt32(k) * 960
            steady.insert(sequenceNumber: seq, timestamp: ts, payload: [0], arrival: UInt64(k) * 20_000)
            let wobble: UInt64 = k % 2 == 0 ? 0 : 30_000
            jittery.insert(sequenceNumber: seq, timestamp: ts, payload: [0], arrival: UInt64(k) * 20_000 + wobble)
            seq &+= 1
        }
        #expect(steady.targetDelayMicros == 20_000)
        #expect(jittery.jitterMicros > 25_000 && jittery.jitterMicros < 35_000)
        #expect(jittery.targetDelayMicros > 90_000 && jittery.targetDelayMicros <= 200_000)
        let wild = AudioJitterBuffer()
        for k in 0..<100 {
            wild.insert(sequenceNumber: UInt16(k), timestamp: UInt32(k) * 960, payload: [0], arrival: UInt64(k % 2) * 500_000 + UInt64(k) * 20_000)
        }
        #expect(wild.targetDelayMicros == 200_000)
    }

    @Test func excessDelayIsTrimmed() {
        let jb = AudioJitterBuffer()
        for k in 0..<30 { jb.insert(sequenceNumber: UInt16(k), timestamp: UInt32(k) * 960, payload: [UInt8(k)], arrival: 0) }
        let first = jb.pop(now: 1_000_000)
        #expect(first != .empty && first != .lost)
        #expect(jb.droppedForLatency > 0)
        #expect(jb.bufferedPackets <= 5)
    }
}

@Suite struct FeedbackTests {
    @Test func sendHistoryKeepsTheLast1024() {
        let h = SendHistory()
        var seq: UInt16 = 64000
        for _ in 0..<2000 {
            h.store(sequenceNumber: seq, packet: [UInt8(truncatingIfNeeded: seq)])
            seq &+= 1
        }
        let last = seq &- 1
        #expect(h.packet(for: last) == [UInt8(truncatingIfNeeded: last)])
        #expect(h.packet(for: last &- 1023) != nil)
        #expect(h.packet(for: last &- 1024) == nil)
        #expect(h.packet(for: 64000) == nil)
        let p = RTPPacket(payloadType: 96, sequenceNumber: 7, timestamp: 1, ssrc: 2, payload: [9])
        h.store(p)
        #expect(h.packet(for: 7) == p.serialized())
    }

    @Test func nackGeneratorAcrossTheWrap() {
        let g = NackGenerator()
        g.received(sequenceNumber: 65533, now: 0)
        g.received(sequenceNumber: 65534, now: 0)
        g.received(sequenceNumber: 1, now: 1000)  // 65535 and 0 missing
        #expect(g.nacks(now: 1000, rttMicros: 50_000) == [65535, 0])
        #expect(g.nacks(now: 20_000, rttMicros: 50_000) == [])
        #expect(g.nacks(now: 51_000, rttMicros: 50_000) == [65535, 0])
        g.received(sequenceNumber: 0, now: 60_000)
        #expect(g.recovered == 1)
        #expect(g.nacks(now: 200_000, rttMicros: 50_000) == [65535])
        // retries are limited to 10
        var count = 3  // 65535 was NACKed three times so far
        var t: UInt64 = 300_000
        while t < 900_000 {
            count += g.nacks(now: t, rttMicros: 20_000).count
            t += 25_000
        }
        #expect(count == 10)
        #expect(g.missingCount == 0)
    }

    @Test func nackGeneratorForgetsOldLosses() {
        let g = NackGenerator()
        g.received(sequenceNumber: 10, now: 0)
        g.received(sequenceNumber: 12, now: 0)
        #expect(g.nacks(now: 0) == [11])
        #expect(g.nacks(now: 1_000_001) == [])
        #expect(g.missingCount == 0)
        // a huge jump is not NACKed
        g.received(sequenceNumber: 30_000, now: 2_000_000)
        #expect(g.nacks(now: 2_000_000) == [])
    }
}

@Suite struct StatisticsTests {
    @Test func lossAndExtendedSequenceAcrossTheWrap() {
        let s = ReceiveStatistics(ssrc: 5, clockRate: 90_000)
        var seqs: [UInt16] = Array(65530...65535) + Array(0...9)
        seqs.removeAll { $0 == 65534 || $0 == 3 }
        for (i, seq) in seqs.enumerated() { s.received(sequenceNumber: seq, timestamp: UInt32(i) * 3000, arrival: UInt64(i) * 33_333) }
        #expect(s.extendedHighestSequence == 65536 + 9)
        #expect(s.expected == 16)
        #expect(s.cumulativeLost == 2)
        let b = s.makeReportBlock(now: 0)
        #expect(b.ssrc == 5 && b.fractionLost == 32 && b.cumulativeLost == 2 && b.highestSequence == 65545)
        #expect(b.lastSR == 0 && b.delaySinceLastSR == 0)
        // next interval without loss
        for seq in 10...19 as ClosedRange<UInt16> { s.received(sequenceNumber: seq, timestamp: 0, arrival: 0) }
        #expect(s.makeReportBlock(now: 0).fractionLost == 0)
    }

    @Test func duplicatesMakeLossNegative() {
        let s = ReceiveStatistics(ssrc: 1, clockRate: 48_000)
        for seq in [1, 2, 2, 3] as [UInt16] { s.received(sequenceNumber: seq, timestamp: 0, arrival: 0) }
        #expect(s.cumulativeLost == -1)
        #expect(s.makeReportBlock(now: 0).cumulativeLost == -1)
    }

    @Test func jitterEstimate() {
        let steady = ReceiveStatistics(ssrc: 1, clockRate: 48_000)
        let wobbly = ReceiveStatistics(ssrc: 2, clockRate: 48_000)
        for k in 0..<1000 {
            let ts = UInt32(truncatingIfNeeded: 4_294_000_000 &+ UInt32(k) &* 960)  // wraps
            steady.received(sequenceNumber: UInt16(k), timestamp: ts, arrival: 10_000_000 + UInt64(k) * 20_000)
            wobbly.received(sequenceNumber: UInt16(k), timestamp: ts, arrival: 10_000_000 + UInt64(k) * 20_000 + (k % 2 == 0 ? 0 : 10_000))
        }
        #expect(steady.jitterTimestampUnits <= 1)
        // |D| = 10 ms = 480 units every packet: the estimator converges to 480
        #expect(wobbly.jitterTimestampUnits >= 470 && wobbly.jitterTimestampUnits <= 481)
    }

    @Test func sourceRestartIsAcceptedAfterTwoSequentialPackets() {
        let s = ReceiveStatistics(ssrc: 1, clockRate: 48_000)
        for seq in 100...110 as ClosedRange<UInt16> { s.received(sequenceNumber: seq, timestamp: 0, arrival: 0) }
        s.received(sequenceNumber: 40_000, timestamp: 0, arrival: 0)
        #expect(s.extendedHighestSequence == 110)
        s.received(sequenceNumber: 40_001, timestamp: 0, arrival: 0)
        #expect(s.extendedHighestSequence == 40_001)
    }

    @Test func rttFromLSRAndDLSR() throws {
        let ntpSent = NTPTime.fromUnixMicros(1_700_000_000_000_000)
        let receiver = ReceiveStatistics(ssrc: 9, clockRate: 48_000)
        receiver.received(sequenceNumber: 1, timestamp: 0, arrival: 0)
        // our SR reaches the peer 40 ms later; it answers 500 ms after that
        receiver.receivedSenderReport(ntpTimestamp: ntpSent, arrival: 2_000_000)
        let block = receiver.makeReportBlock(now: 2_500_000)
        #expect(block.lastSR == NTPTime.middle32(ntpSent))
        #expect(block.delaySinceLastSR == 32768)
        let arrival = NTPTime.fromUnixMicros(1_700_000_000_000_000 + 40_000 + 500_000 + 40_000)
        let rtt = try #require(roundTripMicros(reportBlock: block, arrivalNTP: arrival))
        #expect(rtt > 79_000 && rtt < 81_000)
        #expect(roundTripMicros(reportBlock: ReportBlock(ssrc: 1), arrivalNTP: arrival) == nil)
    }

    @Test func ntpConversions() {
        #expect(NTPTime.fromUnixMicros(0) == 2_208_988_800 << 32)
        #expect(NTPTime.fromUnixMicros(500_000) == (UInt64(2_208_988_800) << 32) | 0x8000_0000)
        let t: UInt64 = 1_764_000_000_123_456
        let back = NTPTime.toUnixMicros(NTPTime.fromUnixMicros(t))
        #expect(back + 1 >= t && back <= t)
        #expect(NTPTime.middle32(0x1234_5678_9ABC_DEF0) == 0x5678_9ABC)
        let now = NTPTime.toUnixMicros(NTPTime.now())
        #expect(now > 1_700_000_000_000_000)
    }

    @Test func senderReportExtrapolatesTheRTPTimestamp() {
        let s = SendStatistics(ssrc: 3, clockRate: 90_000)
        s.sent(RTPPacket(payloadType: 96, sequenceNumber: 1, timestamp: 1000, ssrc: 3, payload: [UInt8](repeating: 0, count: 100)), now: 1_000_000)
        s.sent(payloadBytes: 50, rtpTimestamp: 4000, now: 1_033_000)
        let sr = s.makeSenderReport(now: 1_133_000, ntp: 42)
        #expect(sr.packetCount == 2 && sr.octetCount == 150 && sr.ntpTimestamp == 42)
        #expect(sr.rtpTimestamp == 4000 + 9000)
    }
}

@Suite struct RobustnessTests {
    @Test func oneByteIdZeroIsPaddingWhateverItsLengthNibble() throws {
        // found by libFuzzer: 0x01 has id 0 and must be skipped as one padding byte
        let bytes: [UInt8] = [0x90, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 0xBE, 0xDE, 0, 2, 0x10, 0, 0x01, 0, 0xC0, 5, 0, 0, 9, 9]
        let p = try RTPPacket(parsing: bytes)
        #expect(p.extensions == [RTPHeaderExtension(id: 1, data: [0]), RTPHeaderExtension(id: 12, data: [5])])
        fuzzRTP(bytes)
    }

    @Test func timestampRestartDoesNotStallTheDepacketizer() {
        let d = VP8Depacketizer()
        #expect(d.push(payload: [0x10, 1], sequenceNumber: 500, timestamp: 1_000_000, marker: true) == [1])
        #expect(d.push(payload: [0x10, 2], sequenceNumber: 501, timestamp: 10, marker: true) == [2])
        #expect(d.push(payload: [0x10, 3], sequenceNumber: 502, timestamp: 3010, marker: true) == [3])
        #expect(d.lostFrames == 0)
    }

    @Test func lenientH264Payloads() {
        let d = H264Depacketizer()
        // STAP-A with a zero size as trailing padding, then an unspecified NAL type 0 which is ignored
        let stap: [UInt8] = [0x78, 0, 2, 0x67, 1, 0, 2, 0x68, 2, 0, 0]
        #expect(d.push(payload: stap, sequenceNumber: 1, timestamp: 0, marker: false) == nil)
        #expect(d.push(payload: [0x00, 7], sequenceNumber: 2, timestamp: 0, marker: false) == nil)
        #expect(d.push(payload: [0x65, 9], sequenceNumber: 3, timestamp: 0, marker: true) == [0, 0, 0, 1, 0x67, 1, 0, 0, 0, 1, 0x68, 2, 0, 0, 0, 1, 0x65, 9])
    }

    @Test func hugeSequenceJumpResetsTheAssembler() {
        let d = VP8Depacketizer()
        #expect(d.push(payload: [0x10, 1], sequenceNumber: 0, timestamp: 0, marker: false) == nil)
        // the unfinished frame is forgotten and counted; the new frame plays at once
        #expect(d.push(payload: [0x10, 2], sequenceNumber: 20_000, timestamp: 90_000, marker: true) == [2])
        #expect(d.lostFrames == 1)
        #expect(d.push(payload: [0x10, 3], sequenceNumber: 20_001, timestamp: 93_000, marker: true) == [3])
    }
}

@Suite struct JitterBufferJumpTests {
    @Test func aSequenceJumpRestartsPlayout() {
        let jb = AudioJitterBuffer()
        jb.insert(sequenceNumber: 1, timestamp: 0, payload: [1], arrival: 0)
        #expect(jb.pop(now: 100_000) == .packet([1]))
        jb.insert(sequenceNumber: 30_000, timestamp: 960, payload: [2], arrival: 120_000)
        jb.insert(sequenceNumber: 30_001, timestamp: 1920, payload: [3], arrival: 140_000)
        #expect(jb.pop(now: 130_000) == .empty)
        #expect(jb.pop(now: 200_000) == .packet([2]))
        #expect(jb.pop(now: 220_000) == .packet([3]))
    }
}
