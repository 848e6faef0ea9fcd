import ArgumentParser
import Foundation
import WebexSDK

/// `webex meeting …`: look a meeting up, join it, and control a running join from another shell.
struct MeetingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meeting", abstract: "Look up and join meetings; control a running join.",
        discussion: """
            `webex meeting join` stays in the meeting. The other commands (members, mute, admit, lock, record,
            leave …) act on that running join through its control socket in $XDG_RUNTIME_DIR/webex/.
            """,
        subcommands: [MeetingInfoCommand.self, MeetingJoin.self, MeetingPMR.self, MeetingMembers.self, MeetingStatus.self,
                      MeetingMute.self, MeetingUnmute.self, MeetingAdmit.self, MeetingRemove.self, MeetingLock.self,
                      MeetingUnlock.self, MeetingRecord.self, MeetingMuteAll.self, MeetingMakeHost.self, MeetingInvite.self,
                      MeetingDTMF.self, MeetingReact.self, MeetingLayout.self, MeetingHand.self, MeetingLeave.self, MeetingEnd.self])
}

/// Where the meeting is and how to read it.
struct DestinationOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("A meeting link, SIP address, person (email or ID), room ID, or with --type number a meeting number.", valueName: "destination"))
    var destination: String
    @Option(name: .customLong("type"), help: ArgumentHelp("Read the destination as: \(MeetingDestination.Kind.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "kind"))
    var kind: String?
    @Option(name: .customLong("password-file"), help: ArgumentHelp("Read the meeting password (or host key) from this file.", valueName: "file"))
    var passwordFile: String?
    @Option(help: ArgumentHelp("The meeting password or host key. Visible to other users in the process list: prefer WEBEX_MEETING_PASSWORD or --password-file.", valueName: "password"))
    var password: String?
    @Option(name: .customLong("captcha-id"), help: ArgumentHelp("The captcha Webex asked for (after wrong passwords).", valueName: "id"))
    var captchaId: String?
    @Option(help: ArgumentHelp("The captcha's text, with --captcha-id.", valueName: "code"))
    var captcha: String?

    func validate() throws {
        if let kind, MeetingDestination.Kind(rawValue: kind) == nil {
            throw ValidationError("--type '\(kind)' is not one of \(MeetingDestination.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if (captchaId == nil) != (captcha == nil) { throw ValidationError("--captcha and --captcha-id go together") }
    }

    func parsed() throws -> MeetingDestination {
        try MeetingDestination.parse(destination, kind: kind.flatMap(MeetingDestination.Kind.init(rawValue:)))
    }

    func resolvedPassword() throws -> String? {
        if let password { return password }
        if let passwordFile {
            guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8) else { throw CLIError.usage("cannot read --password-file \(passwordFile)") }
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if let env = CLIContext.current.environment["WEBEX_MEETING_PASSWORD"], !env.isEmpty { return env }
        return nil
    }

    /// Meeting info, asking for the password on a terminal when Webex wants one.
    func lookup(client: Webex) async throws -> MeetingInfo {
        let dest = try parsed()
        var password = try resolvedPassword()
        let captchaPair = captchaId.flatMap { id in captcha.map { (id: id, code: $0) } }
        let io = CLIContext.current.io
        for attempt in 0..<3 {
            do throws(MeetingInfoFailure) {
                return try await client.meetings.info(dest, password: password, captcha: captchaPair)
            } catch {
                if case .passwordRequired = error, io.stdinIsTTY, io.stderrIsTTY, attempt < 2,
                   let typed = Terminal.readSecret(prompt: password == nil ? "Meeting password: " : "Wrong password; try again: ") {
                    password = typed
                    continue
                }
                if case .captchaRequired(let c, _, _) = error {
                    io.err("captcha: \(c.imageURL ?? "?")\(c.audioURL.map { " (audio: \($0))" } ?? "")\n")
                }
                throw error.webexError
            }
        }
        throw MeetingInfoFailure.passwordRequired(partial: nil, wrongPasswordGiven: true).webexError
    }
}

struct MeetingInfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "Show what Webex knows about a meeting (number, SIP address, link, whether it is live).")
    @OptionGroup var destination: DestinationOptions
    @OptionGroup var globals: GlobalOptions
    @Flag(help: "Print the full meeting-info answer as JSON.") var json = false

    func run() async throws {
        let client = try globals.makeClient()
        let info = try await destination.lookup(client: client)
        let io = CLIContext.current.io
        if json {
            // The permission token is a credential for joining: it stays out of the output.
            var shown = info.json.objectValue ?? [:]
            shown["permissionToken"] = nil
            io.out(String(decoding: try WebexJSON.prettyEncoder.encode(JSONValue.object(shown)), as: UTF8.self) + "\n")
            return
        }
        var rows: [(String, String?)] = [
            ("Name", info.meetingName), ("Number", info.meetingNumber), ("SIP", info.sipURI), ("Link", info.link ?? info.joinURL),
            ("Personal room", info.isPersonalRoom ? "yes" : nil), ("Live", info.locusURL != nil ? "yes" : "no"),
        ]
        rows = rows.filter { $0.1 != nil }
        for (k, v) in rows { io.out(io.stdoutIsTTY ? "\(k.padding(toLength: 14, withPad: " ", startingAt: 0))\(v!)\n" : "\(k)\t\(v!)\n") }
    }
}

struct MeetingPMR: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pmr", abstract: "Show a personal room (yours by default), or claim one with its host PIN.")
    @Argument(help: "A person (email or ID); you when left out.") var person: String?
    @Option(help: ArgumentHelp("Claim this personal room link as yours (needs --pin).", valueName: "link")) var claim: String?
    @Option(help: ArgumentHelp("The host PIN (4-6 digits) for --claim; WEBEX_MEETING_HOST_PIN keeps it out of the process list.", valueName: "pin")) var pin: String?
    @OptionGroup var globals: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        if claim != nil && pin == nil && (CLIContext.current.environment["WEBEX_MEETING_HOST_PIN"] ?? "").isEmpty {
            throw ValidationError("--claim needs the host PIN: set WEBEX_MEETING_HOST_PIN or pass --pin")
        }
    }

    func run() async throws {
        let client = try globals.makeClient()
        let io = CLIContext.current.io
        if let claim, let pin = pin ?? CLIContext.current.environment["WEBEX_MEETING_HOST_PIN"] {
            let result = try await client.meetings.claimPersonalRoom(link: claim, pin: pin)
            io.out(json ? result.jsonText + "\n" : "claimed \(claim)\n")
            return
        }
        let room: PersonalRoom
        do throws(MeetingInfoFailure) { room = try await client.meetings.personalRoom(of: person) } catch { throw error.webexError }
        if json {
            io.out(String(decoding: try WebexJSON.encoder.encode(room), as: UTF8.self) + "\n")
        } else {
            for (k, v) in [("Name", room.name), ("Link", room.link), ("SIP", room.sipURI), ("Number", room.meetingNumber)] where v != nil {
                io.out("\(k.padding(toLength: 8, withPad: " ", startingAt: 0))\(v!)\n")
            }
        }
    }
}

