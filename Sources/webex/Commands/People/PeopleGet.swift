import ArgumentParser
import WebexSDK

struct PeopleGet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Show a person by ID or email.")
    @Argument(help: "A person ID or an email address.") var person: String
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let client = try globals.makeClient()
        let renderer = try Renderer(io: CLIContext.current.io, options: output)
        let found: Person
        if person.contains("@") {
            guard let p = try await client.people.list(email: person, limit: 1).collect().first else {
                throw CLIError.notFound("no person with email \(person)")
            }
            found = p
        } else {
            found = try await client.people.get(person)
        }
        try renderer.item(found, columns: People.columns)
    }
}
