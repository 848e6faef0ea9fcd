import ArgumentParser
import WebexSDK

struct RoomsGet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Show a room.")
    @Argument(help: "A room ID or exact title.") var room: String
    @Flag(help: "Show when the room was last active and when you last read it.") var readStatus = false
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let client = try globals.makeClient()
        let renderer = try Renderer(io: CLIContext.current.io, options: output)
        let id = try await Resolve.room(room, client: client)
        if readStatus {
            try renderer.item(try await client.rooms.getWithReadStatus(id), columns: Rooms.readStatusColumns)
        } else {
            try renderer.item(try await client.rooms.get(id), columns: Rooms.columns)
        }
    }
}
