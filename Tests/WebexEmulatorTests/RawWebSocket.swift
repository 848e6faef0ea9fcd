import Foundation
import WebexEmulator

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// File-scope wrappers, so the class's own methods do not shadow the C functions.
private func closeSocket(_ fd: Int32) { _ = close(fd) }

private func connectSocket(_ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
    connect(fd, address, length)
}

private func sendBytes(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int {
    #if os(Linux)
    return send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
    #else
    return send(fd, bytes.baseAddress, bytes.count, 0)
    #endif
}

private func newTCPSocket() -> Int32 {
    #if os(Linux)
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
    let fd = socket(AF_INET, SOCK_STREAM, 0)
    var on: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t(MemoryLayout<Int32>.size))
    #endif
    return fd
}

/// A minimal RFC 6455 client over a plain TCP socket, for tests that need to see what a websocket
/// library hides: the HTTP status of a refused upgrade, websocket PING frames, close codes and reasons,
/// and a connection that ends without a close frame. Blocking I/O runs on its own dispatch queue, never
/// on the Swift concurrency pool that serves the in-process emulator.
final class RawWebSocket: @unchecked Sendable {
    struct Frame: Sendable {
        static let text: UInt8 = 0x1
        static let binary: UInt8 = 0x2
        static let close: UInt8 = 0x8
        static let ping: UInt8 = 0x9
        static let pong: UInt8 = 0xA

        var fin: Bool
        var opcode: UInt8
        var payload: [UInt8]

        var text: String { String(decoding: payload, as: UTF8.self) }

        var json: [String: Any] {
            get throws {
                guard let o = try JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any] else {
                    throw HarnessError("frame is not a JSON object: \(text)")
                }
                return o
            }
        }

