import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A tiny HTTP/1.1 server on a loopback port for webhook deliveries: one thread, one request per
/// connection, answers every request with `status` and remembers what it received.
final class WebhookReceiver: @unchecked Sendable {
    struct Received: Sendable {
        var method: String
        var path: String
        /// Header names lower-cased.
        var headers: [String: String]
        var body: [UInt8]

        var json: [String: Any] {
            get throws {
                guard let o = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
                    throw HarnessError("delivery body is not a JSON object")
                }
                return o
            }
        }
    }

    private let lock = NSLock()
    private var requests: [Received] = []
    private var answer: Int
    private var stopped = false
    private let fd: Int32
    let port: Int

    var url: String { "http://127.0.0.1:\(port)/hook" }

    init(status: Int = 200) throws {
        answer = status
        let sock = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard sock >= 0 else { throw HarnessError("socket() failed") }
        var one: Int32 = 1
        setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(sock, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(sock, 16) == 0 else {
            close(sock)
            throw HarnessError("bind/listen failed")
        }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(sock, $0, &len) }
        }
        fd = sock
        port = Int(UInt16(bigEndian: addr.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Changes the status later requests are answered with.
    func setStatus(_ status: Int) {
        lock.withLock { answer = status }
    }

    var received: [Received] {
        lock.withLock { requests }
    }

    /// Closes the listening socket (once; later calls do nothing).
    func stop() {
        let first = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    /// Waits until at least `count` requests arrived (or `timeout` passes) and returns all of them.
    func waitFor(_ count: Int, timeout: Duration = .seconds(5)) async throws -> [Received] {
        _ = try await eventually(timeout: timeout) { received.count >= count }
        return received
    }

    private func acceptLoop() {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            handle(client)
            close(client)
        }
    }

    private func handle(_ client: Int32) {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        func readMore() -> Bool {
            let n = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { return false }
            buffer.append(contentsOf: chunk[0..<n])
            return true
        }
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headerEnd: Int?
        while headerEnd == nil {
            if let r = findSubsequence(buffer, separator) { headerEnd = r; break }
            guard readMore() else { return }
        }
        guard let headerEnd else { return }
        let head = String(decoding: buffer[0..<headerEnd], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        if headers["expect"]?.lowercased() == "100-continue" { write(client, "HTTP/1.1 100 Continue\r\n\r\n") }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        let bodyStart = headerEnd + separator.count
        while buffer.count - bodyStart < length {
            guard readMore() else { break }
        }
        let body = Array(buffer[bodyStart..<min(buffer.count, bodyStart + length)])
        let status = lock.withLock { () -> Int in
            requests.append(
                Received(
                    method: requestLine.first.map(String.init) ?? "", path: requestLine.count > 1 ? String(requestLine[1]) : "",
                    headers: headers, body: body))
            return answer
        }
        write(client, "HTTP/1.1 \(status) Status\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    }

    private func write(_ client: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    private func findSubsequence(_ haystack: [UInt8], _ needle: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where Array(haystack[i..<(i + needle.count)]) == needle {
            return i
        }
        return nil
    }
}
