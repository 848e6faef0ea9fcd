import ArgumentParser
import WebexSDK

/// Exit codes (DESIGN.md, documented in the man page).
enum ExitCodeValue: Int32 {
    case ok = 0
    case failure = 1
    case usage = 2
    case auth = 3
    case notFound = 4
    case rateLimited = 5
    /// `--timeout` ran out (as timeout(1) does).
    case timedOut = 124
    case interrupted = 130
}

/// Errors raised by the CLI itself, each with its exit status.
enum CLIError: Error, CustomStringConvertible {
    case usage(String)
    case notFound(String)
    case failure(String)

    var description: String {
        switch self { case .usage(let m), .notFound(let m), .failure(let m): m }
    }
    var status: ExitCodeValue {
        switch self { case .usage: .usage; case .notFound: .notFound; case .failure: .failure }
    }
}

/// How an error is shown and which exit status it gives.
enum ErrorReport {
    static func status(for error: any Error) -> ExitCodeValue {
        switch error {
        case let e as CLIError: return e.status
        case let e as WebexError:
            switch e {
            case .missingToken, .authExpired: return .auth
            case .notFound: return .notFound
            case .invalidArgument, .insecureURL: return .usage
            case .api(let api):
                switch api.status {
                case 401: return .auth
                case 404: return .notFound
                case 429: return .rateLimited
                default: return .failure
                }
            case .transport, .invalidResponse, .disconnected, .notPermitted: return .failure
            }
        default: return .failure
        }
    }

    /// `error: …` plus hints saying what to do next.
    static func message(for error: any Error) -> String {
        var lines: [String]
        switch error {
        case let e as WebexError:
            switch e {
            case .api(let api):
                lines = ["error: \(api.description)"]
                switch api.status {
                case 401: lines.append("hint: the access token was refused; `webex auth status` shows which one is used (log in again with `webex auth login`; personal tokens from developer.webex.com expire after 12 hours)")
                case 403: lines.append("hint: your account is not allowed to do this (moderator rights, a locked room, or a bot limit)")
                case 404: lines.append("hint: check the ID; you only see rooms and messages of rooms you are a member of")
                case 429: lines.append("hint: Webex is rate limiting this token; wait a minute and try again")
                case 500...599: lines.append("hint: Webex had a problem; try again later and quote the trackingId if it persists")
                default: break
                }
            case .missingToken(let m): lines = ["error: \(m)"]
            case .transport(let t):
                lines = ["error: \(e.description)"]
                if t.kind == .couldNotConnect { lines.append("hint: check the network, the proxy settings (https_proxy, no_proxy) and WEBEX_BASE_URL") }
                if t.kind == .tls { lines.append("hint: the server's certificate was not trusted; add your CA with --ca-bundle FILE or WEBEX_CA_BUNDLE") }
            default: lines = ["error: \(e.description)"]
            }
        case let e as CLIError: lines = ["error: \(e.description)"]
        default: lines = ["error: \(error)"]
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
