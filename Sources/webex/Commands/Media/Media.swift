import ArgumentParser

struct Media: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "media",
        abstract: "The media engine on its own: a diagnostic call with any WebRTC peer.",
        discussion: """
            `webex media call` makes or answers an SDP offer, sends a tone and a test pattern (or files), records
            what arrives and prints a JSON summary. It needs no Webex account: the SDP goes through files or
            stdin/stdout, so a script can connect it to a browser, aiortc or a second `webex media call`.
            """,
        subcommands: [MediaCall.self])
}
