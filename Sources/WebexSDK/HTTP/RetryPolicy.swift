import Foundation

/// What the client does after a failed attempt. Pure and deterministic apart from jitter, so tests can
/// check every decision.
///
/// - 429: always retried (the server refused the request, so even a POST is safe to repeat), after
///   `Retry-After` seconds — `defaultRetryAfter` when the header is missing or unreadable, never more than
///   `maxRetryAfter`.
/// - 502, 503, 504 and a lost connection: retried with exponential backoff only for idempotent methods
///   (GET, HEAD, PUT, DELETE). A POST that may have reached the server is never repeated: no duplicate
///   messages.
/// - A connection that could not be made at all: retried for every method (nothing was sent).
public struct RetryPolicy: Sendable {
    /// Total attempts, the first included.
    public var maxAttempts: Int = 4
    /// Seconds to wait on a 429 without a usable `Retry-After` (PYSDK uses 15; JSSDK 60 for identity).
    public var defaultRetryAfter: Double = 15
    /// Longest wait honoured from a `Retry-After` header.
    public var maxRetryAfter: Double = 60
    /// First backoff for 5xx and lost connections; doubles each attempt up to `maxBackoff`.
    public var baseBackoff: Double = 0.5
    public var maxBackoff: Double = 8
    /// Fraction of random jitter added to backoffs (0 disables, for tests).
    public var jitter: Double = 0.2

    public init() {}
    /// A policy that never retries.
    public static var none: RetryPolicy { var p = RetryPolicy(); p.maxAttempts = 1; return p }

    public enum Outcome: Sendable {
        case status(Int, retryAfter: String?)
        case transport(TransportError.Kind)
    }

    public enum Decision: Sendable, Equatable {
        case retry(after: Double, reason: String)
        case giveUp
    }

    /// `attempt` is the number of the attempt that just failed, starting at 1.
    public func decide(method: HTTPMethod, outcome: Outcome, attempt: Int) -> Decision {
        guard attempt < maxAttempts else { return .giveUp }
        switch outcome {
        case .status(429, let header):
            let wait = min(Self.parseRetryAfter(header) ?? defaultRetryAfter, maxRetryAfter)
            return .retry(after: max(0, wait), reason: "rate limited (429)")
        case .status(let code, let header) where [502, 503, 504].contains(code):
            guard method.isIdempotent else { return .giveUp }
            let wait = Self.parseRetryAfter(header).map { min($0, maxRetryAfter) } ?? backoff(attempt)
            return .retry(after: wait, reason: "server error (\(code))")
        case .status:
            return .giveUp
        case .transport(.couldNotConnect):
            return .retry(after: backoff(attempt), reason: "could not connect")
        case .transport(.connectionLost), .transport(.timedOut):
            guard method.isIdempotent else { return .giveUp }
            return .retry(after: backoff(attempt), reason: "connection lost")
        case .transport:
            return .giveUp
        }
    }

    func backoff(_ attempt: Int) -> Double {
        let base = min(baseBackoff * pow(2, Double(attempt - 1)), maxBackoff)
        return jitter > 0 ? base * (1 + Double.random(in: 0...jitter)) : base
    }

    /// `Retry-After` is either delay-seconds or an HTTP date (RFC 9110 §10.2.3).
    public static func parseRetryAfter(_ value: String?, now: Date = Date()) -> Double? {
        guard let raw = value?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        if let seconds = Double(raw) { return seconds >= 0 && seconds.isFinite ? seconds : nil }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = f.date(from: raw) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}
