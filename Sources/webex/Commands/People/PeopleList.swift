import ArgumentParser
import WebexSDK

struct PeopleList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Search people by email, name prefix or IDs.",
        discussion: "Webex requires one of --email, --name or --id unless you are an admin.")
    @Option(help: "Exact email address.") var email: String?
    @Option(help: "Display name prefix.") var name: String?
    @Option(name: .customLong("id"), help: "A person ID (repeat for several, at most 85).") var ids: [String] = []
    @OptionGroup var limit: ListLimit
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let client = try globals.makeClient()
        let renderer = try Renderer(io: CLIContext.current.io, options: output)
        let seq = try client.people.list(email: email, displayName: name, ids: ids.isEmpty ? nil : ids, limit: limit.value)
        try await renderer.list(seq, columns: People.columns, noun: "people")
    }
}
