import Foundation
import WebexSDK

/// Turning what a person types into API identifiers.
enum Resolve {
    /// A room ID, or an exact room title among the rooms you are in.
    static func room(_ value: String, client: Webex) async throws -> String {
        try await byIDOrName(value, type: HydraID.room, noun: "room", list: client.rooms.list(), id: \.id, name: \.title,
                             describe: { "\($0.id)  \($0.type ?? "")  last active \($0.lastActivity.map(WebexDate.format) ?? "-")" })
    }

    /// An email address or a person ID.
    static func person(_ value: String) throws -> NewMessage.Destination {
        if value.contains("@") { return .personEmail(value) }
        if let id = HydraID(value) {
            guard id.type == HydraID.people else { throw CLIError.usage("'\(value)' is a \(id.type) ID, not a person ID or email") }
            return .personId(value)
        }
        throw CLIError.usage("'\(value)' is neither an email address nor a person ID")
    }

    /// An email address or a person ID, for membership commands.
    static func personRef(_ value: String) throws -> PersonRef {
        switch try person(value) {
        case .personEmail(let e): return .email(e)
        case .personId(let i): return .id(i)
        case .room: throw CLIError.usage("'\(value)' is not a person")
        }
    }

    /// A team ID, or the exact name of one of your teams.
    static func team(_ value: String, client: Webex) async throws -> String {
        try await byIDOrName(value, type: HydraID.team, noun: "team", list: client.teams.list(), id: \.id, name: \.name, describe: { $0.id })
    }

    /// An ID of `type`, or the exact name of one item of `list` (none → not found; several → the candidates).
    static func byIDOrName<T: WebexModel>(_ value: String, type: String, noun: String, list: PagedSequence<T>, id: KeyPath<T, String>,
                                          name: KeyPath<T, String?>, describe: (T) -> String) async throws -> String {
        if let id = HydraID(value) {
            guard id.type == type else { throw CLIError.usage("'\(value)' is a \(id.type) ID, not a \(noun) ID") }
            return value
        }
        var matches: [T] = []
        for try await item in list where item[keyPath: name] == value { matches.append(item) }
        switch matches.count {
        case 0: throw CLIError.notFound("no \(noun) titled '\(value)' among your \(noun)s; `webex \(noun)s list` shows them (titles match exactly)")
        case 1: return matches[0][keyPath: id]
        default:
            throw CLIError.usage("\(matches.count) \(noun)s are titled '\(value)'; give the \(noun) ID instead:\n"
                                 + matches.map { "  " + describe($0) }.joined(separator: "\n"))
        }
    }

    /// A confirmation for something that cannot be undone: `--yes`, or a prompt on a terminal.
    static func confirm(_ question: String, yes: Bool, io: IOStreams) throws {
        if yes { return }
        guard io.canPrompt else { throw CLIError.usage("this cannot be undone: pass --yes to confirm") }
        io.out("\(question) [y/N] "); io.flush()
        guard ["y", "yes"].contains((readLine() ?? "").lowercased()) else { throw CLIError.failure("cancelled") }
    }

    /// `-` reads standard input (trailing newline removed); anything else is the text itself.
    static func text(_ value: String?, io: IOStreams) throws -> String? {
        guard let value else { return nil }
        guard value == "-" else { return value }
        var s = String(decoding: io.readStdin(), as: UTF8.self)
        while s.hasSuffix("\n") { s.removeLast() }
        if s.isEmpty { throw CLIError.usage("standard input was empty; nothing to send") }
        return s
    }
}

/// The `--limit` / `--all` pair of list commands.
import ArgumentParser
struct ListLimit: ParsableArguments {
    @Option(name: [.customShort("L"), .long], help: "Stop after this many items (default 100).")
    var limit: Int?
    @Flag(help: "Fetch every item, streaming pages as they arrive.")
    var all = false

    func validate() throws {
        if all && limit != nil { throw ValidationError("--limit and --all cannot be used together") }
        if let l = limit, l < 1 { throw ValidationError("--limit must be at least 1") }
    }
    var value: Int? { all ? nil : (limit ?? 100) }
}
