import Foundation

/// A device a participant joined with (one entry of `devices[]`).
struct LocusDevice: Sendable, Equatable {
    /// The WDM device URL the client sent as `device.url`.
    var url: String
    var deviceType: String
    /// `JOINED` (admitted or in the lobby).
    var state: String = "JOINED"
    var correlationId: String
    /// The confluence id handed out in `mediaConnections[].mediaId`.
    var mediaId: String
    /// In the lobby: `intent:{"type":"WAIT","reason":"ON_HOLD_LOBBY"}`.
    var waiting: Bool = false
    /// The join carried `localMedias`, or the device has used `/media`.
    var hasMedia: Bool
    /// Local mute as last reported on `/media`; muted until reported (reference §3.7).
    var audioMuted = true
    var videoMuted = true
    /// Highest ROAP OFFER seq answered (-1: none), for OUT_OF_ORDER.
    var roapSeq = -1
    var joined: Date
}

/// One entry of `participants[]`.
struct LocusParticipant: Sendable, Equatable {
    var id: String
    /// A known person (USER); nil for a phone invitee or an unknown email.
    var personUUID: String?
    /// `USER`, or `PSTN` for a phone number invitee.
    var type: String
    /// What an invite was addressed to (email or E.164 number).
    var address: String?
    var name: String
    var email: String?
    /// `IDLE` (lobby), `NOTIFIED` (invited), `JOINED`, `LEFT`, `DECLINED`.
    var state: String
    var isCreator: Bool
    var moderator: Bool
    var coHost: Bool
    var guest: Bool = false
    var devices: [LocusDevice] = []
    /// Server mute (`controls.audio.muted` / `controls.video.muted`).
    var audioMuted = false
    var videoMuted = false
    var disallowUnmute = false
    var requestedToUnmute = false
    var lastModifiedRequestedToUnmute: Date?
    var audioModified: Date?
    var audioModifiedBy: String?
    var handRaised = false
    /// `self.controls.layouts` (set by `PUT {selfUrl}/controls`).
    var layout: JSONValue?
    /// Expelled by a moderator (`reason:"FORCED"`).
    var removed = false
    var reason: String?
    var joinedAt: Date?
    /// Tones sent (`sendDtmf` on self) and received (a moderator's `sendDtmf` to this member).
    var dtmfSent: [String] = []
    var dtmfReceived: [String] = []
    /// Reactions this participant sent.
    var reactions: [JSONValue] = []
    /// Sequence of the last change.
    var changed: Int64 = 0

    var isPresent: Bool { state == "JOINED" || state == "IDLE" }
    var isWaiting: Bool { state == "IDLE" && devices.contains { $0.waiting } }
    var isPrivileged: Bool { moderator || coHost }
}

/// Top-level objects of the DTO whose changes are tracked for deltas (participants are tracked apiece).
enum LocusPart: String, Sendable, CaseIterable {
    case fullState, info, host, controls, mediaShares, links, embeddedApps
}

/// A Locus (a live or ended meeting instance).
struct Locus: Sendable {
    var id: String
    var target: MeetingTarget
    /// The meeting as it was when the locus started (it outlives a deleted scheduled meeting).
    var meeting: MeetingDescriptor
    var created: Date
    var sessionId: String
    var hostUUID: String
    var sequence: Int64 = 0
    var active = true
    var lastActive: Date
    var ended: Date?
    var locked = false
    var recording = false
    var recordingPaused = false
    var recordModified: Date?
    var recordModifiedBy: String?
    var muteOnEntry = false
    var disallowUnmute = false
    var reactionsEnabled = true
    var showDisplayNameWithReactions = true
    /// Other `controls` scopes set with `PATCH {locusUrl}/controls` (raiseHand, video, shareControl,
    /// viewTheParticipantList, transcribe, manualCaptionControl), kept as sent.
    var extraControls: [String: JSONValue] = [:]
    var participants: [LocusParticipant] = []
    var changed: [LocusPart: Int64] = [:]
    /// Parts and participants touched since the last commit.
    var pendingParts: Set<LocusPart> = []
    var pendingParticipants: Set<String> = []
    /// People who got a participant in the pending change (they receive a full DTO event).
    var pendingNewPeople: Set<String> = []

    func participant(_ id: String) -> LocusParticipant? { participants.first { $0.id == id } }

    func participantIndex(_ id: String) -> Int? { participants.firstIndex { $0.id == id } }

    func participant(person uuid: String) -> LocusParticipant? {
        participants.first { $0.personUUID == uuid }
    }

    func participantIndex(person uuid: String) -> Int? { participants.firstIndex { $0.personUUID == uuid } }

    mutating func touch(_ parts: LocusPart...) { pendingParts.formUnion(parts) }

    mutating func touch(participant id: String) { pendingParticipants.insert(id) }

    /// Lock, recording, mute-on-entry, hard mute and reactions show in the display hints (`info`) too.
    mutating func touchControls() { touch(.controls, .info) }

    var hasPendingChanges: Bool { !pendingParts.isEmpty || !pendingParticipants.isEmpty }

    /// Microsecond clock, strictly increasing per locus.
    static func nextSequence(after previous: Int64) -> Int64 {
        let now = Int64((Date().timeIntervalSince1970 * 1_000_000).rounded(.down))
        return max(previous + 1, now)
    }
}
