import CShims
import Glibc

/// What both ALSA directions share: loading libasound (dlopen, on first use), opening and configuring a PCM
/// with the plug fallback, and turning ALSA errors into sentences.
enum ALSAPCM {
    enum Direction {
        case capture, playback
        var stream: Int32 { self == .capture ? WEBEX_SND_PCM_STREAM_CAPTURE : WEBEX_SND_PCM_STREAM_PLAYBACK }
        var noun: String { self == .capture ? "microphone" : "speaker" }
        var option: String { self == .capture ? "--mic" : "--speaker" }
    }

    /// An open, configured PCM.
    struct Opened {
        var handle: UnsafeMutableRawPointer
        var openedName: String
        var periodFrames: Int
        var bufferFrames: Int
        var notes: [String]
    }

    /// Loads libasound.so.2 (once). Throws `.unsupported` with dlerror's text when it is not there.
    static func load() throws {
        if webex_alsa_load() != 0 {
            throw MediaError(.unsupported,
                "ALSA is not available: \(String(cString: webex_alsa_load_error())). "
                + "Install the ALSA library (Debian/Ubuntu: apt-get install libasound2).")
        }
    }

    /// The last "ALSA lib …" message libasound reported (they are kept, not printed).
    static func lastLibraryMessage() -> String {
        var buf = [CChar](repeating: 0, count: 512)
        webex_alsa_last_message(&buf, UInt(buf.count))
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// What libasound said since `webex_alsa_clear_last_message`: the first message (the cause) and the
    /// last (the consequence), without their "ALSA lib file:line:(function)" prefixes; "" if nothing.
    static func libraryMessagesSinceClear() -> String {
        var first = [CChar](repeating: 0, count: 512)
        webex_alsa_first_message(&first, UInt(first.count))
        let a = stripPrefix(String(decoding: first.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        let b = stripPrefix(lastLibraryMessage())
        if a.isEmpty { return "" }
        return a == b ? a : "\(a); \(b)"
    }

    /// "ALSA lib pcm.c:2666:(snd_pcm_open_noupdate) Unknown PCM x" -> "Unknown PCM x".
    static func stripPrefix(_ line: String) -> String {
        guard line.hasPrefix("ALSA lib ") else { return line }
        let chars = Array(line)
        for i in 0..<(chars.count - 1) where chars[i] == ")" && chars[i + 1] == " " {
            return String(chars[(i + 2)...])
        }
        return line
    }

    /// True when ALSA sees at least one sound card.
    static func hasSoundCard() -> Bool {
        var card: Int32 = -1
        return webex_snd_card_next(&card) >= 0 && card >= 0
    }

    static func describe(_ code: Int32) -> String { String(cString: webex_snd_strerror(code)) }

    /// `plug:'NAME'`: the same device through ALSA's converting plug plugin.
    static func plugName(for device: String) -> String {
        device.contains("'") ? "plug:\"\(device)\"" : "plug:'\(device)'"
    }

    static func isPlug(_ device: String) -> Bool {
        device.hasPrefix("plug") || device == "default" || device.hasPrefix("default:")
    }

    /// The error for a failed snd_pcm_open, one a person can act on.
    static func openError(device: String, direction: Direction, code: Int32, detail: String = "") -> MediaError {
        let noun = direction.noun
        let library = detail.isEmpty ? "" : " (\(detail))"
        switch code {
        case -EBUSY:
            let mixer = direction == .capture ? "dsnoop" : "dmix"
            return MediaError(.io,
                "The \(noun) '\(device)' is busy: another program is using it. Close it, or open it through "
                + "\(direction == .capture ? "dmix/dsnoop" : "dmix") (e.g. \(direction.option) default or "
                + "\(direction.option) plug:\(mixer)).")
        case -ENOENT, -ENODEV, -ENXIO:
            let noCard = webex_alsa_load() == 0 && !hasSoundCard() ? " No sound card was found on this machine." : ""
            return MediaError(.io,
                "The \(noun) '\(device)' does not exist\(library).\(noCard) Run `webex media devices` to list "
                + "the devices ALSA knows.")
        case -EACCES, -EPERM:
            return MediaError(.io,
                "The \(noun) '\(device)' cannot be opened: permission denied\(library). Add your user to the "
                + "'audio' group, or use a sound server device such as 'default'.")
        case -ENOSYS:
            return MediaError(.unsupported,
                "ALSA is not available: \(String(cString: webex_alsa_load_error())). Install libasound2.")
        default:
            return MediaError(.io,
                "The \(noun) '\(device)' cannot be opened: \(describe(code))\(library). Run `webex media "
                + "devices` to list the devices, or try 'default'.")
        }
    }

    /// Opens `device` for S16_LE interleaved at exactly `channels` and `sampleRate`; when the device cannot
    /// take those parameters, opens it again through `plug:` (which converts) and says so in `notes`.
    static func open(device: String, direction: Direction, channels: Int, sampleRate: Int,
                     periodMicros: Int, periods: Int, startPeriods: Int) throws -> Opened {
        try load()
        let attempt = try openAndSetup(name: device, direction: direction, channels: channels,
                                       sampleRate: sampleRate, periodMicros: periodMicros, periods: periods,
                                       startPeriods: startPeriods)
        switch attempt {
        case .success(let opened):
            return opened
        case .failure(let failure):
            let format = "S16_LE, \(channels) channel\(channels == 1 ? "" : "s"), \(sampleRate) Hz"
            if isPlug(device) {
                throw MediaError(.io,
                    "The \(direction.noun) '\(device)' cannot be set to \(format): \(failure.step) failed "
                    + "(\(describe(failure.code))). Try another device (`webex media devices` lists them).")
            }
            let plug = plugName(for: device)
            switch try openAndSetup(name: plug, direction: direction, channels: channels, sampleRate: sampleRate,
                                    periodMicros: periodMicros, periods: periods, startPeriods: startPeriods) {
            case .success(var opened):
                opened.notes.append(
                    "'\(device)' does not take \(format) directly (\(failure.step): \(describe(failure.code))); "
                    + "opened it through \(plug), which converts.")
                return opened
            case .failure(let second):
                throw MediaError(.io,
                    "The \(direction.noun) '\(device)' cannot be set to \(format): \(failure.step) failed "
                    + "(\(describe(failure.code))), and through \(plug) \(second.step) failed "
                    + "(\(describe(second.code))). Try another device (`webex media devices` lists them).")
            }
        }
    }

    struct SetupFailure: Error { var step: String; var code: Int32 }

    /// Opens and configures; open errors throw, parameter errors come back as a failure (for the plug retry).
    private static func openAndSetup(name: String, direction: Direction, channels: Int, sampleRate: Int,
                                     periodMicros: Int, periods: Int, startPeriods: Int) throws
        -> Result<Opened, SetupFailure>
    {
        var raw: UnsafeMutableRawPointer?
        webex_alsa_clear_last_message()
        let rc = webex_snd_pcm_open(&raw, name, direction.stream, 0)
        guard rc >= 0, let handle = raw else {
            let detail = libraryMessagesSinceClear()
            throw openError(device: name, direction: direction, code: rc < 0 ? rc : -EINVAL, detail: detail)
        }
        var period: UInt = 0, buffer: UInt = 0
        var step: UnsafePointer<CChar>?
        let err = webex_snd_pcm_setup_s16(
            handle, direction.stream, UInt32(channels), UInt32(sampleRate), UInt32(periodMicros),
            UInt32(periods), UInt32(startPeriods), &period, &buffer, &step)
        if err < 0 {
            _ = webex_snd_pcm_close(handle)
            if err == -ENODEV || err == -EBUSY {
                throw openError(device: name, direction: direction, code: err)
            }
            return .failure(SetupFailure(step: step.map { String(cString: $0) } ?? "setup", code: err))
        }
        var notes: [String] = []
        let periodMicrosActual = Int(period) * 1_000_000 / max(sampleRate, 1)
        if abs(periodMicrosActual - periodMicros) > periodMicros / 4 {
            notes.append("'\(name)' uses \(period)-frame periods (\(periodMicrosActual) µs), not \(periodMicros) µs.")
        }
        return .success(Opened(handle: handle, openedName: name, periodFrames: Int(period),
                               bufferFrames: Int(buffer), notes: notes))
    }

    /// Checks the options both classes take.
    static func validate(channels: Int, sampleRate: Int, periodMicros: Int, bufferPeriods: Int) throws {
        guard (2...32).contains(bufferPeriods) else {
            throw MediaError(.invalidInput, "A buffer of \(bufferPeriods) periods is out of range: use 2–32.")
        }
        guard channels == 1 || channels == 2 else {
            throw MediaError(.invalidInput, "ALSA devices are opened with 1 or 2 channels, not \(channels).")
        }
        guard (8_000...192_000).contains(sampleRate), sampleRate % 50 == 0 else {
            throw MediaError(.invalidInput,
                "The sample rate \(sampleRate) Hz is not supported: use 8000–192000 Hz in steps of 50 (48000 is usual).")
        }
        guard (1_000...100_000).contains(periodMicros) else {
            throw MediaError(.invalidInput,
                "The period \(periodMicros) µs is out of range: use 1000–100000 µs (10000–20000 is usual).")
        }
    }
}
