import ArgumentParser
import WebexSDK

struct RoomsUpdate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "update", abstract: "Rename or change a room.")
    @Argument(help: "A room ID or exact title.") var room: String
    @Option(help: "New title.") var title: String?
    @Option(help: "New description.") var description: String?
    @Flag(inversion: .prefixedNo, help: "Lock or unlock the room.") var locked: Bool?
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if title == nil && description == nil && locked == nil {
            throw ValidationError("nothing to change: give --title, --description, --locked or --no-locked")
        }
        if let t = title, t.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--title must not be empty") }
    }

    func run() async throws {
        let client = try globals.makeClient()
        let renderer = try Renderer(io: CLIContext.current.io, options: output)
        let id = try await Resolve.room(room, client: client)
        let updated = try await client.rooms.update(id, RoomFields(title: title, isLocked: locked, description: description))
        try renderer.item(updated, columns: Rooms.columns)
    }
}
