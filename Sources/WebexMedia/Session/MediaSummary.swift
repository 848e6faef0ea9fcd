/// What a session did, for `webex media call`'s JSON summary and for tests.
public struct MediaSummary: Sendable, Encodable {
    public struct Connection: Sendable, Encodable {
        public var iceRole: String
        public var iceState: String
        /// `host 127.0.0.1:40000`, `relay 127.0.0.1:50000 (turn udp)` …
        public var localCandidate: String?
        public var remoteAddress: String?
        public var relayed: Bool
        public var dtlsRole: String
        public var srtpProfile: String?
        /// Milliseconds from the start of the call (SDP exchanged) to SRTP keyed: ICE, then DTLS.
        public var connectMilliseconds: Int?
    }

    public struct Sent: Sendable, Encodable {
        public var source: String?
        public var packets: Int = 0
        public var bytes: Int = 0
        public var frames: Int = 0
        public var keyframes: Int?
        public var width: Int?
        public var height: Int?
        public var retransmitted: Int?
        public var keyframeRequests: Int?
    }

    public struct Received: Sendable, Encodable {
        public var packets: Int = 0
        public var bytes: Int = 0
        public var lost: Int = 0
        public var jitterMs: Double = 0
        public var framesDecoded: Int = 0
        public var framesDropped: Int?
        public var concealed: Int?
        public var width: Int?
        public var height: Int?
        public var framesPerSecond: Double?
        public var frequencyHz: Double?
        /// RMS level of the decoded audio (after the first half second), in dBFS.
        public var levelDBFS: Double?
        public var nacksSent: Int?
        public var keyframeRequestsSent: Int?
        public var recording: String?
    }

    public struct Stream: Sendable, Encodable {
        public var mid: String
        public var kind: String
        public var codec: String
        public var payloadType: Int
        public var direction: String
        public var rttMs: Double?
        public var sent: Sent
        public var received: Received
    }

    public var durationSeconds: Double
    public var connection: Connection
    public var streams: [Stream]
    /// How the call ended: "duration" (it ran its time), "peer" (RTCP BYE or DTLS close_notify from the
    /// peer), "local" (`end()`, Ctrl-C) or "error" (then `error` says what).
    public var endedBy: String
    /// Set when the call ended on an error (ICE consent lost, DTLS failed …).
    public var error: String?
}
