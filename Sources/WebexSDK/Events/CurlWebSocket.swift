import CCurl
import CShims
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// What a websocket delivers, in order; `.closed` is always last.
public enum WebSocketEvent: Sendable, Equatable {
    /// `receivedAt`: when the frame was read off the socket (for latency measurements).
    case text(String, receivedAt: ContinuousClock.Instant)
    case binary([UInt8], receivedAt: ContinuousClock.Instant)
    /// `clean` is true when the peer sent a close frame; false for a dropped connection (1006).
    case closed(code: UInt16, reason: String, clean: Bool)
}

/// An open websocket.
public protocol WebSocketConnection: AnyObject, Sendable {
    /// Incoming messages; finishes after `.closed`. Read it from one task only.
    var events: AsyncStream<WebSocketEvent> { get }
    func send(text: String) throws(WebSocketError)
    /// Sends a close frame, waits briefly for the server's, then releases the connection.
    func close(code: UInt16, reason: String) async
}

/// Opens websockets (tests can provide their own).
public protocol WebSocketConnector: Sendable {
    func connect(url: URL, headers: [(String, String)]) async throws(WebSocketError) -> any WebSocketConnection
}

/// Websockets over libcurl's `CONNECT_ONLY` mode: libcurl does the TCP connection, the proxy tunnel
/// (`https_proxy` …, through HTTP CONNECT) and TLS with verification (the same CA settings as REST);
/// this type does the upgrade and the framing. Debian's libcurl has no websocket support of its own, and
/// FoundationNetworking's websocket task does not work here (toolchain notes §3).
public struct CurlWebSocketConnector: WebSocketConnector {
    public var options: CurlTransportOptions
    /// Seconds allowed for TCP + TLS + the upgrade answer.
    public var handshakeTimeout: Double

    public init(options: CurlTransportOptions, handshakeTimeout: Double = 15) {
        self.options = options; self.handshakeTimeout = handshakeTimeout
    }

    public func connect(url: URL, headers: [(String, String)]) async throws(WebSocketError) -> any WebSocketConnection {
        let options = self.options
        let timeout = handshakeTimeout
        let result: Result<CurlWebSocket, WebSocketError> = await withCheckedContinuation { cont in
            Thread.detachNewThread {
                cont.resume(returning: Result { () throws(WebSocketError) -> CurlWebSocket in
                    try CurlWebSocket.open(url: url, headers: headers, options: options, timeout: timeout)
                })
            }
        }
        return try result.get()
    }
}

final class CurlWebSocket: WebSocketConnection, @unchecked Sendable {
    let events: AsyncStream<WebSocketEvent>
    private let continuation: AsyncStream<WebSocketEvent>.Continuation
    /// Serialises every call on the curl handle (TLS state is not thread-safe).
    private let io = NSLock()
    private var handle: UnsafeMutableRawPointer?
    private let socket: Int32
    private let wakeRead: Int32, wakeWrite: Int32
    private let state = Mutex<(closeSent: Bool, finished: Bool)>((false, false))
    private let finishedSignal = AsyncStream<Void>.makeStream()
    private var parser = WebSocketParser()

    private init(handle: UnsafeMutableRawPointer, socket: Int32, initial: [UInt8]) {
        self.handle = handle
        self.socket = socket
        var fds: [Int32] = [0, 0]
        _ = pipe(&fds)
        wakeRead = fds[0]; wakeWrite = fds[1]
        _ = fcntl(wakeRead, F_SETFL, fcntl(wakeRead, F_GETFL) | O_NONBLOCK)
        (events, continuation) = AsyncStream<WebSocketEvent>.makeStream(bufferingPolicy: .unbounded)
        parser.append(initial)
    }

    deinit {
        Glibc.close(wakeRead); Glibc.close(wakeWrite)
    }

    // MARK: Opening

