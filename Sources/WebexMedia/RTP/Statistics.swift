import Glibc

/// NTP timestamps (RFC 5905 64-bit format: seconds since 1900 in the high half, fraction in the low half).
public enum NTPTime {
    /// Seconds from 1900-01-01 to 1970-01-01.
    public static let unixEpochOffset: UInt64 = 2_208_988_800

    /// The wall clock now, as an NTP timestamp.
    public static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return fromUnix(seconds: UInt64(ts.tv_sec), nanoseconds: UInt64(ts.tv_nsec))
    }

    public static func fromUnix(seconds: UInt64, nanoseconds: UInt64) -> UInt64 {
        let fraction = (nanoseconds << 32) / 1_000_000_000
        return (seconds &+ unixEpochOffset) << 32 | (fraction & 0xFFFF_FFFF)
    }

    public static func fromUnixMicros(_ micros: UInt64) -> UInt64 {
        fromUnix(seconds: micros / 1_000_000, nanoseconds: (micros % 1_000_000) * 1000)
    }

    public static func toUnixMicros(_ ntp: UInt64) -> UInt64 {
        let seconds = (ntp >> 32) &- unixEpochOffset
        let micros = ((ntp & 0xFFFF_FFFF) * 1_000_000) >> 32
        return seconds &* 1_000_000 &+ micros
    }

    /// The middle 32 bits (16.16 fixed point seconds), as used by LSR and the RTT computation.
    public static func middle32(_ ntp: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: ntp >> 16) }

    /// Microseconds as 1/65536-second units (DLSR).
    public static func micros(toCompact micros: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: (micros / 1_000_000) << 16 | ((micros % 1_000_000) << 16) / 1_000_000)
    }

    public static func compactToMicros(_ units: UInt32) -> UInt64 { (UInt64(units) * 1_000_000) >> 16 }
}

/// Round-trip time from a report block about our stream (RFC 3550 §6.4.1): A - LSR - DLSR, with A the
/// arrival time of the report (NTP). Nil when the peer has not received an SR yet or the result is
/// negative (clock nonsense).
public func roundTripMicros(reportBlock: ReportBlock, arrivalNTP: UInt64) -> UInt64? {
    guard reportBlock.lastSR != 0 else { return nil }
    let a = NTPTime.middle32(arrivalNTP)
    let rtt = Int32(bitPattern: a &- reportBlock.lastSR &- reportBlock.delaySinceLastSR)
    guard rtt >= 0 else { return nil }
    return NTPTime.compactToMicros(UInt32(rtt))
}

/// Per-source receive statistics (RFC 3550 A.1 sequence validation, A.3 loss, A.8 jitter) that produce
/// the report block we send about that source. Single owner.
public final class ReceiveStatistics {
    public let ssrc: UInt32
    public let clockRate: Int

    static let maxDropout: UInt32 = 3000
    static let maxMisorder: UInt32 = 100
    static let seqMod: UInt32 = 1 << 16

    private var started = false
    private var maxSeq: UInt16 = 0
    private var cycles: UInt32 = 0
    private var baseSeq: UInt32 = 0
    private var badSeq: UInt32 = seqMod + 1
    public private(set) var packetsReceived: UInt64 = 0
    public private(set) var bytesReceived: UInt64 = 0
    private var expectedPrior: Int64 = 0
    private var receivedPrior: UInt64 = 0
    private var transit: Int64?
    private var jitter: Double = 0
    private var lastSR: UInt32 = 0
    private var lastSRArrival: UInt64?

    public init(ssrc: UInt32, clockRate: Int) {
        self.ssrc = ssrc
        self.clockRate = max(clockRate, 1)
    }

    /// Records a packet; `arrival` in microseconds on any monotonic clock.
    public func received(sequenceNumber seq: UInt16, timestamp: UInt32, arrival: UInt64, payloadBytes: Int = 0) {
        if !started {
            started = true
            initSeq(seq)
        } else if !updateSeq(seq) {
            return  // a jump that is not yet confirmed
        }
        packetsReceived += 1
        bytesReceived += UInt64(max(payloadBytes, 0))
        let arrivalTS = Int64(truncatingIfNeeded: arrival &* UInt64(clockRate) / 1_000_000)
        let t = arrivalTS - Int64(timestamp)
        if let last = transit {
            let d = Int64(Int32(truncatingIfNeeded: t - last))
            jitter += (Double(abs(d)) - jitter) / 16
        }
        transit = t
    }

    private func initSeq(_ seq: UInt16) {
        baseSeq = UInt32(seq)
        maxSeq = seq
        badSeq = Self.seqMod + 1
        cycles = 0
        receivedPrior = 0
        expectedPrior = 0
        packetsReceived = 0
    }

