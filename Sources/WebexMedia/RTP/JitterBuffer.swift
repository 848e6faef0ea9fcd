/// Adaptive audio jitter buffer: packets in by sequence number, one frame out per `pop` (every ptime).

public enum JitterOutput: Sendable, Equatable {
    /// The next packet's payload, to decode.
    case packet([UInt8])
    /// The next packet is missing: conceal (PLC), or decode FEC from `peekNext()` if it is there.
    case lost
    /// Nothing to play yet (before start, or after a reset).
    case empty
}

/// Orders audio packets and plays them out after a target delay that follows the measured interarrival
/// jitter (RFC 3550 A.8 estimator), clamped to 20...200 ms. `pop` is called once per frame duration.
/// Single owner: not thread-safe.
public final class AudioJitterBuffer {
    public let clockRate: Int
    /// Frame duration in microseconds (20 ms by default).
    public let frameMicros: UInt64
    public let minDelayMicros: UInt64
    public let maxDelayMicros: UInt64

    private var packets: [Int64: [UInt8]] = [:]
    private var timestamps: [Int64: UInt32] = [:]
    /// The RTP timestamp of the packet the last `pop` returned (for latency measurement).
    public private(set) var lastPoppedTimestamp: UInt32?
    private var unwrapper = SequenceUnwrapper()
    private var next: Int64?               // extended seq to play next
    private var firstArrival: UInt64?      // arrival of the packet that started buffering
    private var jitterTS: Double = 0       // interarrival jitter, timestamp units
    private var lastTransit: Int64?
    /// Packets discarded because they arrived after their play time.
    public private(set) var latePackets = 0
    /// Frames reported `.lost`.
    public private(set) var lostFrames = 0
    /// Packets dropped to shrink the delay.
    public private(set) var droppedForLatency = 0

    public init(clockRate: Int = 48_000, frameMicros: UInt64 = 20_000, minDelayMicros: UInt64 = 20_000, maxDelayMicros: UInt64 = 200_000) {
        self.clockRate = max(clockRate, 1)
        self.frameMicros = max(frameMicros, 1)
        self.minDelayMicros = minDelayMicros
        self.maxDelayMicros = max(maxDelayMicros, minDelayMicros)
    }

    /// Current interarrival jitter in microseconds.
    public var jitterMicros: UInt64 { UInt64(jitterTS * 1_000_000 / Double(clockRate)) }

    /// The delay the buffer aims for: three times the jitter plus one frame, within min...max.
    public var targetDelayMicros: UInt64 {
        min(max(3 * jitterMicros + frameMicros, minDelayMicros), maxDelayMicros)
    }

    /// Number of packets buffered from the play position on.
    public var bufferedPackets: Int { packets.count }

    /// Adds a packet; `arrival` is in microseconds on `MediaClock`.
    public func insert(sequenceNumber: UInt16, timestamp: UInt32, payload: [UInt8], arrival: UInt64) {
        var ext = unwrapper.unwrap(sequenceNumber)
        // Jitter estimate (RFC 3550 A.8) from the transit time difference.
        let arrivalTS = Int64(truncatingIfNeeded: arrival &* UInt64(clockRate) / 1_000_000)
        let transit = arrivalTS - Int64(timestamp)
        if let last = lastTransit {
            var d = transit - last
            // Timestamps wrap at 2^32: bring the difference into range.
            d = Int64(Int32(truncatingIfNeeded: d))
            jitterTS += (Double(abs(d)) - jitterTS) / 16
        }
        lastTransit = transit
        if let n = next {
            if ext < n { latePackets += 1; return }
            if ext - n > 500 {  // a jump (new stream, long outage): start over from this packet
                reset()
                ext = unwrapper.unwrap(sequenceNumber)
                lastTransit = transit
            }
        }
        if next == nil && packets.isEmpty { firstArrival = arrival }
        if packets.count < 1000 {
            packets[ext] = payload
            timestamps[ext] = timestamp
        }
    }

    /// The payload after the one `pop` will return next, if it arrived (for Opus in-band FEC).
    public func peekNext() -> [UInt8]? {
        guard let n = next else { return nil }
        return packets[n + 1]
    }

    /// The payload to play now.
    public func pop(now: UInt64) -> JitterOutput {
        guard let start = next else {
            // Waiting for the first packets to have been buffered for the target delay.
            guard let first = firstArrival, let lowest = packets.keys.min(), now >= first, now - first >= targetDelayMicros else {
                return .empty
            }
            next = lowest
            return pop(now: now)
        }
        let highest = unwrapper.highest
        // Too much buffered: skip the oldest packets to bring the delay back toward the target.
        let targetPackets = Int((targetDelayMicros + frameMicros - 1) / frameMicros)
        var n = start
        if let h = highest, h - n + 1 > Int64(targetPackets + 3) {
            let newStart = h - Int64(targetPackets)
            for k in packets.keys where k < newStart {
                packets[k] = nil
                timestamps[k] = nil
                droppedForLatency += 1
            }
            n = newStart
        }
        if let payload = packets.removeValue(forKey: n) {
            lastPoppedTimestamp = timestamps.removeValue(forKey: n)
            next = n + 1
            return .packet(payload)
        }
        lostFrames += 1
        if let h = highest, h > n {
            next = n + 1  // really lost (or very late): move on
        } else {
            next = n      // underrun: hold the position, which grows the delay by one frame
        }
        return .lost
    }

    /// Forgets everything (e.g. on an SSRC change).
    public func reset() {
        packets.removeAll()
        timestamps.removeAll()
        next = nil
        firstArrival = nil
        unwrapper = SequenceUnwrapper()
        lastTransit = nil
    }
}
