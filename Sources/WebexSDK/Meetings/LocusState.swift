import Foundation

/// The client's working copy of a Locus (reference §3.4–§3.5): top-level objects replaced as they
/// arrive, participants upserted by id. Pure value; the meeting session feeds it DTOs in order.
public struct LocusState: Sendable, Equatable {
    /// Every top-level object except `participants`, as last received.
    public private(set) var objects: [String: JSONValue] = [:]
    /// Participants by id, in the order first seen.
    public private(set) var participants: [String: JSONValue] = [:]
    public private(set) var participantOrder: [String] = []
    /// This client's device URL: picks the device entry the state is about (`joinedWith`).
    public var deviceURL: String?

    public init(deviceURL: String? = nil) { self.deviceURL = deviceURL }

    public var url: String? { objects["url"]?.stringValue }
    public var syncURL: String? { objects["syncUrl"]?.stringValue }
    public var sequence: LocusSequence? { LocusSequence(objects["sequence"]) }
    public var isEmpty: Bool { objects.isEmpty }

    /// What to do with an incoming DTO.
    public enum Decision: Sendable, Equatable {
        case apply
        /// Not newer than the working copy (or not a locus at all).
        case ignore
        /// A delta whose base is ahead of the working copy: wait for the missing ones.
        case wait
        /// The sequences cannot be reconciled (or Locus asked for a sync): fetch the state again.
        case sync
        /// The delta belongs to another locus URL (moved): fetch the state again.
        case urlChanged
    }

    public func decide(_ dto: JSONValue) -> Decision {
        guard let incoming = LocusSequence(dto["sequence"]) else { return .ignore }
        // A breakout move makes self LEFT/MOVED: that DTO is not about us any more (reference §3.5).
        if dto["self"]?["state"]?.stringValue == "LEFT", dto["self"]?["reason"]?.stringValue == "MOVED" { return .ignore }
        guard let current = sequence, !current.isEmpty, !incoming.isEmpty else { return .apply }
        if let baseJSON = dto["baseSequence"] {
            guard let base = LocusSequence(baseJSON) else { return .ignore }
            switch current.compare(to: incoming) {
            case .less: break
            case .equal, .greater: return .ignore
            case .desync: return .sync
            }
            if let u = dto["url"]?.stringValue, let mine = url, u != mine { return .urlChanged }
            switch current.compare(to: base) {
            case .greater, .equal: return .apply
            case .less: return base.compare(to: incoming) == .equal ? .sync : .wait
            case .desync: return .sync
            }
        }
        return (incoming.last ?? 0) > (current.last ?? 0) ? .apply : .ignore
    }

    /// Applies a DTO (full or delta) without deciding; returns the participant ids it touched.
    @discardableResult
    public mutating func apply(_ dto: JSONValue) -> [String] {
        guard let obj = dto.objectValue else { return [] }
        var touched: [String] = []
        for (key, value) in obj {
            switch key {
            case "participants":
                for p in value.arrayValue ?? [] {
                    guard let id = p["id"]?.stringValue else { continue }
                    if participants[id] == nil { participantOrder.append(id) }
                    participants[id] = p
                    touched.append(id)
                }
            case "baseSequence":
                continue
            default:
                objects[key] = value
            }
        }
        return touched
    }

    // MARK: Derived view

    public var selfObject: JSONValue? { objects["self"] }
    public var selfId: String? { selfObject?["id"]?.stringValue }
    public var selfURL: String? { selfObject?["url"]?.stringValue }
    /// `fullState.state`: ACTIVE, INACTIVE, TERMINATING …
    public var meetingState: String? { objects["fullState"]?["state"]?.stringValue }
    /// `self.state`: IDLE, JOINED, LEFT …
    public var selfState: String? { selfObject?["state"]?.stringValue }
    public var hostId: String? { objects["host"]?["id"]?.stringValue }

    /// The device entry of `self` for this client (`joinedWith`).
    public var joinedWith: JSONValue? {
        let devices = selfObject?["devices"]?.arrayValue ?? []
        if let deviceURL, let d = devices.first(where: { $0["url"]?.stringValue == deviceURL }) { return d }
        return devices.first
    }

    /// In the lobby: self IDLE and this device's intent WAIT (reference §3.3).
    public var inLobby: Bool {
        selfState == "IDLE" && joinedWith?["intent"]?["type"]?.stringValue == "WAIT"
    }

    public var roles: Set<String> { Self.roles(of: selfObject) }

    static func roles(of participant: JSONValue?) -> Set<String> {
        var out = Set<String>()
        for r in participant?["controls"]?["role"]?["roles"]?.arrayValue ?? [] where r["hasRole"]?.boolValue == true {
            if let t = r["type"]?.stringValue { out.insert(t) }
        }
        if participant?["moderator"]?.boolValue == true { out.insert("MODERATOR") }
        return out
    }