// MARK: Acting on a running join

/// Which running join to talk to.
struct SessionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The process ID of the `webex meeting join` to act on, when several run.", valueName: "pid"))
    var session: Int32?

    func socketPath() throws -> String {
        let env = CLIContext.current.environment
        let running = try ControlSocket.running(environment: env)
        if let session {
            guard let s = running.first(where: { $0.pid == session }) else {
                throw CLIError.notFound("no `webex meeting join` with process ID \(session) is running (running: \(running.map { String($0.pid) }.joined(separator: ", ")))")
            }
            return s.path
        }
        switch running.count {
        case 0: throw CLIError.notFound("no `webex meeting join` is running for you; start one first (looked in \(try ControlSocket.directory(environment: env, create: false)))")
        case 1: return running[0].path
        default: throw CLIError.usage("\(running.count) meetings are running (process IDs \(running.map { String($0.pid) }.joined(separator: ", "))): choose one with --session PID")
        }
    }

    /// `send`, with the join's refusal printed and turned into its exit status.
    func sendOrExit(_ command: String) throws -> JSONValue {
        do { return try send(command) } catch let f as RemoteFailure {
            CLIContext.current.io.err("error: \(f.message)\n")
            throw ExitCode(f.status)
        }
    }

    /// Sends `command` and returns the result, or throws the join's error with its exit status.
    func send(_ command: String) throws -> JSONValue {
        let path = try socketPath()
        let reply: JSONValue
        do { reply = try ControlSocket.send(command, to: path) } catch is ControlSocket.StaleSocket {
            throw CLIError.failure("the meeting join behind \(path) is not answering (it may have just ended)")
        }
        if reply["ok"]?.boolValue == true { return reply["result"] ?? .null }
        let message = reply["error"]?.stringValue ?? "the command failed"
        throw RemoteFailure(message: message, status: Int32(reply["exit"]?.intValue ?? 1))
    }
}

