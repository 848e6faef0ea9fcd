import ArgumentParser
import WebexSDK

struct TeamMemberships: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "team-memberships", abstract: "Who is in a team: list, add, change, remove.",
        subcommands: [TeamMembershipsList.self, TeamMembershipsGet.self, TeamMembershipsCreate.self,
                      TeamMembershipsUpdate.self, TeamMembershipsDelete.self])

    static var columns: [Column<TeamMembership>] {
        [
            Column(header: "NAME", truncatable: true) { $0.personDisplayName ?? "" },
            Column(header: "EMAIL") { $0.personEmail ?? "" },
            Column(header: "MODERATOR") { $0.isModerator == true ? "yes" : "no" },
            Column(header: "ID") { $0.id },
        ]
    }
}

struct TeamMembershipsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List a team's members.", aliases: ["ls"])
    @Option(help: "A team ID or exact name.") var team: String
    @OptionGroup var limit: ListLimit
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let client = try globals.makeClient()
        let renderer = try Renderer(io: CLIContext.current.io, options: output)
        let id = try await Resolve.team(team, client: client)
        try await renderer.list(client.teamMemberships.list(teamId: id, limit: limit.value), columns: TeamMemberships.columns, noun: "team members")
    }
}

struct TeamMembershipsGet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Show a team membership.")
    @Argument(help: "The team membership ID.") var membership: String
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let client = try globals.makeClient()
        try Renderer(io: CLIContext.current.io, options: output).item(try await client.teamMemberships.get(membership), columns: TeamMemberships.columns)
    }
}

struct TeamMembershipsCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Add a person to a team.", aliases: ["add"])
    @Option(help: "A team ID or exact name.") var team: String
    @Option(help: "The person's email or ID.") var person: String
    @Flag(help: "Make them a team moderator.") var moderator = false
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let client = try globals.makeClient()
        let renderer = try Renderer(io: CLIContext.current.io, options: output)
        let id = try await Resolve.team(team, client: client)
        try renderer.item(try await client.teamMemberships.create(teamId: id, person: try Resolve.personRef(person), isModerator: moderator),
                          columns: TeamMemberships.columns)
    }
}

struct TeamMembershipsUpdate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "update", abstract: "Make a team member a moderator, or not.")
    @Argument(help: "The team membership ID.") var membership: String
    @Flag(inversion: .prefixedNo, help: "Moderator or not.") var moderator: Bool
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let client = try globals.makeClient()
        try Renderer(io: CLIContext.current.io, options: output).item(try await client.teamMemberships.update(membership, isModerator: moderator),
                                                                      columns: TeamMemberships.columns)
    }
}

struct TeamMembershipsDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Remove a person from a team.", aliases: ["remove"])
    @Argument(help: "The team membership ID.") var membership: String
    @OptionGroup var globals: GlobalOptions

    func run() async throws {
        let client = try globals.makeClient()
        try await client.teamMemberships.delete(membership)
        let io = CLIContext.current.io
        if io.stderrIsTTY { io.err("Removed team membership \(membership)\n") }
    }
}
