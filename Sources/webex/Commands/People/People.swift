import ArgumentParser
import WebexSDK

struct People: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "people", abstract: "Look up people.",
        subcommands: [PeopleMe.self, PeopleGet.self, PeopleList.self])

    static var columns: [Column<Person>] { [
        Column(header: "NAME", truncatable: true) { $0.displayName ?? "" },
        Column(header: "EMAIL") { $0.primaryEmail ?? "" },
        Column(header: "TYPE") { $0.type ?? "" },
        Column(header: "ID") { $0.id },
    ] }
}
