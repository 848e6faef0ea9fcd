import ArgumentParser
import Foundation
import WebexSDK

struct Cards: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cards", abstract: "Adaptive cards: submit a card's inputs (send cards with `webex messages send --card`).",
        subcommands: [CardsSubmit.self])
}

struct AttachmentActions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attachment-actions", abstract: "Card submissions (attachment actions).",
        subcommands: [AttachmentActionsGet.self])

    static var columns: [Column<AttachmentAction>] {
        let tty = CLIContext.current.io.stdoutIsTTY
        return [
            Column(header: "TYPE") { $0.type ?? "" },
            Column(header: "INPUTS", truncatable: true) { a in
                (a.inputs ?? [:]).sorted { $0.key < $1.key }.map { k, v in "\(k)=\(v.stringValue ?? (try? String(decoding: WebexJSON.encoder.encode(v), as: UTF8.self)) ?? "")" }.joined(separator: " ")
            },
            Column(header: "CREATED") { TimeFormat.show($0.created, tty: tty) },
            Column(header: "ID") { $0.id },
        ]
    }
}

struct CardsSubmit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit", abstract: "Submit inputs for a card message, as pressing its submit button would.",
        discussion: "  webex cards submit --message MESSAGE_ID --input approved=yes --input comment='looks good'")
    @Option(help: "The ID of the message carrying the card.") var message: String
    @Option(name: .customLong("input"), help: ArgumentHelp("An input as key=value (repeat for several).", valueName: "key=value")) var inputs: [String] = []
    @Option(help: ArgumentHelp("Inputs as a JSON object from a file ('-' for standard input).", valueName: "file")) var inputsFile: String?
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if inputs.isEmpty && inputsFile == nil { throw ValidationError("give the card's inputs with --input key=value or --inputs-file") }
        for i in inputs where !i.contains("=") || i.hasPrefix("=") { throw ValidationError("input '\(i)' is not key=value") }
    }

    func run() async throws {
        let io = CLIContext.current.io
        let client = try globals.makeClient()
        let renderer = try Renderer(io: io, options: output)
        var values: [String: JSONValue] = [:]
        if let inputsFile {
            let data: Data
            if inputsFile == "-" { data = io.readStdin() } else {
                guard let d = FileManager.default.contents(atPath: inputsFile) else { throw CLIError.usage("cannot read \(inputsFile)") }
                data = d
            }
            guard case .object(let o)? = try? JSONValue.parse(data) else { throw CLIError.usage("\(inputsFile) is not a JSON object") }
            values = o
        }
        for i in inputs {
            let eq = i.firstIndex(of: "=")!
            values[String(i[..<eq])] = .string(String(i[i.index(after: eq)...]))
        }
        try renderer.item(try await client.attachmentActions.create(messageId: message, inputs: values), columns: AttachmentActions.columns)
    }
}

struct AttachmentActionsGet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Show a card submission.")
    @Argument(help: "The attachment action ID.") var action: String
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let client = try globals.makeClient()
        try Renderer(io: CLIContext.current.io, options: output).item(try await client.attachmentActions.get(action), columns: AttachmentActions.columns)
    }
}
