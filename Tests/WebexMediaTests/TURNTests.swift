import Foundation
import Glibc
import Synchronization
import Testing
@testable import WebexMedia

// MARK: - A real coturn, started once for the suite that needs it

/// coturn (`turnserver`) on 127.0.0.1 with a free port (UDP and TCP on the same number), long-term
/// credentials `test:secret`, realm `emulator.webex.com`, loopback peers allowed, relay on 127.0.0.1.
final class Coturn: @unchecked Sendable {
    static let username = "test"
    static let password = "secret"
    static let realm = "emulator.webex.com"

    let port: UInt16
    let directory: String
    private let pid: pid_t
    private let exited = Mutex(false)

    var address: SocketAddress { SocketAddress(host: "127.0.0.1", port: port)! }

    @TaskLocal static var current: Coturn?

    static func start() throws -> Coturn {
        let executable = ["/usr/bin/turnserver", "/usr/local/bin/turnserver", "/usr/sbin/turnserver"]
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let executable else {
            throw MediaError(.io, "coturn's turnserver is not installed (apt-get install coturn); the TURN tests need it.")
        }
        let directory = NSTemporaryDirectory() + "coturn-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var lastError = "no attempt"
        for _ in 0..<5 {
            let port = try freePortForUDPAndTCP()
            let arguments = [
                "-n", "--listening-ip", "127.0.0.1", "--listening-port", String(port), "--relay-ip", "127.0.0.1",
                "--allow-loopback-peers", "--no-tls", "--no-dtls", "--no-cli", "--no-rfc5780",
                "--lt-cred-mech", "--user", "\(username):\(password)", "--realm", realm,
                "--log-file", "\(directory)/turn.log", "--simple-log", "--no-stdout-log",
                "--pidfile", "\(directory)/turn.pid", "--userdb", "\(directory)/turndb.sqlite",
                "--min-port", "40000", "--max-port", "60000", "--relay-threads", "1",
                "--stale-nonce=1",   // nonces expire after 1 s (coturn counts whole seconds), so a test sees a 438 and the retry
            ]
            let pid = try spawn(executable, arguments)
            let server = Coturn(port: port, directory: directory, pid: pid)
            if server.waitUntilListening(timeoutMillis: 3000) { return server }
            lastError = "turnserver on port \(port) did not start listening (log in \(directory)/turn.log)"

            server.stop()
        }
        throw MediaError(.io, lastError)
    }

    private init(port: UInt16, directory: String, pid: pid_t) {
        self.port = port
        self.directory = directory
        self.pid = pid
    }

