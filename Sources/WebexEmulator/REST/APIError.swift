import Foundation
import Hummingbird

/// An error answered with the Webex error body
/// `{"message":"…","errors":[{"description":"…"}],"trackingId":"…"}` (reference §1.4).
public struct APIError: Error, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var message: String
    public var headers: [(String, String)] = []
    /// An OAuth error code (`invalid_grant`, `authorization_pending` …): when set, the body also carries
    /// `error` and `error_description` (RFC 6749 §5.2) next to the Webex fields.
    public var oauthError: String? = nil
    /// `errors[0].description` when it should differ from `message` (device polling puts the code there).
    public var errorDescription: String? = nil
    /// A body answered instead of the Webex shape (plus `trackingId`): meeting info (wbxappapi) errors are
    /// `{"code":403004,"message":…,"data":{…}}`, Locus errors `{"errorCode":2403101,"message":…}`.
    public var customBody: [String: JSONValue]? = nil

    public init(_ status: HTTPResponse.Status, _ message: String, headers: [(String, String)] = []) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    public var description: String { "\(status.code) \(message)" }

    static func badRequest(_ message: String) -> APIError { APIError(.badRequest, message) }
    static func notFound(_ message: String = "The requested resource could not be found.") -> APIError {
        APIError(.notFound, message)
    }
    static func forbidden(_ message: String) -> APIError { APIError(.forbidden, message) }
    static let unauthorized = APIError(
        .unauthorized, "The request requires a valid access token set in the Authorization request header.")

    /// An OAuth error answered with both shapes, e.g. 400 `invalid_grant`.
    static func oauth(
        _ status: HTTPResponse.Status, _ error: String, _ message: String, descriptionIsCode: Bool = false,
        headers: [(String, String)] = []
    ) -> APIError {
        var e = APIError(status, message, headers: headers)
        e.oauthError = error
        if descriptionIsCode { e.errorDescription = error }
        return e
    }

    /// A meeting-info (wbxappapi) error: `{"code":<code>,"message":…}` plus `extra` members.
    static func wbxappapi(
        _ status: HTTPResponse.Status, code: Int, _ message: String, extra: [String: JSONValue] = [:]
    ) -> APIError {
        var e = APIError(status, message)
        var body = extra
        body["code"] = .int(code)
        body["message"] = .string(message)
        e.customBody = body
        return e
    }

    /// A Locus error: `{"errorCode":<code>,"message":…}` (reference §3.1; JSSDK reads `body.errorCode`).
    static func locus(_ status: HTTPResponse.Status, errorCode: Int, _ message: String) -> APIError {
        var e = APIError(status, message)
        e.customBody = ["errorCode": .int(errorCode), "message": .string(message)]
        return e
    }

    func body(trackingId: String) -> JSONValue {
        if var custom = customBody {
            custom["trackingId"] = .string(trackingId)
            return .object(custom)
        }
        var members: [String: JSONValue] = [
            "message": .string(message),
            "errors": [["description": .string(errorDescription ?? message)]],
            "trackingId": .string(trackingId),
        ]
        if let oauthError {
            members["error"] = .string(oauthError)
            members["error_description"] = .string(message)
        }
        return .object(members)
    }

    /// A default message for a bare status (used by injected faults).
    static func standardMessage(for code: Int) -> String {
        switch code {
        case 400: return "The request was invalid or cannot be otherwise served."
        case 401: return "The request requires a valid access token set in the Authorization request header."
        case 403: return "The server understood the request, but refused to fulfill it."
        case 404: return "The requested resource could not be found."
        case 405: return "The request was made to a resource using an HTTP request method that is not supported."
        case 409: return "The request could not be processed because it conflicts with some established rule of the system."
        case 410: return "The requested resource is no longer available."
        case 413: return "The request is larger than the server is willing or able to process."
        case 415: return "The request was made to a resource without specifying a media type or used a media type that is not supported."
        case 423: return "The requested resource is temporarily unavailable."
        case 428: return "File(s) cannot be scanned for malware and need to be force downloaded."
        case 429: return "Too many requests have been sent in a given amount of time and the request has been rate limited."
        case 500: return "Something went wrong on the server."
        case 502: return "The server received an invalid response from an upstream server while processing the request."
        case 503: return "Server is overloaded with requests. Try again later."
        case 504: return "An upstream server failed to respond on time."
        default: return "HTTP \(code)"
        }
    }
}
