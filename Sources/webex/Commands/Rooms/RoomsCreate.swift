import ArgumentParser
import WebexSDK

struct RoomsCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a group room; you become its first member.")
    @Option(help: "The room's title.") var title: String
    @Option(help: "Create it in this team (ID or exact name).") var team: String?
    @Option(help: "A description.") var description: String?
    @Flag(help: "Lock it: only moderators add people and change it.") var locked = false
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if title.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--title must not be empty") }
    }

    func run() async throws {
        let client = try globals.makeClient()
        let renderer = try Renderer(io: CLIContext.current.io, options: output)
        let teamId = try await team.asyncMap { try await Resolve.team($0, client: client) }
        let room = try await client.rooms.create(RoomFields(title: title, teamId: teamId, isLocked: locked ? true : nil, description: description))
        try renderer.item(room, columns: Rooms.columns)
    }
}