    /// posix_spawn with a clean signal mask and default handlers (a child of a Swift test process would
    /// otherwise inherit blocked signals and ignore SIGTERM), stdio to /dev/null.
    private static func spawn(_ path: String, _ arguments: [String]) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        guard rc == 0 else { throw MediaError(.io, "could not start \(path): \(String(cString: strerror(rc)))") }
        return pid
    }

    /// True while the child has not exited (reaps it when it has).
    var isRunning: Bool {
        exited.withLock { done in
            if done { return false }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { done = true }
            return !done
        }
    }

    /// Binds UDP port 0 on 127.0.0.1, then checks that TCP can bind the same number.
    static func freePortForUDPAndTCP() throws -> UInt16 {
        for _ in 0..<20 {
            let udp = try UDPSocket(bindTo: SocketAddress(host: "127.0.0.1", port: 0)!)
            let port = udp.localAddress.port
            let tcp = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = port.bigEndian
            sin.sin_addr.s_addr = inet_addr("127.0.0.1")
            let rc = withUnsafePointer(to: &sin) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(tcp, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            close(tcp)
            udp.close()
            if rc == 0 { return port }
        }
        throw MediaError(.io, "no free port for both UDP and TCP on 127.0.0.1")
    }

    /// Ready when a TCP connect succeeds and a STUN Binding request over UDP is answered.
    private func waitUntilListening(timeoutMillis: Int) -> Bool {
        let deadline = MediaClock.nowMicros() + UInt64(timeoutMillis) * 1000
        var tcpReady = false
        guard let probe = try? UDPSocket(bindTo: SocketAddress(host: "127.0.0.1", port: 0)!) else { return false }
        defer { probe.close() }
        while MediaClock.nowMicros() < deadline, isRunning {
            if !tcpReady {
                let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                var sin = sockaddr_in()
                sin.sin_family = sa_family_t(AF_INET)
                sin.sin_port = port.bigEndian
                sin.sin_addr.s_addr = inet_addr("127.0.0.1")
                let rc = withUnsafePointer(to: &sin) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
                close(s)
                tcpReady = rc == 0
            }
            if tcpReady {
                let request = STUNMessage(method: STUNMethod.binding, messageClass: .request)
                try? probe.send(request.serialized(), to: address)
                if let reply = try? probe.receive(timeoutMillis: 100), let m = try? STUNMessage(parsing: reply.bytes),
                   m.transactionID == request.transactionID {
                    return true
                }
            } else {
                usleep(20_000)
            }
        }
        return false
    }

    /// SIGTERM, then SIGKILL after 1 s; always reaps the child.
    func stop() {
        guard isRunning else { return }
        kill(pid, SIGTERM)
        for _ in 0..<100 where isRunning { usleep(10_000) }
        guard isRunning else { return }
        kill(pid, SIGKILL)
        exited.withLock { done in
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
            done = true
        }
    }

    deinit { stop() }
}

/// Runs the suite with one coturn for all its tests, and stops it afterwards.
struct CoturnTrait: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let server = try Coturn.start()
        defer {
            server.stop()
            try? FileManager.default.removeItem(atPath: server.directory)
        }
        try await Coturn.$current.withValue(server) { try await function() }
    }
}

extension Trait where Self == CoturnTrait {
    static var coturn: CoturnTrait { CoturnTrait() }
}

// MARK: - Helpers

/// Collects what a TURNClient delivers through onReceive.
final class Inbox: @unchecked Sendable {
    private let items = Mutex<[([UInt8], SocketAddress)]>([])

    func add(_ bytes: [UInt8], _ from: SocketAddress) { items.withLock { $0.append((bytes, from)) } }

    /// Waits up to `timeoutMillis` for a packet equal to `bytes`; returns its sender.
    func wait(for bytes: [UInt8], timeoutMillis: Int = 2000) -> SocketAddress? {
        let deadline = MediaClock.nowMicros() + UInt64(timeoutMillis) * 1000
        while MediaClock.nowMicros() < deadline {
            if let hit = items.withLock({ $0.first(where: { $0.0 == bytes }) }) { return hit.1 }
            usleep(2_000)
        }
        return nil
    }
}

private func receive(_ socket: UDPSocket, timeoutMillis: Int = 2000) -> (bytes: [UInt8], from: SocketAddress)? {
    try? socket.receive(timeoutMillis: timeoutMillis)
}

private func waitUntil(timeoutMillis: Int, _ condition: () -> Bool) -> Bool {
    let deadline = MediaClock.nowMicros() + UInt64(timeoutMillis) * 1000
    while MediaClock.nowMicros() < deadline {
        if condition() { return true }
        usleep(5_000)
    }
    return condition()
}

private let loopback = SocketAddress(host: "127.0.0.1", port: 0)!

// MARK: - Against coturn

@Suite(.serialized, .coturn)
struct TURNServerTests {
    var server: Coturn { Coturn.current! }

    func makeClient(_ transport: TURNTransport, password: String = Coturn.password) -> TURNClient {
        TURNClient(server: server.address, transport: transport, username: Coturn.username, password: password)
    }

