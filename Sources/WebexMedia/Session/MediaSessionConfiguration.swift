/// What a media session sends, where it records, and how it reaches the peer.
public struct MediaSessionConfiguration: Sendable {
    /// A TURN server to allocate a relayed candidate on (RFC 8656).
    public struct TURNServer: Sendable, Equatable, CustomStringConvertible {
        public enum Transport: String, Sendable { case udp, tcp }
        public var address: SocketAddress
        public var transport: Transport
        public var username: String
        public var password: String

        public init(address: SocketAddress, transport: Transport, username: String, password: String) {
            self.address = address
            self.transport = transport
            self.username = username
            self.password = password
        }

        /// Never shows the password.
        public var description: String { "turn:\(address)?transport=\(transport.rawValue) (user \(username))" }
    }

    /// What to send: a source specification (`tone:440`, `pattern:640x360@30`, a WAV or Y4M path), or nil.
    public var audio: MediaSourceSpec?
    public var video: MediaSourceSpec?
    /// Video codecs we offer or accept, in order of preference.
    public var videoCodecs: [VideoCodecKind]
    /// Offer a second, receive-only video m-line for content share (as Webex's transcoded clients do).
    public var offerContentShare: Bool
    /// An ALSA device to play the received audio on (`default`, `hw:1,0` …); nil: not played.
    public var speaker: String?
    /// Echo cancellation, noise suppression and gain control on a microphone's audio (`AudioProcessor`,
    /// speexdsp): on by default, for live microphones only (files and tones are sent as they are).
    public var audioProcessing: Bool
    /// Where to write what arrives (audio WAV, the encoded video as IVF or H.264 Annex B); nil: nowhere.
    public var recordDirectory: String?
    /// Also write decoded video as Y4M (large: about 10 MB per second at 640x360).
    public var recordDecodedVideo: Bool
    /// Local addresses for host candidates; empty means every non-loopback IPv4 interface.
    public var hostAddresses: [SocketAddress]
    public var stunServers: [SocketAddress]
    public var turnServers: [TURNServer]
    /// Offer and use relayed candidates only (no host or server-reflexive ones).
    public var relayOnly: Bool
    public var audioBitrate: Int
    public var videoBitrate: Int
    /// How long ICE and DTLS may take before the session gives up, in seconds.
    public var connectTimeout: Double

    public init(
        audio: MediaSourceSpec? = .tone(frequency: 440),
        video: MediaSourceSpec? = .pattern(width: 640, height: 360, framesPerSecond: 30),
        videoCodecs: [VideoCodecKind] = [.h264, .vp8],
        offerContentShare: Bool = false,
        speaker: String? = nil,
        audioProcessing: Bool = true,
        recordDirectory: String? = nil,
        recordDecodedVideo: Bool = false,
        hostAddresses: [SocketAddress] = [],
        stunServers: [SocketAddress] = [],
        turnServers: [TURNServer] = [],
        relayOnly: Bool = false,
        audioBitrate: Int = 32_000,
        videoBitrate: Int = 800_000,
        connectTimeout: Double = 15
    ) {
        self.audio = audio
        self.video = video
        self.videoCodecs = videoCodecs
        self.offerContentShare = offerContentShare
        self.speaker = speaker
        self.audioProcessing = audioProcessing
        self.recordDirectory = recordDirectory
        self.recordDecodedVideo = recordDecodedVideo
        self.hostAddresses = hostAddresses
        self.stunServers = stunServers
        self.turnServers = turnServers
        self.relayOnly = relayOnly
        self.audioBitrate = audioBitrate
        self.videoBitrate = videoBitrate
        self.connectTimeout = connectTimeout
    }
}
