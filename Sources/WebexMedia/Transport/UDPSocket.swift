import Glibc
import Synchronization

/// A bound UDP socket. `send` may be called from any thread; `receive` is meant for one reader thread.
/// `close` may be called from another thread: a waiting `receive` notices within ~100 ms and returns nil.
public final class UDPSocket: @unchecked Sendable {
    private let fd: Atomic<Int32>
    /// The address the kernel actually bound (port filled in when 0 was asked for).
    public let localAddress: SocketAddress

    /// Binds to `address` (port 0 picks a free port). Receive and send buffers are enlarged to 1 MiB
    /// (best effort) so video bursts are not dropped by the kernel.
    public init(bindTo address: SocketAddress) throws {
        let domain = address.family == .ipv4 ? AF_INET : AF_INET6
        let s = socket(domain, Int32(SOCK_DGRAM.rawValue), 0)
        guard s >= 0 else {
            throw MediaError(.transport, "Could not create a UDP socket: \(String(cString: strerror(errno))).")
        }
        var size: Int32 = 1 << 20
        _ = setsockopt(s, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        _ = setsockopt(s, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        let rc = address.withSockAddr { bind(s, $0, $1) }
        guard rc == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(s)
            throw MediaError(.transport, "Could not bind a UDP socket to \(address): \(reason).")
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let bound: SocketAddress? = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p -> SocketAddress? in
                guard getsockname(s, p, &length) == 0 else { return nil }
                return SocketAddress(sockaddr: p)
            }
        }
        guard let bound else {
            Glibc.close(s)
            throw MediaError(.transport, "Could not read the local address of a UDP socket bound to \(address).")
        }
        self.fd = Atomic(s)
        self.localAddress = bound
    }

    deinit { close() }

    /// Sends one datagram. Throws when the socket is closed or the kernel refuses (e.g. wrong family).
    public func send(_ bytes: [UInt8], to address: SocketAddress) throws {
        let s = fd.load(ordering: .acquiring)
        guard s >= 0 else { throw MediaError(.transport, "The UDP socket is closed.") }
        guard address.family == localAddress.family else {
            throw MediaError(.transport, "Cannot send to \(address) from a socket bound to \(localAddress) (address family differs).")
        }
        let sent = bytes.withUnsafeBytes { raw in
            address.withSockAddr { sendto(s, raw.baseAddress, raw.count, 0, $0, $1) }
        }
        if sent < 0 {
            throw MediaError(.transport, "Sending \(bytes.count) bytes to \(address) failed: \(String(cString: strerror(errno))).")
        }
    }

    /// Waits up to `timeoutMillis` (0 = just poll, negative = forever) for one datagram.
    /// Returns nil on timeout or once the socket is closed.
    public func receive(timeoutMillis: Int) throws -> (bytes: [UInt8], from: SocketAddress)? {
        var remaining = timeoutMillis
        while true {
            let s = fd.load(ordering: .acquiring)
            guard s >= 0 else { return nil }
            let slice = remaining < 0 ? 100 : min(remaining, 100)
            var pfd = pollfd(fd: s, events: Int16(POLLIN), revents: 0)
            let n = poll(&pfd, 1, Int32(slice))
            if n < 0 {
                if errno == EINTR { continue }
                throw MediaError(.transport, "Waiting on the UDP socket failed: \(String(cString: strerror(errno))).")
            }
            if n > 0 {
                if pfd.revents & Int16(POLLNVAL) != 0 { return nil }
                if let datagram = try receiveNow(s) { return datagram }
            }
            if remaining >= 0 {
                remaining -= slice
                if remaining <= 0 { return nil }
            }
        }
    }

    private func receiveNow(_ s: Int32) throws -> (bytes: [UInt8], from: SocketAddress)? {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let count = buffer.withUnsafeMutableBytes { raw in
            withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    recvfrom(s, raw.baseAddress, raw.count, Int32(MSG_DONTWAIT), $0, &length)
                }
            }
        }
        if count < 0 {
            // ICMP errors (ECONNREFUSED) surface here on Linux; they are not fatal for a media socket.
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR || errno == ECONNREFUSED { return nil }
            if fd.load(ordering: .acquiring) < 0 { return nil }
            throw MediaError(.transport, "Receiving on the UDP socket failed: \(String(cString: strerror(errno))).")
        }
        let from: SocketAddress? = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { SocketAddress(sockaddr: $0) }
        }
        guard let from else { return nil }
        return (Array(buffer[0..<count]), from)
    }

    /// Closes the socket; later sends throw and receives return nil. Safe to call twice.
    public func close() {
        let s = fd.exchange(-1, ordering: .acquiringAndReleasing)
        if s >= 0 { Glibc.close(s) }
    }

    public var isClosed: Bool { fd.load(ordering: .acquiring) < 0 }
}
