import ArgumentParser
import WebexSDK

struct RoomsMeetingInfo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "meeting-info", abstract: "Show how to join a room's meeting (link, SIP address, number).")
    @Argument(help: "A room ID or exact title.") var room: String
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let client = try globals.makeClient()
        let renderer = try Renderer(io: CLIContext.current.io, options: output)
        let id = try await Resolve.room(room, client: client)
        let info = try await client.rooms.meetingInfo(id)
        try renderer.item(info, columns: [
            Column(header: "LINK") { $0.meetingLink ?? "" },
            Column(header: "SIP") { $0.sipAddress ?? "" },
            Column(header: "NUMBER") { $0.meetingNumber ?? "" },
            Column(header: "TOLL") { $0.callInTollNumber ?? "" },
            Column(header: "TOLL FREE") { $0.callInTollFreeNumber ?? "" },
            Column(header: "ROOM") { $0.roomId },
        ])
    }
}
