import ArgumentParser
import WebexSDK

struct MessagesEdit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit", abstract: "Change the text of a message you sent.",
        discussion: "Webex allows 10 edits per message and none on messages with files or cards.")
    @Argument(help: "The message ID.") var message: String
    @Option(help: "New plain text ('-' reads standard input).") var text: String?
    @Option(help: "New markdown ('-' reads standard input).") var markdown: String?
    @Option(help: "The message's room (ID or title); looked up when omitted.") var room: String?
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if text == nil && markdown == nil { throw ValidationError("give --text or --markdown") }
    }

    func run() async throws {
        let io = CLIContext.current.io
        let client = try globals.makeClient()
        let renderer = try Renderer(io: io, options: output)
        let roomId: String? = if let room { try await Resolve.room(room, client: client) } else { nil }
        let edited = try await client.messages.edit(message, roomId: roomId, text: try Resolve.text(text, io: io),
                                                    markdown: try Resolve.text(markdown, io: io))
        try renderer.item(edited, columns: Messages.columns)
    }
}
