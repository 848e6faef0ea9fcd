/// Payloaders (frame -> RTP payloads) for Opus, H.264 (RFC 6184) and VP8 (RFC 7741).

/// Opus (RFC 7587): one Opus packet is one RTP payload, unchanged.
public struct OpusPayloader: Sendable {
    public init() {}
    public func packetize(_ opus: [UInt8]) -> [UInt8] { opus }
}

/// H.264 packetization mode 1: single NAL unit packets, STAP-A for parameter sets, FU-A for large NAL units.
/// The caller sets the RTP marker bit on the last payload of the access unit.
public struct H264Payloader: Sendable {
    public var maxPayloadSize: Int

    public init(maxPayloadSize: Int = 1200) {
        self.maxPayloadSize = max(maxPayloadSize, 3)
    }

    /// NAL units of an Annex B byte stream (3- or 4-byte start codes), without start codes or trailing zeros.
    public static func splitAnnexB(_ data: [UInt8]) -> [ArraySlice<UInt8>] {
        var starts: [(codeStart: Int, nalStart: Int)] = []
        var i = 0
        while i + 2 < data.count {
            if data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1 {
                starts.append((i, i + 3))
                i += 3
            } else {
                i += 1
            }
        }
        if starts.isEmpty { return data.isEmpty ? [] : [data[...]] }  // a bare NAL unit
        var nals: [ArraySlice<UInt8>] = []
        for (k, s) in starts.enumerated() {
            var end = k + 1 < starts.count ? starts[k + 1].codeStart : data.count
            while end > s.nalStart && data[end - 1] == 0 { end -= 1 }  // zero_byte / trailing_zero_8bits
            if end > s.nalStart { nals.append(data[s.nalStart..<end]) }
        }
        return nals
    }

    public func packetize(_ annexB: [UInt8]) -> [[UInt8]] {
        let nals = Self.splitAnnexB(annexB)
        var out: [[UInt8]] = []
        var pending: [ArraySlice<UInt8>] = []  // parameter sets waiting to be aggregated

        func flush() {
            if pending.count == 1 {
                out.append(Array(pending[0]))
            } else if pending.count > 1 {
                var stap: [UInt8] = [0]
                var nri: UInt8 = 0
                var forbidden: UInt8 = 0
                for n in pending {
                    nri = max(nri, n[n.startIndex] & 0x60)
                    forbidden |= n[n.startIndex] & 0x80
                    put16(&stap, UInt16(n.count))
                    stap += n
                }
                stap[0] = forbidden | nri | 24
                out.append(stap)
            }
            pending.removeAll()
        }

        for nal in nals {
            let type = nal[nal.startIndex] & 0x1F
            let aggregatable = type == 6 || type == 7 || type == 8 || type == 9
            if aggregatable {
                let size = 1 + pending.reduce(0) { $0 + 2 + $1.count } + 2 + nal.count
                if size <= maxPayloadSize || pending.isEmpty && nal.count <= maxPayloadSize {
                    if size > maxPayloadSize { flush() }
                    pending.append(nal)
                    continue
                }
                flush()
                if nal.count <= maxPayloadSize {
                    pending.append(nal)
                    continue
                }
            }
            flush()
            if nal.count <= maxPayloadSize {
                out.append(Array(nal))
            } else {
                out += fragment(nal)
            }
        }
        flush()
        return out
    }

    private func fragment(_ nal: ArraySlice<UInt8>) -> [[UInt8]] {
        let header = nal[nal.startIndex]
        let indicator = (header & 0xE0) | 28
        let type = header & 0x1F
        let body = nal.dropFirst()
        let chunk = maxPayloadSize - 2
        var result: [[UInt8]] = []
        var i = body.startIndex
        while i < body.endIndex {
            let end = min(i + chunk, body.endIndex)
            var fuHeader = type
            if i == body.startIndex { fuHeader |= 0x80 }
            if end == body.endIndex { fuHeader |= 0x40 }
            result.append([indicator, fuHeader] + body[i..<end])
            i = end
        }
        return result
    }
}

/// VP8 (RFC 7741) with a 15-bit PictureID that increments per frame; S bit on the first packet.
public struct VP8Payloader: Sendable {
    public var maxPayloadSize: Int
    public private(set) var pictureID: UInt16

    public init(maxPayloadSize: Int = 1200, pictureID: UInt16 = UInt16.random(in: 0...0x7FFF)) {
        self.maxPayloadSize = max(maxPayloadSize, 5)
        self.pictureID = pictureID & 0x7FFF
    }

