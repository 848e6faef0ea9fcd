import Foundation

/// A parsed query string that remembers the raw components, so a `Link: rel="next"` URL can repeat the
/// caller's parameters exactly as they were sent.
public struct Query: Sendable {
    public struct Item: Sendable {
        public var raw: String
        public var name: String
        public var value: String
    }

    public private(set) var items: [Item] = []

    public init(_ raw: String?) {
        guard let raw, !raw.isEmpty else { return }
        for component in raw.split(separator: "&", omittingEmptySubsequences: true) {
            let pieces = component.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Query.decode(pieces[0])
            let value = pieces.count > 1 ? Query.decode(pieces[1]) : ""
            items.append(Item(raw: String(component), name: name, value: value))
        }
    }

    /// The first value for `name`, or nil when absent. An empty value counts as absent.
    public subscript(name: String) -> String? {
        guard let v = items.first(where: { $0.name == name })?.value, !v.isEmpty else { return nil }
        return v
    }

    public func has(_ name: String) -> Bool {
        items.contains { $0.name == name }
    }

    /// Every value for `name` (repeated parameters), each also split on commas.
    public func list(_ name: String) -> [String] {
        items.filter { $0.name == name }
            .flatMap { $0.value.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    /// The raw query string without parameters named in `removing`, plus `extra` appended.
    public func rebuilt(removing: Set<String>, adding extra: [(String, String)]) -> String {
        var parts = items.filter { !removing.contains($0.name) }.map(\.raw)
        for (k, v) in extra {
            parts.append("\(Query.encode(k))=\(Query.encode(v))")
        }
        return parts.joined(separator: "&")
    }

    static func decode(_ s: Substring) -> String {
        let plusFixed = s.replacingOccurrences(of: "+", with: " ")
        return plusFixed.removingPercentEncoding ?? plusFixed
    }

    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}