        /// For a close frame: the status code and reason.
        var closeCode: Int? { payload.count >= 2 ? Int(payload[0]) << 8 | Int(payload[1]) : nil }
        var closeReason: String { payload.count > 2 ? String(decoding: payload[2...], as: UTF8.self) : "" }
    }

    /// The answer to the upgrade request.
    struct Handshake: Sendable {
        var status: Int
        var head: String
        var body: String
        var socket: RawWebSocket?
    }

    private let fd: Int32
    private let queue = DispatchQueue(label: "raw-websocket")
    /// Bytes read but not yet parsed; only touched on `queue`.
    private var pending: [UInt8] = []
    private var closed = false

    private init(fd: Int32, leftover: [UInt8]) {
        self.fd = fd
        self.pending = leftover
    }

    deinit { if !closed { closeSocket(fd) } }

    /// Sends the upgrade for `path` (with its query) to `endpoint` and reads the answer. The socket is
    /// kept only on 101.
    static func connect(_ endpoint: EmulatorEndpoint, path: String, headers: [String: String] = [:]) async throws -> Handshake {
        try await run {
            let fd = newTCPSocket()
            guard fd >= 0 else { throw HarnessError("socket() failed") }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(endpoint.port).bigEndian)
            inet_pton(AF_INET, endpoint.host, &address.sin_addr)
            let rc = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connectSocket(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard rc == 0 else {
                closeSocket(fd)
                throw HarnessError("connect() failed")
            }
            var request = "GET \(path) HTTP/1.1\r\nHost: \(endpoint.host):\(endpoint.port)\r\nUpgrade: websocket\r\n"
            request += "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            for (k, v) in headers { request += "\(k): \(v)\r\n" }
            request += "\r\n"
            try writeAll(fd, Array(request.utf8))
            var buffer: [UInt8] = []
            let terminator: [UInt8] = Array("\r\n\r\n".utf8)
            var headEnd: Int?
            while headEnd == nil {
                guard let chunk = try readSome(fd, timeoutMs: 5000), !chunk.isEmpty else {
                    closeSocket(fd)
                    throw HarnessError("connection closed during the handshake")
                }
                buffer += chunk
                headEnd = find(terminator, in: buffer)
            }
            let head = String(decoding: buffer[..<headEnd!], as: UTF8.self)
            var rest = Array(buffer[(headEnd! + 4)...])
            let statusLine = head.split(separator: "\r\n").first ?? ""
            let status = statusLine.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
            if status == 101 {
                return Handshake(status: status, head: head, body: "", socket: RawWebSocket(fd: fd, leftover: rest))
            }
            // Read the body (Content-Length) so the test can look at the error.
            let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
            while rest.count < length, let chunk = try readSome(fd, timeoutMs: 5000), !chunk.isEmpty { rest += chunk }
            closeSocket(fd)
            return Handshake(status: status, head: head, body: String(decoding: rest, as: UTF8.self), socket: nil)
        }
    }

    // MARK: Sending (client frames are masked)

    func send(text: String) async throws { try await send(opcode: Frame.text, Array(text.utf8)) }
    func send(binary: [UInt8]) async throws { try await send(opcode: Frame.binary, binary) }
    func send(json: String) async throws { try await send(text: json) }
    func sendPing(_ payload: String) async throws { try await send(opcode: Frame.ping, Array(payload.utf8)) }

    func sendClose(code: Int, reason: String = "") async throws {
        try await send(opcode: Frame.close, [UInt8(code >> 8), UInt8(code & 0xFF)] + Array(reason.utf8))
    }

    func send(opcode: UInt8, _ payload: [UInt8], fin: Bool = true) async throws {
        var frame: [UInt8] = [(fin ? 0x80 : 0) | opcode]
        if payload.count < 126 {
            frame.append(0x80 | UInt8(payload.count))
        } else if payload.count < 65536 {
            frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            frame.append(0x80 | 127)
            for shift in stride(from: 56, through: 0, by: -8) { frame.append(UInt8((payload.count >> shift) & 0xFF)) }
        }
        let mask: [UInt8] = (0..<4).map { _ in UInt8.random(in: 0...255) }
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        let fd = self.fd
        let bytes = frame
        try await run(on: queue) { try Self.writeAll(fd, bytes) }
    }

    // MARK: Receiving

    /// The next frame, or nil when the server closed the TCP connection. Throws on timeout.
    func receive(timeout: Double = 5) async throws -> Frame? {
        try await run(on: queue) { try self.readFrame(timeoutMs: Int32(timeout * 1000)) }
    }

    /// The next text or binary message as JSON, answering nothing and skipping control frames.
    func nextJSON(timeout: Double = 5) async throws -> [String: Any] {
        while true {
            guard let frame = try await receive(timeout: timeout) else { throw HarnessError("connection closed") }
            if frame.opcode == Frame.close { throw HarnessError("closed: \(frame.closeCode ?? 0) \(frame.closeReason)") }
            if frame.opcode == Frame.text || frame.opcode == Frame.binary { return try frame.json }
        }
    }

    /// Skips data frames until a close frame arrives (nil when the connection ended without one), and
    /// answers it with a close frame as real clients do.
    func nextClose(timeout: Double = 5) async throws -> Frame? {
        while let frame = try await receive(timeout: timeout) {
            if frame.opcode == Frame.close {
                try? await sendClose(code: frame.closeCode ?? 1000)
                return frame
            }
        }
        return nil
    }

    /// Whether nothing arrives within `seconds`.
    func isQuiet(for seconds: Double) async throws -> Bool {
        do {
            _ = try await receive(timeout: seconds)
            return false
        } catch is TimeoutError {
            return true
        }
    }

    func close() {
        queue.sync {
            if !closed {
                closed = true
                closeSocket(fd)
            }
        }
    }

    struct TimeoutError: Error {}

    private func readFrame(timeoutMs: Int32) throws -> Frame? {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(timeoutMs) * 1_000_000
        while true {
            if let frame = parseFrame() { return frame }
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < deadline else { throw TimeoutError() }
            guard let chunk = try Self.readSome(fd, timeoutMs: Int32((deadline - now) / 1_000_000) + 1) else {
                throw TimeoutError()
            }
            if chunk.isEmpty { return nil }
            pending += chunk
        }
    }

    private func parseFrame() -> Frame? {
        guard pending.count >= 2 else { return nil }
        let fin = pending[0] & 0x80 != 0
        let opcode = pending[0] & 0x0F
        var length = Int(pending[1] & 0x7F)
        var offset = 2
        if length == 126 {
            guard pending.count >= 4 else { return nil }
            length = Int(pending[2]) << 8 | Int(pending[3])
            offset = 4
        } else if length == 127 {
            guard pending.count >= 10 else { return nil }
            length = pending[2..<10].reduce(0) { $0 << 8 | Int($1) }
            offset = 10
        }
        guard pending.count >= offset + length else { return nil }
        let payload = Array(pending[offset..<(offset + length)])
        pending.removeFirst(offset + length)
        return Frame(fin: fin, opcode: opcode, payload: payload)
    }

    // MARK: Plumbing

    private static func run<T: Sendable>(on queue: DispatchQueue = DispatchQueue(label: "raw-websocket-connect"), _ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }

    private func run<T: Sendable>(on queue: DispatchQueue, _ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await Self.run(on: queue, work)
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { sendBytes(fd, $0) }
            guard n > 0 else { throw HarnessError("send() failed") }
            sent += n
        }
    }

    /// Bytes available within the timeout: nil on timeout, empty on EOF (or reset).
    private static func readSome(_ fd: Int32, timeoutMs: Int32) throws -> [UInt8]? {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&poller, 1, timeoutMs)
        guard ready > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return [] }
        return Array(buffer[..<n])
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i..<(i + needle.count)].elementsEqual(needle) {
            return i
        }
        return nil
    }
}
