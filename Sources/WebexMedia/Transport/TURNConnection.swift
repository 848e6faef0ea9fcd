// The TURN client's link to its server: a UDP socket of its own, or a TCP connection with STUN/ChannelData
// framing. `send` may be called from any thread; `receive` only from the client's receive thread.
import Glibc
import Synchronization

/// What a TURN connection gives back from one read.
enum TURNReadResult {
    case frames([[UInt8]])
    /// The server closed the TCP connection, or the socket failed: the allocation is gone.
    case closed(String)
}

protocol TURNConnection: AnyObject, Sendable {
    /// Sends one STUN message or ChannelData frame to the server.
    func send(_ frame: [UInt8]) throws
    /// Waits up to `timeoutMillis` and returns the complete frames that arrived from the server.
    func receive(timeoutMillis: Int) -> TURNReadResult
    /// True when retransmissions are the client's job (UDP).
    var isReliable: Bool { get }
    var localAddress: SocketAddress? { get }
    func close()
}

/// TURN over UDP: one datagram = one STUN message or ChannelData; datagrams not from the server are dropped.
final class TURNUDPConnection: TURNConnection, @unchecked Sendable {
    private let socket: UDPSocket
    private let server: SocketAddress
    let isReliable = false
    var localAddress: SocketAddress? { socket.localAddress }

    init(server: SocketAddress) throws {
        self.server = server
        let any: [UInt8]
        switch server.family {
        case .ipv4: any = server.isLoopback ? [127, 0, 0, 1] : [0, 0, 0, 0]
        case .ipv6: any = server.isLoopback ? [UInt8](repeating: 0, count: 15) + [1] : [UInt8](repeating: 0, count: 16)
        }
        guard let bindAddress = SocketAddress(addressBytes: any, port: 0) else {
            throw MediaError(.turn, "Could not form a local address to reach TURN server \(server).")
        }
        socket = try UDPSocket(bindTo: bindAddress)
    }

    func send(_ frame: [UInt8]) throws {
        try socket.send(frame, to: server)
    }

    func receive(timeoutMillis: Int) -> TURNReadResult {
        do {
            guard let (bytes, from) = try socket.receive(timeoutMillis: timeoutMillis) else { return .frames([]) }
            guard from == server else { return .frames([]) }
            return .frames([bytes])
        } catch {
            // A UDP receive error (e.g. ICMP port unreachable surfaced as ECONNREFUSED) is not fatal.
            return .frames([])
        }
    }

    func close() { socket.close() }
}

/// TURN over TCP (RFC 8656 §3.1): frames are delimited by their own length fields.
final class TURNTCPConnection: TURNConnection, @unchecked Sendable {
    private let fd: Int32
    private let server: SocketAddress
    private let writeLock = Mutex(())
    private var buffer: [UInt8] = []   // receive thread only
    private let closed = Atomic<Bool>(false)
    let isReliable = true
    let localAddress: SocketAddress?

    /// Connects with a timeout (non-blocking connect + poll).
    init(server: SocketAddress, timeoutMillis: Int) throws {
        self.server = server
        let s = socket(server.family == .ipv4 ? AF_INET : AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
        guard s >= 0 else { throw MediaError(.turn, "Could not create a TCP socket for TURN server \(server) (errno \(errno)).") }
        var one: Int32 = 1
        _ = setsockopt(s, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        let flags = fcntl(s, F_GETFL, 0)
        _ = fcntl(s, F_SETFL, flags | O_NONBLOCK)
        let rc = server.withSockAddr { connect(s, $0, $1) }
        if rc != 0 {
            let err = errno
            guard err == EINPROGRESS else {
                Glibc.close(s)
                throw MediaError(.turn, "Could not connect to TURN server \(server) over TCP: \(String(cString: strerror(err))). Check the server address and that TCP to it is allowed.")
            }
            var p = pollfd(fd: s, events: Int16(POLLOUT), revents: 0)
            let r = poll(&p, 1, Int32(max(timeoutMillis, 1)))
            var soError: Int32 = 0
            var sl = socklen_t(MemoryLayout<Int32>.size)
            _ = getsockopt(s, SOL_SOCKET, SO_ERROR, &soError, &sl)
            if r <= 0 || soError != 0 {
                Glibc.close(s)
                let why = r <= 0 ? "no answer within \(timeoutMillis) ms" : String(cString: strerror(soError))
                throw MediaError(.turn, "Could not connect to TURN server \(server) over TCP: \(why). Check the server address and that TCP to it is allowed.")
            }
        }
        _ = fcntl(s, F_SETFL, flags)
        fd = s
        var out = sockaddr_storage()
        var ol = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &out) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &ol) } }
        localAddress = withUnsafePointer(to: &out) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { SocketAddress(sockaddr: $0) } }
    }

    func send(_ frame: [UInt8]) throws {
        guard !closed.load(ordering: .acquiring) else {
            throw MediaError(.turn, "The TCP connection to TURN server \(server) is closed.")
        }
        try writeLock.withLock { _ in
            var sent = 0
            while sent < frame.count {
                let n = frame.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw MediaError(.turn, "Sending to TURN server \(server) over TCP failed: \(String(cString: strerror(errno))).")
                }
                sent += n
            }
        }
    }

    func receive(timeoutMillis: Int) -> TURNReadResult {
        var frames: [[UInt8]] = []
        // Frames already complete in the buffer come first.
        if let broken = extractFrames(into: &frames) { return .closed(broken) }
        if !frames.isEmpty { return .frames(frames) }
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let r = poll(&p, 1, Int32(timeoutMillis))
        if r <= 0 { return .frames([]) }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n == 0 { return .closed("the server closed the TCP connection") }
        if n < 0 {
            if errno == EINTR || errno == EAGAIN { return .frames([]) }
            return .closed("TCP receive failed: \(String(cString: strerror(errno)))")
        }
        buffer += chunk[0..<n]
        if let broken = extractFrames(into: &frames) { return .closed(broken) }
        return .frames(frames)
    }

    /// Moves complete frames out of `buffer`; returns a reason when the stream cannot be a TURN stream.
    private func extractFrames(into frames: inout [[UInt8]]) -> String? {
        var start = 0
        while buffer.count - start >= 4 {
            let head = Array(buffer[start..<(start + 4)])
            guard let len = TURNWire.tcpFrameLength(head) else { break }
            if len < 0 { buffer.removeAll(); return "the server sent bytes that are neither STUN nor ChannelData" }
            guard buffer.count - start >= len else { break }
            frames.append(Array(buffer[start..<(start + len)]))
            start += len
        }
        if start > 0 { buffer.removeFirst(start) }
        return nil
    }

    func close() {
        if closed.exchange(true, ordering: .acquiringAndReleasing) { return }
        _ = shutdown(fd, Int32(SHUT_RDWR))
        Glibc.close(fd)
    }
}