    /// RFC 3550 A.1 update_seq without probation; false when the packet is not counted.
    private func updateSeq(_ seq: UInt16) -> Bool {
        let udelta = UInt32(seq &- maxSeq)
        if udelta < Self.maxDropout {
            if seq < maxSeq { cycles &+= Self.seqMod }  // wrapped
            maxSeq = seq
        } else if udelta <= Self.seqMod - Self.maxMisorder {
            // A very large jump: accept it only if the next packet follows it (source restarted).
            if UInt32(seq) == badSeq {
                initSeq(seq)
            } else {
                badSeq = (UInt32(seq) + 1) & (Self.seqMod - 1)
                return false
            }
        } else {
            // duplicate or reordered packet
        }
        return true
    }

    /// Extended highest sequence number received.
    public var extendedHighestSequence: UInt32 { cycles &+ UInt32(maxSeq) }

    public var expected: Int64 { Int64(extendedHighestSequence) - Int64(baseSeq) + 1 }

    /// Cumulative lost (negative with duplicates), per RFC 3550 A.3.
    public var cumulativeLost: Int64 { started ? expected - Int64(packetsReceived) : 0 }

    /// Interarrival jitter in timestamp units.
    public var jitterTimestampUnits: UInt32 { UInt32(min(jitter, Double(UInt32.max))) }

    /// Remembers an SR from this source (for LSR/DLSR); `arrival` in microseconds on the same clock as `now`.
    public func receivedSenderReport(ntpTimestamp: UInt64, arrival: UInt64) {
        lastSR = NTPTime.middle32(ntpTimestamp)
        lastSRArrival = arrival
    }

    /// The report block for the next RR/SR; updates the interval counters for the fraction lost.
    public func makeReportBlock(now: UInt64) -> ReportBlock {
        let exp = expected
        let expectedInterval = exp - expectedPrior
        expectedPrior = exp
        let receivedInterval = Int64(packetsReceived) - Int64(receivedPrior)
        receivedPrior = packetsReceived
        let lostInterval = expectedInterval - receivedInterval
        let fraction: UInt8 = (expectedInterval == 0 || lostInterval <= 0)
            ? 0 : UInt8(min(255, (lostInterval << 8) / expectedInterval))
        var dlsr: UInt32 = 0
        if let at = lastSRArrival, now >= at { dlsr = NTPTime.micros(toCompact: now - at) }
        return ReportBlock(
            ssrc: ssrc, fractionLost: fraction,
            cumulativeLost: Int32(max(-8_388_608, min(8_388_607, cumulativeLost))),
            highestSequence: extendedHighestSequence, jitter: jitterTimestampUnits,
            lastSR: lastSR, delaySinceLastSR: lastSRArrival == nil ? 0 : dlsr)
    }
}

/// Counters for our own stream's sender reports. Single owner.
public final class SendStatistics {
    public let ssrc: UInt32
    public let clockRate: Int
    public private(set) var packetCount: UInt32 = 0
    /// Payload octets (RFC 3550: headers and padding excluded).
    public private(set) var octetCount: UInt32 = 0
    private var lastRTPTimestamp: UInt32?
    private var lastSendTime: UInt64 = 0

    public init(ssrc: UInt32, clockRate: Int) {
        self.ssrc = ssrc
        self.clockRate = max(clockRate, 1)
    }

    /// Records a sent packet; `now` in microseconds on `MediaClock`. Retransmissions should not be counted.
    public func sent(_ packet: RTPPacket, now: UInt64) {
        sent(payloadBytes: packet.payload.count, rtpTimestamp: packet.timestamp, now: now)
    }

    public func sent(payloadBytes: Int, rtpTimestamp: UInt32, now: UInt64) {
        packetCount &+= 1
        octetCount &+= UInt32(truncatingIfNeeded: max(payloadBytes, 0))
        lastRTPTimestamp = rtpTimestamp
        lastSendTime = now
    }

    /// An SR for now: the RTP timestamp is extrapolated from the last packet sent to `now`.
    public func makeSenderReport(now: UInt64, ntp: UInt64 = NTPTime.now(), reports: [ReportBlock] = []) -> SenderReport {
        var rtp: UInt32 = 0
        if let last = lastRTPTimestamp {
            let elapsed = now >= lastSendTime ? now - lastSendTime : 0
            rtp = last &+ UInt32(truncatingIfNeeded: elapsed * UInt64(clockRate) / 1_000_000)
        }
        return SenderReport(
            ssrc: ssrc, ntpTimestamp: ntp, rtpTimestamp: rtp, packetCount: packetCount, octetCount: octetCount,
            reports: reports)
    }
}
