import CShims
import Glibc

/// A microphone through ALSA: 16-bit interleaved PCM in 20 ms frames, paced by the device clock.
///
/// The device is opened with exactly the asked format; when it cannot take it, it is opened again through
/// `plug:` (which converts) and `notes` says so. Capture is started explicitly (real drivers never start a
/// capture stream on their own with the usual thresholds). Overruns and suspends are recovered and counted
/// in `xruns`. Use one thread: `close()` must not race a `read()`.
public final class ALSACapture: AudioSource {
    public let channels: Int
    public let sampleRate: Int
    public var isLive: Bool { true }
    /// The name asked for, and the name actually opened (`plug:'…'` after a fallback).
    public let device: String
    public let openedDevice: String
    /// Samples per channel in one device period and in the device buffer.
    public let periodFrames: Int
    public let bufferFrames: Int
    /// Samples per channel in each frame `read()` returns (20 ms).
    public let framesPerRead: Int
    /// What differs from what was asked (conversion through plug, another period size).
    public private(set) var notes: [String]
    /// Overruns and suspends recovered so far.
    public private(set) var xruns = 0

    private var pcm: UnsafeMutableRawPointer?
    private var started = false

    /// Opens `device` ("default", "hw:1,0", "plug:dsnoop", …) for capture. A capture buffer adds no
    /// latency (each period is read as soon as it is complete), it only absorbs reader stalls: the default
    /// 8 periods survived the QEMU lane's stalls where 4 overran.
    public init(device: String = "default", channels: Int = 1, sampleRate: Int = 48_000,
                periodMicros: Int = 10_000, bufferPeriods: Int = 8) throws {
        try ALSAPCM.validate(channels: channels, sampleRate: sampleRate, periodMicros: periodMicros,
                             bufferPeriods: bufferPeriods)
        let opened = try ALSAPCM.open(device: device, direction: .capture, channels: channels,
                                      sampleRate: sampleRate, periodMicros: periodMicros, periods: bufferPeriods,
                                      startPeriods: 1)
        self.device = device
        self.channels = channels
        self.sampleRate = sampleRate
        self.openedDevice = opened.openedName
        self.periodFrames = opened.periodFrames
        self.bufferFrames = opened.bufferFrames
        self.notes = opened.notes
        self.framesPerRead = sampleRate / 50
        self.pcm = opened.handle
    }

    deinit {
        if let pcm {
            _ = webex_snd_pcm_drop(pcm)
            _ = webex_snd_pcm_close(pcm)
        }
    }

    /// The next 20 ms, blocking until the device has captured them; nil after `close()`.
    /// The timestamp is the capture time of the first sample (end of the read minus the frame's length).
    public func read() throws -> AudioFrame? {
        guard let pcm else { return nil }
        if !started { try start(pcm) }
        var samples = [Int16](repeating: 0, count: framesPerRead * channels)
        var got = 0
        var recoveries = 0
        while got < framesPerRead {
            let want = framesPerRead - got
            let offset = got * channels
            let n = samples.withUnsafeMutableBufferPointer { buf in
                webex_snd_pcm_readi(pcm, buf.baseAddress! + offset, UInt(want))
            }
            if n > 0 {
                got += n
                continue
            }
            recoveries += 1
            if recoveries > 8 {
                throw MediaError(.io,
                    "The microphone '\(device)' keeps failing (\(ALSAPCM.describe(Int32(n)))) after 8 recoveries. "
                    + "Check the device, or try another one (`webex media devices`).")
            }
            if n == 0 || n == -Int(EAGAIN) {
                usleep(1_000)
                continue
            }
            try handleReadError(Int32(n))
        }
        let now = MediaClock.nowMicros()
        let duration = UInt64(framesPerRead) * 1_000_000 / UInt64(sampleRate)
        return AudioFrame(samples: samples, channels: channels, sampleRate: sampleRate,
                          timestamp: now >= duration ? now - duration : 0)
    }

    /// Recovers from an error readi returned (xrun, suspend, not started) or throws the sentence for it.
    func handleReadError(_ code: Int32) throws {
        guard let pcm else { throw MediaError(.io, "The microphone '\(device)' is closed.") }
        switch code {
        case -EPIPE, -ESTRPIPE:
            xruns += 1
            let rc = webex_snd_pcm_recover(pcm, code, 1)
            if rc < 0 {
                throw MediaError(.io,
                    "The microphone '\(device)' could not recover from \(code == -EPIPE ? "an overrun" : "a suspend") "
                    + "(\(ALSAPCM.describe(rc))). Reopen it, or try another device.")
            }
            started = false
            try start(pcm)
        case -EBADFD:
            started = false
            try start(pcm)
        case -EIO where webex_snd_pcm_state(pcm) == WEBEX_SND_PCM_STATE_PREPARED:
            started = false   // a stream that was never started (real drivers say EIO)
            try start(pcm)
        case -ENODEV, -EIO:
            throw MediaError(.io,
                "The microphone '\(device)' stopped working (\(ALSAPCM.describe(code))): it was unplugged or "
                + "the sound server went away. Run `webex media devices` and pick a device again.")
        default:
            throw MediaError(.io,
                "Reading from the microphone '\(device)' failed: \(ALSAPCM.describe(code)). "
                + "Try another device (`webex media devices`).")
        }
    }

    private func start(_ pcm: UnsafeMutableRawPointer) throws {
        let state = webex_snd_pcm_state(pcm)
        if state != WEBEX_SND_PCM_STATE_PREPARED && state != WEBEX_SND_PCM_STATE_RUNNING {
            let rc = webex_snd_pcm_prepare(pcm)
            if rc < 0 { throw startError(rc) }
        }
        if webex_snd_pcm_state(pcm) == WEBEX_SND_PCM_STATE_PREPARED {
            let rc = webex_snd_pcm_start(pcm)
            if rc < 0 { throw startError(rc) }
        }
        started = true
    }

    private func startError(_ rc: Int32) -> MediaError {
        MediaError(.io,
            "The microphone '\(device)' could not be started: \(ALSAPCM.describe(rc)). "
            + "Try another device (`webex media devices`).")
    }

    /// Stops capturing and releases the device. Later reads return nil.
    public func close() {
        guard let pcm else { return }
        _ = webex_snd_pcm_drop(pcm)
        _ = webex_snd_pcm_close(pcm)
        self.pcm = nil
    }
}
