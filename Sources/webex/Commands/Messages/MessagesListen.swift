import ArgumentParser
import WebexSDK

struct MessagesListen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "listen",
        abstract: "Print one JSON line per new (or deleted) message as it happens: `webex events listen --resource messages`.",
        discussion: """
              webex messages listen --room "Build alerts" --jq .data.text
              webex messages listen --count 1 --timeout 5m --exec ./reply.sh
            Exit status: 0 after --count events; 124 when --timeout runs out; 130 on Ctrl-C.
            """)
    @Option(name: .customLong("event"), parsing: .singleValue,
            help: ArgumentHelp("Only this event: created or deleted (repeatable; default both).", valueName: "event"))
    var events: [String] = []
    @OptionGroup var listen: ListenOptions
    @OptionGroup var globals: GlobalOptions

    func validate() throws {
        for e in events where !["created", "deleted"].contains(e) {
            throw ValidationError("unknown message event '\(e)': use created or deleted")
        }
    }

    func run() async throws {
        try await listen.run(globals: globals, resources: ["messages"], events: events.isEmpty ? nil : Set(events))
    }
}
