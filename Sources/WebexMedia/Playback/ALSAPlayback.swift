import CShims
import Glibc

/// A speaker through ALSA: `write` queues 16-bit interleaved PCM and blocks while the device buffer is
/// full, so the device clock paces the writer. Underruns are recovered and counted; `close()` plays out
/// what is queued. Use one thread.
public final class ALSAPlayback: AudioSink {
    public let channels: Int
    public let sampleRate: Int
    /// The name asked for, and the name actually opened (`plug:'…'` after a fallback).
    public let device: String
    public let openedDevice: String
    public let periodFrames: Int
    public let bufferFrames: Int
    /// What differs from what was asked (conversion through plug, another period size).
    public private(set) var notes: [String]
    /// Underruns and suspends recovered so far.
    public private(set) var underruns = 0

    private var pcm: UnsafeMutableRawPointer?

    /// Opens `device` ("default", "hw:1,0", "plug:dmix", …) for playback. The buffer (`bufferPeriods`
    /// periods, 40 ms by default) is the output latency; playback starts once two periods are queued.
    public init(device: String = "default", channels: Int = 1, sampleRate: Int = 48_000,
                periodMicros: Int = 10_000, bufferPeriods: Int = 4) throws {
        try ALSAPCM.validate(channels: channels, sampleRate: sampleRate, periodMicros: periodMicros,
                             bufferPeriods: bufferPeriods)
        let opened = try ALSAPCM.open(device: device, direction: .playback, channels: channels,
                                      sampleRate: sampleRate, periodMicros: periodMicros, periods: bufferPeriods,
                                      startPeriods: 2)
        self.device = device
        self.channels = channels
        self.sampleRate = sampleRate
        self.openedDevice = opened.openedName
        self.periodFrames = opened.periodFrames
        self.bufferFrames = opened.bufferFrames
        self.notes = opened.notes
        self.pcm = opened.handle
    }

    deinit {
        if let pcm {
            _ = webex_snd_pcm_drop(pcm)
            _ = webex_snd_pcm_close(pcm)
        }
    }

    /// How long until a sample written now is heard (queued frames plus the device's own delay), or nil
    /// when the device cannot say (closed, not running). A hint for echo cancellation.
    public var outputDelayMicros: Int? {
        guard let pcm else { return nil }
        var frames = 0
        guard webex_snd_pcm_delay(pcm, &frames) == 0, frames >= 0 else { return nil }
        return frames * 1_000_000 / sampleRate
    }

    /// Queues one frame; blocks until the device has room for all of it.
    public func write(_ frame: AudioFrame) throws {
        guard let pcm else { throw MediaError(.io, "The speaker '\(device)' is closed.") }
        guard frame.channels == channels, frame.samples.count % channels == 0 else {
            throw MediaError(.invalidInput,
                "The frame has \(frame.channels) channel(s) and \(frame.samples.count) samples; the speaker "
                + "'\(device)' was opened with \(channels) channel(s).")
        }
        guard frame.sampleRate == sampleRate else {
            throw MediaError(.invalidInput,
                "The frame is \(frame.sampleRate) Hz; the speaker '\(device)' was opened at \(sampleRate) Hz.")
        }
        let total = frame.samples.count / channels
        var done = 0
        var recoveries = 0
        while done < total {
            let offset = done * channels
            let n = frame.samples.withUnsafeBufferPointer { buf in
                webex_snd_pcm_writei(pcm, buf.baseAddress! + offset, UInt(total - done))
            }
            if n > 0 {
                done += n
                continue
            }
            recoveries += 1
            if recoveries > 8 {
                throw MediaError(.io,
                    "The speaker '\(device)' keeps failing (\(ALSAPCM.describe(Int32(n)))) after 8 recoveries. "
                    + "Check the device, or try another one (`webex media devices`).")
            }
            if n == 0 || n == -Int(EAGAIN) {
                usleep(1_000)
                continue
            }
            try handleWriteError(Int32(n))
        }
    }

    /// Recovers from an error writei returned (underrun, suspend) or throws the sentence for it.
    func handleWriteError(_ code: Int32) throws {
        guard let pcm else { throw MediaError(.io, "The speaker '\(device)' is closed.") }
        switch code {
        case -EPIPE, -ESTRPIPE:
            underruns += 1
            let rc = webex_snd_pcm_recover(pcm, code, 1)
            if rc < 0 {
                throw MediaError(.io,
                    "The speaker '\(device)' could not recover from \(code == -EPIPE ? "an underrun" : "a suspend") "
                    + "(\(ALSAPCM.describe(rc))). Reopen it, or try another device.")
            }
        case -EBADFD:
            let rc = webex_snd_pcm_prepare(pcm)
            if rc < 0 {
                throw MediaError(.io, "The speaker '\(device)' could not be prepared: \(ALSAPCM.describe(rc)).")
            }
        case -ENODEV, -EIO:
            throw MediaError(.io,
                "The speaker '\(device)' stopped working (\(ALSAPCM.describe(code))): it was unplugged or "
                + "the sound server went away. Run `webex media devices` and pick a device again.")
        default:
            throw MediaError(.io,
                "Writing to the speaker '\(device)' failed: \(ALSAPCM.describe(code)). "
                + "Try another device (`webex media devices`).")
        }
    }

    /// Plays out what is queued followed by one period of silence, then releases the device. The silence
    /// keeps the last samples: snd-aloop lost the final 4 ms (one timer tick) when the data ended exactly
    /// at the drain, in 9 of 17 QEMU-lane runs, and in 0 of 6 with the padding. A second call does nothing.
    public func close() throws {
        guard let pcm else { return }
        self.pcm = nil
        var drainError: Int32 = 0
        var state = webex_snd_pcm_state(pcm)
        if state == WEBEX_SND_PCM_STATE_PREPARED || state == WEBEX_SND_PCM_STATE_RUNNING {
            let silence = [Int16](repeating: 0, count: periodFrames * channels)
            _ = silence.withUnsafeBufferPointer { webex_snd_pcm_writei(pcm, $0.baseAddress!, UInt(periodFrames)) }
            state = webex_snd_pcm_state(pcm)
        }
        if state == WEBEX_SND_PCM_STATE_PREPARED || state == WEBEX_SND_PCM_STATE_RUNNING {
            if state == WEBEX_SND_PCM_STATE_PREPARED, webex_snd_pcm_avail(pcm) < bufferFrames {
                _ = webex_snd_pcm_start(pcm)   // less than the start threshold was queued
            }
            let rc = webex_snd_pcm_drain(pcm)
            if rc < 0 && rc != -EPIPE { drainError = rc }
        }
        let rc = webex_snd_pcm_close(pcm)
        if drainError < 0 || rc < 0 {
            throw MediaError(.io,
                "Closing the speaker '\(device)' failed: \(ALSAPCM.describe(drainError < 0 ? drainError : rc)); "
                + "the end of the audio may be missing.")
        }
    }
}
