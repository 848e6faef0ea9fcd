import Foundation

/// Page sizes. The real server-side defaults are not published (reference §1.3 [U]); these are emulator
/// choices that match what WebexPythonSDK asks for: messages 50, every other list 100. `max` above the
/// endpoint limit is clamped (reference §1.3); `max` that is not a positive integer is a 400.
enum PageSize {
    static let messagesDefault = 50
    static let otherDefault = 100
    /// Reference: rooms accept 1–1000; messages with `mentionedPeople` at most 100.
    static let limit = 1000
    static let messagesMentionedLimit = 100

    static func parse(_ query: Query, default defaultSize: Int, limit: Int = PageSize.limit) throws(APIError) -> Int {
        guard query.has("max") else { return defaultSize }
        let raw = query.items.first(where: { $0.name == "max" })!.value.trimmingCharacters(in: .whitespaces)
        guard let n = Int(raw), n >= 1 else {
            throw APIError.badRequest("Invalid value for max: '\(raw)'. It must be a positive integer.")
        }
        return min(n, limit)
    }
}

/// Where the next page starts: just after the item with this sort key. Because it names a position in
/// the ordering rather than an offset, items created between two page requests do not shift the next
/// page (they sort before the cursor for newest-first lists).
public struct PageCursor: Sendable, Equatable {
    /// Query parameter carrying the cursor in `Link: rel="next"` URLs.
    public static let parameter = "cursor"

    public var primary: String
    public var seq: Int

    public init(primary: String, seq: Int) {
        self.primary = primary
        self.seq = seq
    }

    /// Opaque token: URL-safe base64 of `v1|<seq>|<primary>`.
    public var token: String {
        var b64 = Data("v1|\(seq)|\(primary)".utf8).base64EncodedString()
        b64 = b64.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while b64.hasSuffix("=") { b64.removeLast() }
        return b64
    }

    public init?(token: String) {
        var s = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        guard let data = Data(base64Encoded: s), let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1", let seq = Int(parts[1]) else { return nil }
        self.init(primary: String(parts[2]), seq: seq)
    }

    static func from(_ query: Query) throws(APIError) -> PageCursor? {
        guard let raw = query[parameter] else { return nil }
        guard let cursor = PageCursor(token: raw) else {
            throw APIError.badRequest("Invalid value for \(parameter).")
        }
        return cursor
    }
}

/// A list ordering: each item has a sort key (primary string, then a creation sequence number as tie
/// breaker), and the list runs ascending or descending by that key.
struct PageOrder: Sendable {
    var descending: Bool

    func precedes(_ a: PageCursor, _ b: PageCursor) -> Bool {
        if a.primary != b.primary { return descending ? a.primary > b.primary : a.primary < b.primary }
        return descending ? a.seq > b.seq : a.seq < b.seq
    }
}

struct Page<Item> {
    var items: [Item]
    var next: PageCursor?
}

enum Paginator {
    /// Sorts `items` by `key` in `order`, skips everything up to and including `cursor`, and takes `size`.
    static func page<Item>(
        _ items: [Item], key: (Item) -> PageCursor, order: PageOrder, after cursor: PageCursor?, size: Int
    ) -> Page<Item> {
        let keyed = items.map { (key($0), $0) }.sorted { order.precedes($0.0, $1.0) }
        var start = 0
        if let cursor {
            start = keyed.firstIndex(where: { order.precedes(cursor, $0.0) }) ?? keyed.count
        }
        let end = min(keyed.count, start + size)
        let slice = keyed[start..<end]
        let next = end < keyed.count ? slice.last?.0 : nil
        return Page(items: slice.map(\.1), next: next)
    }

    /// Fixed-width decimal so that lexical order equals numeric order (for dates as epoch milliseconds).
    static func sortable(_ value: Int64) -> String {
        String(max(0, value)).leftPadded(16)
    }
}