    @Test(arguments: [TURNTransport.udp, .tcp])
    func allocateRelaysBothWaysAndBindsAChannel(transport: TURNTransport) throws {
        let client = makeClient(transport)
        let inbox = Inbox()
        client.onReceive = { bytes, from in inbox.add(bytes, from) }
        defer { client.close() }
        try client.allocate(timeout: .seconds(3))
        #expect(client.state == .allocated)
        #expect(client.relayedAddress.host == "127.0.0.1")
        #expect(client.relayedAddress.port != 0)
        #expect(client.relayedAddress.port != server.port)
        #expect(client.mappedAddress == client.localAddress)
        #expect(client.lifetime > 0)

        let peer = try UDPSocket(bindTo: loopback)
        defer { peer.close() }

        // First packet: permission, then a Send indication.
        try client.send(Array("hello".utf8), to: peer.localAddress)
        let first = try #require(receive(peer))
        #expect(first.bytes == Array("hello".utf8))
        #expect(first.from == client.relayedAddress)
        #expect(client.statistics.sentSendIndications >= 1)

        // The peer answers the relayed address; the client gets it unwrapped, with the peer as sender.
        try peer.send(Array("world".utf8), to: client.relayedAddress)
        #expect(inbox.wait(for: Array("world".utf8)) == peer.localAddress)

        // After the first packets a channel is bound and used in both directions.
        #expect(waitUntil(timeoutMillis: 2000) { client.channelNumber(for: peer.localAddress) != nil })
        let channel = try #require(client.channelNumber(for: peer.localAddress))
        #expect((0x4000...0x4FFF).contains(channel))
        for i in 0..<5 {
            let payload = Array("ping \(i) over \(transport.rawValue)".utf8) + [UInt8](repeating: UInt8(i), count: i)  // odd sizes: padding
            try client.send(payload, to: peer.localAddress)
            let got = try #require(receive(peer))
            #expect(got.bytes == payload)
            #expect(got.from == client.relayedAddress)
            let reply = Array("pong \(i)".utf8) + [UInt8](repeating: 0xAB, count: i)
            try peer.send(reply, to: client.relayedAddress)
            #expect(inbox.wait(for: reply) == peer.localAddress)
        }
        let stats = client.statistics
        #expect(stats.sentChannelData >= 5)
        #expect(stats.receivedChannelData >= 1)
        // The first reply comes as a Data indication unless the channel was already bound (fast over TCP).
        #expect(stats.receivedDataIndications + stats.receivedChannelData >= 6)
        #expect(stats.droppedPackets == 0)
    }

    @Test(arguments: [TURNTransport.udp, .tcp])
    func wrongPasswordIsAClearTURNError(transport: TURNTransport) throws {
        let client = makeClient(transport, password: "not-the-password")
        defer { client.close() }
        let error = try #require(throws: MediaError.self) { try client.allocate(timeout: .seconds(3)) }
        #expect(error.kind == .turn)
        #expect(error.message.contains("TURN server 127.0.0.1:\(server.port) refused the credentials (401"))
        #expect(error.message.contains("\"test\""))
        #expect(error.message.contains("emulator.webex.com"))
        #expect(error.message.contains("check the TURN username and password"))
        #expect(client.state == .failed)
        #expect(throws: MediaError.self) { try client.send([1], to: server.address) }
    }

    @Test func refreshKeepsTheAllocation() throws {
        let client = makeClient(.udp)
        let inbox = Inbox()
        client.onReceive = { bytes, from in inbox.add(bytes, from) }
        defer { client.close() }
        try client.allocate(timeout: .seconds(3))
        let relayed = client.relayedAddress

        try client.refresh()
        #expect(client.statistics.refreshes == 1)
        #expect(client.lifetime > 0)

        // Automatic refreshes from the receive thread.
        client.setRefreshInterval(.milliseconds(100))
        #expect(waitUntil(timeoutMillis: 3000) { client.statistics.refreshes >= 4 })
        client.setRefreshInterval(nil)
        #expect(client.state == .allocated)
        #expect(client.relayedAddress == relayed)

        let peer = try UDPSocket(bindTo: loopback)
        defer { peer.close() }
        try client.send([1, 2, 3], to: peer.localAddress)
        let got = try #require(receive(peer))
        #expect(got.bytes == [1, 2, 3])
        #expect(got.from == relayed)
        try peer.send([4, 5, 6], to: relayed)
        #expect(inbox.wait(for: [4, 5, 6]) == peer.localAddress)
    }

