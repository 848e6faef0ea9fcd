import Foundation

/// Control API for device registrations and Mercury websockets (`/_emulator/...`, no auth), used by tests.
extension EmulatorStore {
    /// `GET /_emulator/mercury/connections`: every open socket, oldest first:
    /// `{"items":[{deviceId, email (the device's owner), authorized, wireFormat ("text"|"binary"),
    /// bufferStates, multipleConnections, connectedAt, eventsSent, acks, lastAckIds (the last 20), pings}]}`.
    nonisolated func controlMercuryConnections() -> Reply {
        .json(["items": .array(mercury.all.map(\.json))])
    }

    /// `POST /_emulator/mercury/drop {"email"?}`: closes every socket (or that person's) at once, without a
    /// close frame, as a network failure would → `{"dropped":n}`.
    func controlMercuryDrop(_ body: JSONBody) throws(APIError) -> Reply {
        let owner = try optionalPerson(body)
        let n = mercury.drop(where: { owner == nil || $0.ownerUUID == owner?.uuid })
        return .json(["dropped": .int(n)])
    }

    /// `POST /_emulator/mercury/close {"code":4000,"reason":"replaced","email"?}`: sends that close frame on
    /// every socket (or that person's) → `{"closed":n}`. `code` defaults to 1000; it must be a code a server
    /// may send (1000–1003, 1007–1014, 3000–4999).
    func controlMercuryClose(_ body: JSONBody) throws(APIError) -> Reply {
        let owner = try optionalPerson(body)
        let code = try body.int("code") ?? 1000
        guard (1000...1003).contains(code) || (1007...1014).contains(code) || (3000...4999).contains(code) else {
            throw APIError.badRequest("code must be 1000–1003, 1007–1014 or 3000–4999.")
        }
        let reason = try body.string("reason")
        if let reason, reason.utf8.count > 123 { throw APIError.badRequest("reason must be at most 123 bytes.") }
        let n = mercury.close(where: { owner == nil || $0.ownerUUID == owner?.uuid }, code: code, reason: reason)
        return .json(["closed": .int(n)])
    }

    /// `POST /_emulator/mercury/refuse {"seconds":N}`: upgrades are answered with 503 for N seconds (may
    /// be fractional; 0 stops refusing) → `{"refusing":true|false}`. Open sockets are not affected.
    func controlMercuryRefuse(_ body: JSONBody) throws(APIError) -> Reply {
        let seconds: Double
        switch body.members["seconds"] {
        case .int(let i)?: seconds = Double(i)
        case .double(let d)? where d.isFinite: seconds = d
        default: throw APIError.badRequest("seconds is required and must be a number.")
        }
        guard seconds >= 0 else { throw APIError.badRequest("seconds must not be negative.") }
        mercury.refuse(seconds: seconds)
        return .json(["refusing": .bool(mercury.isRefusing)])
    }

    /// `POST /_emulator/mercury/flood {"email":"<sender>","roomId":"<room id>","count":N}`: creates N real
    /// messages (`flood 1` … `flood N`) from that member of the room, straight in the store, and hands
    /// their `post` activities to the sockets as fast as they go; the router answers
    /// `{"count":N,"firstId","lastId"}` (Hydra message ids) once every socket has written them. Webhooks
    /// fire as usual (no work when there are none). For benchmarks of event latency and throughput.
    func controlMercuryFlood(_ body: JSONBody, host: String) throws(APIError) -> Reply {
        guard let sender = try optionalPerson(body) else { throw APIError.badRequest("email is required.") }
        guard let roomId = try body.nonEmptyString("roomId") else { throw APIError.badRequest("roomId is required.") }
        guard let count = try body.int("count"), (1...1_000_000).contains(count) else {
            throw APIError.badRequest("count must be an integer from 1 to 1000000.")
        }
        let room = try visibleRoom(id: roomId, viewer: sender)
        let baseURL = "http://\(host)/v1"
        var first: Message?
        var last: Message?
        for i in 1...count {
            let now = WebexDate.now()
            let message = Message(
                uuid: HydraID.newUUID(), seq: nextSeq(), roomUUID: room.uuid, personUUID: sender.uuid, parentUUID: nil,
                text: "flood \(i)", markdown: nil, html: nil, contentUUIDs: [], attachments: [], mentionedPeople: [],
                mentionedGroups: [], toPersonUUID: nil, toPersonEmail: nil, created: now, updated: nil, editCount: 0)
            messages[message.uuid] = message
            rooms[room.uuid]?.lastActivity = now
            markSeen(message, by: sender.uuid)
            emit(.created, .message(message, baseURL: baseURL), actor: sender)
            publishMessageCreated(message, actor: sender)
            if first == nil { first = message }
            last = message
        }
        return .json(["count": .int(count), "firstId": .string(first?.id ?? ""), "lastId": .string(last?.id ?? "")])
    }

    /// The person named by the body's optional `email` (404 when nobody has it).
    private func optionalPerson(_ body: JSONBody) throws(APIError) -> Person? {
        guard let email = try body.nonEmptyString("email") else { return nil }
        guard let p = person(email: email) else { throw APIError.notFound("Nobody has the email \(email).") }
        return p
    }
}
