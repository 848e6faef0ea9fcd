import COpenSSL
import Foundation

/// The opening handshake (RFC 6455 §4): an HTTP/1.1 GET with `Upgrade: websocket`, answered by 101.
public struct WebSocketHandshake: Sendable {
    public let key: String
    public let request: [UInt8]

    /// `target` is the request target (path and query); `host` the Host header value.
    public init(host: String, target: String, headers: [(String, String)], key: String) {
        self.key = key
        var text = "GET \(target) HTTP/1.1\r\nHost: \(host)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        text += "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        text += "\r\n"
        request = Array(text.utf8)
    }

    /// A fresh random 16-byte key, base64.
    public static func randomKey() -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
        return Data(bytes).base64EncodedString()
    }

    /// base64(SHA-1(key + the RFC's GUID)), through OpenSSL.
    public static func acceptValue(for key: String) -> String {
        let input = Array((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8)
        var digest = [UInt8](repeating: 0, count: Int(SHA_DIGEST_LENGTH))
        _ = SHA1(input, input.count, &digest)
        return Data(digest).base64EncodedString()
    }

    /// The server's answer head, once complete.
    public struct Response: Sendable, Equatable {
        public var status: Int
        public var reason: String
        public var headers: [(String, String)]
        /// Bytes after the head: the first WebSocket frames.
        public var rest: [UInt8]

        public func header(_ name: String) -> String? {
            headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
        }
        public static func == (a: Response, b: Response) -> Bool {
            a.status == b.status && a.reason == b.reason && a.rest == b.rest
                && a.headers.map { "\($0.0):\($0.1)" } == b.headers.map { "\($0.0):\($0.1)" }
        }
    }

    public enum ParseResult: Sendable, Equatable {
        case incomplete
        case complete(Response)
    }

    /// Parses the response head from the bytes read so far (at most 16 KiB of head).
    public static func parseResponse(_ bytes: [UInt8]) throws(WebSocketError) -> ParseResult {
        let end: Int? = bytes.count < 4 ? nil : (0...(bytes.count - 4)).first {
            bytes[$0] == 13 && bytes[$0 + 1] == 10 && bytes[$0 + 2] == 13 && bytes[$0 + 3] == 10
        }
        guard let end else {
            if bytes.count > 16384 { throw .handshake("the server's answer to the upgrade has no end of headers") }
            return .incomplete
        }
        let head = String(decoding: bytes[..<end], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw .handshake("the server did not answer the upgrade with HTTP: \(statusLine.prefix(80))")
        }
        var headers: [(String, String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]).trimmingCharacters(in: .whitespaces),
                            String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
        }
        let reason = parts.count > 2 ? String(parts[2]) : ""
        return .complete(Response(status: status, reason: reason, headers: headers, rest: Array(bytes[(end + 4)...])))
    }

    /// Checks a 101 answer: Upgrade, Connection and the accept value; other statuses become `.rejected`.
    public func validate(_ response: Response) throws(WebSocketError) {
        guard response.status == 101 else {
            throw .rejected(status: response.status, reason: response.reason)
        }
        guard response.header("Upgrade")?.lowercased() == "websocket" else {
            throw .handshake("the server's 101 answer has no 'Upgrade: websocket'")
        }
        guard let connection = response.header("Connection"),
              connection.lowercased().split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == "upgrade" }) else {
            throw .handshake("the server's 101 answer has no 'Connection: Upgrade'")
        }
        guard response.header("Sec-WebSocket-Accept") == Self.acceptValue(for: key) else {
            throw .handshake("the server's Sec-WebSocket-Accept does not match the key")
        }
        if let ext = response.header("Sec-WebSocket-Extensions"), !ext.isEmpty {
            throw .handshake("the server chose extension '\(ext)' that was not offered")
        }
    }
}

/// Why a websocket could not be opened or failed.
public enum WebSocketError: Error, Sendable, Equatable, CustomStringConvertible {
    /// TCP/TLS/proxy failure (the libcurl text).
    case connect(String)
    /// The server answered the upgrade with this HTTP status instead of 101.
    case rejected(status: Int, reason: String)
    /// The answer was not a valid upgrade.
    case handshake(String)
    /// The peer broke the protocol.
    case protocolError(String)
    /// The socket is closed.
    case closed
    case timedOut(String)

    public var description: String {
        switch self {
        case .connect(let m): return "could not connect the websocket: \(m)"
        case .rejected(let s, let r): return "the server refused the websocket upgrade: \(s)\(r.isEmpty ? "" : " \(r)")"
        case .handshake(let m): return "websocket handshake failed: \(m)"
        case .protocolError(let m): return "websocket protocol error: \(m)"
        case .closed: return "the websocket is closed"
        case .timedOut(let m): return "websocket timed out: \(m)"
        }
    }
}
