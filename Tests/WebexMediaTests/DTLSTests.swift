import Foundation
import Glibc
import Synchronization
import Testing
@testable import WebexMedia

/// Datagrams in flight between two in-memory transports (index 0 = client, 1 = server).
private final class Wire: Sendable {
    private let queue = Mutex<[(to: Int, bytes: [UInt8])]>([])
    /// How many of the next datagrams from each side to drop (simulates a lost flight).
    let drops = Mutex<[Int]>([0, 0])
    let sent = Mutex<[Int]>([0, 0])

    func sender(from side: Int) -> @Sendable ([UInt8]) -> Void {
        { [self] bytes in
            sent.withLock { $0[side] += 1 }
            let drop = drops.withLock { counts -> Bool in
                guard counts[side] > 0 else { return false }
                counts[side] -= 1
                return true
            }
            if !drop { queue.withLock { $0.append((to: 1 - side, bytes: bytes)) } }
        }
    }

    func take() -> [(to: Int, bytes: [UInt8])] {
        queue.withLock { queue in
            defer { queue.removeAll() }
            return queue
        }
    }
}

private final class Recorder: Sendable {
    let failures = Mutex<[MediaError]>([])
    let connects = Mutex(0)
}

private struct Pair {
    let wire = Wire()
    let client: DTLSTransport
    let server: DTLSTransport
    let clientCertificate: DTLSCertificate
    let serverCertificate: DTLSCertificate
    let clientEvents = Recorder()
    let serverEvents = Recorder()

    init(clientProfiles: [SRTPProfile] = [.aeadAes128Gcm, .aes128CmSha1_80],
         serverProfiles: [SRTPProfile] = [.aeadAes128Gcm, .aes128CmSha1_80],
         clientExpects: String? = nil, serverExpects: String? = nil) throws {
        clientCertificate = try DTLSCertificate.generate()
        serverCertificate = try DTLSCertificate.generate()
        client = try DTLSTransport(role: .client, certificate: clientCertificate,
                                   remoteFingerprint: ("sha-256", clientExpects ?? serverCertificate.fingerprint),
                                   srtpProfiles: clientProfiles, send: wire.sender(from: 0))
        server = try DTLSTransport(role: .server, certificate: serverCertificate,
                                   remoteFingerprint: ("sha-256", serverExpects ?? clientCertificate.fingerprint),
                                   srtpProfiles: serverProfiles, send: wire.sender(from: 1))
        for (transport, recorder) in [(client, clientEvents), (server, serverEvents)] {
            transport.onFailure = { error in recorder.failures.withLock { $0.append(error) } }
            transport.onConnected = { recorder.connects.withLock { $0 += 1 } }
        }
    }

    /// Delivers datagrams and ticks both sides until both connected, both failed, or the deadline.
    /// Returns the errors `handle` threw, per side.
    @discardableResult
    func pump(seconds: Double = 3) -> [[MediaError]] {
        var thrown: [[MediaError]] = [[], []]
        let deadline = MediaClock.nowMicros() + UInt64(seconds * 1_000_000)
        while MediaClock.nowMicros() < deadline {
            let batch = wire.take()
            for item in batch {
                let target = item.to == 0 ? client : server
                do { try target.handle(item.bytes) } catch let error as MediaError { thrown[item.to].append(error) } catch {}
            }
            let now = MediaClock.nowMicros()
            client.tick(now: now)
            server.tick(now: now)
            if batch.isEmpty {
                let done = (client.isConnected && server.isConnected)
                    || (!clientEvents.failures.withLock { $0.isEmpty } && !serverEvents.failures.withLock { $0.isEmpty })
                if done { break }
                usleep(5_000)
            }
        }
        return thrown
    }
}