    public mutating func packetize(_ frame: [UInt8]) -> [[UInt8]] {
        guard !frame.isEmpty else { return [] }
        let chunk = maxPayloadSize - 4
        var result: [[UInt8]] = []
        var i = 0
        while i < frame.count {
            let end = min(i + chunk, frame.count)
            let descriptor: [UInt8] = [
                0x80 | (i == 0 ? 0x10 : 0), 0x80, 0x80 | UInt8(pictureID >> 8), UInt8(pictureID & 0xFF),
            ]
            result.append(descriptor + frame[i..<end])
            i = end
        }
        pictureID = (pictureID + 1) & 0x7FFF
        return result
    }
}

/// The parsed RFC 7741 payload descriptor.
public struct VP8PayloadDescriptor: Sendable, Equatable {
    public var nonReference: Bool
    public var startOfPartition: Bool
    public var partitionIndex: UInt8
    public var pictureID: UInt16?
    public var pictureIDIs15Bit: Bool
    public var tl0PicIdx: UInt8?
    public var temporalLayer: UInt8?
    public var layerSync: Bool
    public var keyIndex: UInt8?
    /// Offset of the VP8 payload after the descriptor.
    public var headerSize: Int

    /// Parses the descriptor; nil when it runs past the payload or leaves no VP8 data.
    public init?(_ p: [UInt8]) {
        guard !p.isEmpty else { return nil }
        let b0 = p[0]
        nonReference = b0 & 0x20 != 0
        startOfPartition = b0 & 0x10 != 0
        partitionIndex = b0 & 0x0F
        pictureID = nil
        pictureIDIs15Bit = false
        tl0PicIdx = nil
        temporalLayer = nil
        layerSync = false
        keyIndex = nil
        var i = 1
        if b0 & 0x80 != 0 {
            guard p.count > i else { return nil }
            let x = p[i]
            i += 1
            if x & 0x80 != 0 {
                guard p.count > i else { return nil }
                if p[i] & 0x80 != 0 {
                    guard p.count > i + 1 else { return nil }
                    pictureID = UInt16(p[i] & 0x7F) << 8 | UInt16(p[i + 1])
                    pictureIDIs15Bit = true
                    i += 2
                } else {
                    pictureID = UInt16(p[i])
                    i += 1
                }
            }
            if x & 0x40 != 0 {
                guard p.count > i else { return nil }
                tl0PicIdx = p[i]
                i += 1
            }
            if x & 0x30 != 0 {
                guard p.count > i else { return nil }
                if x & 0x20 != 0 {
                    temporalLayer = p[i] >> 6
                    layerSync = p[i] & 0x20 != 0
                }
                if x & 0x10 != 0 { keyIndex = p[i] & 0x1F }
                i += 1
            }
        }
        guard p.count > i else { return nil }
        headerSize = i
    }
}

// MARK: - Depacketizers

/// Reassembles frames from RTP payloads, tolerating reordering and late retransmissions. A frame is
/// emitted when its first packet (a frame start by the codec's rules) through its marker packet are all
/// present; frames are emitted in order. A frame still incomplete when `maxPendingFrames` newer frames
/// are waiting is dropped and counted in `lostFrames` (ask for a keyframe when that grows).
struct FrameAssembler {
    struct Entry {
        var payload: [UInt8]
        var timestamp: UInt32
        var marker: Bool
        var isStart: Bool
    }

    var packets: [Int64: Entry] = [:]
    var unwrapper = SequenceUnwrapper()
    /// Extended seq of the last packet of the last emitted frame, while in order.
    var lastEnd: Int64?
    /// Highest extended seq that was emitted or discarded; older packets are ignored.
    var floor: Int64?
    var lastFrameTimestamp: UInt32?
    var lostFrames = 0
    var maxPendingFrames = 3
    var maxPackets = 2048

