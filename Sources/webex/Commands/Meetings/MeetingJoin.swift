import ArgumentParser
import Dispatch
import Foundation
import Synchronization
import WebexSDK
#if canImport(Glibc)
import Glibc
#endif

struct MeetingJoin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "join", abstract: "Join a meeting and stay in it: a live roster with keys, or NDJSON events and line commands.",
        discussion: """
            On a terminal: a live roster; keys m (mute/unmute), l (lock/unlock), r (start/stop recording), a (admit
            everyone waiting), q (leave), ? (help).

            Not on a terminal: one JSON line per event on stdout ({"event","time","data"}; events are named as in
            the Webex JS SDK: meeting:locked, members:update, meeting:self:mutedByOthers, meeting:recording:started …)
            and one command per line on stdin (mute, unmute, admit NAME, lock, record start, leave, help …); each
            command's outcome is a "command:result" line.

            Other shells act on the running join with `webex meeting members|mute|admit|lock|record|leave …`
            through a control socket in $XDG_RUNTIME_DIR/webex/.
            """)
    @OptionGroup var destination: DestinationOptions
    @Flag(name: .customLong("no-media"), help: "Join for signalling only: roster and controls, no audio or video.")
    var noMedia = false
    @Option(help: "The name others see (your account's name by default).") var name: String?
    @Option(help: ArgumentHelp("Leave after this long: seconds, or 30s, 5m, 2h.", valueName: "duration")) var duration: String?
    @Option(name: .customLong("host-pin"), help: ArgumentHelp("Join as host with the host PIN when the meeting waits for its host (or WEBEX_MEETING_HOST_PIN, which stays out of the process list).", valueName: "pin"))
    var hostPIN: String?
    @OptionGroup var globals: GlobalOptions

    func validate() throws {
        if let d = duration, ListenOptions.seconds(d) == nil {
            throw ValidationError("--duration '\(d)' is not a duration: use seconds (90) or a number with s, m or h (30s, 5m, 2h)")
        }
    }

    enum Ending: Sendable { case interrupted, duration }
    final class MeetingBox: Sendable { let value = Mutex<Meeting?>(nil) }
    final class State: Sendable {
        let ending = Mutex<Ending?>(nil)
        let lastEvent = Mutex<String>("")
    }

    func run() async throws {
        guard noMedia else {
            throw CLIError.usage("audio and video are not in this build yet: join with --no-media for the roster and the meeting controls")
        }
        let ctx = CLIContext.current
        let io = ctx.io
        let client = try globals.makeClient()
        // Checked before joining, so a failure here cannot leave a participant behind.
        let socketDirectory = try ControlSocket.directory(environment: ctx.environment, create: true)
        let info = try await destination.lookup(client: client)
        let chatty = io.stderrIsTTY
        // Ctrl-C and SIGTERM are taken from here on: during the join they cancel it, once joined they leave.
        let state = State()
        let joinedMeeting = MeetingBox()
        let trap = SignalTrap {
            state.ending.withLock { if $0 == nil { $0 = .interrupted } }
            if let m = joinedMeeting.value.withLock({ $0 }) { Task { try? await m.leave() } }
        }
        defer { trap.release() }
        if chatty { io.err("joining \(info.meetingName ?? destination.destination)…\n") }
        let pin = hostPIN ?? ctx.environment["WEBEX_MEETING_HOST_PIN"].flatMap { $0.isEmpty ? nil : $0 }
        let options = MeetingJoinOptions(displayName: name, hostPIN: pin,
                                         deviceStore: Events.deviceStore(client: client, environment: ctx.environment))
        let meeting = try await Meeting.join(info, client: client, options: options)
        joinedMeeting.value.withLock { $0 = meeting }
        if state.ending.withLock({ $0 }) == .interrupted {
            try? await meeting.leave()
            throw ExitCode(ExitCodeValue.interrupted.rawValue)
        }
        let controller = MeetingController(meeting: meeting)
        let ndjson = !io.stdoutIsTTY
        let raw: Terminal.RawMode? = (!ndjson && io.stdinIsTTY) ? Terminal.RawMode() : nil
        defer { raw?.restore() }

        let emit: @Sendable (String, JSONValue) async -> Void = { name, data in
            if ndjson {
                let line = JSONValue.object(["event": .string(name), "time": .string(WebexDate.format(Date())), "data": data]).jsonText
                io.out(line + "\n")
                io.flush()
            } else {
                state.lastEvent.withLock { $0 = Self.describe(name, data) }
                await Self.draw(meeting: meeting, io: io, last: state.lastEvent.withLock { $0 })
            }
        }

        // The control socket for other shells.
        let server: ControlSocket.Server
        do {
            server = try ControlSocket.Server(directory: socketDirectory) { line in
            guard let request = try? JSONValue.parse(Data(line.utf8)), let command = request["command"]?.stringValue else {
                return JSONValue.object(["ok": .bool(false), "error": .string("bad request: send {\"command\":\"…\"}"), "exit": .number(2)]).jsonText
            }
            let r = await controller.execute(command)
            return JSONValue.object(["ok": .bool(r.ok), "result": r.result, "error": r.error.map(JSONValue.string) ?? .null,
                                     "exit": .number(Double(r.exit))]).jsonText
            }
        } catch {
            try? await meeting.leave()
            throw error
        }

        await emit("meeting:joined", .object(["status": await controller.status(), "members": await controller.execute("members").result,
                                              "controlSocket": .string(server.path)]))

        // Commands: lines on stdin when it is not a terminal, keys when it is.
        let stdinCommands = ControlSocket.InFlight()
        if !io.stdinIsTTY {
            let reader = Thread {
                while let line = readLine(strippingNewline: true) {
                    let command = line.trimmingCharacters(in: .whitespaces)
                    if command.isEmpty { continue }
                    let done = DispatchSemaphore(value: 0)
                    stdinCommands.begin()
                    Task {
                        defer { stdinCommands.end() }
                        let r = await controller.execute(command)
                        var data: [String: JSONValue] = ["command": .string(command), "ok": .bool(r.ok)]
                        if r.ok { data["result"] = r.result } else { data["error"] = .string(r.error ?? ""); data["exit"] = .number(Double(r.exit)) }
                        await emit("command:result", .object(data))
                        done.signal()
                    }
                    done.wait()
                }
            }
            reader.start()
        } else if raw != nil {
            let keys = Thread {
                var c: UInt8 = 0
                while read(0, &c, 1) == 1 {
                    let key = Character(UnicodeScalar(c))
                    let done = DispatchSemaphore(value: 0)
                    Task {
                        await Self.key(key, meeting: meeting, controller: controller, state: state)
                        await Self.draw(meeting: meeting, io: io, last: state.lastEvent.withLock { $0 })
                        done.signal()
                    }
                    done.wait()
                }
            }
            keys.start()
        }

        // --duration leaves too.
        var timer: Task<Void, Never>?
        if let seconds = duration.flatMap(ListenOptions.seconds) {
            timer = Task {
                try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
                if Task.isCancelled { return }
                state.ending.withLock { if $0 == nil { $0 = .duration } }
                try? await meeting.leave()
            }
        }
        defer { timer?.cancel() }

        for await event in meeting.events {
            await emit(event.name, event.data)
        }
        // A command that ended the meeting (leave, end) still reports its result.
        for _ in 0..<500 where !stdinCommands.isIdle { try? await Task.sleep(nanoseconds: 10_000_000) }
        await server.close()
        let locus = await meeting.locus
        let reason = LocusSummary.endReason(locus)
        if ndjson {
            await emit("meeting:ended", .object(["reason": .string(reason)]))
        } else {
            raw?.restore()
            io.out("\n")
            io.flush()
        }
        if chatty { io.err("\(reason)\n") }
        if state.ending.withLock({ $0 }) == .interrupted { throw ExitCode(ExitCodeValue.interrupted.rawValue) }
    }

    // MARK: Terminal roster

    static func describe(_ name: String, _ data: JSONValue) -> String {
        switch name {
        case "members:update":
            let added = (data["added"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
            let updated = (data["updated"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
            return [added.isEmpty ? nil : "joined: \(added.joined(separator: ", "))", updated.isEmpty ? nil : "changed: \(updated.joined(separator: ", "))"]
                .compactMap { $0 }.joined(separator: "; ")
        case "command:result":
            return data["ok"]?.boolValue == true ? "done: \(data["command"]?.stringValue ?? "")" : "error: \(data["error"]?.stringValue ?? "")"
        default:
            return name
        }
    }

    static func draw(meeting: Meeting, io: IOStreams, last: String) async {
        let locus = await meeting.locus
        let members = locus.members.filter { $0.status != "NOT_IN_MEETING" }
        var lines: [String] = []
        let title = meeting.info.meetingName ?? "meeting"
        var flags: [String] = []
        if locus.isLocked == true { flags.append("locked") }
        if locus.recording != .stopped { flags.append(locus.recording == .paused ? "recording paused" : "● recording") }
        if locus.inLobby { flags.append("waiting in the lobby") }
        if locus.selfObject?["controls"]?["audio"]?["muted"]?.boolValue == true { flags.append("you are muted by the host") }
        else if members.first(where: \.isSelf)?.muted == true { flags.append("you are muted") }
        lines.append("\(title) — \(members.count) in the meeting\(flags.isEmpty ? "" : " — " + flags.joined(separator: ", "))")
        lines.append("")
        let nameWidth = max(4, min(40, members.map { ($0.name ?? $0.id).count + ($0.isSelf ? 6 : 0) }.max() ?? 4))
        lines.append("NAME".padding(toLength: nameWidth + 2, withPad: " ", startingAt: 0) + "STATE       MUTED    ROLE")
        for m in members {
            let n = (m.name ?? m.id) + (m.isSelf ? " (you)" : "")
            let st = m.status == "IN_LOBBY" ? "lobby" : "in meeting"
            lines.append(n.padding(toLength: nameWidth + 2, withPad: " ", startingAt: 0) + st.padding(toLength: 12, withPad: " ", startingAt: 0)
                         + (m.muted ? (m.mutedByHost ? "by host" : "yes") : "no").padding(toLength: 9, withPad: " ", startingAt: 0)
                         + (m.isHost ? "host" : ""))
        }
        lines.append("")
        if !last.isEmpty { lines.append(last) }
        lines.append("m mute  l lock  r record  a admit  q leave  ? help")
        io.out("\u{1B}[H\u{1B}[2J" + lines.joined(separator: "\r\n") + "\r\n")
        io.flush()
    }

    static func key(_ key: Character, meeting: Meeting, controller: MeetingController, state: State) async {
        let command: String
        switch key {
        case "m": command = await meeting.members.first(where: \.isSelf)?.muted == true ? "unmute" : "mute"
        case "l": command = await meeting.locus.isLocked == true ? "unlock" : "lock"
        case "r": command = await meeting.locus.recording == .stopped ? "record start" : "record stop"
        case "a": command = "admit"
        case "q": command = "leave"
        case "?", "h":
            state.lastEvent.withLock { $0 = "keys: m mute/unmute, l lock/unlock, r start/stop recording, a admit everyone waiting, q leave" }
            return
        default: return
        }
        let r = await controller.execute(command)
        state.lastEvent.withLock { $0 = r.ok ? "done: \(command)" : "\(command): \(r.error ?? "failed")" }
    }
}

enum LocusSummary {
    static func endReason(_ locus: LocusState) -> String {
        if locus.meetingState == "INACTIVE" || locus.meetingState == "TERMINATING" { return "the meeting has ended" }
        if locus.selfObject?["reason"]?.stringValue == "FORCED" { return "you were removed from the meeting" }
        if locus.selfState == "LEFT" { return "you left the meeting" }
        return "the meeting connection ended"
    }
}