private func runTool(_ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

@Suite("DTLS")
struct DTLSTests {
    @Test func certificateFingerprintMatchesOpenSSLCommandLine() throws {
        let certificate = try DTLSCertificate.generate()
        let fingerprint = certificate.fingerprint
        #expect(fingerprint.count == 32 * 3 - 1)
        #expect(fingerprint == fingerprint.uppercased())
        #expect(fingerprint.split(separator: ":").allSatisfy { $0.count == 2 && $0.allSatisfy(\.isHexDigit) })
        #expect(try DTLSCertificate.generate().fingerprint != fingerprint)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dtls-cert-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("cert.pem").path
        try certificate.pemCertificate.write(toFile: path, atomically: true, encoding: .utf8)
        let output = try runTool(["x509", "-in", path, "-noout", "-fingerprint", "-sha256", "-text"])
        #expect(output.contains("Fingerprint=\(fingerprint)"), "\(output)")
        #expect(output.contains("NIST CURVE: P-256") || output.contains("prime256v1"))
        #expect(output.contains("ecdsa-with-SHA256"))
        #expect(certificate.pemPrivateKey.hasPrefix("-----BEGIN PRIVATE KEY-----"))
    }

    @Test(arguments: [
        ([SRTPProfile.aeadAes128Gcm, .aes128CmSha1_80], [SRTPProfile.aeadAes128Gcm, .aes128CmSha1_80], SRTPProfile.aeadAes128Gcm),
        ([.aes128CmSha1_80], [.aeadAes128Gcm, .aes128CmSha1_80], .aes128CmSha1_80),
        ([.aeadAes128Gcm, .aes128CmSha1_80], [.aes128CmSha1_80], .aes128CmSha1_80),
    ])
    func handshakeInMemoryKeysMatchAndSRTPWorks(clientProfiles: [SRTPProfile], serverProfiles: [SRTPProfile], expected: SRTPProfile) throws {
        let pair = try Pair(clientProfiles: clientProfiles, serverProfiles: serverProfiles)
        #expect(throws: MediaError.self) { try pair.client.srtpKeys() }   // not yet
        try pair.server.start()
        try pair.client.start()
        let thrown = pair.pump()
        #expect(thrown.allSatisfy { $0.isEmpty }, "\(thrown)")
        #expect(pair.client.isConnected && pair.server.isConnected)
        #expect(pair.clientEvents.connects.withLock { $0 } == 1 && pair.serverEvents.connects.withLock { $0 } == 1)
        #expect(pair.client.srtpProfile == expected && pair.server.srtpProfile == expected)

        let clientKeys = try pair.client.srtpKeys()
        let serverKeys = try pair.server.srtpKeys()
        #expect(clientKeys.local == serverKeys.remote)
        #expect(clientKeys.remote == serverKeys.local)
        #expect(clientKeys.local != clientKeys.remote)
        #expect(clientKeys.local.key.count == 16 && clientKeys.local.salt.count == expected.saltLength)

        // Media both ways with the exported keys.
        let clientOut = try SRTPSession(profile: expected, key: clientKeys.local, direction: .outbound)
        let serverIn = try SRTPSession(profile: expected, key: serverKeys.remote, direction: .inbound)
        let serverOut = try SRTPSession(profile: expected, key: serverKeys.local, direction: .outbound)
        let clientIn = try SRTPSession(profile: expected, key: clientKeys.remote, direction: .inbound)
        let rtp: [UInt8] = [0x80, 0x6F, 0x00, 0x01, 0, 0, 0, 0, 0xCA, 0xFE, 0xBA, 0xBE] + Array("hello media".utf8)
        #expect(try serverIn.unprotectRTP(clientOut.protectRTP(rtp)) == rtp)
        #expect(try clientIn.unprotectRTP(serverOut.protectRTP(rtp)) == rtp)
        let rtcp: [UInt8] = [0x80, 201, 0, 1, 0xCA, 0xFE, 0xBA, 0xBE]
        #expect(try serverIn.unprotectRTCP(clientOut.protectRTCP(rtcp)) == rtcp)
        // Keys of one direction do not open the other.
        #expect(throws: MediaError.self) { try clientIn.unprotectRTP(clientOut.protectRTP(rtp)) }

        // close_notify reaches the peer, which reports it once.
        pair.client.close()
        pair.pump(seconds: 0.2)
        #expect(!pair.client.isConnected && !pair.server.isConnected)
        #expect(pair.serverEvents.failures.withLock { $0.map(\.message) } == ["The peer closed the DTLS connection (close_notify)."])
        #expect(pair.clientEvents.failures.withLock { $0.isEmpty })
    }

    @Test func serverRejectsClientWithWrongFingerprint() throws {
        let wrong = String(repeating: "AB:", count: 31) + "AB"
        let pair = try Pair(serverExpects: wrong.lowercased())
        try pair.client.start()
        let thrown = pair.pump()
        #expect(!pair.client.isConnected && !pair.server.isConnected)
        let expected = "The peer's DTLS certificate does not match the fingerprint in its SDP (expected sha-256 \(wrong), got \(pair.clientCertificate.fingerprint)): the connection was refused and no media was sent."
        #expect(thrown[1].map(\.message) == [expected])
        #expect(pair.serverEvents.failures.withLock { $0 } == [MediaError(.dtls, expected)])
        // The client learns through the alert and fails too, with no keys.
        #expect(pair.clientEvents.failures.withLock { $0.count } == 1)
        #expect(throws: MediaError.self) { try pair.client.srtpKeys() }
        #expect(throws: MediaError.self) { try pair.server.srtpKeys() }
    }

    @Test func clientRejectsServerWithWrongFingerprint() throws {
        let other = try DTLSCertificate.generate()
        let pair = try Pair(clientExpects: other.fingerprint)
        try pair.client.start()
        let thrown = pair.pump()
        #expect(!pair.client.isConnected && !pair.server.isConnected)
        let message = try #require(thrown[0].first?.message)
        #expect(message == "The peer's DTLS certificate does not match the fingerprint in its SDP (expected sha-256 \(other.fingerprint), got \(pair.serverCertificate.fingerprint)): the connection was refused and no media was sent.")
        #expect(pair.clientEvents.failures.withLock { $0.first?.kind } == .dtls)
        #expect(pair.serverEvents.failures.withLock { $0.count } == 1)
        #expect(pair.serverEvents.connects.withLock { $0 } == 0)
    }

    @Test func lostFlightsAreRetransmittedByTick() throws {
        let pair = try Pair()
        // Lose the ClientHello and then the server's whole first flight (one datagram per message:
        // ServerHello, Certificate, ServerKeyExchange, CertificateRequest, ServerHelloDone) once.
        pair.wire.drops.withLock { $0 = [1, 5] }
        let started = MediaClock.nowMicros()
        try pair.client.start()
        let thrown = pair.pump(seconds: 4)
        #expect(thrown.allSatisfy { $0.isEmpty }, "\(thrown)")
        #expect(pair.client.isConnected && pair.server.isConnected)
        // At least one client retransmission (after the 400 ms timer) was needed.
        #expect(MediaClock.nowMicros() - started >= UInt64(DTLSTransport.initialRetransmitMicros))
        #expect(pair.wire.sent.withLock { $0[0] } >= 3)
        #expect(try pair.client.srtpKeys().local == pair.server.srtpKeys().remote)
    }

    @Test func handshakeTimesOutWithoutAPeer() throws {
        let certificate = try DTLSCertificate.generate()
        let transport = try DTLSTransport(role: .client, certificate: certificate,
                                          remoteFingerprint: ("sha-256", certificate.fingerprint), send: { _ in })
        transport.handshakeTimeoutMicros = 100_000
        let failures = Recorder()
        transport.onFailure = { error in failures.failures.withLock { $0.append(error) } }
        try transport.start()
        transport.tick(now: MediaClock.nowMicros() + 200_000)
        #expect(failures.failures.withLock { $0.map(\.kind) } == [.timeout])
        #expect(!transport.isConnected)
    }

    @Test func rejectsGarbageAndUnsupportedFingerprintHash() throws {
        let certificate = try DTLSCertificate.generate()
        #expect(throws: MediaError.self) {
            try DTLSTransport(role: .client, certificate: certificate, remoteFingerprint: ("md5", "00"), send: { _ in })
        }
        let transport = try DTLSTransport(role: .server, certificate: certificate,
                                          remoteFingerprint: ("SHA-256", certificate.fingerprint), send: { _ in })
        for bytes: [UInt8] in [[], [0x00, 0x01], [0x80, 0x60, 0, 1], [64]] {
            #expect(throws: MediaError.self) { try transport.handle(bytes) }
        }
        // A well-typed but garbled record makes the handshake fail without trapping.
        var state: UInt32 = 7
        for length in stride(from: 1, to: 200, by: 13) {
            let bytes = [22] + (0..<length).map { _ -> UInt8 in
                state = state &* 1_103_515_245 &+ 12345
                return UInt8(truncatingIfNeeded: state >> 16)
            }
            _ = try? transport.handle(bytes)
        }
        #expect(!transport.isConnected)
    }

    @Test func fuzzEntryNeverTraps() throws {
        // A real ClientHello, then mutations of it, then noise.
        let pair = try Pair()
        try pair.client.start()
        let hello = try #require(pair.wire.take().first?.bytes)
        fuzzDTLS(hello)
        var state: UInt32 = 3
        func next() -> UInt8 {
            state = state &* 1_103_515_245 &+ 12345
            return UInt8(truncatingIfNeeded: state >> 16)
        }
        for round in 0..<12 {
            var mutated = hello
            for _ in 0..<(1 + round % 5) { mutated[Int(next()) % mutated.count] = next() }
            fuzzDTLS(mutated)
            fuzzDTLS([UInt8(20 + Int(next()) % 44)] + (0..<Int(next())).map { _ in next() })
        }
        fuzzDTLS([])
        fuzzDTLS([0, 5, 22, 254, 253, 0, 0])
    }
}

