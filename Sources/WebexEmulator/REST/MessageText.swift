import Foundation

/// Mentions, derived `html` and derived plain `text` for messages.
enum MessageText {
    /// Webex caps both `text` and `markdown` at 7439 bytes (reference §2.2).
    static let maxBytes = 7439

    enum MentionTarget: Equatable {
        case email(String)
        case id(String)
        case all
    }

    struct Mention: Equatable {
        var target: MentionTarget
        var label: String?
        /// Range of the whole `<@…>` token in the source string.
        var range: Range<String.Index>
    }

    /// Finds `<@personEmail:x@y>`, `<@personId:ID>` (each optionally `|name`) and `<@all>`.
    static func mentions(in markdown: String) -> [Mention] {
        var found: [Mention] = []
        var searchStart = markdown.startIndex
        while let open = markdown.range(of: "<@", range: searchStart..<markdown.endIndex) {
            guard let close = markdown[open.upperBound...].firstIndex(of: ">") else { break }
            let inner = markdown[open.upperBound..<close]
            searchStart = markdown.index(after: close)
            if inner.contains("\n") || inner.contains("<") {
                searchStart = open.upperBound
                continue
            }
            let pieces = inner.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
            let spec = pieces[0]
            let label = pieces.count > 1 ? String(pieces[1]) : nil
            let range = open.lowerBound..<markdown.index(after: close)
            if spec.lowercased() == "all" {
                found.append(Mention(target: .all, label: label, range: range))
            } else if let colon = spec.firstIndex(of: ":") {
                let kind = spec[..<colon].lowercased()
                let value = String(spec[spec.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
                guard !value.isEmpty else { continue }
                if kind == "personemail" {
                    found.append(Mention(target: .email(value), label: label, range: range))
                } else if kind == "personid" {
                    found.append(Mention(target: .id(value), label: label, range: range))
                }
            }
        }
        return found
    }

    static func escapeHTML(_ s: some StringProtocol) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// A deliberately small markdown rendering: HTML-escaped text, `**bold**`, `*italic*`, `` `code` ``,
    /// mentions as `<spark-mention>`, paragraphs on blank lines and `<br/>` on single newlines.
    /// `resolve` maps a mention to (Hydra person id, display name) when the person is known.
    static func html(fromMarkdown markdown: String, resolve: (MentionTarget) -> (id: String, name: String)?) -> String {
        var pieces: [String] = []  // rendered pieces
        var cursor = markdown.startIndex
        for mention in mentions(in: markdown) {
            pieces.append(inline(markdown[cursor..<mention.range.lowerBound]))
            switch mention.target {
            case .all:
                pieces.append(
                    "<spark-mention data-object-type=\"groupMention\" data-group-type=\"all\">\(escapeHTML(mention.label ?? "All"))</spark-mention>")
            case .email, .id:
                if let who = resolve(mention.target) {
                    pieces.append(
                        "<spark-mention data-object-type=\"person\" data-object-id=\"\(escapeHTML(who.id))\">\(escapeHTML(mention.label ?? who.name))</spark-mention>"
                    )
                } else {
                    pieces.append(escapeHTML(markdown[mention.range]))
                }
            }
            cursor = mention.range.upperBound
        }
        pieces.append(inline(markdown[cursor...]))
        let body = pieces.joined()
        let paragraphs = body.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .newlines) }.filter { !$0.isEmpty }
        return paragraphs.map { "<p>" + $0.replacingOccurrences(of: "\n", with: "<br/>") + "</p>" }.joined()
    }

    /// Inline markup on a mention-free run: escape, then pair up `**`, `*` and backticks.
    private static func inline(_ s: Substring) -> String {
        var out = ""
        var i = s.startIndex
        var bold = false
        var italic = false
        var code = false
        while i < s.endIndex {
            let ch = s[i]
            let next = s.index(after: i)
            if ch == "`" {
                out += code ? "</code>" : "<code>"
                code.toggle()
                i = next
            } else if !code && ch == "*" && next < s.endIndex && s[next] == "*" {
                out += bold ? "</strong>" : "<strong>"
                bold.toggle()
                i = s.index(after: next)
            } else if !code && ch == "*" {
                out += italic ? "</em>" : "<em>"
                italic.toggle()
                i = next
            } else {
                out += escapeHTML(String(ch))
                i = next
            }
        }
        if code { out += "</code>" }
        if italic { out += "</em>" }
        if bold { out += "</strong>" }
        return out
    }

    /// Plain text for a markdown-only message: mentions become names, emphasis markers are dropped.
    static func plainText(fromMarkdown markdown: String, resolve: (MentionTarget) -> (id: String, name: String)?) -> String {
        var out = ""
        var cursor = markdown.startIndex
        for mention in mentions(in: markdown) {
            out += markdown[cursor..<mention.range.lowerBound]
            switch mention.target {
            case .all: out += mention.label ?? "All"
            case .email, .id: out += mention.label ?? resolve(mention.target)?.name ?? String(markdown[mention.range])
            }
            cursor = mention.range.upperBound
        }
        out += markdown[cursor...]
        return out.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "`", with: "")
    }
}
