import Synchronization

/// One negotiated m-line as the session uses it: the payload format both sides agreed on, who sends,
/// our SSRC and the peer's.
struct NegotiatedStream: Sendable {
    enum Kind: String, Sendable { case audio, video }
    var mid: String
    var kind: Kind
    var format: PayloadFormat
    /// Our direction: whether we send and whether we receive on this m-line.
    var sends: Bool
    var receives: Bool
    var localSSRC: UInt32
    var remoteSSRCs: [UInt32]
    var isContentShare: Bool

    var codecName: String { format.name.uppercased() == "OPUS" ? "opus" : format.name.uppercased() }
    var videoCodec: VideoCodecKind? {
        switch format.name.uppercased() {
        case "VP8": .vp8
        case "H264": .h264
        default: nil
        }
    }
    var supportsNACK: Bool { format.feedback.contains { $0.lowercased() == "nack" } }
    var supportsPLI: Bool { format.feedback.contains { $0.lowercased() == "nack pli" } }
    var supportsFIR: Bool { format.feedback.contains { $0.lowercased() == "ccm fir" } }
    var clockRate: Int { format.clockRate }
}

/// The sending half of a stream: RTP numbering and counters. Owned by one send thread; the counters are
/// read by the network thread for the summary, so they sit behind a mutex.
final class OutboundRTP: @unchecked Sendable {
    let stream: NegotiatedStream
    private(set) var sequenceNumber: UInt16
    private let timestampBase: UInt32

    struct Counters: Sendable {
        var frames = 0
        var keyframes = 0
        var retransmitted = 0
        var keyframeRequests = 0
        var width: Int?
        var height: Int?
        var rttMs: Double?
    }
    let counters = Mutex(Counters())
    /// Packets and payload octets for sender reports (RFC 3550); touched only while the session's `net` is held.
    let sendStatistics: SendStatistics
    /// What we sent, by sequence number, for retransmission on NACK (RFC 4585).
    let history = SendHistory()
    /// Set by the network thread on PLI/FIR, read and cleared by the video send thread.
    let keyframeWanted = Atomic<Bool>(false)

    init(stream: NegotiatedStream) {
        self.stream = stream
        sendStatistics = SendStatistics(ssrc: stream.localSSRC, clockRate: stream.clockRate)
        sequenceNumber = UInt16.random(in: 0...UInt16.max)
        timestampBase = UInt32.random(in: 0...UInt32.max)
    }

    /// The RTP timestamp for a capture time (µs on `MediaClock`) relative to the session start.
    func rtpTimestamp(captureMicros: UInt64, startMicros: UInt64) -> UInt32 {
        let elapsed = captureMicros >= startMicros ? captureMicros - startMicros : 0
        let ticks = elapsed * UInt64(stream.clockRate) / 1_000_000
        return timestampBase &+ UInt32(truncatingIfNeeded: ticks)
    }

    /// RTP packets for one encoded frame's payloads; the marker goes on the last one (video) or on
    /// none (audio, except the first packet after silence, which we do not track: DTX is off by default).
    func packets(payloads: [[UInt8]], timestamp: UInt32, markLast: Bool) -> [RTPPacket] {
        var out: [RTPPacket] = []
        out.reserveCapacity(payloads.count)
        for (i, payload) in payloads.enumerated() {
            var packet = RTPPacket(
                payloadType: stream.format.payloadType, sequenceNumber: sequenceNumber, timestamp: timestamp,
                ssrc: stream.localSSRC, payload: payload)
            packet.marker = markLast && i == payloads.count - 1
            sequenceNumber &+= 1
            out.append(packet)
        }
        return out
    }
}