// MARK: - Interop with the openssl command line tools over UDP on 127.0.0.1

/// A minimal blocking IPv4 UDP socket for the interop tests.
private final class TestUDPSocket: @unchecked Sendable {
    let fd: Int32
    private(set) var port: UInt16 = 0
    /// The last address a datagram came from (where replies go).
    private let peer = Mutex<sockaddr_in?>(nil)

    init() throws {
        fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw MediaError(.io, "socket failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw MediaError(.io, "bind failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
    }

    deinit { Glibc.close(fd) }

    func connectTo(port: UInt16) {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        peer.withLock { $0 = address }
    }

    func send(_ bytes: [UInt8]) {
        guard var address = peer.withLock({ $0 }) else { return }
        _ = bytes.withUnsafeBytes { buffer in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, buffer.baseAddress, buffer.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }

    func receive(timeoutMillis: Int32) -> [UInt8]? {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, timeoutMillis) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 2048)
        var from = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let n = withUnsafeMutablePointer(to: &from) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, &buffer, buffer.count, 0, $0, &length) }
        }
        guard n > 0 else { return nil }
        peer.withLock { $0 = from }
        return Array(buffer[0..<n])
    }
}

/// Runs an `openssl` tool with stdin kept open until `finish()`, collecting its output in a file.
private final class OpenSSLTool {
    let process = Process()
    let input = Pipe()
    let outputPath: String
    let directory: URL

