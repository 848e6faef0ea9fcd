/// libFuzzer entry points: parse, re-serialize, re-parse; trap only if a round trip is not stable.

public func fuzzRTP(_ bytes: [UInt8]) {
    guard let first = try? RTPPacket(parsing: bytes) else { return }
    let again: RTPPacket
    do { again = try RTPPacket(parsing: first.serialized()) } catch {
        fatalError("fuzzRTP: re-parse failed: \(error)")
    }
    precondition(again == first, "fuzzRTP: round trip changed the packet")
}

public func fuzzRTCP(_ bytes: [UInt8]) {
    guard let first = try? RTCPPacket.parseCompound(bytes) else { return }
    let second: [RTCPPacket]
    do { second = try RTCPPacket.parseCompound(RTCPPacket.serializeCompound(first)) } catch {
        // An empty list serializes to nothing, which is not a packet.
        if first.isEmpty { return }
        fatalError("fuzzRTCP: re-parse failed: \(error)")
    }
    let third = try? RTCPPacket.parseCompound(RTCPPacket.serializeCompound(second))
    precondition(third == second, "fuzzRTCP: round trip is not stable")
}

/// Feeds arbitrary bytes to the depacketizers (the first bytes choose sequence number, timestamp, marker).
public func fuzzDepacketizers(_ bytes: [UInt8]) {
    let h264 = H264Depacketizer(), vp8 = VP8Depacketizer()
    var i = 0
    var rounds = 0
    while i + 4 <= bytes.count && rounds < 256 {
        let seq = UInt16(bytes[i]) | UInt16(bytes[i + 1] & 0x0F) << 8
        let ts = UInt32(bytes[i + 1] >> 4) * 3000
        let marker = bytes[i + 2] & 1 != 0
        let len = min(Int(bytes[i + 3]), bytes.count - i - 4)
        let payload = Array(bytes[(i + 4)..<(i + 4 + len)])
        _ = h264.pushAll(payload: payload, sequenceNumber: seq, timestamp: ts, marker: marker)
        _ = vp8.pushAll(payload: payload, sequenceNumber: seq, timestamp: ts, marker: marker)
        i += 4 + len
        rounds += 1
    }
}

/// Drives the receive-side state machines (jitter buffer, NACK generator, statistics) with arbitrary
/// sequence numbers, timestamps and arrival times: they must never trap.
public func fuzzReceivePath(_ bytes: [UInt8]) {
    let jb = AudioJitterBuffer(), nack = NackGenerator(), stats = ReceiveStatistics(ssrc: 1, clockRate: 48_000)
    var i = 0
    var now: UInt64 = 0
    while i + 8 <= bytes.count {
        let seq = be16(bytes, i)
        let ts = be32(bytes, i + 2)
        let step = UInt64(be16(bytes, i + 6))
        now = bytes[i] == 0xFF ? UInt64.max - step : now &+ step * 100
        jb.insert(sequenceNumber: seq, timestamp: ts, payload: [bytes[i]], arrival: now)
        _ = jb.pop(now: now)
        nack.received(sequenceNumber: seq, now: now)
        _ = nack.nacks(now: now, rttMicros: step)
        stats.received(sequenceNumber: seq, timestamp: ts, arrival: now)
        if bytes[i + 1] & 1 != 0 { stats.receivedSenderReport(ntpTimestamp: UInt64(ts) << 16, arrival: now) }
        _ = stats.makeReportBlock(now: now)
        i += 8
    }
}
