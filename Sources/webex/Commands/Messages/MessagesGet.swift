import ArgumentParser
import WebexSDK

struct MessagesGet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Show a message.")
    @Argument(help: "The message ID.") var message: String
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let client = try globals.makeClient()
        let renderer = try Renderer(io: CLIContext.current.io, options: output)
        try renderer.item(try await client.messages.get(message), columns: Messages.columns)
    }
}
