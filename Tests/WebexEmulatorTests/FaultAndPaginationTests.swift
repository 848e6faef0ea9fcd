import Foundation
import Testing

@testable import WebexEmulator

@Suite struct GlobAndFaultTests {
    @Test func globMatching() {
        #expect(Glob.matches("/v1/messages*", "/v1/messages"))
        #expect(Glob.matches("/v1/messages*", "/v1/messages/abc/def"))
        #expect(!Glob.matches("/v1/messages*", "/v1/rooms"))
        #expect(Glob.matches("*", ""))
        #expect(Glob.matches("/v1/*/meetingInfo", "/v1/rooms/XYZ/meetingInfo"))
        #expect(!Glob.matches("/v1/*/meetingInfo", "/v1/rooms/XYZ/meetingInfo/x"))
        #expect(Glob.matches("*a*b*", "xxaYYbZZ"))
        #expect(!Glob.matches("/v1/people", "/v1/people/me"))
        #expect(Glob.matches("/v1/people", "/v1/people"))
    }

    @Test func faultsAreConsumedOldestFirst() throws {
        var list = FaultList()
        list.add(Fault(id: "a", method: "POST", path: "/v1/messages*", status: 503, count: 2))
        list.add(Fault(id: "b", method: "*", path: "/v1/*", status: 500))
        #expect(list.take(method: "GET", path: "/v1/messages")?.id == "b")
        #expect(list.take(method: "GET", path: "/v1/messages") == nil)
        #expect(list.take(method: "post", path: "/v1/messages")?.id == "a")
        #expect(list.take(method: "POST", path: "/v1/messages/x")?.id == "a")
        #expect(list.take(method: "POST", path: "/v1/messages") == nil)
        #expect(list.faults.isEmpty)
    }

    @Test func faultBodyDefaults() throws {
        let plain = try Fault.parse(["path": "/v1/rooms"])
        #expect(plain.status == 503 && plain.method == "*" && plain.remaining == 1 && !plain.drop && !plain.afterHandling)
        let delay = try Fault.parse(["delayMs": 50])
        #expect(delay.status == nil && delay.delayMs == 50)
        let drop = try Fault.parse(["drop": true, "afterHandling": true, "method": "post"])
        #expect(drop.drop && drop.status == nil && drop.method == "POST")
        #expect(throws: APIError.self) { try Fault.parse(["status": 42]) }
        #expect(throws: APIError.self) { try Fault.parse(["count": 0]) }
        #expect(throws: APIError.self) { try Fault.parse(["drop": "yes"]) }
    }
}

@Suite struct PaginationTests {
    @Test func cursorRoundTrip() throws {
        let c = PageCursor(primary: "0001700000000000|x", seq: 42)
        #expect(!c.token.contains("=") && !c.token.contains("+") && !c.token.contains("/"))
        #expect(PageCursor(token: c.token) == c)
        #expect(PageCursor(token: "garbage!") == nil)
        #expect(PageCursor(token: Data("v2|1|x".utf8).base64EncodedString()) == nil)
    }

    @Test func cursorIsStableWhenItemsAreAdded() {
        struct Item { var seq: Int }
        var items = (1...5).map { Item(seq: $0) }
        let order = PageOrder(descending: true)
        let key: (Item) -> PageCursor = { PageCursor(primary: "", seq: $0.seq) }
        let first = Paginator.page(items, key: key, order: order, after: nil, size: 2)
        #expect(first.items.map(\.seq) == [5, 4])
        let cursor = first.next
        #expect(cursor != nil)
        // New items arrive (newest first lists put them on page 1) and one on page 1 is deleted.
        items.append(Item(seq: 6))
        items.append(Item(seq: 7))
        items.removeAll { $0.seq == 5 }
        let second = Paginator.page(items, key: key, order: order, after: cursor, size: 2)
        #expect(second.items.map(\.seq) == [3, 2])
        let third = Paginator.page(items, key: key, order: order, after: second.next, size: 2)
        #expect(third.items.map(\.seq) == [1])
        #expect(third.next == nil)
    }

    @Test func ascendingOrderWithPrimaryKey() {
        let names = ["carol", "alice", "bob", "alice"]
        let keyed = names.enumerated().map { (PageCursor(primary: $0.element, seq: $0.offset), $0.element) }
        let order = PageOrder(descending: false)
        let p1 = Paginator.page(keyed, key: \.0, order: order, after: nil, size: 3)
        #expect(p1.items.map(\.1) == ["alice", "alice", "bob"])
        let p2 = Paginator.page(keyed, key: \.0, order: order, after: p1.next, size: 3)
        #expect(p2.items.map(\.1) == ["carol"])
        #expect(p2.next == nil)
    }

    @Test func maxParsing() throws {
        #expect(try PageSize.parse(Query(nil), default: 50) == 50)
        #expect(try PageSize.parse(Query("max=7"), default: 50) == 7)
        #expect(try PageSize.parse(Query("max=5000"), default: 50) == 1000)
        #expect(try PageSize.parse(Query("max=500"), default: 50, limit: 100) == 100)
        #expect(throws: APIError.self) { try PageSize.parse(Query("max=0"), default: 50) }
        #expect(throws: APIError.self) { try PageSize.parse(Query("max=abc"), default: 50) }
        #expect(throws: APIError.self) { try PageSize.parse(Query("max="), default: 50) }
    }

    @Test func queryRebuildKeepsRawParameters() {
        let q = Query("roomId=A%2BB&max=2&cursor=old&displayName=Al+Ex")
        #expect(q["roomId"] == "A+B")
        #expect(q["displayName"] == "Al Ex")
        #expect(q.rebuilt(removing: ["cursor"], adding: [("cursor", "new")]) == "roomId=A%2BB&max=2&displayName=Al+Ex&cursor=new")
    }
}

@Suite struct EncodingTests {
    @Test func datesHaveMillisecondsAndZ() {
        let d = Date(timeIntervalSince1970: 1_445_178_376.203)
        #expect(WebexDate.format(d) == "2015-10-18T14:26:16.203Z")
        #expect(WebexDate.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(WebexDate.parse("2015-10-18T14:26:16.203Z").map(WebexDate.milliseconds) == 1_445_178_376_203)
        #expect(WebexDate.parse("2015-10-18T14:26:16+00:00") != nil)
        #expect(WebexDate.parse("yesterday") == nil)
    }

    @Test func jsonIsSortedAndEscaped() {
        let v: JSONValue = ["b": 1, "a": ["x\"y\n", true, nil], "c": .double(1.5)]
        #expect(v.serialized() == #"{"a":["x\"y\n",true,null],"b":1,"c":1.5}"#)
    }

    @Test func mentionsAndHTML() {
        let md = "Hi <@personEmail:bob@example.com|Bobby> and <@personId:XYZ> and <@all> **now** <b>"
        let mentions = MessageText.mentions(in: md)
        #expect(mentions.map(\.target) == [.email("bob@example.com"), .id("XYZ"), .all])
        let html = MessageText.html(fromMarkdown: md) { t in t == .email("bob@example.com") ? ("BOBID", "Bob") : nil }
        #expect(html.contains("<spark-mention data-object-type=\"person\" data-object-id=\"BOBID\">Bobby</spark-mention>"))
        #expect(html.contains("<strong>now</strong> &lt;b&gt;"))
        #expect(html.hasPrefix("<p>") && html.hasSuffix("</p>"))
    }
}
