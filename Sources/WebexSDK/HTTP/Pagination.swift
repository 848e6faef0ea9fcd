import Foundation

struct ItemsPage<T: Decodable>: Decodable { var items: [T] }

/// Items of a Webex list, page by page, as they arrive. Each page is fetched only when the consumer has
/// used up the previous one, so memory stays flat and `limit` never costs an extra request.
public struct PagedSequence<Element: Decodable & Sendable>: AsyncSequence, Sendable {
    let client: Webex
    let first: URL
    let limit: Int?

    public func makeAsyncIterator() -> Iterator { Iterator(client: client, next: first, remaining: limit) }

    public struct Iterator: AsyncIteratorProtocol {
        let client: Webex
        var next: URL?
        var remaining: Int?
        var buffer: [Element] = []
        var index = 0
        /// Pages fetched so far.
        public private(set) var pagesFetched = 0

        /// True when the next call to `next()` can answer without a network request.
        public var hasBufferedItem: Bool { index < buffer.count && remaining != 0 }

        public mutating func next() async throws -> Element? { try await nextItem() }

        public mutating func nextItem() async throws(WebexError) -> Element? {
            if remaining == 0 { return nil }
            while index >= buffer.count {
                guard let url = next else { return nil }
                let response = try await client.send(HTTPRequest(method: .get, url: url))
                pagesFetched += 1
                buffer = try client.decode(ItemsPage<Element>.self, response).items
                index = 0
                next = LinkHeader.target(rel: "next", in: response.headers.values("Link"), relativeTo: url)
            }
            defer { index += 1; if let r = remaining { remaining = r - 1 } }
            return buffer[index]
        }
    }

    /// Collects everything (bounded by `limit`).
    public func collect() async throws(WebexError) -> [Element] {
        var it = makeAsyncIterator()
        var out: [Element] = []
        while let x = try await it.nextItem() { out.append(x) }
        return out
    }
}

/// Page size to ask for: no more than the caller will use, no more than the endpoint allows; the
/// endpoint's largest page when everything is wanted (fewer round trips).
public func pageSize(limit: Int?, endpointMax: Int) -> Int? {
    guard let limit else { return endpointMax }
    return min(max(limit, 1), endpointMax)
}
