import Foundation

/// An error answer from the Webex API, with everything needed to report it or ask support about it.
public struct APIError: Error, Sendable, CustomStringConvertible {
    public var status: Int
    public var method: HTTPMethod
    public var url: String
    /// Webex's top-level `message`.
    public var message: String?
    /// Each `errors[].description`.
    public var descriptions: [String]
    /// The `trackingId` from the body or the response header; quote it to Webex support.
    public var trackingId: String?
    public var retryAfter: String?
    /// An OAuth error code (`invalid_grant`, `authorization_pending` …) from token endpoints.
    public var oauthErrorCode: String?
    /// A numeric service code: Locus `errorCode`, meeting info `code` (e.g. 403004, 2403001).
    public var code: Int?
    /// The parsed error body, for services whose errors carry data (meeting info's partial info, captchas).
    public var body: JSONValue?

    public init(status: Int, method: HTTPMethod, url: String, message: String?, descriptions: [String],
                trackingId: String?, retryAfter: String? = nil, oauthErrorCode: String? = nil) {
        self.status = status; self.method = method; self.url = url; self.message = message
        self.descriptions = descriptions; self.trackingId = trackingId; self.retryAfter = retryAfter
        self.oauthErrorCode = oauthErrorCode
    }

    /// Builds the error from a response, reading the body shape `{"message","errors":[{"description"}],"trackingId"}`.
    public init(response: HTTPResponse, method: HTTPMethod, url: String) {
        var message: String?
        var descriptions: [String] = []
        var tracking = response.headers["trackingId"]
        var oauth: String?
        if let obj = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any] {
            for key in ["message", "error", "errorString", "msg"] {
                if let m = obj[key] as? String, !m.isEmpty { message = m; break }
            }
            if let errs = obj["errors"] as? [[String: Any]] {
                descriptions = errs.compactMap { $0["description"] as? String }.filter { !$0.isEmpty && $0 != message }
            }
            if let t = obj["trackingId"] as? String { tracking = t }
            oauth = obj["error"] as? String
            if message == nil, let d = obj["error_description"] as? String { message = d }
        }
        self.init(status: response.status, method: method, url: url, message: message, descriptions: descriptions,
                  trackingId: tracking, retryAfter: response.headers["Retry-After"], oauthErrorCode: oauth)
        if response.body.count < 65536, let json = try? JSONValue.parse(response.body), json.objectValue != nil {
            body = json
            code = json["errorCode"]?.intValue ?? json["code"]?.intValue
        }
    }

    public var statusText: String {
        HTTPStatus.reason(status).map { "\(status) \($0)" } ?? "\(status)"
    }

    public var description: String {
        var text = "\(method) \(Redact.url(url)): \(statusText)"
        if let message { text += ": \(message)" }
        for d in descriptions { text += " (\(d))" }
        if let trackingId { text += " [trackingId \(trackingId)]" }
        return text
    }
}

public enum HTTPStatus {
    public static func reason(_ code: Int) -> String? {
        switch code {
        case 400: "Bad Request"; case 401: "Unauthorized"; case 403: "Forbidden"; case 404: "Not Found"
        case 405: "Method Not Allowed"; case 409: "Conflict"; case 410: "Gone"; case 413: "Payload Too Large"
        case 415: "Unsupported Media Type"; case 423: "Locked"; case 428: "Precondition Required"
        case 429: "Too Many Requests"; case 500: "Internal Server Error"; case 502: "Bad Gateway"
        case 503: "Service Unavailable"; case 504: "Gateway Timeout"
        default: nil
        }
    }
}

/// Everything the SDK throws.
public enum WebexError: Error, Sendable, CustomStringConvertible {
    /// The API answered with an error status.
    case api(APIError)
    /// No usable answer came back.
    case transport(TransportError)
    /// No access token could be found; the text says where one can come from.
    case missingToken(String)
    /// A URL the client refuses to use (plain http to a non-loopback host, a foreign host for a token …).
    case insecureURL(String)
    /// The caller asked for something impossible; the text says what and how to fix it.
    case invalidArgument(String)
    /// Something named by the caller does not exist (a room title, a file …).
    case notFound(String)
    /// The API answered 2xx with a body this SDK cannot read.
    case invalidResponse(String)
    /// Stored credentials can no longer be refreshed; the text names the command that logs in again.
    case authExpired(String)
    /// A long-lived connection (the events websocket) ended for good; the text says why.
    case disconnected(String)
    /// The caller's role does not allow this (a meeting control without the host's rights); the text says
    /// who can.
    case notPermitted(String)

    public var description: String {
        switch self {
        case .api(let e): e.description
        case .transport(let e): "request failed: \(e.message) (\(Redact.url(e.url)))"
        case .missingToken(let m), .insecureURL(let m), .invalidArgument(let m), .notFound(let m), .authExpired(let m), .notPermitted(let m),
             .disconnected(let m): m
        case .invalidResponse(let m): "unexpected response: \(m)"
        }
    }

    public var httpStatus: Int? { if case .api(let e) = self { return e.status } else { return nil } }
}

/// Keeps secrets out of anything printed.
public enum Redact {
    /// Query parameters that can carry secrets are replaced by `REDACTED`.
    static let secretParams: Set<String> = ["access_token", "token", "code", "client_secret", "refresh_token", "password"]

    /// A request or response body safe to show: token, code and secret values are replaced, in JSON
    /// (`"access_token":"…"`) and in forms (`refresh_token=…`).
    public static func body(_ text: String) -> String {
        let keys = "access_token|refresh_token|token|client_secret|code|code_verifier|device_code|secret|password|jwt|permissionToken|pin|hostKey|passcode|captchaVerifyCode"
        var out = text
        let rules = [("(\"(?:\(keys))\"\\s*:\\s*)\"[^\"]*\"", "$1\"REDACTED\""), ("((?:^|&)(?:\(keys))=)[^&\\s]*", "$1REDACTED"),
                     ("(x-cisco-turn-password=)[^\"\\\\,\\]]*", "$1REDACTED")]
        for (pattern, template) in rules {
            if let re = try? NSRegularExpression(pattern: pattern) {
                out = re.stringByReplacingMatches(in: out, range: NSRange(out.startIndex..., in: out), withTemplate: template)
            }
        }
        return out
    }

    public static func url(_ string: String) -> String {
        guard var comps = URLComponents(string: string), let items = comps.queryItems, !items.isEmpty else { return string }
        comps.queryItems = items.map { secretParams.contains($0.name.lowercased()) ? URLQueryItem(name: $0.name, value: "REDACTED") : $0 }
        return comps.string ?? string
    }

    /// Header values safe to show: credentials are replaced.
    public static func header(_ name: String, _ value: String) -> String {
        switch name.lowercased() {
        case "authorization", "proxy-authorization":
            if let space = value.firstIndex(of: " ") { return String(value[..<space]) + " REDACTED" }
            return "REDACTED"
        case "cookie", "set-cookie", "x-spark-signature": return "REDACTED"
        default: return value
        }
    }
}
