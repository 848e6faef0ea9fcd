import ArgumentParser
import Foundation
import WebexSDK

struct RoomsDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a room and all its messages.",
        discussion: "Asks for confirmation on a terminal; scripts must pass --yes.")
    @Argument(help: "A room ID or exact title.") var room: String
    @Flag(name: .shortAndLong, help: "Do not ask for confirmation.") var yes = false
    @OptionGroup var globals: GlobalOptions

    func run() async throws {
        let client = try globals.makeClient()
        let io = CLIContext.current.io
        let id = try await Resolve.room(room, client: client)
        if !yes {
            let title = (try? await client.rooms.get(id).title) ?? nil
            try Resolve.confirm("Delete room '\(title ?? id)' and all its messages?", yes: yes, io: io)
        }
        try await client.rooms.delete(id)
        if io.stderrIsTTY { io.err("Deleted room \(id)\n") }
    }
}
