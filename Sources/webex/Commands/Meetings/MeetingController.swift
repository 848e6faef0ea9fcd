import Foundation
import WebexSDK

/// The commands a running `webex meeting join` understands, whether they come from a key, a line on
/// standard input or the control socket. One parser, one executor, one JSON result shape.
struct MeetingController: Sendable {
    let meeting: Meeting

    static let help: [(String, String)] = [
        ("members", "list the members"),
        ("mute [MEMBER] [--video]", "mute yourself, or a member as host"),
        ("unmute [MEMBER] [--video]", "unmute yourself, or a member as host"),
        ("admit [MEMBER]", "admit a member from the lobby (everyone waiting without a name)"),
        ("remove MEMBER", "remove a member"),
        ("lock | unlock", "lock or unlock the meeting"),
        ("record start|stop|pause|resume", "control the recording"),
        ("mute-all [--on-entry] [--disallow-unmute] | unmute-all", "mute everyone"),
        ("make-host MEMBER", "hand the host role over"),
        ("invite EMAIL|+PHONE", "invite someone"),
        ("cancel-invite +PHONE", "cancel a phone invitation"),
        ("dtmf TONES", "send DTMF tones"),
        ("react TYPE [TONE]", "send a reaction (clap, thumb_up, heart …)"),
        ("reactions on|off", "allow or stop reactions"),
        ("layout TYPE", "change the video layout (Single, Equal, ActivePresence, Prominent, OnePlusN)"),
        ("hand up|down [MEMBER]", "raise or lower a hand"),
        ("status", "the meeting's state"),
        ("leave", "leave the meeting"),
        ("end", "end the meeting for everyone"),
    ]

    struct Failure: Error { var message: String; var exit: Int32 }

    /// Runs one command line; the result is JSON for the NDJSON stream and the control socket.
    func execute(_ line: String) async -> (ok: Bool, result: JSONValue, error: String?, exit: Int32) {
        let words = line.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let verb = words.first?.lowercased() else { return (false, .null, "empty command: try help", 2) }
        let args = Array(words.dropFirst())
        let flags = Set(args.filter { $0.hasPrefix("--") })
        let plain = args.filter { !$0.hasPrefix("--") }
        do {
            let result = try await run(verb, plain, flags)
            return (true, result, nil, 0)
        } catch let f as Failure {
            return (false, .null, f.message, f.exit)
        } catch {
            return (false, .null, ErrorReport.message(for: error).replacingOccurrences(of: "error: ", with: "").trimmingCharacters(in: .whitespacesAndNewlines),
                    ErrorReport.status(for: error).rawValue)
        }
    }

    private func member(_ m: MeetingMember) -> JSONValue { m.json }

    func status() async -> JSONValue {
        let locus = await meeting.locus
        let info = meeting.info
        return .object([
            "meeting": info.meetingName.map(JSONValue.string) ?? .null,
            "meetingNumber": info.meetingNumber.map(JSONValue.string) ?? .null,
            "locusUrl": locus.url.map(JSONValue.string) ?? .null,
            "state": locus.meetingState.map(JSONValue.string) ?? .null,
            "selfState": locus.selfState.map(JSONValue.string) ?? .null,
            "inLobby": .bool(locus.inLobby),
            "locked": locus.isLocked.map(JSONValue.bool) ?? .null,
            "recording": .string(locus.recording.rawValue),
            "roles": .array(locus.roles.sorted().map(JSONValue.string)),
            "pid": .number(Double(getpid())),
        ])
    }

    private func run(_ verb: String, _ args: [String], _ flags: Set<String>) async throws -> JSONValue {
        func one(_ usage: String) throws -> String {
            guard args.count == 1 else { throw Failure(message: "usage: \(usage)", exit: 2) }
            return args[0]
        }
        let video = flags.contains("--video")
        switch verb {
        case "help", "?":
            return .array(Self.help.map { .object(["command": .string($0.0), "does": .string($0.1)]) })
        case "members", "roster":
            return .array(await meeting.members.map(member))
        case "status", "info":
            return await status()
        case "mute", "unmute":
            let muted = verb == "mute"
            if args.isEmpty {
                try await meeting.muteSelf(muted, video: video)
                return .object(["muted": .bool(muted), "video": .bool(video)])
            }
            return member(try await meeting.mute(member: args.joined(separator: " "), muted: muted, video: video))
        case "admit":
            return .array(try await meeting.admit(args.isEmpty ? [] : [args.joined(separator: " ")]).map(member))
        case "remove", "expel":
            return member(try await meeting.remove(args.joined(separator: " ")))
        case "lock", "unlock":
            try await meeting.lock(verb == "lock")
            return .object(["locked": .bool(verb == "lock")])
        case "record":
            guard let a = args.first, let action = Meeting.RecordingAction(rawValue: a.lowercased()) else {
                throw Failure(message: "usage: record start|stop|pause|resume", exit: 2)
            }
            try await meeting.record(action)
            return .object(["recording": .string(action.rawValue)])
        case "mute-all", "unmute-all":
            let muted = verb == "mute-all"
            try await meeting.muteAll(muted, onEntry: flags.contains("--on-entry") ? muted : nil,
                                      disallowUnmute: flags.contains("--disallow-unmute") ? muted : nil)
            return .object(["muted": .bool(muted)])
        case "make-host", "transfer-host":
            return member(try await meeting.transferHost(to: args.joined(separator: " ")))
        case "invite":
            try await meeting.invite(try one("invite EMAIL|+PHONE"))
            return .object(["invited": .string(args[0])])
        case "cancel-invite":
            try await meeting.cancelPhoneInvite(try one("cancel-invite +PHONE"))
            return .object(["cancelled": .string(args[0])])
        case "dtmf":
            try await meeting.sendDTMF(try one("dtmf TONES"))
            return .object(["tones": .string(args[0])])
        case "react":
            guard let type = args.first, args.count <= 2 else { throw Failure(message: "usage: react TYPE [TONE]", exit: 2) }
            try await meeting.sendReaction(type, tone: args.count == 2 ? args[1] : "normal")
            return .object(["reaction": .string(type)])
        case "reactions":
            guard let a = args.first, ["on", "off"].contains(a) else { throw Failure(message: "usage: reactions on|off", exit: 2) }
            try await meeting.setReactionsEnabled(a == "on")
            return .object(["reactions": .bool(a == "on")])
        case "layout":
            try await meeting.changeLayout(try one("layout TYPE"))
            return .object(["layout": .string(args[0])])
        case "hand":
            guard let a = args.first, ["up", "down"].contains(a) else { throw Failure(message: "usage: hand up|down [MEMBER]", exit: 2) }
            let who = args.count > 1 ? args.dropFirst().joined(separator: " ") : nil
            try await meeting.raiseHand(a == "up", member: who)
            return .object(["raised": .bool(a == "up")])
        case "leave", "quit", "q":
            try await meeting.leave()
            return .object(["left": .bool(true)])
        case "end":
            try await meeting.endForAll()
            return .object(["ended": .bool(true)])
        default:
            throw Failure(message: "unknown command '\(verb)': try help", exit: 2)
        }
    }
}