    @Test(arguments: [TURNTransport.udp, .tcp])
    func permissionsAndChannelsAreRefreshed(transport: TURNTransport) throws {
        let client = makeClient(transport)
        let inbox = Inbox()
        client.onReceive = { bytes, from in inbox.add(bytes, from) }
        defer { client.close() }
        try client.allocate(timeout: .seconds(3))
        let peer = try UDPSocket(bindTo: loopback)
        defer { peer.close() }
        try client.send([0], to: peer.localAddress)
        _ = try #require(receive(peer))
        #expect(waitUntil(timeoutMillis: 2000) { client.channelNumber(for: peer.localAddress) != nil })

        client.setBindingRefreshIntervals(permission: .milliseconds(100), channel: .milliseconds(150))
        #expect(waitUntil(timeoutMillis: 3000) {
            client.statistics.permissionRefreshes >= 3 && client.statistics.channelRefreshes >= 2
        })
        let channel = client.channelNumber(for: peer.localAddress)
        #expect(channel != nil)
        for i in 1...3 {
            try client.send([UInt8(i)], to: peer.localAddress)
            let got = try #require(receive(peer))
            #expect(got.bytes == [UInt8(i)])
            try peer.send([UInt8(100 + i)], to: client.relayedAddress)
            #expect(inbox.wait(for: [UInt8(100 + i)]) == peer.localAddress)
        }
        #expect(client.channelNumber(for: peer.localAddress) == channel)
    }

    @Test func staleNonceIsRetriedWithTheNewNonce() throws {
        let client = makeClient(.udp)
        defer { client.close() }
        try client.allocate(timeout: .seconds(3))
        usleep(2_300_000)   // coturn runs with --stale-nonce=1
        try client.refresh()
        #expect(client.statistics.staleNonceRetries >= 1)
        #expect(client.statistics.refreshes == 1)
        #expect(client.state == .allocated)
    }

    @Test(arguments: [TURNTransport.udp, .tcp])
    func closeDeallocatesAndStopsTheThread(transport: TURNTransport) throws {
        let client = makeClient(transport)
        try client.allocate(timeout: .seconds(3))
        let relayed = client.relayedAddress
        // While allocated, coturn holds the relayed port.
        #expect(throws: (any Error).self) { try UDPSocket(bindTo: relayed).close() }
        let start = MediaClock.nowMicros()
        client.close()
        #expect(MediaClock.nowMicros() - start < 500_000)   // answered Refresh(0), thread joined quickly
        #expect(client.state == .closed)
        #expect(client.localAddress == nil)
        #expect(throws: MediaError.self) { try client.send([1], to: relayed) }
        // The Refresh(0) freed the relayed port.
        #expect(waitUntil(timeoutMillis: 2000) {
            guard let s = try? UDPSocket(bindTo: relayed) else { return false }
            s.close()
            return true
        })
        client.close()  // idempotent
    }

    @Test func twoClientsTalkThroughTheirRelays() throws {
        let a = makeClient(.udp), b = makeClient(.tcp)
        let inboxA = Inbox(), inboxB = Inbox()
        a.onReceive = { bytes, from in inboxA.add(bytes, from) }
        b.onReceive = { bytes, from in inboxB.add(bytes, from) }
        defer { a.close(); b.close() }
        try a.allocate(timeout: .seconds(3))
        try b.allocate(timeout: .seconds(3))
        // Each side must permit the other's relayed address before packets get through; retry like ICE does.
        var delivered = false
        for _ in 0..<20 where !delivered {
            try a.send([0xA1], to: b.relayedAddress)
            try b.send([0xB1], to: a.relayedAddress)
            delivered = inboxB.wait(for: [0xA1], timeoutMillis: 100) != nil && inboxA.wait(for: [0xB1], timeoutMillis: 100) != nil
        }
        #expect(delivered)
        #expect(inboxB.wait(for: [0xA1]) == a.relayedAddress)
        #expect(inboxA.wait(for: [0xB1]) == b.relayedAddress)
    }

    @Test func closeFromTheReceiveCallbackDoesNotDeadlock() throws {
        let client = makeClient(.udp)
        let closed = Atomic<Bool>(false)
        client.onReceive = { [client] _, _ in
            client.close()
            closed.store(true, ordering: .releasing)
        }
        try client.allocate(timeout: .seconds(3))
        let peer = try UDPSocket(bindTo: loopback)
        defer { peer.close() }
        try client.send([9], to: peer.localAddress)
        _ = try #require(receive(peer))
        try peer.send([8], to: client.relayedAddress)
        #expect(waitUntil(timeoutMillis: 2000) { closed.load(ordering: .acquiring) })
        #expect(client.state == .closed)
        client.onReceive = nil
    }
}