    static func open(url: URL, headers: [(String, String)], options: CurlTransportOptions, timeout: Double) throws(WebSocketError) -> CurlWebSocket {
        guard let scheme = url.scheme?.lowercased(), scheme == "ws" || scheme == "wss", let host = url.host else {
            throw .connect("not a websocket URL: \(Redact.url(url.absoluteString))")
        }
        if scheme == "ws", !URLPolicy.isLoopback(host: host) {
            throw .connect("refusing plain ws:// to \(host): only loopback addresses may use it; use wss://")
        }
        let secure = scheme == "wss"
        let port = url.port ?? (secure ? 443 : 80)
        let bracketed = host.contains(":") ? "[\(host)]" : host
        let connectURL = "\(secure ? "https" : "http")://\(bracketed):\(port)/"
        _ = CurlTransport.ensureGlobalInit()
        guard let h = curl_easy_init() else { throw .connect("could not initialise libcurl") }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        _ = webex_curl_setopt_string(h, CURLOPT_URL, connectURL)
        _ = webex_curl_setopt_long(h, CURLOPT_CONNECT_ONLY, 1)
        _ = webex_curl_setopt_long(h, CURLOPT_NOSIGNAL, 1)
        // ALPN must not offer h2: the upgrade is HTTP/1.1.
        _ = webex_curl_setopt_long(h, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1))
        options.applyTLS(to: h)
        // Through a proxy, always tunnel (CONNECT): the bytes after the connection are ours, not HTTP to the proxy.
        _ = webex_curl_setopt_long(h, CURLOPT_HTTPPROXYTUNNEL, 1)
        if URLPolicy.isLoopback(host: host) { _ = webex_curl_setopt_string(h, CURLOPT_NOPROXY, "*") }
        _ = webex_curl_setopt_long(h, CURLOPT_CONNECTTIMEOUT_MS, Int(timeout * 1000))
        _ = webex_curl_setopt_long(h, CURLOPT_TCP_KEEPALIVE, 1)
        _ = webex_curl_setopt_long(h, CURLOPT_TCP_NODELAY, 1)
        errorBuffer.withUnsafeMutableBufferPointer { _ = webex_curl_setopt_pointer(h, CURLOPT_ERRORBUFFER, $0.baseAddress) }
        let rc = curl_easy_perform(h)
        _ = webex_curl_setopt_pointer(h, CURLOPT_ERRORBUFFER, nil)
        guard rc == CURLE_OK else {
            let detail = String(decoding: errorBuffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            curl_easy_cleanup(h)
            throw .connect(detail.isEmpty ? String(cString: curl_easy_strerror(rc)) : detail)
        }
        var sock: Int32 = -1
        guard webex_curl_getinfo_socket(h, &sock) == CURLE_OK, sock >= 0 else {
            curl_easy_cleanup(h)
            throw .connect("libcurl did not report the connected socket")
        }
        var target = url.path.isEmpty ? "/" : url.path
        if let q = url.query { target += "?" + q }
        let defaultPort = (secure && port == 443) || (!secure && port == 80)
        let hostHeader = defaultPort ? bracketed : "\(bracketed):\(port)"
        let handshake = WebSocketHandshake(host: hostHeader, target: target,
                                           headers: [("User-Agent", options.userAgent)] + headers,
                                           key: WebSocketHandshake.randomKey())
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        do {
            try Self.sendAll(h, sock, handshake.request, deadline: deadline)
            var received: [UInt8] = []
            while true {
                let chunk = try Self.receiveSome(h, sock, deadline: deadline)
                if chunk.isEmpty { throw WebSocketError.connect("the server closed the connection during the upgrade") }
                received += chunk
                if case .complete(let response) = try WebSocketHandshake.parseResponse(received) {
                    try handshake.validate(response)
                    let ws = CurlWebSocket(handle: h, socket: sock, initial: response.rest)
                    ws.startReader()
                    return ws
                }
            }
        } catch let error as WebSocketError {
            curl_easy_cleanup(h)
            throw error
        } catch {
            curl_easy_cleanup(h)
            throw .connect("\(error)")
        }
    }

