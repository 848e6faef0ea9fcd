import Foundation

/// RFC 8288 `Link` header parsing. Webex sends one header with `rel="next"`; this also copes with a
/// comma-joined list and with several header fields.
public enum LinkHeader {
    /// The target of the first link whose `rel` contains `rel` (case-insensitive), resolved against `base`.
    public static func target(rel wanted: String, in values: [String], relativeTo base: URL? = nil) -> URL? {
        for value in values {
            for link in links(in: value) where link.rels.contains(wanted.lowercased()) {
                return URL(string: link.target, relativeTo: base)?.absoluteURL
            }
        }
        return nil
    }

    struct Link { var target: String; var rels: [String] }

    /// Splits `<a>; rel="next", <b>; rel=prev` into links. Commas inside `<…>` or quotes do not split.
    static func links(in value: String) -> [Link] {
        var result: [Link] = []
        var i = value.startIndex
        while i < value.endIndex {
            guard let open = value[i...].firstIndex(of: "<"), let close = value[open...].firstIndex(of: ">") else { break }
            let target = String(value[value.index(after: open)..<close])
            // Parameters run until a comma outside quotes.
            var j = value.index(after: close)
            var inQuotes = false
            while j < value.endIndex {
                let c = value[j]
                if c == "\"" { inQuotes.toggle() } else if c == "," && !inQuotes { break }
                j = value.index(after: j)
            }
            var rels: [String] = []
            for param in value[value.index(after: close)..<j].split(separator: ";") {
                let kv = param.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard kv.count == 2, kv[0].lowercased() == "rel" else { continue }
                let v = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                rels += v.lowercased().split(separator: " ").map(String.init)
            }
            result.append(Link(target: target, rels: rels))
            i = j < value.endIndex ? value.index(after: j) : j
        }
        return result
    }
}
