import Foundation
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends webhook deliveries in the background so an API answer never waits for one.
///
/// Each webhook has its own queue (an `AsyncStream` drained by one task), so its deliveries arrive in
/// the order the events happened, and a slow or failing target only holds up its own webhook. Before
/// every attempt the store is asked whether the webhook still exists and is active; each attempt is
/// recorded in the store's delivery log, and the outcome of each delivery goes back to the store, which
/// switches the webhook to `inactive` after too many failures in a row (`WebhookDeliverySettings`).
final class WebhookDispatcher: Sendable {
    static let userAgent = "webex-emulator-webhooks/1.0"

    private struct Queue: Sendable {
        var continuation: AsyncStream<DeliveryJob>.Continuation
        var task: Task<Void, Never>
    }

    private let queues = Mutex<[String: Queue]>([:])

    /// Queues `job` behind the webhook's earlier deliveries. Returns at once.
    func enqueue(_ job: DeliveryJob, store: EmulatorStore) {
        queues.withLock { queues in
            if let queue = queues[job.webhookUUID] {
                queue.continuation.yield(job)
                return
            }
            let (stream, continuation) = AsyncStream.makeStream(of: DeliveryJob.self)
            let task = Task { [weak store] in
                for await job in stream {
                    guard let store, !Task.isCancelled else { return }
                    await Self.deliver(job, store: store)
                }
            }
            continuation.yield(job)
            queues[job.webhookUUID] = Queue(continuation: continuation, task: task)
        }
    }

    /// Drops the queue of a deleted webhook (what is queued is skipped, the sender task ends).
    func remove(webhookUUID: String) {
        let queue = queues.withLock { $0.removeValue(forKey: webhookUUID) }
        queue?.continuation.finish()
    }

    /// Stops every queue and in-flight delivery (reset, server shutdown).
    func cancelAll() {
        let all = queues.withLock { queues in
            defer { queues.removeAll() }
            return Array(queues.values)
        }
        for queue in all {
            queue.continuation.finish()
            queue.task.cancel()
        }
    }

    deinit {
        cancelAll()
    }

    private static func deliver(_ job: DeliveryJob, store: EmulatorStore) async {
        let settings = await store.deliverySettings
        let attempts = max(1, settings.maxAttempts)
        for attempt in 1...attempts {
            guard !Task.isCancelled, await store.webhookAcceptsDeliveries(job.webhookUUID) else { return }
            let outcome = await post(job, timeoutMs: settings.timeoutMs)
            guard !Task.isCancelled else { return }
            let last = outcome.delivered || attempt == attempts
            await store.recordDeliveryAttempt(
                job, attempt: attempt, status: outcome.status, error: outcome.error, delivered: outcome.delivered,
                finished: last)
            if last { return }
            let delay = Double(settings.retryBaseMs) * pow(2, Double(attempt - 1))
            try? await Task.sleep(for: .milliseconds(Int(min(delay, 3_600_000))))
        }
    }

    private struct Outcome {
        var status: Int?
        var error: String?
        var delivered: Bool
    }

    private static func post(_ job: DeliveryJob, timeoutMs: Int) async -> Outcome {
        guard let url = URL(string: job.targetUrl) else {
            return Outcome(status: nil, error: "invalid targetUrl", delivered: false)
        }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = Data(job.body)
        request.timeoutInterval = Double(timeoutMs) / 1000
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(userAgent, forHTTPHeaderField: "User-Agent")
        if let signature = job.signature {
            request.setValue(signature, forHTTPHeaderField: WebhookSignature.header)
        }
        do {
            let (_, response) = try await URLSession.shared.data(for: request)
            guard let http = response as? HTTPURLResponse else {
                return Outcome(status: nil, error: "not an HTTP response", delivered: false)
            }
            let ok = (200..<300).contains(http.statusCode)
            return Outcome(status: http.statusCode, error: ok ? nil : "HTTP \(http.statusCode)", delivered: ok)
        } catch {
            return Outcome(status: nil, error: error.localizedDescription, delivered: false)
        }
    }
}
