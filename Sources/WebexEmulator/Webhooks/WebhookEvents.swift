import Foundation

/// The object an event is about.
enum EventObject: Sendable {
    /// `baseURL` (`http://<host>/v1` of the request that caused it) is used for `files` URLs.
    case message(Message, baseURL: String)
    case membership(Membership)
    case room(Room)
    case attachmentAction(AttachmentAction)

    var resource: WebhookResource {
        switch self {
        case .message: return .messages
        case .membership: return .memberships
        case .room: return .rooms
        case .attachmentAction: return .attachmentActions
        }
    }

    var roomUUID: String {
        switch self {
        case .message(let m, _): return m.roomUUID
        case .membership(let m): return m.roomUUID
        case .room(let r): return r.uuid
        case .attachmentAction(let a): return a.roomUUID
        }
    }
}

/// Turning state changes into webhook deliveries (reference §2.6, §4).
extension EmulatorStore {
    /// Queues a delivery for every active webhook that matches the event: its owner may see the object
    /// (is in `audience`, by default the room's current members; a bot gets group-room `messages`
    /// events only for messages that mention it), its resource and event match (`all` matches
    /// anything) and its filter matches. Returns at once; delivery happens in the background.
    func emit(_ event: WebhookEventName, _ object: EventObject, actor: Person, audience: Set<String>? = nil) {
        guard !webhooks.isEmpty else { return }
        let resource = object.resource
        let audience = audience ?? Set(memberships[object.roomUUID, default: [:]].keys)
        let fields = filterFields(object)
        let candidates = webhooks.values.filter { w in
            w.status == .active && (w.resource == .all || w.resource == resource) && (w.event == .all || w.event == event)
                && audience.contains(w.ownerUUID)
        }.sorted { $0.seq < $1.seq }
        for webhook in candidates {
            guard let owner = people[webhook.ownerUUID] else { continue }
            if case .message(let m, _) = object, owner.type == .bot, rooms[m.roomUUID]?.type == .group,
                !m.mentionedPeople.contains(owner.uuid)
            {
                continue
            }
            guard Self.filtersMatch(webhook.filters, fields) else { continue }
            var envelope = JSONObjectBuilder()
            envelope.set("id", webhook.id)
            envelope.set("name", webhook.name)
            envelope.set("targetUrl", webhook.targetUrl)
            envelope.set("resource", resource.rawValue)
            envelope.set("event", event.rawValue)
            envelope.set("filter", webhook.filter)
            envelope.set("orgId", orgId)
            envelope.set("createdBy", HydraID.encode(.people, webhook.ownerUUID))
            envelope.set("appId", Self.appId)
            envelope.set("ownedBy", "creator")
            envelope.set("status", webhook.status.rawValue)
            envelope.set("created", WebexDate.format(webhook.created))
            envelope.set("actorId", actor.id)
            envelope.set("data", eventData(object, for: owner))
            let body = envelope.value.serializedBytes()
            let signature = webhook.secret.map { WebhookSignature.sign(secret: $0, body: body) }
            dispatcher.enqueue(
                DeliveryJob(
                    webhookUUID: webhook.uuid, targetUrl: webhook.targetUrl, resource: resource.rawValue,
                    event: event.rawValue, body: body, signature: signature),
                store: self)
        }
    }

    /// `data` of a delivery. Messages carry no text (reference §4.1): clients GET the message.
    /// Attachment actions carry no `inputs` (likewise: GET the action).
    private func eventData(_ object: EventObject, for owner: Person) -> JSONValue {
        switch object {
        case .message(let m, let baseURL):
            var b = JSONObjectBuilder()
            b.set("id", m.id)
            b.set("roomId", HydraID.encode(.room, m.roomUUID))
            b.set("roomType", rooms[m.roomUUID]?.type.rawValue)
            b.set("personId", HydraID.encode(.people, m.personUUID))
            b.set("personEmail", people[m.personUUID]?.email)
            if !m.mentionedPeople.isEmpty {
                b.set("mentionedPeople", .array(m.mentionedPeople.map { .string(HydraID.encode(.people, $0)) }))
            }
            if !m.contentUUIDs.isEmpty {
                b.set("files", .array(m.contentUUIDs.map { .string("\(baseURL)/contents/\(HydraID.encode(.content, $0))") }))
            }
            b.set("created", WebexDate.format(m.created))
            return b.value
        case .membership(let m):
            return render(membership: m)
        case .room(let r):
            return render(room: r, for: owner)
        case .attachmentAction(let a):
            var b = JSONObjectBuilder()
            b.set("id", a.id)
            b.set("type", a.type)
            b.set("messageId", HydraID.encode(.message, a.messageUUID))
            b.set("personId", HydraID.encode(.people, a.personUUID))
            b.set("roomId", HydraID.encode(.room, a.roomUUID))
            b.set("created", WebexDate.format(a.created))
            return b.value
        }
    }

