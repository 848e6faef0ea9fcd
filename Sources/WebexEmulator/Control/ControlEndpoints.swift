import Foundation

/// State operations behind the control API (`/_emulator/...`, no auth), used by tests.
extension EmulatorStore {
    /// `POST /_emulator/people {"email","displayName","token"?,"type"?,"firstName"?,"lastName"?,"roles"?}`.
    func controlAddPerson(_ body: JSONBody) throws(APIError) -> Reply {
        guard let email = try body.nonEmptyString("email"), email.contains("@") else {
            throw APIError.badRequest("email is required and must be an email address.")
        }
        guard let displayName = try body.nonEmptyString("displayName") else {
            throw APIError.badRequest("displayName is required.")
        }
        let typeName = try body.string("type") ?? "person"
        guard let type = PersonType(rawValue: typeName) else {
            throw APIError.badRequest("type must be person, bot or appuser.")
        }
        var roles: [String] = []
        if let r = try body.array("roles") {
            roles = r.compactMap(\.stringValue)
            guard roles.count == r.count else { throw APIError.badRequest("roles must be an array of strings.") }
        }
        let p = try addPerson(
            email: email, displayName: displayName, token: try body.nonEmptyString("token"), type: type,
            firstName: try body.string("firstName"), lastName: try body.string("lastName"), roles: roles)
        return .json(personWithToken(p))
    }

    func controlListPeople() -> Reply {
        let sorted = people.values.sorted { $0.seq < $1.seq }
        return .json(["items": .array(sorted.map(personWithToken))])
    }

    private func personWithToken(_ p: Person) -> JSONValue {
        guard case .object(var o) = render(person: p) else { return .null }
        o["token"] = .string(p.token)
        return .object(o)
    }

    func controlAddFault(_ body: JSONValue) throws(APIError) -> Reply {
        let fault = try Fault.parse(body)
        faults.add(fault)
        return .json(["id": .string(fault.id)])
    }

    func controlListFaults() -> Reply {
        .json(["items": .array(faults.faults.map(\.json))])
    }

    func controlClearFaults() -> Reply {
        faults.removeAll()
        return .noContent
    }

    func controlRequestLog() -> Reply {
        .json(["items": .array(requestLog.map(\.json))])
    }

    func controlClearRequestLog() -> Reply {
        requestLog.removeAll()
        return .noContent
    }

    /// `PUT /_emulator/contents/{contentId}/scan {"state":…, "pendingCount"?:N}`.
    func controlSetScan(contentId: String, _ body: JSONBody) throws(APIError) -> Reply {
        guard let uuid = HydraID.uuid(from: contentId, as: .content), var content = contents[uuid] else {
            throw APIError.notFound("No content with id \(contentId).")
        }
        guard let stateName = try body.string("state"), let state = ScanState(rawValue: stateName) else {
            throw APIError.badRequest("state must be pending, infected, unscannable or clean.")
        }
        let pendingCount = try body.int("pendingCount") ?? 1
        guard pendingCount >= 1 else { throw APIError.badRequest("pendingCount must be at least 1.") }
        let wasClean = content.scanState == .clean
        content.scanState = state
        content.pendingRemaining = state == .pending ? pendingCount : 0
        contents[uuid] = content
        // A file that turns safe produces the `update` activity clients wait for.
        if state == .clean, !wasClean, let message = messages[content.messageUUID] { publishFilesSafe(message) }
        return .json([
            "id": .string(content.id), "state": .string(state.rawValue), "pendingCount": .int(content.pendingRemaining),
        ])
    }

    func controlPutBlob(name: String, contentType: String?, data: [UInt8]) -> Reply {
        blobs[name] = Blob(contentType: contentType ?? "application/octet-stream", data: data)
        return .json(["name": .string(name), "size": .int(data.count)])
    }

    func controlGetBlob(name: String) throws(APIError) -> Reply {
        guard let blob = blobs[name] else { throw APIError.notFound("No blob named \(name).") }
        return .bytes(status: .ok, headers: [("Content-Type", blob.contentType)], body: blob.data)
    }

    /// `GET /_emulator/deliveries`: every webhook delivery attempt, oldest first.
    func controlDeliveries() -> Reply {
        .json(["items": .array(deliveries.map(\.json))])
    }

    func controlClearDeliveries() -> Reply {
        deliveries.removeAll()
        return .noContent
    }

    /// `GET /_emulator/settings`: `{"webhookRetryBaseMs","webhookMaxAttempts","webhookFailuresBeforeInactive",
    /// "webhookTimeoutMs","accessTokenLifetime","refreshTokenLifetime","deviceInterval","deviceCodeLifetime",
    /// "deviceLimit","mercuryAuthTimeout"}`. `deviceLimit` (default 100) is how many WDM registrations one
    /// person may hold; `mercuryAuthTimeout` (seconds, default 30) is how long a new websocket has to
    /// authorize before it is closed with 1008.
    func controlSettings() -> Reply {
        .json(settingsJSON)
    }

    private var settingsJSON: JSONValue {
        var members = deliverySettings.json.objectValue ?? [:]
        members.merge(oauthSettings.json) { _, new in new }
        members.merge(eventSettings.json) { _, new in new }
        return .object(members)
    }

    /// `PUT /_emulator/settings` with any of the members above; answers the new settings. Reset restores
    /// the values the emulator was started with.
    func controlUpdateSettings(_ body: JSONBody) throws(APIError) -> Reply {
        var settings = deliverySettings
        try settings.update(from: body)
        var oauthSettings = self.oauthSettings
        try oauthSettings.update(from: body)
        var eventSettings = self.eventSettings
        try eventSettings.update(from: body)
        deliverySettings = settings
        self.oauthSettings = oauthSettings
        if eventSettings != self.eventSettings { self.eventSettings = eventSettings }
        return .json(settingsJSON)
    }
}
