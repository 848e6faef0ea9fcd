import ArgumentParser
import WebexSDK

struct Teams: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "teams", abstract: "List, show, create, rename and delete teams.",
        subcommands: [TeamsList.self, TeamsGet.self, TeamsCreate.self, TeamsUpdate.self, TeamsDelete.self])

    static var columns: [Column<Team>] {
        let tty = CLIContext.current.io.stdoutIsTTY
        return [
            Column(header: "NAME", truncatable: true) { $0.name ?? "" },
            Column(header: "CREATED") { TimeFormat.show($0.created, tty: tty) },
            Column(header: "ID") { $0.id },
        ]
    }
}

struct TeamsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List your teams.", aliases: ["ls"])
    @OptionGroup var limit: ListLimit
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let client = try globals.makeClient()
        try await Renderer(io: CLIContext.current.io, options: output).list(client.teams.list(limit: limit.value), columns: Teams.columns, noun: "teams")
    }
}

struct TeamsGet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Show a team.")
    @Argument(help: "A team ID or exact name.") var team: String
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let client = try globals.makeClient()
        let renderer = try Renderer(io: CLIContext.current.io, options: output)
        try renderer.item(try await client.teams.get(try await Resolve.team(team, client: client)), columns: Teams.columns)
    }
}

struct TeamsCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a team; you become its moderator.")
    @Option(help: "The team's name.") var name: String
    @Option(help: "A description.") var description: String?
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if name.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--name must not be empty") }
    }

    func run() async throws {
        let client = try globals.makeClient()
        let renderer = try Renderer(io: CLIContext.current.io, options: output)
        try renderer.item(try await client.teams.create(name: name, description: description), columns: Teams.columns)
    }
}

struct TeamsUpdate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "update", abstract: "Rename a team or change its description.")
    @Argument(help: "A team ID or exact name.") var team: String
    @Option(help: "New name.") var name: String?
    @Option(help: "New description.") var description: String?
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if name == nil && description == nil { throw ValidationError("nothing to change: give --name or --description") }
    }

    func run() async throws {
        let client = try globals.makeClient()
        let renderer = try Renderer(io: CLIContext.current.io, options: output)
        let id = try await Resolve.team(team, client: client)
        try renderer.item(try await client.teams.update(id, name: name, description: description), columns: Teams.columns)
    }
}

struct TeamsDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a team and its rooms.")
    @Argument(help: "A team ID or exact name.") var team: String
    @Flag(name: .shortAndLong, help: "Do not ask for confirmation.") var yes = false
    @OptionGroup var globals: GlobalOptions

    func run() async throws {
        let client = try globals.makeClient()
        let io = CLIContext.current.io
        let id = try await Resolve.team(team, client: client)
        try Resolve.confirm("Delete team \(team) and its rooms?", yes: yes, io: io)
        try await client.teams.delete(id)
        if io.stderrIsTTY { io.err("Deleted team \(id)\n") }
    }
}
