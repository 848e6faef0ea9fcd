import ArgumentParser
import Foundation
import WebexSDK

struct MessagesSend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send", abstract: "Send a message to a room or a person.",
        discussion: """
            Text may come from standard input: make 2>&1 | webex messages send --room Ops --text -
            A message is never sent twice: if the connection breaks after sending, webex reports the error instead of retrying.
            """)
    @Option(help: "A room ID or exact title.") var room: String?
    @Option(help: "A person's email or ID (opens or reuses the 1:1 room).") var to: String?
    @Option(help: "Plain text ('-' reads standard input).") var text: String?
    @Option(help: "Markdown ('-' reads standard input).") var markdown: String?
    @Option(help: "Reply in the thread of this message ID.") var parent: String?
    @Option(help: ArgumentHelp("Attach a local file (up to 100 MB).", valueName: "path"), completion: .file()) var file: String?
    @Option(help: ArgumentHelp("Attach a file Webex fetches from a public URL.", valueName: "url")) var fileUrl: String?
    @Option(help: ArgumentHelp("Send an adaptive card from a JSON file (the card itself, or a full attachment).", valueName: "path"), completion: .file(extensions: ["json"])) var card: String?
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if (room == nil) == (to == nil) { throw ValidationError("give exactly one of --room or --to") }
        if text == nil && markdown == nil && file == nil && fileUrl == nil && card == nil {
            throw ValidationError("nothing to send: give --text, --markdown, --file, --file-url or --card")
        }
        if text == "-" && markdown == "-" { throw ValidationError("only one of --text and --markdown can read standard input") }
    }

    func run() async throws {
        let io = CLIContext.current.io
        let client = try globals.makeClient()
        let renderer = try Renderer(io: io, options: output)
        let textValue = try Resolve.text(text, io: io)
        let markdownValue = try Resolve.text(markdown, io: io)
        let localFile = try file.map { p throws(WebexError) in try LocalFile(path: p) }
        let cardValue = try card.map(Self.loadCard)
        let destination: NewMessage.Destination
        if let room { destination = .room(try await Resolve.room(room, client: client)) } else { destination = try Resolve.person(to!) }
        let message = NewMessage(destination: destination, text: textValue, markdown: markdownValue, parentId: parent,
                                 file: localFile, fileURL: fileUrl, card: cardValue)
        let bar = localFile.map { ProgressBar(io: io, label: "Uploading \($0.filename)") }
        defer { bar?.finish() }
        let sent = try await client.messages.create(message, progress: bar?.handler)
        bar?.finish()
        try renderer.item(sent, columns: Messages.columns)
    }

    /// Accepts the card JSON (`{"type":"AdaptiveCard",…}`) or a whole attachment (`{"contentType":…,"content":{…}}`).
    static func loadCard(_ path: String) throws -> JSONValue {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError.usage("cannot read card file \(path)") }
        let value: JSONValue
        do { value = try JSONValue.parse(data) } catch { throw CLIError.usage("card file \(path) is not valid JSON: \(error.localizedDescription)") }
        if let content = value["content"], value["contentType"] != nil { return content }
        guard value["type"]?.stringValue == "AdaptiveCard" else {
            throw CLIError.usage("card file \(path) is not an adaptive card: expected \"type\": \"AdaptiveCard\" at the top")
        }
        return value
    }
}