    init(_ arguments: [String], directory: URL) throws {
        self.directory = directory
        outputPath = directory.appendingPathComponent("out-\(UInt32.random(in: 0...UInt32.max)).txt").path
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
    }

    var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    /// Closes stdin (the tools then shut down), waits up to 3 s, then kills.
    func finish() -> String {
        try? input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(3)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { process.terminate(); process.waitUntilExit() }
        return output
    }

    /// The hex after "Keying material: ".
    static func keyingMaterial(in output: String) -> [UInt8]? {
        guard let line = output.split(separator: "\n").first(where: { $0.contains("Keying material: ") }),
              let hexText = line.split(separator: " ").last
        else { return nil }
        var bytes: [UInt8] = []
        var iterator = hexText.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            guard let byte = UInt8(String([high, low]), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}

/// Client key, server key, client salt, server salt (RFC 5764 §4.2) from our side's view.
private func exportedLayout(role: DTLSRole, keys: (local: SRTPKeyMaterial, remote: SRTPKeyMaterial)) -> [UInt8] {
    let (client, server) = role == .client ? (keys.local, keys.remote) : (keys.remote, keys.local)
    return client.key + server.key + client.salt + server.salt
}

@Suite("DTLS interop with openssl s_server / s_client", .serialized)
struct DTLSInteropTests {
    private func scratchDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dtls-interop-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    private func writePEM(_ certificate: DTLSCertificate, in directory: URL, name: String) throws -> (cert: String, key: String) {
        let cert = directory.appendingPathComponent("\(name)-cert.pem").path
        let key = directory.appendingPathComponent("\(name)-key.pem").path
        try certificate.pemCertificate.write(toFile: cert, atomically: true, encoding: .utf8)
        try certificate.pemPrivateKey.write(toFile: key, atomically: true, encoding: .utf8)
        return (cert, key)
    }

    /// We are the DTLS client; `openssl s_server -dtls1_2` is the server and must require our certificate.
    @Test(arguments: [SRTPProfile.aes128CmSha1_80, .aeadAes128Gcm])
    func weAreClientAgainstOpenSSLServer(profile: SRTPProfile) throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let ours = try DTLSCertificate.generate(), theirs = try DTLSCertificate.generate()
        let theirFiles = try writePEM(theirs, in: directory, name: "theirs")
        let length = 2 * (profile.keyLength + profile.saltLength)
        let server = try OpenSSLTool(["s_server", "-dtls1_2", "-accept", "127.0.0.1:0", "-naccept", "1",
                                      "-cert", theirFiles.cert, "-key", theirFiles.key, "-Verify", "1",
                                      "-use_srtp", profile.openSSLName, "-keymatexport", "EXTRACTOR-dtls_srtp",
                                      "-keymatexportlen", "\(length)"], directory: directory)
        var port: UInt16?
        for _ in 0..<300 where port == nil {
            if let line = server.output.split(separator: "\n").first(where: { $0.hasPrefix("ACCEPT ") }),
               let value = line.split(separator: ":").last.flatMap({ UInt16($0) }) {
                port = value
            } else {
                usleep(10_000)
            }
        }
        let serverPort = try #require(port, "s_server did not start: \(server.finish())")

        let socket = try TestUDPSocket()
        socket.connectTo(port: serverPort)
        let transport = try DTLSTransport(role: .client, certificate: ours,
                                          remoteFingerprint: ("sha-256", theirs.fingerprint), send: { socket.send($0) })
        try transport.start()
        let deadline = MediaClock.nowMicros() + 5_000_000
        while !transport.isConnected && MediaClock.nowMicros() < deadline {
            if let datagram = socket.receive(timeoutMillis: 20) { try transport.handle(datagram) }
            transport.tick(now: MediaClock.nowMicros())
        }
        #expect(transport.isConnected)
        #expect(transport.srtpProfile == profile)
        let keys = try transport.srtpKeys()
        transport.close()   // close_notify: s_server (-naccept 1) then exits
        let output = server.finish()
        #expect(output.contains("SRTP Extension negotiated, profile=\(profile.openSSLName)"), "\(output)")
        #expect(OpenSSLTool.keyingMaterial(in: output) == exportedLayout(role: .client, keys: keys), "\(output)")
    }

    /// We are the DTLS server; `openssl s_client -dtls1_2` connects with its own certificate.
    @Test(arguments: [SRTPProfile.aes128CmSha1_80, .aeadAes128Gcm])
    func weAreServerAgainstOpenSSLClient(profile: SRTPProfile) throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let ours = try DTLSCertificate.generate(), theirs = try DTLSCertificate.generate()
        let theirFiles = try writePEM(theirs, in: directory, name: "theirs")
        let socket = try TestUDPSocket()
        let transport = try DTLSTransport(role: .server, certificate: ours,
                                          remoteFingerprint: ("sha-256", theirs.fingerprint), send: { socket.send($0) })
        try transport.start()
        let length = 2 * (profile.keyLength + profile.saltLength)
        let client = try OpenSSLTool(["s_client", "-dtls1_2", "-connect", "127.0.0.1:\(socket.port)",
                                      "-cert", theirFiles.cert, "-key", theirFiles.key,
                                      "-use_srtp", profile.openSSLName, "-keymatexport", "EXTRACTOR-dtls_srtp",
                                      "-keymatexportlen", "\(length)"], directory: directory)
        let deadline = MediaClock.nowMicros() + 5_000_000
        var connectedAt: UInt64?
        // Keep serving for 300 ms after connecting so s_client sees our Finished before stdin closes.
        while MediaClock.nowMicros() < deadline {
            if let datagram = socket.receive(timeoutMillis: 20) { try transport.handle(datagram) }
            transport.tick(now: MediaClock.nowMicros())
            if transport.isConnected, connectedAt == nil { connectedAt = MediaClock.nowMicros() }
            if let connectedAt, MediaClock.nowMicros() - connectedAt > 300_000 { break }
        }
        #expect(transport.isConnected)
        #expect(transport.srtpProfile == profile)
        let keys = try transport.srtpKeys()
        let output = client.finish()
        #expect(output.contains("SRTP Extension negotiated, profile=\(profile.openSSLName)"), "\(output)")
        #expect(OpenSSLTool.keyingMaterial(in: output) == exportedLayout(role: .server, keys: keys), "\(output)")
    }

