import Foundation
import Hummingbird

/// A `/v1` request as the endpoint functions see it: already authenticated elsewhere, body collected.
struct APIRequest: Sendable {
    var method: String
    /// Path as received, without the query.
    var path: String
    /// Path components after `/v1`, empty components removed (so `/v1/people/` equals `/v1/people`).
    var segments: [String]
    var query: Query
    var headers: HTTPFields
    var body: [UInt8]
    /// `Host` of the request (falls back to the bound address), for absolute URLs.
    var host: String

    var baseURL: String { "http://\(host)/v1" }

    var contentType: String? { headers[.contentType] }

    func json() throws(APIError) -> JSONBody { try JSONBody(body) }
}

/// What an endpoint answers; turned into a Hummingbird `Response` by the router.
enum Reply: Sendable {
    case json(JSONValue)
    case list(ListReply)
    case noContent
    case bytes(status: HTTPResponse.Status, headers: [(String, String)], body: [UInt8])
}

struct ListReply: Sendable {
    var items: [JSONValue]
    var next: PageCursor?
    var extra: [String: JSONValue] = [:]
}

/// A request body that must be a JSON object, with typed accessors that answer 400 on a wrong type.
/// `null` counts as absent.
struct JSONBody: Sendable {
    let members: [String: JSONValue]

    init(_ bytes: [UInt8]) throws(APIError) {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            members = [:]
            return
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            throw APIError.badRequest("The request body is not valid JSON.")
        }
        guard case .object(let o) = value else { throw APIError.badRequest("The request body must be a JSON object.") }
        members = o
    }

    init(members: [String: JSONValue]) { self.members = members }

    func has(_ key: String) -> Bool {
        if let v = members[key], !v.isNull { return true }
        return false
    }

    func string(_ key: String) throws(APIError) -> String? {
        guard let v = members[key], !v.isNull else { return nil }
        guard let s = v.stringValue else { throw APIError.badRequest("\(key) must be a string.") }
        return s
    }

    /// A string that, when present, must not be empty or blank.
    func nonEmptyString(_ key: String) throws(APIError) -> String? {
        guard let s = try string(key) else { return nil }
        guard !s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw APIError.badRequest("\(key) must not be empty.")
        }
        return s
    }

    func bool(_ key: String) throws(APIError) -> Bool? {
        guard let v = members[key], !v.isNull else { return nil }
        guard let b = v.boolValue else { throw APIError.badRequest("\(key) must be a boolean.") }
        return b
    }

    func int(_ key: String) throws(APIError) -> Int? {
        guard let v = members[key], !v.isNull else { return nil }
        guard let i = v.intValue else { throw APIError.badRequest("\(key) must be an integer.") }
        return i
    }

    func array(_ key: String) throws(APIError) -> [JSONValue]? {
        guard let v = members[key], !v.isNull else { return nil }
        guard let a = v.arrayValue else { throw APIError.badRequest("\(key) must be an array.") }
        return a
    }
}
