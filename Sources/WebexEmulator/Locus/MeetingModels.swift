import Foundation

/// The Webex site every meeting link, SIP address and meeting number belongs to
/// (`EmulatorConfiguration.meetingSite`, default `emulator.webex.com`).
public enum MeetingSite {
    public static let defaultSite = "emulator.webex.com"
}

/// A person invited to a scheduled meeting (`invitees[]` of `POST /v1/meetings`).
struct MeetingInvitee: Sendable {
    var email: String
    var displayName: String?
    var coHost: Bool
}

/// A scheduled meeting (a "meeting series" without recurrence) created with `POST /v1/meetings`.
struct ScheduledMeeting: Sendable {
    /// 32 lower-case hex digits: the Hydra `id` and the meeting-info `meetingId`.
    var id: String
    var seq: Int
    /// 11 digits.
    var meetingNumber: String
    var title: String
    var agenda: String?
    /// Empty when the meeting has no password (`excludePassword`).
    var password: String
    /// 6 digits; accepted instead of the password, shown to the host only.
    var hostKey: String
    var timezone: String
    var start: Date
    var end: Date
    var hostUUID: String
    var invitees: [MeetingInvitee]
    var enabledAutoRecordMeeting: Bool
    var allowAnyUserToBeCoHost: Bool
    var enabledJoinBeforeHost: Bool
    var joinBeforeHostMinutes: Int
    var excludePassword: Bool
    var publicMeeting: Bool
    /// `m` + 32 hex digits, the `MTID` of the web link.
    var linkToken: String
    var created: Date
}

/// What a meeting destination resolves to. Each has at most one live locus at a time.
enum MeetingTarget: Hashable, Sendable {
    /// A scheduled meeting, by its id.
    case scheduled(String)
    /// A person's personal room, by the person's uuid.
    case personalRoom(String)
    /// A room's (space's) meeting, by the room uuid.
    case space(String)

    var key: String {
        switch self {
        case .scheduled(let id): return "scheduled:\(id)"
        case .personalRoom(let uuid): return "pmr:\(uuid)"
        case .space(let uuid): return "space:\(uuid)"
        }
    }

    var kind: String {
        switch self {
        case .scheduled: return "scheduled"
        case .personalRoom: return "personalRoom"
        case .space: return "space"
        }
    }
}

/// Everything meeting info and Locus need to know about a meeting, whatever its kind.
struct MeetingDescriptor: Sendable {
    var target: MeetingTarget
    var meetingNumber: String
    var name: String
    var hostUUID: String
    /// `<number>@site`, or `<name>@site` for a personal room.
    var sipAddress: String
    /// The scheduled web link, the personal room link, or `https://site/m/<room uuid>` for a space.
    var joinURL: String
    /// Nil when joining needs no password.
    var password: String?
    /// Accepted instead of the password (a scheduled meeting's host key, a claimed personal room's pin).
    var hostKey: String?
    /// 32 hex digits (meeting-info `meetingId`, Hydra id of a scheduled meeting).
    var meetingId: String
    var isPmr: Bool
    /// The room of a space meeting.
    var roomUUID: String?
    /// Lower-cased emails of the invitees of a scheduled meeting, and those marked co-host.
    var invitees: Set<String> = []
    var coHosts: Set<String> = []
    var enabledAutoRecordMeeting = false
}

/// A captcha demanded after too many wrong meeting passwords (reference §1.4).
struct MeetingCaptcha: Sendable {
    var id: String
    var code: String
    /// `<person uuid>|<target key>`: whose attempts it guards.
    var attemptKey: String
}

/// Scheduled meetings, personal-room pins, loci and the password/captcha bookkeeping. Part of the store.
struct MeetingsState: Sendable {
    var scheduled: [String: ScheduledMeeting] = [:]
    /// person uuid → host pin set by a personal-room claim.
    var personalRoomPins: [String: String] = [:]
    /// locus uuid → locus (live and ended).
    var loci: [String: Locus] = [:]
    /// target key → uuid of its live locus.
    var live: [String: String] = [:]
    /// `<person uuid>|<target key>` → wrong passwords in a row.
    var passwordFailures: [String: Int] = [:]
    /// `<person uuid>|<target key>` → the captcha that must be solved next.
    var pendingCaptcha: [String: String] = [:]
    var captchas: [String: MeetingCaptcha] = [:]
}

/// Numbers and links.
enum MeetingNumbers {
    /// FNV-1a, for numbers derived from uuids (stable across restarts).
    static func hash(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return h
    }

    /// `prefix` (2 digits) + 9 digits derived from `seed`: 11 digits in all.
    static func derived(prefix: String, seed: String) -> String {
        prefix + String(hash(seed) % 1_000_000_000).leftPadded(9)
    }

    static func random(prefix: String) -> String {
        prefix + String(UInt64.random(in: 0..<1_000_000_000)).leftPadded(9)
    }

    /// Digits only (`"250 123 4567"` → `"2501234567"`); nil if anything else is left.
    static func normalize(_ text: String) -> String? {
        let digits = text.filter { !$0.isWhitespace && $0 != "-" }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return digits
    }

    static func randomDigits(_ count: Int) -> String {
        OAuthCrypto.randomString(count, alphabet: Array("0123456789"))
    }

    /// A password like the ones Webex generates: 8 characters with upper and lower case letters and digits.
    static func randomPassword() -> String {
        let upper = Array("ABCDEFGHJKLMNPQRSTUVWXYZ")
        let lower = Array("abcdefghijkmnpqrstuvwxyz")
        let digits = Array("23456789")
        var chars = Array(OAuthCrypto.randomString(3, alphabet: upper))
        chars += Array(OAuthCrypto.randomString(3, alphabet: lower))
        chars += Array(OAuthCrypto.randomString(2, alphabet: digits))
        return String(chars.shuffled())
    }
}