    /// What this user may do: `joined` hints, plus `coHost` and `moderator` hints by role; before
    /// joining only `VOIP_IS_ENABLED` counts (reference §3.4).
    public var capabilities: Set<String> {
        let hints = objects["info"]?["displayHints"]
        let joined = (hints?["joined"]?.arrayValue ?? []).compactMap(\.stringValue)
        guard selfState == "JOINED" else { return Set(joined.filter { $0 == "VOIP_IS_ENABLED" }) }
        var out = Set(joined)
        let r = roles
        if r.contains("COHOST") { out.formUnion((hints?["coHost"]?.arrayValue ?? []).compactMap(\.stringValue)) }
        if r.contains("MODERATOR") { out.formUnion((hints?["moderator"]?.arrayValue ?? []).compactMap(\.stringValue)) }
        return out
    }

    /// Lock state as the JS SDK reads it: from the `joined` display hints.
    public var isLocked: Bool? {
        let joined = (objects["info"]?["displayHints"]?["joined"]?.arrayValue ?? []).compactMap(\.stringValue)
        if joined.contains("LOCK_STATUS_LOCKED") { return true }
        if joined.contains("LOCK_STATUS_UNLOCKED") { return false }
        return objects["controls"]?["lock"]?["locked"]?.boolValue
    }

    public enum Recording: String, Sendable, Codable { case stopped, recording, paused }
    public var recording: Recording {
        let r = objects["controls"]?["record"]
        guard r?["recording"]?.boolValue == true else { return .stopped }
        return r?["paused"]?.boolValue == true ? .paused : .recording
    }

    /// The roster (hidden participants left out), in the order first seen.
    public var members: [MeetingMember] {
        participantOrder.compactMap { id in
            guard let p = participants[id], p["hideInRoster"]?.boolValue != true else { return nil }
            return MeetingMember(participant: p, hostId: hostId, selfId: selfId)
        }
    }

    public func member(id: String) -> MeetingMember? {
        participants[id].map { MeetingMember(participant: $0, hostId: hostId, selfId: selfId) }
    }
}

/// One roster entry, derived from a Locus participant the way the JS SDK's members plugin does.
public struct MeetingMember: Sendable, Codable, Equatable {
    public var id: String
    public var personId: String?
    public var name: String?
    public var email: String?
    /// IN_MEETING, IN_LOBBY or NOT_IN_MEETING.
    public var status: String
    /// The Locus participant state (JOINED, IDLE, LEFT, NOTIFIED …).
    public var state: String?
    /// Muted by the server or locally (audio RECVONLY), as the JS SDK's `isMuted` reads it.
    public var muted: Bool
    public var mutedByHost: Bool
    public var videoMuted: Bool
    public var isHost: Bool
    public var isSelf: Bool
    public var roles: [String]
    public var type: String?
    public var handRaised: Bool

    /// The member as JSON (the shape `--json` and the NDJSON events print).
    public var json: JSONValue { (try? JSONValue.parse(WebexJSON.encoder.encode(self))) ?? .null }

    public init(participant p: JSONValue, hostId: String?, selfId: String?) {
        id = p["id"]?.stringValue ?? ""
        let person = p["person"]
        personId = person?["id"]?.stringValue ?? p["identity"]?.stringValue
        name = person?["name"]?.stringValue
        email = person?["email"]?.stringValue ?? person?["primaryEmailAddress"]?.stringValue
        state = p["state"]?.stringValue
        let devices = p["devices"]?.arrayValue ?? []
        switch state {
        case "JOINED" where !devices.isEmpty: status = "IN_MEETING"
        case "IDLE" where devices.contains(where: { ["WAIT", "OBSERVE"].contains($0["intent"]?["type"]?.stringValue ?? "") }):
            status = "IN_LOBBY"
        default: status = "NOT_IN_MEETING"
        }
        mutedByHost = p["controls"]?["audio"]?["muted"]?.boolValue ?? false
        let audioStatus = p["status"]?["audioStatus"]?.stringValue
        muted = mutedByHost || audioStatus == "RECVONLY"
        let videoStatus = p["status"]?["videoStatus"]?.stringValue
        videoMuted = (p["controls"]?["video"]?["muted"]?.boolValue ?? false) || videoStatus == "RECVONLY"
        let r = LocusState.roles(of: p)
        roles = r.sorted()
        isHost = (hostId != nil && personId == hostId) || r.contains("MODERATOR")
        isSelf = selfId != nil && id == selfId
        type = p["type"]?.stringValue
        handRaised = p["controls"]?["hand"]?["raised"]?.boolValue ?? false
    }
}