    /// s_server presents a certificate that is not the one in "its SDP": we refuse it.
    @Test func fingerprintMismatchAgainstOpenSSLServer() throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let ours = try DTLSCertificate.generate(), theirs = try DTLSCertificate.generate(), advertised = try DTLSCertificate.generate()
        let theirFiles = try writePEM(theirs, in: directory, name: "theirs")
        let server = try OpenSSLTool(["s_server", "-dtls1_2", "-accept", "127.0.0.1:0", "-naccept", "1",
                                      "-cert", theirFiles.cert, "-key", theirFiles.key,
                                      "-use_srtp", "SRTP_AES128_CM_SHA1_80"], directory: directory)
        var port: UInt16?
        for _ in 0..<300 where port == nil {
            if let line = server.output.split(separator: "\n").first(where: { $0.hasPrefix("ACCEPT ") }) {
                port = line.split(separator: ":").last.flatMap { UInt16($0) }
            } else {
                usleep(10_000)
            }
        }
        let serverPort = try #require(port)
        let socket = try TestUDPSocket()
        socket.connectTo(port: serverPort)
        let transport = try DTLSTransport(role: .client, certificate: ours,
                                          remoteFingerprint: ("sha-256", advertised.fingerprint), send: { socket.send($0) })
        try transport.start()
        var failure: MediaError?
        let deadline = MediaClock.nowMicros() + 5_000_000
        while failure == nil && MediaClock.nowMicros() < deadline {
            if let datagram = socket.receive(timeoutMillis: 20) {
                do { try transport.handle(datagram) } catch let error as MediaError { failure = error }
            }
            transport.tick(now: MediaClock.nowMicros())
        }
        _ = server.finish()
        #expect(failure?.message == "The peer's DTLS certificate does not match the fingerprint in its SDP (expected sha-256 \(advertised.fingerprint), got \(theirs.fingerprint)): the connection was refused and no media was sent.")
        #expect(!transport.isConnected)
    }
}