struct RemoteFailure: Error, CustomStringConvertible {
    var message: String
    var status: Int32
    var description: String { message }
}

/// The plain one-shot remote commands: send, print the result (JSON when piped or asked).
protocol RemoteMeetingCommand: AsyncParsableCommand {
    var session: SessionOptions { get }
    var json: Bool { get }
    func commandLine() throws -> String
    func describe(_ result: JSONValue) -> String?
}

extension RemoteMeetingCommand {
    func describe(_ result: JSONValue) -> String? { nil }

    func run() async throws {
        let io = CLIContext.current.io
        let result = try session.sendOrExit(try commandLine())
        if json || !io.stdoutIsTTY {
            io.out(result.jsonText + "\n")
        } else if let text = describe(result) {
            io.out(text + "\n")
        }
    }
}

struct MeetingMembers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "members", abstract: "List the members of the running meeting.")
    @OptionGroup var session: SessionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let io = CLIContext.current.io
        let result = try session.sendOrExit("members")
        let members = try WebexJSON.decoder.decode([MeetingMember].self, from: WebexJSON.encoder.encode(result))
        try await Renderer(io: io, options: output).list(members, columns: MeetingView.columns, noun: "members")
    }
}

struct MeetingStatus: RemoteMeetingCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the running meeting's state (lock, recording, lobby).")
    @OptionGroup var session: SessionOptions
    @Flag(help: "Print JSON.") var json = false
    func commandLine() throws -> String { "status" }
    func describe(_ r: JSONValue) -> String? {
        ["meeting", "state", "selfState", "locked", "recording"].compactMap { k in r[k].map { "\(k): \($0.stringValue ?? $0.jsonText)" } }.joined(separator: "\n")
    }
}

struct MeetingMute: RemoteMeetingCommand {
    static let configuration = CommandConfiguration(commandName: "mute", abstract: "Mute yourself, or (as host) a member.")
    @Argument(help: "A member (name, email or member ID); yourself when left out.") var member: [String] = []
    @Flag(help: "Video instead of audio.") var video = false
    @OptionGroup var session: SessionOptions
    @Flag(help: "Print JSON.") var json = false
    func commandLine() throws -> String { (["mute"] + member + (video ? ["--video"] : [])).joined(separator: " ") }
    func describe(_ r: JSONValue) -> String? { r["name"]?.stringValue.map { "muted \($0)" } ?? "muted" }
}

struct MeetingUnmute: RemoteMeetingCommand {
    static let configuration = CommandConfiguration(commandName: "unmute", abstract: "Unmute yourself, or (as host) a member.")
    @Argument(help: "A member; yourself when left out.") var member: [String] = []
    @Flag(help: "Video instead of audio.") var video = false
    @OptionGroup var session: SessionOptions
    @Flag(help: "Print JSON.") var json = false
    func commandLine() throws -> String { (["unmute"] + member + (video ? ["--video"] : [])).joined(separator: " ") }
    func describe(_ r: JSONValue) -> String? { r["name"]?.stringValue.map { "unmuted \($0)" } ?? "unmuted" }
}

struct MeetingAdmit: RemoteMeetingCommand {
    static let configuration = CommandConfiguration(commandName: "admit", abstract: "Admit a member from the lobby (everyone waiting when left out).")
    @Argument(help: "A member waiting in the lobby.") var member: [String] = []
    @OptionGroup var session: SessionOptions
    @Flag(help: "Print JSON.") var json = false
    func commandLine() throws -> String { (["admit"] + member).joined(separator: " ") }
    func describe(_ r: JSONValue) -> String? { "admitted " + (r.arrayValue ?? []).compactMap { $0["name"]?.stringValue }.joined(separator: ", ") }
}