// MARK: - Without a server

@Suite struct TURNWireTests {
    @Test func sendIndicationCarriesPeerAndData() throws {
        let peer = try #require(SocketAddress(host: "192.0.2.7", port: 5000))
        let raw = TURNClient.sendIndication([1, 2, 3], to: peer)
        let message = try STUNMessage(parsing: raw)
        #expect(message.method == STUNMethod.send)
        #expect(message.messageClass == .indication)
        #expect(message.xorPeerAddress == peer)
        #expect(message.data == [1, 2, 3])
        #expect(!STUNMessage.hasIntegrity(raw))   // indications are not authenticated
    }

    @Test func channelDataFramingAndPadding() throws {
        let udp = TURNWire.channelData(channel: 0x4001, payload: [1, 2, 3, 4, 5], pad: false)
        #expect(udp == [0x40, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5])
        let tcp = TURNWire.channelData(channel: 0x4001, payload: [1, 2, 3, 4, 5], pad: true)
        #expect(tcp == [0x40, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5, 0, 0, 0])
        let parsed = try #require(TURNWire.parseChannelData(tcp))
        #expect(parsed.channel == 0x4001)
        #expect(parsed.payload == [1, 2, 3, 4, 5])
        #expect(TURNWire.parseChannelData([0x40, 0x01, 0x00, 0x09, 1]) == nil)   // truncated
        #expect(TURNWire.parseChannelData([0x00, 0x01, 0x00, 0x00]) == nil)      // STUN, not ChannelData
        #expect(TURNWire.parseChannelData([0x40]) == nil)
    }

    @Test func tcpFrameLengths() {
        #expect(TURNWire.tcpFrameLength([0x01, 0x01, 0x00]) == nil)
        #expect(TURNWire.tcpFrameLength([0x01, 0x01, 0x00, 0x08]) == 28)          // STUN: 20 + 8
        #expect(TURNWire.tcpFrameLength([0x40, 0x00, 0x00, 0x05]) == 12)          // ChannelData 4 + 5 → 12
        #expect(TURNWire.tcpFrameLength([0x40, 0x00, 0x00, 0x04]) == 8)
        #expect(TURNWire.tcpFrameLength([0x80, 0x00, 0x00, 0x04]) == -1)          // neither
    }

