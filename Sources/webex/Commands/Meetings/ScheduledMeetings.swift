import ArgumentParser
import Foundation
import WebexSDK

/// `webex meetings …`: scheduled meetings over REST (`/meetings`).
struct Meetings: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meetings", abstract: "List, show, schedule, change and delete scheduled meetings.",
        discussion: "To look up or join a meeting, use `webex meeting info` and `webex meeting join`.",
        subcommands: [MeetingsList.self, MeetingsGet.self, MeetingsCreate.self, MeetingsUpdate.self, MeetingsDelete.self])

    static var columns: [Column<ScheduledMeeting>] {
        let tty = CLIContext.current.io.stdoutIsTTY
        return [
            Column(header: "TITLE", truncatable: true) { $0.title ?? "" },
            Column(header: "START") { TimeFormat.show($0.start.flatMap(WebexDate.parse), tty: tty) },
            Column(header: "STATE") { $0.state ?? "" },
            Column(header: "NUMBER") { $0.meetingNumber ?? "" },
            Column(header: "LINK") { $0.webLink ?? "" },
            Column(header: "ID") { $0.id },
        ]
    }

    static func date(_ text: String, _ flag: String) throws -> Date {
        if let d = WebexDate.parse(text) { return d }
        if text.hasPrefix("+"), let s = ListenOptions.seconds(String(text.dropFirst())) { return Date().addingTimeInterval(s) }
        if text == "now" { return Date() }
        throw ValidationError("\(flag) '\(text)' is not a time: use ISO 8601 (2026-12-01T09:00:00Z), now, or +DURATION (+10m, +2h)")
    }
}

struct MeetingsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List your scheduled meetings.", aliases: ["ls"])
    @Option(help: "Only this state: scheduled, ready, lobby, inProgress, ended, missed, expired, active.") var state: String?
    @Option(help: "Only the meeting with this number.") var number: String?
    @Option(help: ArgumentHelp("Only meetings starting at or after this time (ISO 8601, now, +2h).", valueName: "time")) var from: String?
    @Option(help: ArgumentHelp("Only meetings starting before this time.", valueName: "time")) var to: String?
    @OptionGroup var limit: ListLimit
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let from { _ = try Meetings.date(from, "--from") }
        if let to { _ = try Meetings.date(to, "--to") }
    }

    func run() async throws {
        let client = try globals.makeClient()
        let seq = client.scheduledMeetings.list(meetingNumber: number, state: state, from: try from.map { try Meetings.date($0, "--from") },
                                                to: try to.map { try Meetings.date($0, "--to") }, limit: limit.value)
        try await Renderer(io: CLIContext.current.io, options: output).list(seq, columns: Meetings.columns, noun: "meetings")
    }
}

struct MeetingsGet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Show a scheduled meeting.")
    @Argument(help: "The meeting ID.") var id: String
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let client = try globals.makeClient()
        try Renderer(io: CLIContext.current.io, options: output).item(try await client.scheduledMeetings.get(id), columns: Meetings.columns)
    }
}

/// Fields `create` and `update` share.
struct ScheduledMeetingOptions: ParsableArguments {
    @Option(help: "The title.") var title: String?
    @Option(help: ArgumentHelp("Start: ISO 8601, now, or +DURATION (+10m).", valueName: "time")) var start: String?
    @Option(help: ArgumentHelp("End: ISO 8601, or +DURATION counted from --start (from now without --start), e.g. +30m.", valueName: "time")) var end: String?
    @Option(help: "The agenda.") var agenda: String?
    @Option(help: "An IANA time zone (Europe/Berlin).") var timezone: String?
    @Option(name: .customLong("invite"), help: ArgumentHelp("Invite this email address (repeatable).", valueName: "email")) var invitees: [String] = []
    @Option(name: .customLong("password-file"), help: ArgumentHelp("Read the meeting password from this file (keeps it out of the process list).", valueName: "file"))
    var passwordFile: String?
    @Flag(inversion: .prefixedNo, help: "Record automatically when the meeting starts.") var autoRecord: Bool?
    @Flag(inversion: .prefixedNo, help: "Let people join before the host.") var joinBeforeHost: Bool?

    /// `environmentPassword`: take WEBEX_MEETING_PASSWORD (for create; an update changes the password only
    /// when --password-file says so, so a variable exported for joining is not written into meetings).
    func fields(environmentPassword: Bool) throws -> ScheduledMeetingFields {
        let startDate = try start.map { try Meetings.date($0, "--start") }
        var endDate: Date?
        if let end {
            if end.hasPrefix("+"), let s = ListenOptions.seconds(String(end.dropFirst())) {
                endDate = (startDate ?? Date()).addingTimeInterval(s)
            } else {
                endDate = try Meetings.date(end, "--end")
            }
        }
        var password: String?
        if let passwordFile {
            guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
                throw ValidationError("cannot read --password-file \(passwordFile)")
            }
            password = text.trimmingCharacters(in: .whitespacesAndNewlines)
        } else if environmentPassword, let env = CLIContext.current.environment["WEBEX_MEETING_PASSWORD"], !env.isEmpty {
            password = env
        }
        return ScheduledMeetingFields(title: title, start: startDate, end: endDate, password: password, agenda: agenda, timezone: timezone,
                                      invitees: invitees, enabledAutoRecordMeeting: autoRecord, enabledJoinBeforeHost: joinBeforeHost)
    }
}

struct MeetingsCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Schedule a meeting; you are its host.",
        discussion: "The password comes from --password-file or WEBEX_MEETING_PASSWORD; without one Webex makes one up.")
    @OptionGroup var meeting: ScheduledMeetingOptions
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if meeting.title == nil { throw ValidationError("give the meeting a --title") }
        if meeting.start == nil || meeting.end == nil { throw ValidationError("give --start and --end (e.g. --start +10m --end +30m)") }
    }

    func run() async throws {
        let client = try globals.makeClient()
        try Renderer(io: CLIContext.current.io, options: output).item(try await client.scheduledMeetings.create(try meeting.fields(environmentPassword: true)), columns: Meetings.columns)
    }
}

struct MeetingsUpdate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "update", abstract: "Change a scheduled meeting (other fields are kept).")
    @Argument(help: "The meeting ID.") var id: String
    @OptionGroup var meeting: ScheduledMeetingOptions
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let client = try globals.makeClient()
        try Renderer(io: CLIContext.current.io, options: output).item(try await client.scheduledMeetings.update(id, try meeting.fields(environmentPassword: false)), columns: Meetings.columns)
    }
}

struct MeetingsDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Cancel a scheduled meeting.")
    @Argument(help: "The meeting ID.") var id: String
    @Flag(name: .shortAndLong, help: "Do not ask for confirmation.") var yes = false
    @OptionGroup var globals: GlobalOptions

    func run() async throws {
        let client = try globals.makeClient()
        let io = CLIContext.current.io
        try Resolve.confirm("Delete meeting \(id)?", yes: yes, io: io)
        try await client.scheduledMeetings.delete(id)
        if io.stderrIsTTY { io.err("Deleted meeting \(id)\n") }
    }
}