    /// The values filters are matched against, normalized like `WebhookFilter` values.
    /// `mentionedPeople` holds every mentioned uuid, separated by commas.
    private func filterFields(_ object: EventObject) -> [String: String] {
        func bool(_ b: Bool) -> String { b ? "true" : "false" }
        switch object {
        case .message(let m, _):
            return [
                "roomId": m.roomUUID, "roomType": rooms[m.roomUUID]?.type.rawValue ?? "", "personId": m.personUUID,
                "personEmail": people[m.personUUID]?.email.lowercased() ?? "",
                "mentionedPeople": m.mentionedPeople.joined(separator: ","), "hasFiles": bool(!m.contentUUIDs.isEmpty),
            ]
        case .membership(let m):
            return [
                "roomId": m.roomUUID, "personId": m.personUUID, "personEmail": people[m.personUUID]?.email.lowercased() ?? "",
                "isModerator": bool(m.isModerator),
            ]
        case .room(let r):
            // `roomId` is not a documented rooms filter; it is here so a firehose filtered by roomId also
            // sees that room's own events.
            return ["type": r.type.rawValue, "isLocked": bool(r.isLocked), "roomId": r.uuid]
        case .attachmentAction(let a):
            return ["messageId": a.messageUUID, "personId": a.personUUID, "roomId": a.roomUUID]
        }
    }

    /// Every filter must hold; a key the event does not have (firehose filters) does not match.
    static func filtersMatch(_ filters: [WebhookFilter], _ fields: [String: String]) -> Bool {
        filters.allSatisfy { f in
            guard let actual = fields[f.key] else { return false }
            if f.key == "mentionedPeople" { return actual.split(separator: ",").contains { $0 == f.value } }
            return actual == f.value
        }
    }

    /// Parses and checks `key=value(&key=value)*` for `resource` as `owner` (reference §2.6): a key the
    /// resource does not know, a malformed value, or an id the owner cannot access is a 400
    /// `invalid value for filter: <key>`.
    func parseFilter(_ raw: String, resource: WebhookResource, owner: Person) throws(APIError) -> [WebhookFilter] {
        var result: [WebhookFilter] = []
        for piece in raw.split(separator: "&", omittingEmptySubsequences: false) {
            let kv = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(kv[0]).trimmingCharacters(in: .whitespaces)
            func invalid() -> APIError { APIError.badRequest("invalid value for filter: \(key.isEmpty ? String(piece) : key)") }
            guard kv.count == 2, !key.isEmpty else { throw invalid() }
            let value = (String(kv[1]).removingPercentEncoding ?? String(kv[1])).trimmingCharacters(in: .whitespaces)
            guard !value.isEmpty, !result.contains(where: { $0.key == key }) else { throw invalid() }
            guard let known = resource.filterKeys else {
                // A resource the emulator never fires: kept as given.
                result.append(WebhookFilter(key: key, value: value))
                continue
            }
            guard known.contains(key) else { throw invalid() }
            let normalized: String?
            switch key {
            case "roomId":
                normalized = HydraID.uuid(from: value, as: .room).flatMap { isMember(owner.uuid, $0) ? $0 : nil }
            case "personId":
                normalized = person(id: value)?.uuid
            case "personEmail":
                normalized = value.contains("@") ? value.lowercased() : nil
            case "mentionedPeople":
                normalized = value == "me" ? owner.uuid : person(id: value)?.uuid
            case "messageId":
                normalized = HydraID.uuid(from: value, as: .message).flatMap { uuid in
                    messages[uuid].flatMap { canSee($0, viewer: owner) ? uuid : nil }
                }
            case "roomType", "type":
                normalized = RoomType(rawValue: value)?.rawValue
            case "hasFiles", "isModerator", "isLocked":
                normalized = ["true", "false"].contains(value.lowercased()) ? value.lowercased() : nil
            default:
                normalized = nil
            }
            guard let normalized else { throw invalid() }
            result.append(WebhookFilter(key: key, value: normalized))
        }
        return result
    }

    /// The `appId` of everything the emulator's tokens create: one emulated application.
    static let appId = HydraID.encode(.application, HydraID.stableUUID("application:webex-emulator"))

    // MARK: Dispatcher callbacks

    func webhookAcceptsDeliveries(_ webhookUUID: String) -> Bool {
        webhooks[webhookUUID]?.status == .active
    }

    /// Logs one attempt; when `finished`, settles the delivery: a success clears the failure count, a
    /// delivery whose attempts are used up counts one failure and may make the webhook inactive.
    func recordDeliveryAttempt(
        _ job: DeliveryJob, attempt: Int, status: Int?, error: String?, delivered: Bool, finished: Bool
    ) {
        deliveries.append(
            DeliveryRecord(
                webhookUUID: job.webhookUUID, targetUrl: job.targetUrl, resource: job.resource, event: job.event,
                attempt: attempt, status: status, error: error, delivered: delivered, at: WebexDate.now()))
        if deliveries.count > Self.deliveryLogLimit { deliveries.removeFirst(deliveries.count - Self.deliveryLogLimit) }
        guard finished, var webhook = webhooks[job.webhookUUID] else { return }
        if delivered {
            webhook.consecutiveFailures = 0
        } else {
            webhook.consecutiveFailures += 1
            if webhook.consecutiveFailures >= deliverySettings.failuresBeforeInactive { webhook.status = .inactive }
        }
        webhooks[webhook.uuid] = webhook
    }
}
