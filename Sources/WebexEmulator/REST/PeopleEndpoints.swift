import Foundation

/// `/v1/people` (reference §2.4).
extension EmulatorStore {
    func getPerson(id: String) throws(APIError) -> Reply {
        guard let p = person(id: id) else { throw APIError.notFound() }
        return .json(render(person: p))
    }

    /// `GET /people?email=&displayName=&id=&max=`. One of the three filters is required (reference: non-admins
    /// must pass email or displayName; `id` is also accepted). Filters combine with AND.
    func listPeople(_ req: APIRequest) throws(APIError) -> Reply {
        let q = req.query
        let email = q["email"]
        let displayName = q["displayName"]
        let ids = q.list("id")
        guard email != nil || displayName != nil || !ids.isEmpty else {
            throw APIError.badRequest("Email, displayName, or id list should be specified.")
        }
        guard ids.count <= 85 else { throw APIError.badRequest("At most 85 ids may be requested at once (got \(ids.count)).") }
        let size = try PageSize.parse(q, default: PageSize.otherDefault)
        let cursor = try PageCursor.from(q)

        func passesNameFilters(_ p: Person) -> Bool {
            if let email, p.email.lowercased() != email.lowercased() { return false }
            if let displayName, !p.displayName.lowercased().hasPrefix(displayName.lowercased()) { return false }
            return true
        }

        var extra: [String: JSONValue] = [:]
        let keyed: [(PageCursor, Person)]
        if !ids.isEmpty {
            var notFound: [JSONValue] = []
            var seen: Set<String> = []
            var found: [(PageCursor, Person)] = []
            for (index, id) in ids.enumerated() {
                guard let p = person(id: id) else {
                    notFound.append(.string(id))
                    continue
                }
                guard seen.insert(p.uuid).inserted, passesNameFilters(p) else { continue }
                // Results keep the order the ids were asked in.
                found.append((PageCursor(primary: String(index).leftPadded(4), seq: p.seq), p))
            }
            keyed = found
            extra["notFoundIds"] = .array(notFound)
        } else {
            keyed = people.values.filter(passesNameFilters).map {
                (PageCursor(primary: $0.displayName.lowercased(), seq: $0.seq), $0)
            }
        }
        let page = Paginator.page(keyed, key: \.0, order: PageOrder(descending: false), after: cursor, size: size)
        return .list(ListReply(items: page.items.map { render(person: $0.1) }, next: page.next, extra: extra))
    }
}
