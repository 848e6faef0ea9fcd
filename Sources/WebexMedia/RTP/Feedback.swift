import Synchronization

/// The last `capacity` sent RTP packets by sequence number, for NACK retransmission. Thread-safe: the
/// send path stores, the RTCP receive path looks up.
public final class SendHistory: @unchecked Sendable {
    public let capacity: Int
    private let slots: Mutex<[(seq: UInt16, bytes: [UInt8])?]>

    public init(capacity: Int = 1024) {
        self.capacity = max(capacity, 1)
        slots = Mutex([(seq: UInt16, bytes: [UInt8])?](repeating: nil, count: max(capacity, 1)))
    }

    /// Remembers a sent packet (the unencrypted RTP bytes).
    public func store(sequenceNumber: UInt16, packet: [UInt8]) {
        let i = Int(sequenceNumber) % capacity
        slots.withLock { $0[i] = (sequenceNumber, packet) }
    }

    public func store(_ packet: RTPPacket) {
        store(sequenceNumber: packet.sequenceNumber, packet: packet.serialized())
    }

    /// The packet sent with this sequence number, if still in the history.
    public func packet(for sequenceNumber: UInt16) -> [UInt8]? {
        let i = Int(sequenceNumber) % capacity
        return slots.withLock { s in
            guard let e = s[i], e.seq == sequenceNumber else { return nil }
            return e.bytes
        }
    }
}

/// Decides which sequence numbers to NACK (RFC 4585): gaps are NACKed at once, re-NACKed at most
/// `maxRetries` times spaced by the RTT, and forgotten after `maxAgeMicros`. Single owner.
public final class NackGenerator {
    public var maxRetries = 10
    public var maxAgeMicros: UInt64 = 1_000_000
    /// Lower bound for the re-NACK spacing when the RTT is unknown or tiny.
    public var minIntervalMicros: UInt64 = 20_000
    /// Gaps larger than this are treated as a stream jump, not as losses.
    public var maxGap = 500
    public var maxTracked = 1000

    private struct Missing { var ext: Int64; var firstSeen: UInt64; var lastSent: UInt64?; var retries: Int }
    private var unwrapper = SequenceUnwrapper()
    private var highest: Int64?
    /// Sorted by `ext`: gaps are only ever added above the highest sequence number.
    private var missing: [Missing] = []
    /// Packets that arrived after being reported missing.
    public private(set) var recovered = 0

    public init() {}

    /// Records a received sequence number (`now` in microseconds).
    public func received(sequenceNumber: UInt16, now: UInt64) {
        let ext = unwrapper.unwrap(sequenceNumber)
        guard let h = highest else {
            highest = ext
            return
        }
        if ext > h {
            if ext - h - 1 > Int64(maxGap) {
                missing.removeAll()  // a jump: do not NACK half a stream
            } else {
                var k = h + 1
                while k < ext {
                    missing.append(Missing(ext: k, firstSeen: now, lastSent: nil, retries: 0))
                    k += 1
                }
                if missing.count > maxTracked { missing.removeFirst(missing.count - maxTracked) }
            }
            highest = ext
        } else if let i = index(of: ext) {
            missing.remove(at: i)
            recovered += 1
        }
    }

    /// Binary search in the sorted list.
    private func index(of ext: Int64) -> Int? {
        var lo = 0, hi = missing.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if missing[mid].ext < ext { lo = mid + 1 } else { hi = mid }
        }
        return lo < missing.count && missing[lo].ext == ext ? lo : nil
    }

    /// Sequence numbers to NACK now, oldest first; `rttMicros` spaces the repeats.
    public func nacks(now: UInt64, rttMicros: UInt64 = 100_000) -> [UInt16] {
        let spacing = max(rttMicros, minIntervalMicros)
        var out: [UInt16] = []
        var kept: [Missing] = []
        kept.reserveCapacity(missing.count)
        for var m in missing {
            if m.retries >= maxRetries || (now >= m.firstSeen && now - m.firstSeen >= maxAgeMicros) { continue }
            if m.lastSent == nil || (now >= m.lastSent! && now - m.lastSent! >= spacing) {
                m.lastSent = now
                m.retries += 1
                out.append(UInt16(truncatingIfNeeded: m.ext))
            }
            kept.append(m)
        }
        missing = kept
        return out
    }

    /// Number of sequence numbers currently considered missing.
    public var missingCount: Int { missing.count }
}
