import COpus
import CShims

/// Opus at 48 kHz (the only rate RTP/WebRTC uses), in VoIP mode, with in-band FEC so a receiver can rebuild a
/// lost packet from the one after it. One instance per stream; not thread-safe (single owner).
public final class OpusEncoder {
    public let channels: Int
    public private(set) var bitrate: Int
    private let handle: OpaquePointer

    /// - Parameters:
    ///   - bitrate: bits per second; defaults to 32 kbps mono / 64 kbps stereo.
    ///   - fec: in-band forward error correction (LBRR); only used when `expectedLossPercent` > 0.
    ///   - dtx: discontinuous transmission (tiny packets during silence).
    public init(channels: Int, bitrate: Int? = nil, fec: Bool = true, dtx: Bool = false,
                expectedLossPercent: Int = 10) throws {
        guard channels == 1 || channels == 2 else {
            throw MediaError(.unsupported, "Opus encoder: \(channels) channels is not supported (use 1 or 2).")
        }
        self.channels = channels
        self.bitrate = bitrate ?? (channels == 1 ? 32_000 : 64_000)
        var err: Int32 = 0
        guard let h = opus_encoder_create(48_000, Int32(channels), OPUS_APPLICATION_VOIP, &err), err == OPUS_OK else {
            throw MediaError(.codec, "Opus encoder could not be created: \(opusErrorText(err)).")
        }
        handle = h
        let settings: [(Int32, Int)] = [
            (OPUS_SET_BITRATE_REQUEST, self.bitrate),
            (OPUS_SET_INBAND_FEC_REQUEST, fec ? 1 : 0),
            (OPUS_SET_PACKET_LOSS_PERC_REQUEST, max(0, min(100, expectedLossPercent))),
            (OPUS_SET_DTX_REQUEST, dtx ? 1 : 0),
            (OPUS_SET_COMPLEXITY_REQUEST, 9),
            (OPUS_SET_SIGNAL_REQUEST, Int(OPUS_AUTO)),
        ]
        for (request, value) in settings {
            let r = webex_opus_encoder_ctl_set(h, request, Int32(value))
            if r != OPUS_OK {
                opus_encoder_destroy(h)
                throw MediaError(.codec, "Opus encoder rejected setting \(request)=\(value): \(opusErrorText(r)).")
            }
        }
    }

    deinit { opus_encoder_destroy(handle) }

    /// Changes the target bitrate (bits per second) from the next frame on.
    public func setBitrate(_ bitsPerSecond: Int) {
        let clamped = max(6_000, min(510_000, bitsPerSecond))
        if webex_opus_encoder_ctl_set(handle, OPUS_SET_BITRATE_REQUEST, Int32(clamped)) == OPUS_OK {
            bitrate = clamped
        }
    }

    /// Sets the loss percentage the encoder plans its FEC for.
    public func setExpectedLoss(percent: Int) {
        _ = webex_opus_encoder_ctl_set(handle, OPUS_SET_PACKET_LOSS_PERC_REQUEST, Int32(max(0, min(100, percent))))
    }

    /// Encodes one frame (2.5, 5, 10, 20, 40 or 60 ms at 48 kHz; normally 20 ms = 960 samples per channel).
    public func encode(_ frame: AudioFrame) throws -> [UInt8] {
        guard frame.sampleRate == 48_000 else {
            throw MediaError(.unsupported, "Opus encoder: audio at \(frame.sampleRate) Hz; only 48000 Hz is supported.")
        }
        guard frame.channels == channels else {
            throw MediaError(.invalidInput, "Opus encoder: got \(frame.channels)-channel audio, configured for \(channels).")
        }
        let perChannel = frame.frameCount
        guard [120, 240, 480, 960, 1920, 2880].contains(perChannel), frame.samples.count == perChannel * channels else {
            throw MediaError(.invalidInput, "Opus encoder: \(perChannel) samples per channel is not an Opus frame size (use 960 for 20 ms).")
        }
        var out = [UInt8](repeating: 0, count: 1500)
        let n: Int32 = frame.samples.withUnsafeBufferPointer { pcm in
            out.withUnsafeMutableBufferPointer { o in
                guard let pp = pcm.baseAddress, let op = o.baseAddress else { return OPUS_BAD_ARG }
                return opus_encode(handle, pp, Int32(perChannel), op, Int32(o.count))
            }
        }
        guard n >= 0 else { throw MediaError(.codec, "Opus encoding failed: \(opusErrorText(n)).") }
        out.removeLast(out.count - Int(n))
        return out
    }
}

/// Opus decoder at 48 kHz with packet-loss concealment and FEC recovery.
public final class OpusDecoder {
    public let channels: Int
    private let handle: OpaquePointer
    /// Samples per channel of the last decoded packet: the length PLC and FEC produce.
    private var lastFrameSize: Int = 960
    private static let maxFrameSize = 5_760  // 120 ms

    public init(channels: Int) throws {
        guard channels == 1 || channels == 2 else {
            throw MediaError(.unsupported, "Opus decoder: \(channels) channels is not supported (use 1 or 2).")
        }
        self.channels = channels
        var err: Int32 = 0
        guard let h = opus_decoder_create(48_000, Int32(channels), &err), err == OPUS_OK else {
            throw MediaError(.codec, "Opus decoder could not be created: \(opusErrorText(err)).")
        }
        handle = h
    }

    deinit { opus_decoder_destroy(handle) }

    /// Decodes one packet. Throws `MediaError(.codec)` for a corrupt packet.
    public func decode(_ packet: [UInt8]) throws -> AudioFrame {
        guard !packet.isEmpty else { return try conceal() }
        let frame = try run(packet, frameSize: Self.maxFrameSize, fec: false)
        lastFrameSize = frame.frameCount
        return frame
    }

    /// Rebuilds the packet lost just before `next` from the FEC data inside `next` (plain PLC if it has none).
    /// Call `decode(next)` afterwards as usual.
    public func decodeFEC(from next: [UInt8]) throws -> AudioFrame {
        guard !next.isEmpty else { return try conceal() }
        return try run(next, frameSize: lastFrameSize, fec: true)
    }

    /// Packet-loss concealment: a plausible continuation for one lost packet.
    public func conceal() throws -> AudioFrame {
        try run(nil, frameSize: lastFrameSize, fec: false)
    }

    private func run(_ packet: [UInt8]?, frameSize: Int, fec: Bool) throws -> AudioFrame {
        var pcm = [Int16](repeating: 0, count: frameSize * channels)
        let n: Int32 = pcm.withUnsafeMutableBufferPointer { outBuf in
            guard let out = outBuf.baseAddress else { return OPUS_BAD_ARG }
            if let packet {
                return packet.withUnsafeBufferPointer { p in
                    opus_decode(handle, p.baseAddress, Int32(p.count), out, Int32(frameSize), fec ? 1 : 0)
                }
            }
            return opus_decode(handle, nil, 0, out, Int32(frameSize), 0)
        }
        guard n >= 0 else { throw MediaError(.codec, "Opus decoding failed: \(opusErrorText(n)).") }
        pcm.removeLast(pcm.count - Int(n) * channels)
        return AudioFrame(samples: pcm, channels: channels, sampleRate: 48_000, timestamp: MediaClock.nowMicros())
    }
}

func opusErrorText(_ code: Int32) -> String {
    guard let s = opus_strerror(code) else { return "error \(code)" }
    return String(cString: s)
}