    /// Stores one packet and returns the ordered payloads of every frame that became complete.
    mutating func push(
        payload: [UInt8], sequenceNumber: UInt16, timestamp: UInt32, marker: Bool, isStart: Bool
    ) -> [[[UInt8]]] {
        let ext = unwrapper.unwrap(sequenceNumber)
        if let f = floor, ext <= f { return [] }  // late duplicate or retransmission of a finished frame
        if let t = lastFrameTimestamp, timestamp == t { return [] }  // a late packet of a finished frame
        if let h = unwrapper.highest, h - ext > 1000 { return [] }
        // A jump far ahead (new stream, long outage): forget everything older.
        if let minKey = packets.keys.min(), ext - minKey > Int64(maxPackets) {
            lostFrames += Set(packets.values.map(\.timestamp)).count
            packets.removeAll()
            lastEnd = nil
            floor = ext - 1
        }
        if packets[ext] == nil {
            packets[ext] = Entry(payload: payload, timestamp: timestamp, marker: marker, isStart: isStart)
        }
        var frames: [[[UInt8]]] = []
        for _ in 0..<64 {  // bounded: each round emits or drops one frame
            guard let result = step() else { break }
            if let f = result { frames.append(f) }
        }
        return frames
    }

    /// One assembly step: `.some(frame)` emitted, `.some(nil)` dropped a frame, `nil` nothing to do.
    private mutating func step() -> [[UInt8]]?? {
        guard let minKey = packets.keys.min(), let oldest = packets[minKey] else { return nil }
        let start: Int64
        let acceptable: Bool
        if let e = lastEnd {
            start = e + 1
            if let first = packets[start], !first.isStart {
                return .some(drop(oldestKey: start, timestamp: first.timestamp))  // not a frame start
            }
            acceptable = true
        } else {
            // Resynchronizing: the oldest packet must begin a frame and follow a finished/dropped packet
            // (or be the first packet of the stream).
            start = minKey
            acceptable = oldest.isStart && (floor.map { start - 1 <= $0 } ?? true)
        }
        if acceptable, let first = packets[start] {
            var payloads: [[UInt8]] = []
            var k = start
            while let p = packets[k], p.timestamp == first.timestamp, k - start < Int64(maxPackets) {
                payloads.append(p.payload)
                if p.marker { return .some(finish(to: k, timestamp: first.timestamp, payloads)) }
                k += 1
            }
            if let next = packets[k], next.timestamp != first.timestamp {
                // Contiguous up to a newer frame but no marker: the sender never set it; accept the frame.
                return .some(finish(to: k - 1, timestamp: first.timestamp, payloads))
            }
        }
        // Incomplete: give up on the oldest frame once enough newer frames are waiting.
        // Frames are ordered by sequence number, not timestamp, so a sender that restarts its
        // timestamps cannot stall the assembler.
        var newer = Set<UInt32>()
        for (k, p) in packets where k > minKey && p.timestamp != oldest.timestamp { newer.insert(p.timestamp) }
        if newer.count >= maxPendingFrames || packets.count > maxPackets {
            return .some(drop(oldestKey: minKey, timestamp: oldest.timestamp))
        }
        return nil
    }

    private mutating func finish(to: Int64, timestamp: UInt32, _ payloads: [[UInt8]]) -> [[UInt8]] {
        for k in packets.keys where k <= to { packets[k] = nil }
        lastEnd = to
        floor = max(floor ?? to, to)
        lastFrameTimestamp = timestamp
        return payloads
    }

    /// Drops the frame `timestamp` that starts at or before `oldestKey`: every packet before the first
    /// packet of another frame after `oldestKey` (missing ones are taken as belonging to the dropped frame).
    private mutating func drop(oldestKey: Int64, timestamp: UInt32) -> [[UInt8]]? {
        lostFrames += 1
        var firstNewer: Int64?
        for (k, p) in packets where k > oldestKey && p.timestamp != timestamp {
            firstNewer = min(firstNewer ?? k, k)
        }
        var dropped: [Int64] = []
        for (k, p) in packets where firstNewer.map({ k < $0 }) ?? true || p.timestamp == timestamp {
            dropped.append(k)
        }
        for k in dropped { packets[k] = nil }
        let top = firstNewer.map { $0 - 1 } ?? dropped.max() ?? floor ?? 0
        floor = max(floor ?? top, top)
        lastEnd = nil
        lastFrameTimestamp = timestamp
        return nil
    }
}

/// H.264 depacketizer: single NAL, STAP-A and FU-A in, one Annex B access unit (00 00 00 01 start codes) out.
public final class H264Depacketizer {
    private var assembler = FrameAssembler()
    /// Frames dropped because packets were missing or malformed.
    public private(set) var lostFrames = 0

    public init() {}

    private var ready: [[UInt8]] = []

    /// Feeds one RTP payload; returns the oldest complete access unit, or nil while none is complete.
    /// When one packet completes several frames (a late retransmission), the others wait in order:
    /// drain them with `nextFrame()` after each push (or use `pushAll`).
    public func push(payload: [UInt8], sequenceNumber: UInt16, timestamp: UInt32, marker: Bool) -> [UInt8]? {
        ready += pushAll(payload: payload, sequenceNumber: sequenceNumber, timestamp: timestamp, marker: marker)
        return nextFrame()
    }

