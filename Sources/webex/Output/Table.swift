import Foundation
import WebexSDK

/// One column of a list: a header and how to show a value.
struct Column<T> {
    var header: String
    /// May be shortened to fit the terminal.
    var truncatable: Bool = false
    var value: (T) -> String
}

/// Rows as an aligned table on a terminal (headers, fitted to the width) or as tab-separated lines
/// without a header when piped (gh's convention), which `cut` and `awk` read.
struct TablePrinter {
    var io: IOStreams

    /// Piped rows are written as they come; terminal rows are laid out together.
    func pipedRow(_ cells: [String]) {
        io.out(cells.map(Self.clean).joined(separator: "\t") + "\n")
    }

    func render(headers: [String], rows: [[String]], truncatable: [Bool]) {
        guard !rows.isEmpty else { return }
        let cleanRows = rows.map { $0.map(Self.clean) }
        var widths = headers.indices.map { i in max(headers[i].count, cleanRows.map { $0[i].count }.max() ?? 0) }
        let gap = 2
        var total = widths.reduce(0, +) + gap * (widths.count - 1)
        // Shrink the widest truncatable column until the table fits, but keep it readable: on a narrow
        // terminal a long row wraps rather than cutting text to a few letters (IDs are never cut).
        let minWidth = 24
        while total > io.terminalWidth {
            guard let i = widths.indices.filter({ truncatable[$0] && widths[$0] > minWidth }).max(by: { widths[$0] < widths[$1] }) else { break }
            let cut = min(widths[i] - minWidth, total - io.terminalWidth)
            widths[i] -= cut; total -= cut
        }
        let last = headers.count - 1
        var line = ""
        for (i, h) in headers.enumerated() {
            line += io.bold(i == last ? h : Self.pad(h, widths[i])) + (i == last ? "" : "  ")
        }
        io.out(line + "\n")
        for row in cleanRows {
            var l = ""
            for (i, cell) in row.enumerated() {
                let fitted = Self.truncate(cell, widths[i])
                l += i == last ? fitted : Self.pad(fitted, widths[i]) + "  "
            }
            io.out(l + "\n")
        }
    }

    /// One line, no tabs or control characters.
    static func clean(_ s: String) -> String {
        var out = ""
        for ch in s {
            if ch == "\n" || ch == "\t" || ch == "\r" { out.append(" ") }
            else if let a = ch.asciiValue, a < 0x20 || a == 0x7f { continue }
            else { out.append(ch) }
        }
        return out
    }

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }

    static func truncate(_ s: String, _ width: Int) -> String {
        s.count <= width ? s : String(s.prefix(max(0, width - 1))) + "…"
    }
}

/// Times: relative on a terminal ("5 minutes ago"), RFC 3339 when piped.
enum TimeFormat {
    static func show(_ date: Date?, tty: Bool, now: Date = Date()) -> String {
        guard let date else { return "" }
        guard tty else { return WebexDate.format(date) }
        let s = now.timeIntervalSince(date)
        if s < 0 { return WebexDate.format(date) }
        if s < 60 { return "just now" }
        func ago(_ n: Int, _ unit: String) -> String { "\(n) \(unit)\(n == 1 ? "" : "s") ago" }
        if s < 3600 { return ago(Int(s / 60), "minute") }
        if s < 86400 { return ago(Int(s / 3600), "hour") }
        if s < 86400 * 30 { return ago(Int(s / 86400), "day") }
        if s < 86400 * 365 { return ago(Int(s / (86400 * 30)), "month") }
        return ago(Int(s / (86400 * 365)), "year")
    }
}