    @Test func parsersNeverTrapOnRandomBytes() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            let n = Int.random(in: 0..<64, using: &rng)
            let bytes = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            fuzzTURN(bytes)
            // The same bytes dressed as ChannelData and as a STUN header, to get past the first checks.
            fuzzTURN([0x40, 0x00, 0x00, UInt8(n)] + bytes)
            fuzzTURN([0x01, 0x17, 0x00, UInt8(n & ~3), 0x21, 0x12, 0xA4, 0x42] + bytes)
        }
    }

    @Test func allocateTimesOutWithAClearErrorWhenNothingAnswers() throws {
        // A UDP port that nobody reads: bind it ourselves and never answer.
        let silent = try UDPSocket(bindTo: loopback)
        defer { silent.close() }
        let client = TURNClient(server: silent.localAddress, transport: .udp, username: "u", password: "p")
        let start = MediaClock.nowMicros()
        let error = try #require(throws: MediaError.self) { try client.allocate(timeout: .milliseconds(700)) }
        let elapsed = MediaClock.nowMicros() - start
        #expect(error.kind == .turn)
        #expect(error.message.contains("did not answer the Allocate request over UDP"))
        #expect(elapsed < 2_000_000)
        // Retransmitted at least once (RTO 500 ms).
        var requests = 0
        while let got = try silent.receive(timeoutMillis: 50) {
            if (try? STUNMessage(parsing: got.bytes))?.method == 0x003 { requests += 1 }
        }
        #expect(requests >= 2)
        #expect(client.state == .failed)
    }

    @Test func tcpConnectionRefusedIsAClearError() throws {
        let port = try Coturn.freePortForUDPAndTCP()
        let client = TURNClient(server: SocketAddress(host: "127.0.0.1", port: port)!, transport: .tcp, username: "u", password: "p")
        let error = try #require(throws: MediaError.self) { try client.allocate(timeout: .seconds(1)) }
        #expect(error.kind == .turn)
        #expect(error.message.contains("Could not connect to TURN server 127.0.0.1:\(port) over TCP"))
    }

    /// A scripted UDP "TURN server": answers Allocate without authentication, Refresh with 437.
    @Test func refreshRefusedReportsTheLostAllocation() throws {
        let fake = try UDPSocket(bindTo: loopback)
        let relayed = SocketAddress(host: "127.0.0.1", port: 50_001)!
        let running = Atomic<Bool>(true)
        let thread = Thread {
            while running.load(ordering: .acquiring) {
                guard let (bytes, from) = try? fake.receive(timeoutMillis: 20),
                      let request = try? STUNMessage(parsing: bytes), request.messageClass == .request else { continue }
                var response: STUNMessage
                switch request.method {
                case STUNMethod.allocate:
                    response = request.response(.successResponse)
                    response.xorRelayedAddress = relayed
                    response.xorMappedAddress = from
                    response.lifetime = 600
                default:
                    response = request.response(.errorResponse)
                    response.errorCode = (437, "Allocation Mismatch")
                }
                try? fake.send(response.serialized(), to: from)
            }
        }
        thread.start()
        defer { running.store(false, ordering: .releasing); usleep(50_000); fake.close() }

        let client = TURNClient(server: fake.localAddress, transport: .udp, username: "u", password: "p")
        let failure = Mutex<MediaError?>(nil)
        client.onFailure = { error in failure.withLock { $0 = error } }
        defer { client.close() }
        try client.allocate(timeout: .seconds(2))
        #expect(client.relayedAddress == relayed)
        #expect(client.mappedAddress == client.localAddress)
        #expect(client.lifetime == 600)

        #expect(throws: MediaError.self) { try client.refresh() }   // explicit refresh: the error is thrown
        #expect(client.state == .allocated)
        client.setRefreshInterval(.milliseconds(50))                 // automatic refresh: onFailure
        #expect(waitUntil(timeoutMillis: 2000) { failure.withLock { $0 } != nil })
        let error = try #require(failure.withLock { $0 })
        #expect(error.kind == .turn)
        #expect(error.message.contains("refused to refresh the allocation (437"))
        #expect(client.state == .failed)
        #expect(throws: MediaError.self) { try client.send([1], to: relayed) }
    }

    @Test func sendBeforeAllocateThrows() {
        let client = TURNClient(server: SocketAddress(host: "127.0.0.1", port: 3478)!, username: "u", password: "p")
        #expect(client.relayedAddress.port == 0)
        #expect(throws: MediaError.self) { try client.send([1], to: SocketAddress(host: "127.0.0.1", port: 9)!) }
        client.close()
        #expect(client.state == .closed)
    }
}
