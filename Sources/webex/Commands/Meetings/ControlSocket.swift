import Foundation
import WebexSDK
#if canImport(Glibc)
import Glibc
#endif

/// A Unix socket per running `webex meeting join`, in `$XDG_RUNTIME_DIR/webex/` (0700), through which
/// `webex meeting members|mute|lock …` in another shell act on it. One JSON line each way:
/// request `{"command":"mute bob"}`, reply `{"ok":true,"result":…}` or `{"ok":false,"error":"…","exit":N}`.
enum ControlSocket {
    /// The directory, created 0700 and refused if it belongs to someone else or others can enter it.
    static func directory(environment env: [String: String], create: Bool) throws -> String {
        let base: String
        if let run = env["XDG_RUNTIME_DIR"], !run.isEmpty {
            base = run + "/webex"
        } else {
            base = (env["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp") + "/webex-\(getuid())"
        }
        var st = stat()
        if stat(base, &st) != 0 {
            guard create else { return base }
            try? FileManager.default.createDirectory(atPath: (base as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
                                                     attributes: [.posixPermissions: 0o700])
            guard mkdir(base, 0o700) == 0 || errno == EEXIST else {
                throw CLIError.failure("cannot create the control socket directory \(base): \(String(cString: strerror(errno)))")
            }
            guard stat(base, &st) == 0 else { throw CLIError.failure("cannot read \(base)") }
        }
        guard st.st_uid == getuid(), st.st_mode & 0o077 == 0 else {
            throw CLIError.failure("refusing to use \(base) for the meeting control socket: it must belong to you and be private (chmod 700)")
        }
        return base
    }

    static func address(_ path: String) throws -> sockaddr_un {
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: addr.sun_path)
        guard bytes.count < capacity else { throw CLIError.failure("the control socket path is too long (\(path)); set XDG_RUNTIME_DIR to a shorter directory") }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
            raw[bytes.count] = 0
        }
        return addr
    }

    // MARK: Server

    final class Server: @unchecked Sendable {
        let path: String
        /// Requests being answered: the join waits for them before it exits, so `webex meeting end` gets
        /// its reply even though the meeting (and the join) ends with it.
        let inFlight = InFlight()
        private let fd: Int32
        private let handler: @Sendable (String) async -> String

        init(directory: String, handler: @escaping @Sendable (String) async -> String) throws {
            let path = "\(directory)/meeting-\(getpid()).sock"
            unlink(path)
            let sock = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            guard sock >= 0 else { throw CLIError.failure("cannot create the control socket: \(String(cString: strerror(errno)))") }
            var addr = try ControlSocket.address(path)
            let old = umask(0o177)
            let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(sock, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
            umask(old)
            guard rc == 0, listen(sock, 8) == 0 else {
                Glibc.close(sock)
                throw CLIError.failure("cannot listen on \(path): \(String(cString: strerror(errno)))")
            }
            self.path = path
            self.fd = sock
            self.handler = handler
            let thread = Thread { [self] in acceptLoop() }
            thread.stackSize = 256 * 1024
            thread.start()
        }

        private func acceptLoop() {
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 {
                    if errno == EINTR { continue }
                    return // closed
                }
                let handler = self.handler
                let inFlight = self.inFlight
                inFlight.begin()
                ControlSocket.setTimeout(client, seconds: 10)
                let t = Thread {
                    defer { inFlight.end() }
                    guard let line = ControlSocket.readLine(client) else { Glibc.close(client); return }
                    let box = ReplyBox()
                    let done = DispatchSemaphore(value: 0)
                    Task { box.value = await handler(line); done.signal() }
                    done.wait()
                    ControlSocket.writeAll(client, box.value + "\n")
                    Glibc.close(client)
                }
                t.start()
            }
        }

        /// Stops accepting, after letting the commands being answered finish (5 s at most).
        func close() async {
            for _ in 0..<500 where !inFlight.isIdle { try? await Task.sleep(nanoseconds: 10_000_000) }
            shutdown(fd, Int32(SHUT_RDWR))
            Glibc.close(fd)
            unlink(path)
        }
    }

    final class ReplyBox: @unchecked Sendable { var value = "" }

    /// Counts commands being executed.
    final class InFlight: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func begin() { lock.lock(); count += 1; lock.unlock() }
        func end() { lock.lock(); count -= 1; lock.unlock() }
        var isIdle: Bool { lock.lock(); defer { lock.unlock() }; return count == 0 }
    }

    /// Reads and writes on `fd` give up after `seconds` (a silent peer must not block forever).
    static func setTimeout(_ fd: Int32, seconds: Int) {
        var tv = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    static func readLine(_ fd: Int32, limit: Int = 1 << 20) -> String? {
        var data = [UInt8]()
        var byte: UInt8 = 0
        while data.count < limit {
            let n = read(fd, &byte, 1)
            if n <= 0 { break }
            if byte == UInt8(ascii: "\n") { return String(decoding: data, as: UTF8.self) }
            data.append(byte)
        }
        return data.isEmpty ? nil : String(decoding: data, as: UTF8.self)
    }

    static func writeAll(_ fd: Int32, _ s: String) {
        var bytes = Array(s.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            bytes = bytes.dropFirst(n)
        }
    }

    // MARK: Client

    /// Sends one command to a running join and returns its parsed reply.
    static func send(_ command: String, to path: String) throws -> JSONValue {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CLIError.failure("cannot create a socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var addr = try address(path)
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        guard rc == 0 else { throw StaleSocket(path: path) }
        // Commands wait for Webex; a join that is stuck must not hang this shell.
        setTimeout(fd, seconds: 60)
        writeAll(fd, JSONValue.object(["command": .string(command)]).jsonText + "\n")
        guard let line = readLine(fd), let reply = try? JSONValue.parse(Data(line.utf8)) else {
            throw CLIError.failure("the meeting join behind \(path) did not answer; it may have just ended (`webex meeting status` shows whether it still runs)")
        }
        return reply
    }

    struct StaleSocket: Error { var path: String }

    static func listening(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0, var addr = try? address(path) else { return false }
        defer { close(fd) }
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        return rc == 0
    }

    /// The sockets of running joins; stale ones (their process is gone) are removed.
    static func running(environment env: [String: String]) throws -> [(pid: Int32, path: String)] {
        let dir = try directory(environment: env, create: false)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        var out: [(Int32, String)] = []
        for name in names where name.hasPrefix("meeting-") && name.hasSuffix(".sock") {
            guard let pid = Int32(name.dropFirst("meeting-".count).dropLast(".sock".count)) else { continue }
            let path = dir + "/" + name
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(path); continue }
            // The process ID may have been reused: a socket nobody listens on is stale.
            if !listening(path) { unlink(path); continue }
            out.append((pid, path))
        }
        return out.sorted { $0.0 < $1.0 }
    }
}
