/// What a `--audio-in` / `--video-in` option names: `tone:440`, `pattern`, `pattern:1280x720@30`,
/// `file:speech.wav`, or a bare `speech.wav` / `clip.y4m`.
public enum MediaSourceSpec: Sendable, Equatable {
    case tone(frequency: Double)
    case pattern(width: Int, height: Int, framesPerSecond: Int)
    case wavFile(path: String)
    case y4mFile(path: String)
    /// An ALSA capture device: `mic:default`, `mic:hw:1,0`, `mic:plughw:CARD=USB`.
    case microphone(device: String)
    /// A V4L2 camera: `camera:/dev/video0`, `camera:/dev/video0:1280x720@30`.
    case camera(path: String, width: Int, height: Int, framesPerSecond: Int)

    public static let defaultToneFrequency = 440.0
    public static let defaultPattern = (width: 640, height: 360, framesPerSecond: 30)

    /// Parses a source spec; throws `MediaError(.invalidInput)` with the accepted forms.
    public static func parse(_ text: String) throws -> MediaSourceSpec {
        let spec = MediaFileBytes.trimNewlines(text)
        let usage = "Use tone[:HZ], pattern[:WxH[@FPS]], mic:ALSA-NAME, camera:/dev/videoN[:WxH@FPS], file:PATH.wav|.y4m or a .wav/.y4m path."
        let lower = spec.lowercased()
        if lower.hasPrefix("mic:") {
            let device = String(spec.dropFirst(4))
            guard !device.isEmpty else { throw MediaError(.invalidInput, "mic: needs an ALSA device name, e.g. mic:default (see `webex media devices`).") }
            return .microphone(device: device)
        }
        if lower.hasPrefix("camera:") {
            let rest = String(spec.dropFirst(7))
            // camera:PATH or camera:PATH:WxH@FPS (the size part is after the last colon when it has an x).
            var path = rest, size = "1280x720@30"
            if let colon = rest.lastIndex(of: ":"),
                rest[rest.index(after: colon)...].wholeMatch(of: /[0-9]+x[0-9]+(@[0-9]+)?/) != nil {
                path = String(rest[..<colon])
                size = String(rest[rest.index(after: colon)...])
                if !size.contains("@") { size += "@30" }
            }
            guard !path.isEmpty else { throw MediaError(.invalidInput, "camera: needs a device path, e.g. camera:/dev/video0 (see `webex media devices`).") }
            guard case .pattern(let w, let h, let fps) = try parsePattern(size.lowercased(), spec: spec) else {
                throw MediaError(.invalidInput, "Invalid camera size in \"\(spec)\".")
            }
            return .camera(path: path, width: w, height: h, framesPerSecond: fps)
        }
        if lower == "tone" { return .tone(frequency: defaultToneFrequency) }
        if lower.hasPrefix("tone:") {
            let value = spec.dropFirst(5)
            guard let f = Double(value), f.isFinite, f > 0, f < 24_000 else {
                throw MediaError(.invalidInput, "Invalid tone frequency \"\(value)\" in \"\(spec)\": give a number of Hz between 0 and 24000.")
            }
            return .tone(frequency: f)
        }
        if lower == "pattern" {
            let d = defaultPattern
            return .pattern(width: d.width, height: d.height, framesPerSecond: d.framesPerSecond)
        }
        if lower.hasPrefix("pattern:") {
            return try parsePattern(String(lower.dropFirst(8)), spec: spec)
        }
        var path = spec
        if lower.hasPrefix("file:") { path = String(spec.dropFirst(5)) }
        guard !path.isEmpty else { throw MediaError(.invalidInput, "Empty media source. \(usage)") }
        let ext = path.lowercased()
        if ext.hasSuffix(".wav") { return .wavFile(path: path) }
        if ext.hasSuffix(".y4m") { return .y4mFile(path: path) }
        throw MediaError(.invalidInput, "Unknown media source \"\(spec)\". \(usage)")
    }

    private static func parsePattern(_ value: String, spec: String) throws -> MediaSourceSpec {
        let d = defaultPattern
        var sizePart = Substring(value), fps = d.framesPerSecond
        if let at = value.firstIndex(of: "@") {
            sizePart = value[..<at]
            guard let f = Int(value[value.index(after: at)...]), (1...120).contains(f) else {
                throw MediaError(.invalidInput, "Invalid frame rate in \"\(spec)\": use pattern:WxH@FPS with FPS 1...120.")
            }
            fps = f
        }
        var w = d.width, h = d.height
        if !sizePart.isEmpty {
            let dims = sizePart.split(separator: "x", omittingEmptySubsequences: false)
            guard dims.count == 2, let pw = Int(dims[0]), let ph = Int(dims[1]),
                  (64...4096).contains(pw), (64...4096).contains(ph), pw % 2 == 0, ph % 2 == 0 else {
                throw MediaError(.invalidInput, "Invalid pattern size in \"\(spec)\": use pattern:WxH with even sizes 64...4096, e.g. pattern:1280x720@30.")
            }
            w = pw; h = ph
        }
        return .pattern(width: w, height: h, framesPerSecond: fps)
    }

    public var isAudio: Bool {
        switch self {
        case .tone, .wavFile, .microphone: return true
        case .pattern, .y4mFile, .camera: return false
        }
    }

    /// Opens the audio source this spec names.
    public func makeAudioSource(channels: Int = 1) throws -> AudioSource {
        switch self {
        case .tone(let f): return ToneSource(frequency: f, channels: channels)
        case .wavFile(let path): return try WAVFileSource(path: path)
        case .microphone(let device): return try ALSACapture(device: device, channels: channels, sampleRate: 48_000)
        case .pattern, .y4mFile, .camera: throw MediaError(.invalidInput, "\(self) is a video source, not an audio source.")
        }
    }

    /// Opens the video source this spec names.
    public func makeVideoSource() throws -> VideoSource {
        switch self {
        case .pattern(let w, let h, let fps): return TestPatternSource(width: w, height: h, framesPerSecond: fps)
        case .y4mFile(let path): return try Y4MFileSource(path: path)
        case .camera(let path, let w, let h, let fps): return try V4L2Camera(path: path, width: w, height: h, framesPerSecond: fps)
        case .tone, .wavFile, .microphone: throw MediaError(.invalidInput, "\(self) is an audio source, not a video source.")
        }
    }
}

extension MediaSourceSpec: CustomStringConvertible {
    /// The spec in the form `parse` reads (`tone:440`, `pattern:640x360@30`, the file's path).
    public var description: String {
        switch self {
        case .tone(let f): "tone:" + (f == f.rounded() ? String(Int(f)) : String(f))
        case .pattern(let w, let h, let fps): "pattern:\(w)x\(h)@\(fps)"
        case .wavFile(let path), .y4mFile(let path): path
        case .microphone(let device): "mic:\(device)"
        case .camera(let path, let w, let h, let fps): "camera:\(path):\(w)x\(h)@\(fps)"
        }
    }
}