    /// The next queued complete access unit, if any.
    public func nextFrame() -> [UInt8]? { ready.isEmpty ? nil : ready.removeFirst() }

    /// Like `push`, but returns every access unit that became complete, oldest first (nothing is queued).
    public func pushAll(payload: [UInt8], sequenceNumber: UInt16, timestamp: UInt32, marker: Bool) -> [[UInt8]] {
        guard !payload.isEmpty else { return [] }
        let type = payload[0] & 0x1F
        let isStart = type != 28 || (payload.count >= 2 && payload[1] & 0x80 != 0)
        let frames = assembler.push(
            payload: payload, sequenceNumber: sequenceNumber, timestamp: timestamp, marker: marker, isStart: isStart)
        var out: [[UInt8]] = []
        for f in frames {
            if let au = Self.assemble(f) { out.append(au) } else { lostFrames += 1 }
        }
        lostFrames += assembler.lostFrames
        assembler.lostFrames = 0
        return out
    }

    /// Annex B access unit from the payloads of one frame, or nil when they are malformed.
    static func assemble(_ payloads: [[UInt8]]) -> [UInt8]? {
        let startCode: [UInt8] = [0, 0, 0, 1]
        var out: [UInt8] = []
        var inFU = false
        for p in payloads {
            guard let first = p.first else { continue }
            let type = first & 0x1F
            switch type {
            case 1...23:
                guard !inFU else { return nil }
                out += startCode
                out += p
            case 24:
                guard !inFU else { return nil }
                var i = 1
                while i + 2 <= p.count {
                    let size = Int(be16(p, i))
                    i += 2
                    if size == 0 { break }  // trailing padding
                    guard i + size <= p.count else { return nil }
                    out += startCode
                    out += p[i..<(i + size)]
                    i += size
                }
            case 28:
                guard p.count >= 2 else { return nil }
                let fu = p[1]
                if fu & 0x80 != 0 {
                    guard !inFU else { return nil }
                    out += startCode
                    out.append((first & 0xE0) | (fu & 0x1F))
                    inFU = true
                } else {
                    guard inFU else { return nil }
                }
                out += p[2...]
                if fu & 0x40 != 0 { inFU = false }
            case 0, 30, 31:
                continue  // unspecified types: ignored (RFC 6184 §5.4)
            default:
                return nil  // STAP-B, MTAP, FU-B are not used with packetization-mode 1
            }
        }
        guard !inFU, !out.isEmpty else { return nil }
        return out
    }
}

/// VP8 depacketizer: accepts every RFC 7741 descriptor form and returns the VP8 frame.
public final class VP8Depacketizer {
    private var assembler = FrameAssembler()
    public private(set) var lostFrames = 0

    public init() {}

    private var ready: [[UInt8]] = []

    /// Feeds one RTP payload; returns the oldest complete frame, or nil while none is complete. Further
    /// frames completed by the same packet wait for `nextFrame()`.
    public func push(payload: [UInt8], sequenceNumber: UInt16, timestamp: UInt32, marker: Bool) -> [UInt8]? {
        ready += pushAll(payload: payload, sequenceNumber: sequenceNumber, timestamp: timestamp, marker: marker)
        return nextFrame()
    }

    /// The next queued complete frame, if any.
    public func nextFrame() -> [UInt8]? { ready.isEmpty ? nil : ready.removeFirst() }

    /// Like `push`, but returns every frame that became complete, oldest first (nothing is queued).
    public func pushAll(payload: [UInt8], sequenceNumber: UInt16, timestamp: UInt32, marker: Bool) -> [[UInt8]] {
        guard let d = VP8PayloadDescriptor(payload) else { return [] }
        let frames = assembler.push(
            payload: Array(payload[d.headerSize...]), sequenceNumber: sequenceNumber, timestamp: timestamp,
            marker: marker, isStart: d.startOfPartition && d.partitionIndex == 0)
        lostFrames += assembler.lostFrames
        assembler.lostFrames = 0
        return frames.map { $0.flatMap { $0 } }
    }

    /// True when a VP8 frame is a keyframe (the P bit of the frame tag is 0).
    public static func isKeyframe(_ frame: [UInt8]) -> Bool {
        guard let b = frame.first else { return false }
        return b & 0x01 == 0
    }
}
