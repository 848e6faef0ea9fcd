import ArgumentParser
import WebexSDK

struct PeopleMe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "me", abstract: "Show who the access token belongs to.")
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let client = try globals.makeClient()
        let renderer = try Renderer(io: CLIContext.current.io, options: output)
        try renderer.item(try await client.people.me(), columns: People.columns)
    }
}
