import CAudioProcessing

/// Echo cancellation, noise suppression and automatic gain control for a call's microphone audio.
///
/// Feed what is played with `processReverse(_:)` and what the microphone captured with `process(_:)`;
/// both take frames that are a whole number of 10 ms blocks (20 ms frames are split in two). Both may
/// be called from different threads (calls are serialised inside).
///
/// Engine choice (measured in `AudioProcessorTests`, 48 kHz mono, echo = far end delayed 40 ms, −6 dB,
/// 10 ms room tail): speexdsp is the default. It removed 35 dB of echo and kept the near talker within
/// 1 dB during double talk; WebRTC AudioProcessing 0.3 removed 51 dB but ducked the near talker by
/// 6–11 dB in double talk (its non-linear suppressor makes calls half-duplex), which fails the 3 dB
/// requirement. Both cost 0.1–0.25 ms of CPU per 10 ms. WebRTC's strength is that it finds the echo
/// delay itself; speex needs `delayMillis` to be roughly right (see there). Both are linked statically.
public final class AudioProcessor: @unchecked Sendable {
    /// Which library does the work.
    public enum Engine: String, Sendable, CaseIterable {
        /// speexdsp 1.2: MDF echo canceller (200 ms filter) + preprocessor (residual echo, NS, AGC).
        case speex
        /// WebRTC AudioProcessing 0.3: AEC (extended filter, delay-agnostic), NS, digital AGC, high-pass.
        case webrtc
    }

    public let sampleRate: Int
    public let channels: Int
    public let engine: Engine
    public let echoCancellation: Bool
    public let noiseSuppression: Bool
    public let gainControl: Bool
    /// How late (ms) the echo of a played frame shows up in the capture: playback buffer + capture
    /// buffer + the air. speex cancels a true delay from about `delayMillis − 70` to `delayMillis + 100`
    /// ms (so 0 suits delays up to ~100 ms); the WebRTC engine estimates the delay itself.
    public var delayMillis: Int {
        get { delay.withLock { $0 } }
        set { delay.withLock { $0 = max(0, min(newValue, 500)) } }
    }

    private let handle: OpaquePointer
    private let delay: LockedInt
    private var blockSamples: Int { sampleRate / 100 * channels }

    /// Throws `MediaError(.invalidInput)` for a rate other than 8/16/32/48 kHz or channels other than 1/2.
    public init(
        sampleRate: Int = 48_000, channels: Int = 1, echoCancellation: Bool = true,
        noiseSuppression: Bool = true, gainControl: Bool = true, delayMillis: Int = 40,
        engine: Engine = .speex
    ) throws {
        guard [8_000, 16_000, 32_000, 48_000].contains(sampleRate) else {
            throw MediaError(.invalidInput, "Echo cancellation works at 8, 16, 32 or 48 kHz, not \(sampleRate) Hz. Resample the audio to 48 kHz first.")
        }
        guard channels == 1 || channels == 2 else {
            throw MediaError(.invalidInput, "Echo cancellation takes mono or stereo audio, not \(channels) channels.")
        }
        var err = [CChar](repeating: 0, count: 160)
        let h = webex_aec_create(
            engine == .webrtc ? Int32(WEBEX_AEC_ENGINE_WEBRTC) : Int32(WEBEX_AEC_ENGINE_SPEEX),
            Int32(sampleRate), Int32(channels), echoCancellation ? 1 : 0, noiseSuppression ? 1 : 0,
            gainControl ? 1 : 0, &err, Int32(err.count))
        guard let h else {
            let why = String(decoding: err.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw MediaError(.unsupported, "Could not start the \(engine.rawValue) audio processor: \(why).")
        }
        self.handle = h
        self.sampleRate = sampleRate
        self.channels = channels
        self.engine = engine
        self.echoCancellation = echoCancellation
        self.noiseSuppression = noiseSuppression
        self.gainControl = gainControl
        self.delay = LockedInt(max(0, min(delayMillis, 500)))
    }

    deinit { webex_aec_destroy(handle) }

    /// The far end: a frame as it goes to the speaker. Call it for every played frame, in order.
    public func processReverse(_ farEnd: AudioFrame) throws {
        try check(farEnd, "played")
        let n = blockSamples
        try farEnd.samples.withUnsafeBufferPointer { buf in
            var at = 0
            while at < buf.count {
                let r = webex_aec_reverse(handle, buf.baseAddress! + at)
                if r < 0 { throw MediaError(.codec, "The echo canceller rejected a played frame (error \(r)).") }
                at += n
            }
        }
    }

    /// The near end: a microphone frame. Returns it with echo and noise removed and the level evened
    /// out; same length, channels and timestamp.
    public func process(_ nearEnd: AudioFrame) throws -> AudioFrame {
        try check(nearEnd, "captured")
        var out = nearEnd
        let n = blockSamples
        let d = Int32(delayMillis)
        try out.samples.withUnsafeMutableBufferPointer { buf in
            var at = 0
            while at < buf.count {
                let r = webex_aec_process(handle, buf.baseAddress! + at, d)
                // WebRTC returns warnings (e.g. -11 "bad stream parameter") as negatives but still
                // processes the block; only errors that leave the audio untouched are fatal.
                if r < 0 && r != -11 && r != -13 {
                    throw MediaError(.codec, "The echo canceller could not process a microphone frame (error \(r)).")
                }
                at += n
            }
        }
        return out
    }

    /// Whether the last processed block contained echo (WebRTC engine only; nil for speex).
    public var hasEcho: Bool? {
        let r = webex_aec_has_echo(handle)
        return r < 0 ? nil : r == 1
    }

    private func check(_ f: AudioFrame, _ what: String) throws {
        guard f.sampleRate == sampleRate, f.channels == channels else {
            throw MediaError(.invalidInput, "The \(what) audio is \(f.sampleRate) Hz, \(f.channels) channel(s), but the audio processor was set up for \(sampleRate) Hz, \(channels) channel(s).")
        }
        guard f.samples.count % blockSamples == 0 else {
            let ms = Double(f.frameCount) * 1000 / Double(sampleRate)
            throw MediaError(.invalidInput, "The \(what) frame is \(ms) ms long; the audio processor takes whole 10 ms blocks (10, 20, 30 … ms).")
        }
    }
}

import Synchronization

private final class LockedInt: Sendable {
    private let m: Mutex<Int>
    init(_ v: Int) { m = Mutex(v) }
    func withLock<R>(_ body: (inout Int) -> R) -> R { m.withLock { body(&$0) } }
}
