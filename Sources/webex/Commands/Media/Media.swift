import ArgumentParser

struct Media: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "media",
        abstract: "The media engine on its own: devices, a device check, a diagnostic call with any WebRTC peer.",
        discussion: """
            `webex media call` makes or answers an SDP offer, sends a tone and a test pattern (or files), records
            what arrives and prints a JSON summary. It needs no Webex account: the SDP goes through files or
            stdin/stdout, so a script can connect it to a browser, aiortc or a second `webex media call`.
            `webex media devices` lists microphones, speakers and cameras; `webex media test` checks them.
            """,
        subcommands: [MediaDevices.self, MediaTest.self, MediaCall.self])
}
