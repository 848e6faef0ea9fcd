import Foundation

/// `/v1/webhooks` (reference §2.6). Deliveries: `Webhooks/`.
extension EmulatorStore {
    /// `GET /webhooks?max=`: the caller's webhooks, oldest first.
    func listWebhooks(_ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        let size = try PageSize.parse(req.query, default: PageSize.otherDefault)
        let cursor = try PageCursor.from(req.query)
        let mine = webhooks.values.filter { $0.ownerUUID == viewer.uuid }
        let page = Paginator.page(
            mine, key: { PageCursor(primary: "", seq: $0.seq) }, order: PageOrder(descending: false), after: cursor,
            size: size)
        return .list(ListReply(items: page.items.map { render(webhook: $0) }, next: page.next))
    }

    static func validTargetURL(_ s: String) -> Bool {
        guard let url = URL(string: s), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else { return false }
        return true
    }

    /// `POST /webhooks {name, targetUrl, resource, event, filter?, secret?, ownedBy?}`.
    func createWebhook(_ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        let body = try req.json()
        guard let name = try body.nonEmptyString("name") else { throw APIError.badRequest("name is required.") }
        guard let targetUrl = try body.nonEmptyString("targetUrl") else { throw APIError.badRequest("targetUrl is required.") }
        guard Self.validTargetURL(targetUrl) else {
            throw APIError.badRequest("targetUrl must be an http or https URL (got '\(targetUrl)').")
        }
        guard let resourceName = try body.nonEmptyString("resource") else { throw APIError.badRequest("resource is required.") }
        guard let resource = WebhookResource(rawValue: resourceName) else {
            throw APIError.badRequest(
                "Invalid value for resource: '\(resourceName)'. Use one of "
                    + WebhookResource.allCases.map(\.rawValue).joined(separator: ", ") + ".")
        }
        guard let eventName = try body.nonEmptyString("event") else { throw APIError.badRequest("event is required.") }
        guard let event = WebhookEventName(rawValue: eventName) else {
            throw APIError.badRequest(
                "Invalid value for event: '\(eventName)'. Use one of "
                    + WebhookEventName.allCases.map(\.rawValue).joined(separator: ", ") + ".")
        }
        if let ownedBy = try body.string("ownedBy"), ownedBy != "creator" {
            // [U] Org-wide webhooks need an admin token and org-wide events; the emulator has neither.
            throw APIError.badRequest("Invalid value for ownedBy: '\(ownedBy)'. The emulator supports only 'creator'.")
        }
        var filter = try body.string("filter")
        if filter?.trimmingCharacters(in: .whitespaces).isEmpty == true { filter = nil }
        let filters = try filter.map { raw throws(APIError) in try parseFilter(raw, resource: resource, owner: viewer) } ?? []
        var secret = try body.string("secret")
        if secret?.isEmpty == true { secret = nil }
        let webhook = Webhook(
            uuid: HydraID.newUUID(), seq: nextSeq(), ownerUUID: viewer.uuid, name: name, targetUrl: targetUrl,
            resource: resource, event: event, filter: filter, filters: filters, secret: secret, status: .active,
            created: WebexDate.now())
        webhooks[webhook.uuid] = webhook
        return .json(render(webhook: webhook))
    }

    private func ownWebhook(id: String, viewer: Person) throws(APIError) -> Webhook {
        guard let uuid = HydraID.uuid(from: id, as: .webhook), let w = webhooks[uuid], w.ownerUUID == viewer.uuid else {
            throw APIError.notFound()
        }
        return w
    }

    func getWebhook(id: String, viewer: Person) throws(APIError) -> Reply {
        .json(render(webhook: try ownWebhook(id: id, viewer: viewer)))
    }

    /// `PUT /webhooks/{id}`: only `name`, `targetUrl`, `secret` and `status` (`active`|`inactive`) are
    /// honoured; anything else is ignored. Re-activating clears the failure count.
    func updateWebhook(id: String, _ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        var webhook = try ownWebhook(id: id, viewer: viewer)
        let body = try req.json()
        if let name = try body.nonEmptyString("name") { webhook.name = name }
        if let targetUrl = try body.nonEmptyString("targetUrl") {
            guard Self.validTargetURL(targetUrl) else {
                throw APIError.badRequest("targetUrl must be an http or https URL (got '\(targetUrl)').")
            }
            webhook.targetUrl = targetUrl
        }
        if let secret = try body.string("secret") { webhook.secret = secret.isEmpty ? nil : secret }
        if let statusName = try body.string("status") {
            guard let status = WebhookStatus(rawValue: statusName) else {
                throw APIError.badRequest("Invalid value for status: '\(statusName)'. Use 'active' or 'inactive'.")
            }
            if status == .active && webhook.status != .active { webhook.consecutiveFailures = 0 }
            webhook.status = status
        }
        webhooks[webhook.uuid] = webhook
        return .json(render(webhook: webhook))
    }

    func deleteWebhook(id: String, viewer: Person) throws(APIError) -> Reply {
        let webhook = try ownWebhook(id: id, viewer: viewer)
        webhooks[webhook.uuid] = nil
        dispatcher.remove(webhookUUID: webhook.uuid)
        return .noContent
    }
}