    private static func wait(_ sock: Int32, events: Int16, deadline: ContinuousClock.Instant?) throws(WebSocketError) {
        var remaining: Int32 = -1
        if let deadline {
            let left = deadline - ContinuousClock.now
            if left <= .zero { throw .timedOut("no answer from the server in time") }
            remaining = Int32(max(1, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
        }
        var pfd = pollfd(fd: sock, events: events, revents: 0)
        let n = poll(&pfd, 1, remaining)
        if n == 0 { throw .timedOut("no answer from the server in time") }
    }

    private static func sendAll(_ h: UnsafeMutableRawPointer, _ sock: Int32, _ bytes: [UInt8], deadline: ContinuousClock.Instant?) throws(WebSocketError) {
        var offset = 0
        while offset < bytes.count {
            var sent = 0
            let rc = bytes.withUnsafeBytes { raw in curl_easy_send(h, raw.baseAddress! + offset, raw.count - offset, &sent) }
            if rc == CURLE_AGAIN { try wait(sock, events: Int16(POLLOUT), deadline: deadline); continue }
            guard rc == CURLE_OK else { throw .connect(String(cString: curl_easy_strerror(rc))) }
            offset += sent
        }
    }

    /// Blocks until some bytes arrive (empty means the peer closed).
    private static func receiveSome(_ h: UnsafeMutableRawPointer, _ sock: Int32, deadline: ContinuousClock.Instant?) throws(WebSocketError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            var n = 0
            let rc = buffer.withUnsafeMutableBytes { curl_easy_recv(h, $0.baseAddress, $0.count, &n) }
            if rc == CURLE_AGAIN { try wait(sock, events: Int16(POLLIN), deadline: deadline); continue }
            guard rc == CURLE_OK else { throw .connect(String(cString: curl_easy_strerror(rc))) }
            return Array(buffer[0..<n])
        }
    }

    // MARK: Sending

    func send(text: String) throws(WebSocketError) {
        try sendFrame(WebSocketFrame(opcode: .text, payload: Array(text.utf8)))
    }

    private func sendFrame(_ frame: WebSocketFrame) throws(WebSocketError) {
        let key = (UInt8.random(in: 0...255), UInt8.random(in: 0...255), UInt8.random(in: 0...255), UInt8.random(in: 0...255))
        let bytes = frame.encoded(maskKey: key)
        io.lock()
        defer { io.unlock() }
        guard let h = handle, !state.withLock({ $0.closeSent }) else { throw .closed }
        if frame.opcode == .close { state.withLock { $0.closeSent = true } }
        try Self.sendAll(h, socket, bytes, deadline: ContinuousClock.now + .seconds(10))
    }

    // MARK: Closing

    func close(code: UInt16, reason: String) async {
        if !state.withLock({ $0.finished }) {
            try? sendFrame(WebSocketFrame(opcode: .close, payload: WebSocketFrame.closePayload(code: code, reason: reason)))
            // Wait up to 2 s for the server's close frame, then drop the connection.
            await withTaskGroup(of: Void.self) { group in
                group.addTask { [finishedSignal] in for await _ in finishedSignal.stream { return } }
                group.addTask { try? await Task.sleep(nanoseconds: 2_000_000_000) }
                await group.next()
                group.cancelAll()
            }
        }
        stop()
    }

    /// Ends the reader now (it releases the handle and finishes `events`).
    private func stop() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    // MARK: Reading

    private func startReader() {
        let thread = Thread { [self] in self.readLoop() }
        thread.name = "webex-websocket"
        thread.start()
    }

    private func readLoop() {
        var closeEvent = WebSocketEvent.closed(code: 1006, reason: "", clean: false)
        var buffer = [UInt8](repeating: 0, count: 65536)
        outer: while true {
            // Frames already buffered (the bytes that came with the upgrade answer, or a previous read).
            do throws(WebSocketProtocolError) {
                while let message = try parser.next() {
                    switch message {
                    case .text(let s): continuation.yield(.text(s, receivedAt: .now))
                    case .binary(let b): continuation.yield(.binary(b, receivedAt: .now))
                    case .ping(let payload): try? sendFrame(WebSocketFrame(opcode: .pong, payload: payload))
                    case .pong: break
                    case .close(let code, let reason):
                        // Echo the close (RFC 6455 §5.5.1) unless we started it.
                        let echo: [UInt8] = code == 1005 ? [] : WebSocketFrame.closePayload(code: code, reason: "")
                        try? sendFrame(WebSocketFrame(opcode: .close, payload: echo))
                        closeEvent = .closed(code: code, reason: reason, clean: true)
                        break outer
                    }
                }
            } catch {
                try? sendFrame(WebSocketFrame(opcode: .close, payload: WebSocketFrame.closePayload(code: error.closeCode, reason: "")))
                closeEvent = .closed(code: error.closeCode, reason: error.message, clean: false)
                break outer
            }
            // Read until libcurl says "again" before sleeping in poll: TLS may hold decrypted bytes the socket
            // no longer shows as readable.
            var n = 0
            io.lock()
            guard let h = handle else { io.unlock(); break outer }
            let rc = buffer.withUnsafeMutableBytes { curl_easy_recv(h, $0.baseAddress, $0.count, &n) }
            io.unlock()
            if rc == CURLE_OK && n > 0 {
                parser.append(buffer[0..<n])
                continue
            }
            if rc != CURLE_AGAIN { break outer }
            var fds = [pollfd(fd: socket, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            if poll(&fds, 2, -1) < 0 && errno != EINTR { break }
            if fds[1].revents != 0 {
                if state.withLock({ $0.closeSent }) {
                    closeEvent = .closed(code: 1000, reason: "", clean: false)
                }
                break
            }
        }
        io.lock()
        if let h = handle { curl_easy_cleanup(h) }
        handle = nil
        state.withLock { $0.finished = true; $0.closeSent = true }
        io.unlock()
        continuation.yield(closeEvent)
        continuation.finish()
        finishedSignal.continuation.finish()
    }
}
