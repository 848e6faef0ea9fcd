import ArgumentParser
import WebexSDK

struct Memberships: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memberships", abstract: "Who is in which room: list, add, change, remove, read receipts.",
        subcommands: [MembershipsList.self, MembershipsGet.self, MembershipsCreate.self, MembershipsUpdate.self,
                      MembershipsDelete.self, MembershipsSeen.self])

    static var columns: [Column<Membership>] {
        [
            Column(header: "NAME", truncatable: true) { $0.personDisplayName ?? "" },
            Column(header: "EMAIL") { $0.personEmail ?? "" },
            Column(header: "MODERATOR") { $0.isModerator == true ? "yes" : "no" },
            Column(header: "ID") { $0.id },
        ]
    }

    static var readStatusColumns: [Column<MembershipReadStatus>] {
        let tty = CLIContext.current.io.stdoutIsTTY
        return [
            Column(header: "NAME", truncatable: true) { $0.personDisplayName ?? "" },
            Column(header: "EMAIL") { $0.personEmail ?? "" },
            Column(header: "LAST SEEN") { $0.lastSeenDate.map { TimeFormat.show($0, tty: tty) } ?? "never" },
            Column(header: "LAST SEEN MESSAGE") { $0.lastSeenId ?? "" },
        ]
    }
}

struct MembershipsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List a room's members (or all your memberships without --room).", aliases: ["ls"])
    @Option(help: "A room ID or exact title.") var room: String?
    @Option(help: "Only this person (email or ID); needs --room.") var person: String?
    @Flag(help: "Show what each member has read (needs --room).") var readStatus = false
    @OptionGroup var limit: ListLimit
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if person != nil && room == nil { throw ValidationError("--person needs --room") }
        if readStatus && room == nil { throw ValidationError("--read-status needs --room") }
    }

    func run() async throws {
        let client = try globals.makeClient()
        let renderer = try Renderer(io: CLIContext.current.io, options: output)
        let roomId = try await room.asyncMap { try await Resolve.room($0, client: client) }
        if readStatus, let roomId {
            try await renderer.list(try await client.memberships.listWithReadStatus(roomId: roomId),
                                    columns: Memberships.readStatusColumns, noun: "members")
            return
        }
        let seq = try client.memberships.list(roomId: roomId, person: try person.map(Resolve.personRef), limit: limit.value)
        try await renderer.list(seq, columns: Memberships.columns, noun: "memberships")
    }
}

struct MembershipsGet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Show a membership.")
    @Argument(help: "The membership ID.") var membership: String
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let client = try globals.makeClient()
        let renderer = try Renderer(io: CLIContext.current.io, options: output)
        try renderer.item(try await client.memberships.get(membership), columns: Memberships.columns)
    }
}

struct MembershipsCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Add a person to a room.", aliases: ["add"])
    @Option(help: "A room ID or exact title.") var room: String
    @Option(help: "The person's email or ID.") var person: String
    @Flag(help: "Make them a moderator.") var moderator = false
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let client = try globals.makeClient()
        let renderer = try Renderer(io: CLIContext.current.io, options: output)
        let roomId = try await Resolve.room(room, client: client)
        let m = try await client.memberships.create(roomId: roomId, person: try Resolve.personRef(person), isModerator: moderator)
        try renderer.item(m, columns: Memberships.columns)
    }
}

struct MembershipsUpdate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "update", abstract: "Make a member a moderator (or not), or hide a 1:1 room.")
    @Argument(help: "The membership ID.") var membership: String
    @Flag(inversion: .prefixedNo, help: "Moderator or not.") var moderator: Bool?
    @Flag(inversion: .prefixedNo, help: "Hide (or show) a 1:1 room until its next message.") var hidden: Bool?
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if moderator == nil && hidden == nil { throw ValidationError("nothing to change: give --moderator, --no-moderator, --hidden or --no-hidden") }
    }

    func run() async throws {
        let client = try globals.makeClient()
        let renderer = try Renderer(io: CLIContext.current.io, options: output)
        try renderer.item(try await client.memberships.update(membership, isModerator: moderator, isRoomHidden: hidden), columns: Memberships.columns)
    }
}

struct MembershipsDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Remove a person from a room (your own membership: leave it).", aliases: ["remove"])
    @Argument(help: "The membership ID.") var membership: String
    @OptionGroup var globals: GlobalOptions

    func run() async throws {
        let client = try globals.makeClient()
        try await client.memberships.delete(membership)
        let io = CLIContext.current.io
        if io.stderrIsTTY { io.err("Removed membership \(membership)\n") }
    }
}

struct MembershipsSeen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seen", abstract: "Send a read receipt: mark a message as the last one you have read.")
    @Argument(help: "The message ID.") var message: String
    @Option(help: "The message's room (ID or title); looked up when omitted.") var room: String?
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let client = try globals.makeClient()
        let renderer = try Renderer(io: CLIContext.current.io, options: output)
        let roomId: String
        if let room { roomId = try await Resolve.room(room, client: client) } else {
            guard let r = try await client.messages.get(message).roomId else { throw CLIError.failure("message \(message) has no room") }
            roomId = r
        }
        let status = try await client.memberships.updateLastSeen(messageId: message, roomId: roomId)
        try renderer.item(status, columns: Memberships.readStatusColumns)
    }
}

extension Optional {
    func asyncMap<U>(_ f: (Wrapped) async throws -> U) async rethrows -> U? {
        switch self { case .some(let w): return try await f(w); case .none: return nil }
    }
}
