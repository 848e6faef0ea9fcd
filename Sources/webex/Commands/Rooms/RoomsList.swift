import ArgumentParser
import WebexSDK

struct RoomsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the rooms you are in.", aliases: ["ls"])
    @Option(help: "direct or group.") var type: RoomsAPI.RoomType?
    @Option(help: "Only rooms of this team (ID).") var team: String?
    @Option(help: "id, lastactivity or created.") var sort: RoomsAPI.SortBy?
    @OptionGroup var limit: ListLimit
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let client = try globals.makeClient()
        let renderer = try Renderer(io: CLIContext.current.io, options: output)
        try await renderer.list(client.rooms.list(type: type, teamId: team, sortBy: sort, limit: limit.value),
                                columns: Rooms.columns, noun: "rooms")
    }
}