struct MeetingRemove: RemoteMeetingCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a member from the meeting.")
    @Argument(help: "A member.") var member: [String]
    @OptionGroup var session: SessionOptions
    @Flag(help: "Print JSON.") var json = false
    func commandLine() throws -> String { (["remove"] + member).joined(separator: " ") }
    func describe(_ r: JSONValue) -> String? { "removed \(r["name"]?.stringValue ?? "")" }
}

struct MeetingLock: RemoteMeetingCommand {
    static let configuration = CommandConfiguration(commandName: "lock", abstract: "Lock the meeting: newcomers wait in the lobby.")
    @OptionGroup var session: SessionOptions
    @Flag(help: "Print JSON.") var json = false
    func commandLine() throws -> String { "lock" }
    func describe(_ r: JSONValue) -> String? { "locked" }
}

struct MeetingUnlock: RemoteMeetingCommand {
    static let configuration = CommandConfiguration(commandName: "unlock", abstract: "Unlock the meeting.")
    @OptionGroup var session: SessionOptions
    @Flag(help: "Print JSON.") var json = false
    func commandLine() throws -> String { "unlock" }
    func describe(_ r: JSONValue) -> String? { "unlocked" }
}

struct MeetingRecord: RemoteMeetingCommand {
    static let configuration = CommandConfiguration(commandName: "record", abstract: "Start, stop, pause or resume the recording.")
    @Argument(help: "start, stop, pause or resume.") var action: String
    @OptionGroup var session: SessionOptions
    @Flag(help: "Print JSON.") var json = false
    func validate() throws {
        if Meeting.RecordingAction(rawValue: action) == nil { throw ValidationError("record what? use start, stop, pause or resume") }
    }
    func commandLine() throws -> String { "record \(action)" }
    func describe(_ r: JSONValue) -> String? { "recording: \(action)" }
}

struct MeetingMuteAll: RemoteMeetingCommand {
    static let configuration = CommandConfiguration(commandName: "mute-all", abstract: "Mute everyone (host); optionally newcomers too and forbid unmuting.")
    @Flag(name: .customLong("on-entry"), help: "Also mute people as they join.") var onEntry = false
    @Flag(name: .customLong("disallow-unmute"), help: "Do not let people unmute themselves.") var disallowUnmute = false
    @Flag(help: "Unmute everyone instead (and undo --on-entry / --disallow-unmute when given).") var undo = false
    @OptionGroup var session: SessionOptions
    @Flag(help: "Print JSON.") var json = false
    func commandLine() throws -> String {
        ([undo ? "unmute-all" : "mute-all"] + (onEntry ? ["--on-entry"] : []) + (disallowUnmute ? ["--disallow-unmute"] : [])).joined(separator: " ")
    }
    func describe(_ r: JSONValue) -> String? { undo ? "unmuted everyone" : "muted everyone" }
}

struct MeetingMakeHost: RemoteMeetingCommand {
    static let configuration = CommandConfiguration(commandName: "make-host", abstract: "Hand the host role to a member.")
    @Argument(help: "A member.") var member: [String]
    @OptionGroup var session: SessionOptions
    @Flag(help: "Print JSON.") var json = false
    func commandLine() throws -> String { (["make-host"] + member).joined(separator: " ") }
    func describe(_ r: JSONValue) -> String? { "\(r["name"]?.stringValue ?? "") is now the host" }
}

struct MeetingInvite: RemoteMeetingCommand {
    static let configuration = CommandConfiguration(commandName: "invite", abstract: "Invite someone by email, or a phone (+E.164); --cancel withdraws a phone invitation.")
    @Argument(help: "An email address or +phone number.") var address: String
    @Flag(help: "Cancel a phone invitation.") var cancel = false
    @OptionGroup var session: SessionOptions
    @Flag(help: "Print JSON.") var json = false
    func commandLine() throws -> String { "\(cancel ? "cancel-invite" : "invite") \(address)" }
    func describe(_ r: JSONValue) -> String? { cancel ? "cancelled \(address)" : "invited \(address)" }
}

