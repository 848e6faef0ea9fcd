import ArgumentParser
import Foundation
import WebexSDK

struct API: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api", abstract: "Call any Webex REST endpoint with your token.",
        discussion: """
            PATH is relative to the API base (rooms, /rooms, /v1/rooms?max=5) or a full URL on the same host.
            Fields (-f raw strings, -F typed: true, false, null, numbers, @file) become query parameters for
            GET/DELETE and a JSON body otherwise. --paginate follows Link rel="next" and prints all items as
            one JSON array (--jq sees that whole array).
              webex api GET people/me --jq .displayName
              webex api POST messages -f roomId=… -f markdown='**hi**'
              webex api GET rooms --paginate --jq '.[].title'
            """)
    @Argument(help: "HTTP method: GET, POST, PUT, PATCH, DELETE or HEAD.") var method: String
    @Argument(help: "API path or URL.") var path: String
    @Option(name: [.customShort("f"), .customLong("raw-field")], help: ArgumentHelp("A string field key=value.", valueName: "key=value")) var rawFields: [String] = []
    @Option(name: [.customShort("F"), .customLong("field")], help: ArgumentHelp("A typed field key=value (true/false/null/number/@file).", valueName: "key=value")) var typedFields: [String] = []
    @Option(name: [.customShort("H"), .customLong("header")], help: ArgumentHelp("An extra request header 'Name: value'.", valueName: "header")) var headers: [String] = []
    @Option(help: ArgumentHelp("Request body from a file, or '-' for standard input.", valueName: "file")) var input: String?
    @Flag(help: "Follow Link rel=\"next\" and print every item as one JSON array.") var paginate = false
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var output: OutputOptions

    static let methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]

    func validate() throws {
        guard Self.methods.contains(method.uppercased()) else {
            throw ValidationError("unknown method '\(method)': use \(Self.methods.joined(separator: ", "))")
        }
        if paginate && method.uppercased() != "GET" { throw ValidationError("--paginate works only with GET") }
        if input != nil && !(rawFields.isEmpty && typedFields.isEmpty) && !["GET", "DELETE", "HEAD"].contains(method.uppercased()) {
            throw ValidationError("give the body either with --input or with fields, not both")
        }
        for h in headers where !h.contains(":") { throw ValidationError("header '\(h)' is not in the form 'Name: value'") }
    }

    func fields() throws -> [(String, JSONValue)] {
        func split(_ s: String) throws -> (String, String) {
            guard let eq = s.firstIndex(of: "="), eq != s.startIndex else { throw CLIError.usage("field '\(s)' is not key=value") }
            return (String(s[..<eq]), String(s[s.index(after: eq)...]))
        }
        var out: [(String, JSONValue)] = try rawFields.map { let (k, v) = try split($0); return (k, .string(v)) }
        for f in typedFields {
            let (k, v) = try split(f)
            let value: JSONValue
            switch v {
            case "true": value = .bool(true)
            case "false": value = .bool(false)
            case "null": value = .null
            default:
                if let n = Double(v), !v.isEmpty, v.first != "+" { value = .number(n) }
                else if v.hasPrefix("@") {
                    guard let d = FileManager.default.contents(atPath: String(v.dropFirst())) else { throw CLIError.usage("cannot read \(v.dropFirst())") }
                    value = .string(String(decoding: d, as: UTF8.self))
                } else { value = .string(v) }
            }
            out.append((k, value))
        }
        return out
    }

    func run() async throws {
        let io = CLIContext.current.io
        let client = try globals.makeClient()
        let renderer = try Renderer(io: io, options: output)
        let m = HTTPMethod(rawValue: method)
        var url = try client.resolve(path: path)
        let fieldList = try fields()
        var body = HTTPBody.none
        if [.get, .delete, .head].contains(m) {
            if !fieldList.isEmpty, var comps = URLComponents(url: url, resolvingAgainstBaseURL: false) {
                let extra = fieldList.map { k, v -> String in
                    let s: String = switch v { case .string(let s): s; case .bool(let b): b ? "true" : "false"; case .null: ""; default: (try? String(decoding: WebexJSON.encoder.encode(v), as: UTF8.self)) ?? "" }
                    return "\(Webex.encodeQuery(k))=\(Webex.encodeQuery(s))"
                }
                comps.percentEncodedQuery = ((comps.percentEncodedQuery.map { [$0] } ?? []) + extra).joined(separator: "&")
                url = comps.url ?? url
            }
        } else if let input {
            let data: Data
            if input == "-" { data = io.readStdin() } else {
                guard let d = FileManager.default.contents(atPath: input) else { throw CLIError.usage("cannot read --input \(input)") }
                data = d
            }
            body = .data(data, contentType: "application/json;charset=utf-8")
        } else {
            let obj = JSONValue.object(Dictionary(fieldList, uniquingKeysWith: { _, b in b }))
            body = .data(try WebexJSON.encoder.encode(obj), contentType: "application/json;charset=utf-8")
        }
        var request = HTTPRequest(method: m, url: url, body: body)
        for h in headers {
            let i = h.firstIndex(of: ":")!
            request.headers.add(String(h[..<i]).trimmingCharacters(in: .whitespaces), String(h[h.index(after: i)...]).trimmingCharacters(in: .whitespaces))
        }
        if paginate {
            try await printAllItems(client.paginate(JSONValue.self, url), renderer: renderer, io: io)
            return
        }
        let response = try await client.send(request)
        try renderer.raw(response.body)
    }

    func printAllItems(_ seq: PagedSequence<JSONValue>, renderer: Renderer, io: IOStreams) async throws {
        var it = seq.makeAsyncIterator()
        if case .jq(let program) = renderer.mode {
            var parts: [String] = []
            while let item = try await it.nextItem() { parts.append(String(decoding: try WebexJSON.encoder.encode(item), as: UTF8.self)) }
            try renderer.runJQ(program, Data(("[" + parts.joined(separator: ",") + "]").utf8))
            io.flush()
            return
        }
        var first = true
        io.out("[")
        while let item = try await it.nextItem() {
            io.out((first ? "\n" : ",\n") + String(decoding: try WebexJSON.encoder.encode(item), as: UTF8.self))
            first = false
            if !it.hasBufferedItem { io.flush() }
        }
        io.out(first ? "]\n" : "\n]\n")
        io.flush()
    }
}
