import ArgumentParser
import Foundation
import WebexSDK

struct MessagesList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List messages of a room (newest first), or of a 1:1 conversation with --with.", aliases: ["ls"])
    @Option(help: "A room ID or exact title.") var room: String?
    @Option(help: "The person (email or ID) of a 1:1 conversation.") var with: String?
    @Option(help: "Only replies to this message (thread).") var parent: String?
    @Option(help: "Only messages mentioning 'me' or a person ID (bots must use 'me' in group rooms).") var mentioned: String?
    @Option(help: "Only messages sent before this time (ISO 8601).") var before: String?
    @Option(help: "Only messages sent before this message ID.") var beforeMessage: String?
    @OptionGroup var limit: ListLimit
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if (room == nil) == (with == nil) { throw ValidationError("give either --room or --with") }
        if let b = before, WebexDate.parse(b) == nil { throw ValidationError("--before '\(b)' is not an ISO 8601 time such as 2026-01-31T09:00:00Z") }
        if with != nil && (mentioned != nil || before != nil || beforeMessage != nil) {
            throw ValidationError("--with takes only --parent and --limit")
        }
    }

    func run() async throws {
        let client = try globals.makeClient()
        let renderer = try Renderer(io: CLIContext.current.io, options: output)
        let seq: PagedSequence<Message>
        if let with {
            switch try Resolve.person(with) {
            case .personEmail(let e): seq = try client.messages.listDirect(personEmail: e, parentId: parent, limit: limit.value)
            case .personId(let p): seq = try client.messages.listDirect(personId: p, parentId: parent, limit: limit.value)
            case .room: fatalError("unreachable")
            }
        } else {
            let roomId = try await Resolve.room(room!, client: client)
            seq = client.messages.list(roomId: roomId, parentId: parent, mentionedPeople: mentioned,
                                       before: before.flatMap(WebexDate.parse), beforeMessage: beforeMessage, limit: limit.value)
        }
        try await renderer.list(seq, columns: Messages.columns, noun: "messages")
    }
}
