import ArgumentParser
import WebexSDK

struct RoomsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the rooms you are in.", aliases: ["ls"])
    @Option(help: "direct or group.") var type: RoomsAPI.RoomType?
    @Option(help: "Only rooms of this team (ID).") var team: String?
    @Option(help: "id, lastactivity or created.") var sort: RoomsAPI.SortBy?
    @Flag(help: "Only rooms with activity you have not seen (read status from the conversation service).") var unread = false
    @OptionGroup var limit: ListLimit
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if unread && (team != nil || sort != nil) { throw ValidationError("--unread cannot be combined with --team or --sort") }
    }

    func run() async throws {
        let client = try globals.makeClient()
        let renderer = try Renderer(io: CLIContext.current.io, options: output)
        if unread {
            var rooms = try await client.rooms.listWithReadStatus().filter(\.isUnread)
            if let type { rooms = rooms.filter { $0.type == type.rawValue } }
            if let n = limit.value { rooms = Array(rooms.prefix(n)) }
            try await renderer.list(rooms, columns: Rooms.readStatusColumns, noun: "unread rooms")
            return
        }
        try await renderer.list(client.rooms.list(type: type, teamId: team, sortBy: sort, limit: limit.value),
                                columns: Rooms.columns, noun: "rooms")
    }
}