struct MeetingDTMF: RemoteMeetingCommand {
    static let configuration = CommandConfiguration(commandName: "dtmf", abstract: "Send DTMF tones (0-9 * # A-D).")
    @Argument(help: "The tones.") var tones: String
    @OptionGroup var session: SessionOptions
    @Flag(help: "Print JSON.") var json = false
    func commandLine() throws -> String { "dtmf \(tones)" }
    func describe(_ r: JSONValue) -> String? { "sent \(tones)" }
}

struct MeetingReact: RemoteMeetingCommand {
    static let configuration = CommandConfiguration(commandName: "react", abstract: "Send a reaction, or turn reactions on/off (host).")
    @Argument(help: "A reaction (\(Meeting.reactionTypes.keys.sorted().joined(separator: ", "))), or on/off.") var reaction: String
    @Option(help: "Skin tone: \(Meeting.skinTones.joined(separator: ", ")).") var tone: String?
    @OptionGroup var session: SessionOptions
    @Flag(help: "Print JSON.") var json = false
    func commandLine() throws -> String {
        if reaction == "on" || reaction == "off" { return "reactions \(reaction)" }
        return "react \(reaction)\(tone.map { " \($0)" } ?? "")"
    }
    func describe(_ r: JSONValue) -> String? { nil }
}

struct MeetingLayout: RemoteMeetingCommand {
    static let configuration = CommandConfiguration(commandName: "layout", abstract: "Change the video layout you receive.")
    @Argument(help: "\(Meeting.layouts.joined(separator: ", ")).") var layout: String
    @OptionGroup var session: SessionOptions
    @Flag(help: "Print JSON.") var json = false
    func commandLine() throws -> String { "layout \(layout)" }
    func describe(_ r: JSONValue) -> String? { "layout: \(layout)" }
}

struct MeetingHand: RemoteMeetingCommand {
    static let configuration = CommandConfiguration(commandName: "hand", abstract: "Raise or lower your hand (or, as host, lower a member's).")
    @Argument(help: "up or down.") var direction: String
    @Argument(help: "A member (host only, to lower theirs).") var member: [String] = []
    @OptionGroup var session: SessionOptions
    @Flag(help: "Print JSON.") var json = false
    func validate() throws { if !["up", "down"].contains(direction) { throw ValidationError("hand up or hand down") } }
    func commandLine() throws -> String { (["hand", direction] + member).joined(separator: " ") }
}

struct MeetingLeave: RemoteMeetingCommand {
    static let configuration = CommandConfiguration(commandName: "leave", abstract: "Leave the meeting (the join exits).")
    @OptionGroup var session: SessionOptions
    @Flag(help: "Print JSON.") var json = false
    func commandLine() throws -> String { "leave" }
    func describe(_ r: JSONValue) -> String? { "left the meeting" }
}

struct MeetingEnd: RemoteMeetingCommand {
    static let configuration = CommandConfiguration(commandName: "end", abstract: "End the meeting for everyone (host).")
    @OptionGroup var session: SessionOptions
    @Flag(help: "Print JSON.") var json = false
    func commandLine() throws -> String { "end" }
    func describe(_ r: JSONValue) -> String? { "ended the meeting for everyone" }
}

/// How members are shown.
enum MeetingView {
    static var columns: [Column<MeetingMember>] {
        [
            Column(header: "NAME", truncatable: true) { ($0.name ?? $0.email ?? $0.id) + ($0.isSelf ? " (you)" : "") },
            Column(header: "STATUS") { $0.status },
            Column(header: "MUTED") { $0.muted ? ($0.mutedByHost ? "by host" : "yes") : "no" },
            Column(header: "HOST") { $0.isHost ? "host" : "" },
            Column(header: "ID") { $0.id },
        ]
    }
}

extension MeetingMember: WebexModel {
    public static var jsonFields: [String] {
        ["id", "personId", "name", "email", "status", "state", "muted", "mutedByHost", "videoMuted", "isHost", "isSelf", "roles", "type", "handRaised"]
    }
}
