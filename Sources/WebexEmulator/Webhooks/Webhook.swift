import Foundation

/// `resource` values a webhook may name (reference §2.6). The emulator fires events for `messages`,
/// `memberships`, `rooms` and `attachmentActions`; the others are accepted and stored but never fire.
enum WebhookResource: String, Sendable, CaseIterable {
    case attachmentActions, memberships, messages, rooms, meetings, recordings, meetingParticipants, meetingTranscripts
    case all

    /// Filter keys the emulator understands per resource (reference §2.6). nil: not validated (a
    /// resource the emulator never fires, so its filters are only checked for syntax).
    var filterKeys: Set<String>? {
        switch self {
        case .messages: return ["roomId", "roomType", "personId", "personEmail", "mentionedPeople", "hasFiles"]
        case .memberships: return ["roomId", "personId", "personEmail", "isModerator"]
        case .rooms: return ["type", "isLocked"]
        case .attachmentActions: return ["messageId", "personId", "roomId"]
        case .all:
            return Set(
                [WebhookResource.messages, .memberships, .rooms, .attachmentActions].flatMap { $0.filterKeys ?? [] })
        default: return nil
        }
    }
}

/// `event` values a webhook may name (reference §2.6).
enum WebhookEventName: String, Sendable, CaseIterable {
    case created, updated, deleted, started, ended, joined, left, migrated
    case all
}

enum WebhookStatus: String, Sendable {
    case active
    case inactive
}

/// One `key=value` of a webhook filter, with the value normalized for matching: ids become lower-case
/// uuids (`mentionedPeople=me` becomes the owner's uuid), emails lower-case, booleans `true`/`false`.
struct WebhookFilter: Sendable, Equatable {
    var key: String
    var value: String
}

struct Webhook: Sendable {
    var uuid: String
    var seq: Int
    var ownerUUID: String
    var name: String
    var targetUrl: String
    var resource: WebhookResource
    var event: WebhookEventName
    /// The filter exactly as given (echoed back), and its parsed form.
    var filter: String?
    var filters: [WebhookFilter]
    var secret: String?
    var status: WebhookStatus
    var created: Date
    /// Deliveries that failed (every attempt) in a row; reaching the threshold makes the webhook inactive.
    var consecutiveFailures: Int = 0

    var id: String { HydraID.encode(.webhook, uuid) }
}

/// How webhook deliveries are retried and when a failing webhook is switched off.
///
/// A delivery is one event for one webhook. It is attempted up to `maxAttempts` times; after attempt `n`
/// fails (connection error or non-2xx) the next one waits `retryBaseMs * 2^(n-1)` ms (500 → 0.5 s, 1 s,
/// 2 s). When `failuresBeforeInactive` deliveries in a row have used up all their attempts, the
/// webhook's status becomes `inactive` (reference §4.1 [U]: the real threshold is not published).
public struct WebhookDeliverySettings: Sendable, Equatable {
    public var retryBaseMs: Int
    public var maxAttempts: Int
    public var failuresBeforeInactive: Int
    /// Per-attempt HTTP timeout.
    public var timeoutMs: Int

    public init(retryBaseMs: Int = 500, maxAttempts: Int = 4, failuresBeforeInactive: Int = 5, timeoutMs: Int = 10_000) {
        self.retryBaseMs = retryBaseMs
        self.maxAttempts = maxAttempts
        self.failuresBeforeInactive = failuresBeforeInactive
        self.timeoutMs = timeoutMs
    }

    var json: JSONValue {
        [
            "webhookRetryBaseMs": .int(retryBaseMs), "webhookMaxAttempts": .int(maxAttempts),
            "webhookFailuresBeforeInactive": .int(failuresBeforeInactive), "webhookTimeoutMs": .int(timeoutMs),
        ]
    }

    /// Applies the members present in a control API body (`PUT /_emulator/settings`).
    mutating func update(from body: JSONBody) throws(APIError) {
        if let v = try body.int("webhookRetryBaseMs") {
            guard v >= 0 else { throw APIError.badRequest("webhookRetryBaseMs must not be negative.") }
            retryBaseMs = v
        }
        if let v = try body.int("webhookMaxAttempts") {
            guard v >= 1 else { throw APIError.badRequest("webhookMaxAttempts must be at least 1.") }
            maxAttempts = v
        }
        if let v = try body.int("webhookFailuresBeforeInactive") {
            guard v >= 1 else { throw APIError.badRequest("webhookFailuresBeforeInactive must be at least 1.") }
            failuresBeforeInactive = v
        }
        if let v = try body.int("webhookTimeoutMs") {
            guard v >= 1 else { throw APIError.badRequest("webhookTimeoutMs must be at least 1.") }
            timeoutMs = v
        }
    }
}

/// One attempt to deliver one event, as listed by `GET /_emulator/deliveries`.
struct DeliveryRecord: Sendable {
    var webhookUUID: String
    var targetUrl: String
    var resource: String
    var event: String
    var attempt: Int
    /// HTTP status of the answer; nil when no answer came (connection refused, timeout).
    var status: Int?
    var error: String?
    var delivered: Bool
    var at: Date

    var json: JSONValue {
        var b = JSONObjectBuilder()
        b.set("webhookId", HydraID.encode(.webhook, webhookUUID))
        b.set("targetUrl", targetUrl)
        b.set("resource", resource)
        b.set("event", event)
        b.set("attempt", .int(attempt))
        b.set("status", status.map { JSONValue.int($0) } ?? .null)
        b.set("error", error)
        b.set("delivered", delivered)
        b.set("at", WebexDate.format(at))
        return b.value
    }
}

/// A delivery ready to send: the exact body bytes and their signature are fixed when the event happens.
struct DeliveryJob: Sendable {
    var webhookUUID: String
    var targetUrl: String
    var resource: String
    var event: String
    var body: [UInt8]
    /// `X-Spark-Signature` value, when the webhook has a secret.
    var signature: String?
}
