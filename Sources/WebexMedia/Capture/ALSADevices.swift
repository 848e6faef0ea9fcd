import CShims
import Glibc

/// One ALSA PCM a user can pass as `--mic` or `--speaker`.
public struct AudioDeviceInfo: Sendable, Encodable, Equatable {
    /// The name to open ("default", "hw:0,0", "plughw:CARD=PCH,DEV=0", …).
    public var name: String
    /// ALSA's description, lines joined with " — ".
    public var description: String
    public var isCapture: Bool
    public var isPlayback: Bool

    public init(name: String, description: String, isCapture: Bool, isPlayback: Bool) {
        self.name = name
        self.description = description
        self.isCapture = isCapture
        self.isPlayback = isPlayback
    }
}

/// Lists the PCMs ALSA knows: its configuration's named PCMs (snd_device_name_hint "pcm") and every
/// sound card's PCM devices as `hw:C,D`.
public enum ALSADevices {
    public static func list() throws -> [AudioDeviceInfo] {
        try ALSAPCM.load()
        var devices = hints()
        var seen = Set(devices.map(\.name))
        for device in hardware() where !seen.contains(device.name) {
            seen.insert(device.name)
            devices.append(device)
        }
        return devices
    }

    private static func hints() -> [AudioDeviceInfo] {
        var hints: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
        guard webex_snd_device_name_hint(-1, "pcm", &hints) >= 0, let hints else { return [] }
        defer { _ = webex_snd_device_name_free_hint(hints) }
        var out: [AudioDeviceInfo] = []
        var i = 0
        while let hint = hints[i] {
            i += 1
            guard let name = take(webex_snd_device_name_get_hint(hint, "NAME")), name != "null" else { continue }
            let description = (take(webex_snd_device_name_get_hint(hint, "DESC")) ?? "")
                .split(separator: "\n").joined(separator: " — ")
            let ioid = take(webex_snd_device_name_get_hint(hint, "IOID"))   // nil: both directions
            out.append(AudioDeviceInfo(name: name, description: description,
                                       isCapture: ioid == nil || ioid == "Input",
                                       isPlayback: ioid == nil || ioid == "Output"))
        }
        return out
    }

    private static func hardware() -> [AudioDeviceInfo] {
        var out: [AudioDeviceInfo] = []
        var card: Int32 = -1
        while webex_snd_card_next(&card) >= 0, card >= 0 {
            var id = [CChar](repeating: 0, count: 64), cardName = [CChar](repeating: 0, count: 128)
            guard webex_snd_card_info(card, &id, UInt(id.count), &cardName, UInt(cardName.count)) >= 0 else { continue }
            var device: Int32 = -1
            while true {
                var pcmName = [CChar](repeating: 0, count: 128)
                var playback: Int32 = 0, capture: Int32 = 0
                guard webex_snd_card_pcm_next(card, &device, &pcmName, UInt(pcmName.count), &playback, &capture) >= 0,
                      device >= 0 else { break }
                out.append(AudioDeviceInfo(
                    name: "hw:\(card),\(device)",
                    description: "\(string(cardName)) — \(string(pcmName)) (card \(card) '\(string(id))', device \(device))",
                    isCapture: capture != 0, isPlayback: playback != 0))
            }
        }
        return out
    }

    private static func take(_ p: UnsafeMutablePointer<CChar>?) -> String? {
        guard let p else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    private static func string(_ chars: [CChar]) -> String {
        String(decoding: chars.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
