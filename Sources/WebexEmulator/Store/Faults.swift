import Foundation

/// Glob matching where `*` stands for any run of characters (including `/` and the empty string) and
/// every other character matches itself.
public enum Glob {
    public static func matches(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.unicodeScalars)
        let t = Array(text.unicodeScalars)
        var pi = 0
        var ti = 0
        var starP = -1
        var starT = 0
        while ti < t.count {
            if pi < p.count && p[pi] == "*" {
                starP = pi
                starT = ti
                pi += 1
            } else if pi < p.count && p[pi] == t[ti] {
                pi += 1
                ti += 1
            } else if starP >= 0 {
                pi = starP + 1
                starT += 1
                ti = starT
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}

/// An injected failure for API requests (`/v1`, `/u2c/api/v1`, `/conversation/api/v1`; control API
/// `POST /_emulator/faults`).
public struct Fault: Sendable, Equatable {
    public var id: String
    /// HTTP method to match, upper-case, or `*`.
    public var method: String
    /// Glob over the request path without the query.
    public var path: String
    /// Status to answer with; nil means the fault only delays (or drops) the request.
    public var status: Int?
    public var retryAfter: Int?
    public var delayMs: Int
    public var drop: Bool
    /// How many more matching requests this fault applies to.
    public var remaining: Int
    public var afterHandling: Bool

    public init(
        id: String = UUID().uuidString.lowercased(), method: String = "*", path: String = "*", status: Int? = 503,
        retryAfter: Int? = nil, delayMs: Int = 0, drop: Bool = false, count: Int = 1, afterHandling: Bool = false
    ) {
        self.id = id
        self.method = method.uppercased()
        self.path = path
        self.status = status
        self.retryAfter = retryAfter
        self.delayMs = delayMs
        self.drop = drop
        self.remaining = count
        self.afterHandling = afterHandling
    }

    public func matches(method requestMethod: String, path requestPath: String) -> Bool {
        guard remaining > 0 else { return false }
        guard method == "*" || method == requestMethod.uppercased() else { return false }
        return Glob.matches(path, requestPath)
    }

    /// Parses the control API body. Rules: `status` defaults to 503, except that a fault which only
    /// asks for `delayMs` (no `status`, no `retryAfter`, no `drop`) is a pure delay and then lets the
    /// request through.
    static func parse(_ body: JSONValue) throws(APIError) -> Fault {
        guard case .object(let o) = body else { throw APIError.badRequest("The fault must be a JSON object.") }
        func string(_ key: String) throws(APIError) -> String? {
            guard let v = o[key], !v.isNull else { return nil }
            guard let s = v.stringValue else { throw APIError.badRequest("\(key) must be a string.") }
            return s
        }
        func int(_ key: String) throws(APIError) -> Int? {
            guard let v = o[key], !v.isNull else { return nil }
            guard let i = v.intValue else { throw APIError.badRequest("\(key) must be an integer.") }
            return i
        }
        func bool(_ key: String) throws(APIError) -> Bool? {
            guard let v = o[key], !v.isNull else { return nil }
            guard let b = v.boolValue else { throw APIError.badRequest("\(key) must be a boolean.") }
            return b
        }
        let method = try string("method") ?? "*"
        let path = try string("path") ?? "*"
        let explicitStatus = try int("status")
        let retryAfter = try int("retryAfter")
        let delayMs = try int("delayMs") ?? 0
        let drop = try bool("drop") ?? false
        let count = try int("count") ?? 1
        let afterHandling = try bool("afterHandling") ?? false
        if let s = explicitStatus, !(100...599).contains(s) { throw APIError.badRequest("status must be 100–599.") }
        guard delayMs >= 0 else { throw APIError.badRequest("delayMs must not be negative.") }
        guard count >= 1 else { throw APIError.badRequest("count must be at least 1.") }
        if let r = retryAfter, r < 0 { throw APIError.badRequest("retryAfter must not be negative.") }
        let pureDelay = explicitStatus == nil && retryAfter == nil && !drop && delayMs > 0
        let status: Int? = drop ? explicitStatus : (explicitStatus ?? (pureDelay ? nil : 503))
        return Fault(
            method: method, path: path, status: status, retryAfter: retryAfter, delayMs: delayMs, drop: drop,
            count: count, afterHandling: afterHandling)
    }

    var json: JSONValue {
        var b = JSONObjectBuilder()
        b.set("id", id)
        b.set("method", method)
        b.set("path", path)
        b.set("status", status.map { JSONValue.int($0) })
        b.set("retryAfter", retryAfter.map { JSONValue.int($0) })
        b.set("delayMs", .int(delayMs))
        b.set("drop", drop)
        b.set("count", .int(remaining))
        b.set("afterHandling", afterHandling)
        return b.value
    }
}

/// Faults in the order they were added; a request consumes one use of the oldest matching fault.
struct FaultList: Sendable {
    private(set) var faults: [Fault] = []

    mutating func add(_ fault: Fault) { faults.append(fault) }
    mutating func removeAll() { faults.removeAll() }

    mutating func take(method: String, path: String) -> Fault? {
        guard let i = faults.firstIndex(where: { $0.matches(method: method, path: path) }) else { return nil }
        let fault = faults[i]
        faults[i].remaining -= 1
        if faults[i].remaining <= 0 { faults.remove(at: i) }
        return fault
    }
}
