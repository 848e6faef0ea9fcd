import ArgumentParser
import Foundation
import WebexSDK

/// Output flags shared by every command that prints resources.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print JSON. Choose fields with --json=FIELD,FIELD (an unknown field lists the valid ones).")
    var json = false
    @Option(name: .customLong("json-fields"), help: .hidden)
    var jsonFields: String?
    @Flag(help: "Print one JSON object per line, each as soon as it arrives (NDJSON).")
    var jsonl = false
    @Option(help: ArgumentHelp("Filter the JSON result with a jq expression; applied to the whole result, not per page.", valueName: "expr"))
    var jq: String?

    func validate() throws {
        if json && jsonl { throw ValidationError("--json and --jsonl cannot be used together") }
        if jq != nil && jsonl { throw ValidationError("--jq works on the whole result; use it with --json or alone, not with --jsonl") }
    }

    var fields: [String]? {
        jsonFields.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    }
}

/// Turns SDK models into what the user asked for: table, tab-separated rows, JSON, NDJSON or jq output.
struct Renderer {
    enum Mode { case table, json, jsonl, jq(JQProgram) }
    let io: IOStreams
    let mode: Mode
    let fields: [String]?
    /// Pretty-prints (and colours) JSON on a terminal.
    private let prettyPrinter: JQProgram?

    init(io: IOStreams, options: OutputOptions) throws {
        self.io = io
        self.prettyPrinter = io.stdoutIsTTY ? try? JQProgram(".") : nil
        self.fields = options.fields
        if let expr = options.jq {
            do { mode = .jq(try JQProgram(expr)) } catch { throw CLIError.usage("invalid --jq expression: \(error)") }
        } else if options.jsonl { mode = .jsonl }
        else if options.json || options.jsonFields != nil { mode = .json }
        else { mode = .table }
    }

    var isTable: Bool { if case .table = mode { return true } else { return false } }

    // MARK: lists

    func list<T: WebexModel>(_ sequence: PagedSequence<T>, columns: [Column<T>], noun: String) async throws {
        var it = sequence.makeAsyncIterator()
        try await stream(columns: columns, noun: noun, next: { try await it.nextItem() }, buffered: { it.hasBufferedItem })
    }

    /// A list already in memory (answers that are not paged).
    func list<T: WebexModel>(_ items: [T], columns: [Column<T>], noun: String) async throws {
        var i = 0
        try await stream(columns: columns, noun: noun, next: { defer { i += 1 }; return i < items.count ? items[i] : nil }, buffered: { true })
    }

    /// Writes items as `next` yields them; `buffered` says whether the next one is already in memory
    /// (output is flushed before waiting on the network).
    private func stream<T: WebexModel>(columns: [Column<T>], noun: String, next: () async throws -> T?, buffered: () -> Bool) async throws {
        try checkFields(T.self)
        switch mode {
        case .table where io.stdoutIsTTY:
            var rows: [[String]] = []
            while let item = try await next() { rows.append(columns.map { $0.value(item) }) }
            if rows.isEmpty { io.err("No \(noun) found\n"); return }
            TablePrinter(io: io).render(headers: columns.map(\.header), rows: rows, truncatable: columns.map(\.truncatable))
        case .table:
            let printer = TablePrinter(io: io)
            while let item = try await next() {
                printer.pipedRow(columns.map { $0.value(item) })
                if !buffered() { io.flush() }
            }
        case .json:
            var first = true
            io.out("[")
            while let item = try await next() {
                io.out((first ? "\n" : ",\n") + (try jsonText(item, pretty: io.stdoutIsTTY, indent: "  ")))
                first = false
                if !buffered() { io.flush() }
            }
            io.out(first ? "]\n" : "\n]\n")
        case .jsonl:
            while let item = try await next() {
                io.out(try jsonText(item, pretty: false) + "\n")
                if io.stdoutIsTTY || !buffered() { io.flush() }
            }
        case .jq(let program):
            // jq sees the whole result: collect it first.
            var parts: [String] = []
            while let item = try await next() { parts.append(try jsonText(item, pretty: false)) }
            try runJQ(program, Data(("[" + parts.joined(separator: ",") + "]").utf8))
        }
        io.flush()
    }

    // MARK: single objects

    func item<T: WebexModel>(_ item: T, columns: [Column<T>]) throws {
        try checkFields(T.self)
        switch mode {
        case .table where io.stdoutIsTTY:
            let width = columns.map(\.header.count).max() ?? 0
            for c in columns {
                let v = c.value(item)
                if !v.isEmpty { io.out(io.bold(TablePrinter.pad(c.header + ":", width + 1)) + " " + v + "\n") }
            }
        case .table:
            TablePrinter(io: io).pipedRow(columns.map { $0.value(item) })
        case .json: io.out(try jsonText(item, pretty: io.stdoutIsTTY) + "\n")
        case .jsonl: io.out(try jsonText(item, pretty: false) + "\n")
        case .jq(let program): try runJQ(program, Data(try jsonText(item, pretty: false).utf8))
        }
        io.flush()
    }

    /// Raw JSON from `webex api`: pretty on a terminal, as received when piped.
    func raw(_ data: Data) throws {
        switch mode {
        case .jq(let program): try runJQ(program, data)
        default:
            if data.isEmpty { return }
            if let pretty = try? prettyPrinter?.run(data, pretty: true, color: io.colorEnabled).first {
                io.out(pretty + "\n")
            } else {
                io.out(String(decoding: data, as: UTF8.self))
                if data.last != UInt8(ascii: "\n") { io.out("\n") }
            }
        }
        io.flush()
    }

    func runJQ(_ program: JQProgram, _ data: Data) throws {
        let results: [String]
        do { results = try program.run(data, pretty: io.stdoutIsTTY, color: io.colorEnabled) } catch {
            throw CLIError.failure("jq: \(error)")
        }
        for r in results { io.out(r + "\n") }
    }

    // MARK: JSON text

    func checkFields<T: WebexModel>(_ type: T.Type) throws {
        guard let fields else { return }
        let valid = Set(T.jsonFields)
        let unknown = fields.filter { !valid.contains($0) }
        if !unknown.isEmpty {
            throw CLIError.usage("unknown JSON field\(unknown.count > 1 ? "s" : ""): \(unknown.joined(separator: ", "))\navailable fields:\n  " + T.jsonFields.joined(separator: "\n  "))
        }
    }

    func jsonText<T: Encodable>(_ value: T, pretty: Bool, indent: String = "") throws -> String {
        let data = try WebexJSON.encoder.encode(value)
        var text: String
        if let fields {
            let obj = (try JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            var parts: [String] = []
            for f in fields {
                let v = obj[f] ?? NSNull()
                let vd = try JSONSerialization.data(withJSONObject: v, options: [.fragmentsAllowed, .withoutEscapingSlashes])
                parts.append("\"\(f)\":" + String(decoding: vd, as: UTF8.self))
            }
            text = "{" + parts.joined(separator: ",") + "}"
        } else {
            text = String(decoding: data, as: UTF8.self)
        }
        if pretty, let p = try? prettyPrinter?.run(Data(text.utf8), pretty: true, color: io.colorEnabled).first {
            text = p
            if !indent.isEmpty { text = text.split(separator: "\n", omittingEmptySubsequences: false).map { indent + $0 }.joined(separator: "\n") }
        }
        return text
    }
}
