import Foundation
import Testing
@testable import WebexSDK

/// The libcurl websocket client against a server we did not write: Python's `websockets` package
/// (installed into .venv by scripts/test.sh), over ws:// and over wss:// with certificate checks.
@Suite(.serialized) struct WebSocketPeerTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var python: String {
        ProcessInfo.processInfo.environment["WEBEX_TEST_PYTHON"] ?? root.appendingPathComponent(".venv/bin/python").path
    }

    final class Peer: @unchecked Sendable {
        let process = Process()
        let port: Int
        init(tls: (cert: String, key: String)? = nil) throws {
            process.executableURL = URL(fileURLWithPath: WebSocketPeerTests.python)
            let script = WebSocketPeerTests.root.appendingPathComponent("Tests/Interop/peers/ws_echo_server.py").path
            process.arguments = [script] + (tls.map { [$0.cert, $0.key] } ?? [])
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            var line = Data()
            while true {
                let byte = out.fileHandleForReading.readData(ofLength: 1)
                if byte.isEmpty || byte == Data("\n".utf8) { break }
                line += byte
            }
            guard let p = Int(String(decoding: line, as: UTF8.self)) else {
                kill(process.processIdentifier, SIGKILL)
                throw WebSocketError.connect("the websockets peer did not start (is it installed in .venv? run scripts/test.sh)")
            }
            port = p
        }
        // SIGKILL: the peer may have inherited an ignored SIGTERM from the test runner.
        deinit { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
    }

    func connector(ca: String? = nil) -> CurlWebSocketConnector {
        CurlWebSocketConnector(options: CurlTransportOptions(userAgent: "webex-test/1", extraCABundle: ca), handshakeTimeout: 5)
    }

    func next(_ it: inout AsyncStream<WebSocketEvent>.Iterator) async -> WebSocketEvent? { await it.next() }

    func text(_ e: WebSocketEvent?) -> String? { if case .text(let s, _)? = e { s } else { nil } }

    @Test func echoesLargeMessagesSendsHeadersAndReportsTheServersCloseCode() async throws {
        let peer = try Peer()
        let ws = try await connector().connect(url: URL(string: "ws://127.0.0.1:\(peer.port)/v1/x?a=1")!, headers: [("trackingid", "t-1")])
        var it = ws.events.makeAsyncIterator()
        try ws.send(text: "hello ✓")
        #expect(text(await next(&it)) == "hello ✓")
        try ws.send(text: "big:200000")
        #expect(text(await next(&it))?.count == 200_000)
        try ws.send(text: "headers")
        let headers = try JSONSerialization.jsonObject(with: Data((text(await next(&it)) ?? "").utf8)) as? [String: String]
        #expect(headers?["trackingid"] == "t-1")
        #expect(headers?["user-agent"] == "webex-test/1")
        try ws.send(text: "close:4000:replaced")
        #expect(await next(&it) == .closed(code: 4000, reason: "replaced", clean: true))
        #expect(await next(&it) == nil)
        #expect(throws: WebSocketError.closed) { try ws.send(text: "after close") }
    }

    @Test func clientCloseEndsTheStream() async throws {
        let peer = try Peer()
        let ws = try await connector().connect(url: URL(string: "ws://127.0.0.1:\(peer.port)/")!, headers: [])
        await ws.close(code: 1000, reason: "Done")
        var it = ws.events.makeAsyncIterator()
        guard case .closed(let code, _, _)? = await next(&it) else { Issue.record("no close"); return }
        #expect(code == 1000)
    }

    @Test func wssVerifiesTheCertificate() async throws {
        let dir = NSTemporaryDirectory() + "webex-wss-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                             "-keyout", dir + "/key.pem", "-out", dir + "/cert.pem", "-days", "1",
                             "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        try #require(openssl.terminationStatus == 0)
        let peer = try Peer(tls: (dir + "/cert.pem", dir + "/key.pem"))
        let url = URL(string: "wss://127.0.0.1:\(peer.port)/")!

        // Not trusted: refused before any byte of the upgrade is sent.
        await #expect(throws: WebSocketError.self) { _ = try await connector().connect(url: url, headers: []) }

        let ws = try await connector(ca: dir + "/cert.pem").connect(url: url, headers: [])
        var it = ws.events.makeAsyncIterator()
        try ws.send(text: "over tls")
        #expect(text(await next(&it)) == "over tls")
        await ws.close(code: 1000, reason: "Done")
    }

    @Test func plainWebSocketOnlyToLoopback() async {
        await #expect(throws: WebSocketError.self) {
            _ = try await connector().connect(url: URL(string: "ws://example.com/")!, headers: [])
        }
    }
}
