import ArgumentParser
import WebexSDK

struct MessagesDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a message (yours, or any as a moderator).")
    @Argument(help: "The message ID.") var message: String
    @OptionGroup var globals: GlobalOptions

    func run() async throws {
        let client = try globals.makeClient()
        try await client.messages.delete(message)
        let io = CLIContext.current.io
        if io.stderrIsTTY { io.err("Deleted message \(message)\n") }
    }
}
