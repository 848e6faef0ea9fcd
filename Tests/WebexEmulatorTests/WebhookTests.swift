import COpenSSL
import Foundation
import Testing
import WebexEmulator

/// HMAC-SHA1 computed here with OpenSSL directly, independent of the emulator's code.
private func hmacSHA1Hex(key: String, body: [UInt8]) -> String {
    var digest = [UInt8](repeating: 0, count: 64)
    var length: UInt32 = 0
    let keyBytes = Array(key.utf8)
    _ = HMAC(EVP_sha1(), keyBytes, Int32(keyBytes.count), body, body.count, &digest, &length)
    return digest.prefix(Int(length)).map { String(format: "%02x", $0) }.joined()
}

@Suite struct WebhookTests {
    static let fast = WebhookDeliverySettings(retryBaseMs: 5, maxAttempts: 2, failuresBeforeInactive: 3, timeoutMs: 2000)

    @Test func signatureMatchesAKnownVector() {
        // RFC 2202 test case 2.
        #expect(WebhookSignature.sign(secret: "Jefe", body: Array("what do ya want for nothing?".utf8))
            == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
    }

    @Test func createValidatesFieldsAndFilters() async throws {
        try await withEmulator { client, _ in
            let roomId = try await client.create("/v1/rooms", #"{"title":"Hooks"}"#)
            let bobRoom = try await client.create("/v1/rooms", token: "bob-token", #"{"title":"Bob only"}"#)
            func hook(_ fields: String) async throws -> HTTPResult {
                try await client.send("POST", "/v1/webhooks", json: "{" + fields + "}")
            }
            let base = #""name":"h","targetUrl":"https://example.com/hook""#
            let ok = try await hook(base + #","resource":"messages","event":"created","filter":"roomId=\#(roomId)&hasFiles=false","secret":"s3cret""#)
            #expect(ok.status == 200)
            let w = try ok.json
            #expect(HydraID.decode(try #require(w["id"] as? String))?.type == "WEBHOOK")
            #expect(w["status"] as? String == "active")
            #expect(w["ownedBy"] as? String == "creator")
            #expect(w["secret"] as? String == "s3cret")
            #expect(w["filter"] as? String == "roomId=\(roomId)&hasFiles=false")
            #expect(w["orgId"] is String && w["appId"] is String && w["createdBy"] is String && w["created"] is String)

            let unknownKey = try await hook(base + #","resource":"messages","event":"created","filter":"color=blue""#)
            #expect(unknownKey.status == 400)
            #expect(client.errorMessage(unknownKey) == "invalid value for filter: color")
            let wrongResourceKey = try await hook(base + #","resource":"rooms","event":"created","filter":"roomId=\#(roomId)""#)
            #expect(client.errorMessage(wrongResourceKey) == "invalid value for filter: roomId")
            let notMine = try await hook(base + #","resource":"messages","event":"created","filter":"roomId=\#(bobRoom)""#)
            #expect(notMine.status == 400)
            #expect(client.errorMessage(notMine) == "invalid value for filter: roomId")
            let badBool = try await hook(base + #","resource":"memberships","event":"all","filter":"isModerator=maybe""#)
            #expect(client.errorMessage(badBool) == "invalid value for filter: isModerator")
            #expect(try await hook(base + #","resource":"message","event":"created""#).status == 400)
            #expect(try await hook(base + #","resource":"messages","event":"posted""#).status == 400)
            #expect(try await hook(base + #","resource":"messages""#).status == 400)
            #expect(
                try await hook(#""name":"h","targetUrl":"ftp://example.com","resource":"messages","event":"created""#).status == 400)

            // Owner-only CRUD; PUT honours name/targetUrl/secret/status.
            let id = try #require(w["id"] as? String)
            #expect(try await client.send("GET", "/v1/webhooks/\(id)", token: "bob-token").status == 404)
            #expect(try await client.send("GET", "/v1/webhooks").items.count == 1)
            let updated = try await client.send(
                "PUT", "/v1/webhooks/\(id)", json: #"{"name":"renamed","status":"inactive","resource":"rooms"}"#)
            #expect(try updated.json["name"] as? String == "renamed")
            #expect(try updated.json["status"] as? String == "inactive")
            #expect(try updated.json["resource"] as? String == "messages")
            #expect(try await client.send("PUT", "/v1/webhooks/\(id)", json: #"{"status":"paused"}"#).status == 400)
            #expect(try await client.send("DELETE", "/v1/webhooks/\(id)").status == 204)
            #expect(try await client.send("GET", "/v1/webhooks/\(id)").status == 404)
        }
    }

    @Test func deliveryIsSignedAndCarriesNoText() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        try await withEmulator(webhookDelivery: Self.fast) { client, _ in
            let roomId = try await client.create("/v1/rooms", #"{"title":"Signed"}"#)
            let hookId = try await client.create(
                "/v1/webhooks",
                #"{"name":"msgs","targetUrl":"\#(receiver.url)","resource":"messages","event":"created","secret":"top secret"}"#)
            let messageId = try await client.create("/v1/messages", #"{"roomId":"\#(roomId)","text":"hello hook"}"#)

            let got = try await receiver.waitFor(1)
            try #require(got.count == 1)
            let delivery = got[0]
            #expect(delivery.method == "POST")
            #expect(delivery.path == "/hook")
            #expect(delivery.headers["content-type"]?.hasPrefix("application/json") == true)
            #expect(delivery.headers["user-agent"]?.isEmpty == false)
            let signature = try #require(delivery.headers["x-spark-signature"])
            #expect(signature == hmacSHA1Hex(key: "top secret", body: delivery.body))
            #expect(signature.count == 40 && signature == signature.lowercased())

            let envelope = try delivery.json
            #expect(envelope["id"] as? String == hookId)
            #expect(envelope["resource"] as? String == "messages")
            #expect(envelope["event"] as? String == "created")
            #expect(envelope["secret"] == nil)
            #expect(envelope["ownedBy"] as? String == "creator")
            #expect(envelope["status"] as? String == "active")
            let me = try await client.send("GET", "/v1/people/me").json["id"] as? String
            #expect(envelope["actorId"] as? String == me)
            #expect(envelope["createdBy"] as? String == me)
            for key in ["name", "targetUrl", "orgId", "appId", "created"] { #expect(envelope[key] is String, "\(key)") }
            let data = try #require(envelope["data"] as? [String: Any])
            #expect(data["id"] as? String == messageId)
            #expect(data["roomId"] as? String == roomId)
            #expect(data["roomType"] as? String == "group")
            #expect(data["personEmail"] as? String == "alice@example.com")
            #expect(data["text"] == nil && data["markdown"] == nil && data["html"] == nil)

            let log = try await client.send("GET", "/_emulator/deliveries", token: nil).items
            try #require(log.count == 1)
            #expect(log[0]["webhookId"] as? String == hookId)
            #expect(log[0]["delivered"] as? Bool == true)
            #expect(log[0]["status"] as? Int == 200)
            #expect(log[0]["attempt"] as? Int == 1)
            #expect(log[0]["targetUrl"] as? String == receiver.url)
            #expect(log[0]["resource"] as? String == "messages" && log[0]["event"] as? String == "created")
            #expect(try await client.send("DELETE", "/_emulator/deliveries", token: nil).status == 204)
            #expect(try await client.send("GET", "/_emulator/deliveries", token: nil).items.isEmpty)
        }
    }

    @Test func nonMatchingFilterDeliversNothing() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        try await withEmulator(webhookDelivery: Self.fast) { client, _ in
            let watched = try await client.create("/v1/rooms", #"{"title":"Watched"}"#)
            let other = try await client.create("/v1/rooms", #"{"title":"Other"}"#)
            _ = try await client.create(
                "/v1/webhooks",
                #"{"name":"one room","targetUrl":"\#(receiver.url)","resource":"messages","event":"all","filter":"roomId=\#(watched)"}"#)
            _ = try await client.create("/v1/messages", #"{"roomId":"\#(other)","text":"elsewhere"}"#)
            _ = try await client.create("/v1/memberships", #"{"roomId":"\#(other)","personEmail":"bob@example.com"}"#)
            let wanted = try await client.create("/v1/messages", #"{"roomId":"\#(watched)","text":"here"}"#)
            // Deliveries of one webhook arrive in order, so anything for "Other" would come first.
            let got = try await receiver.waitFor(1)
            try await Task.sleep(for: .milliseconds(200))
            #expect(receiver.received.count == 1)
            let data = try #require(try got.first?.json["data"] as? [String: Any])
            #expect(data["id"] as? String == wanted)
            #expect(got.first?.headers["x-spark-signature"] == nil)
        }
    }

    @Test func firehoseSeesMembershipsAndRooms() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        try await withEmulator(webhookDelivery: Self.fast) { client, _ in
            _ = try await client.create(
                "/v1/webhooks", #"{"name":"all","targetUrl":"\#(receiver.url)","resource":"all","event":"all"}"#)
            let roomId = try await client.create("/v1/rooms", #"{"title":"Fire"}"#)
            _ = try await client.create("/v1/memberships", #"{"roomId":"\#(roomId)","personEmail":"bob@example.com"}"#)
            let got = try await receiver.waitFor(3)
            let kinds = try got.map { try "\($0.json["resource"] as? String ?? "")/\($0.json["event"] as? String ?? "")" }
            #expect(kinds == ["rooms/created", "memberships/created", "memberships/created"])
            let last = try #require(try got.last?.json["data"] as? [String: Any])
            #expect(last["personEmail"] as? String == "bob@example.com")
            #expect(last["roomId"] as? String == roomId)
        }
    }

    @Test func failingTargetBecomesInactiveUntilReactivated() async throws {
        let receiver = try WebhookReceiver(status: 500)
        defer { receiver.stop() }
        try await withEmulator { client, _ in
            // The control API sets the fast backoff (the configuration could too).
            let settings = try await client.send(
                "PUT", "/_emulator/settings", token: nil,
                json: #"{"webhookRetryBaseMs":5,"webhookMaxAttempts":2,"webhookFailuresBeforeInactive":3}"#)
            #expect(try settings.json["webhookRetryBaseMs"] as? Int == 5)
            let roomId = try await client.create("/v1/rooms", #"{"title":"Flaky"}"#)
            let hookId = try await client.create(
                "/v1/webhooks", #"{"name":"flaky","targetUrl":"\#(receiver.url)","resource":"messages","event":"created"}"#)
            for i in 1...4 {
                _ = try await client.create("/v1/messages", #"{"roomId":"\#(roomId)","text":"m\#(i)"}"#)
            }
            let inactive = try await eventually {
                try await client.send("GET", "/v1/webhooks/\(hookId)").json["status"] as? String == "inactive"
            }
            #expect(inactive)
            try await Task.sleep(for: .milliseconds(200))
            // 3 deliveries × 2 attempts, then nothing (the 4th message was dropped once inactive).
            let log = try await client.send("GET", "/_emulator/deliveries", token: nil).items
            #expect(log.count == 6)
            #expect(log.map { $0["attempt"] as? Int } == [1, 2, 1, 2, 1, 2])
            #expect(log.allSatisfy { $0["delivered"] as? Bool == false && $0["status"] as? Int == 500 })
            #expect(receiver.received.count == 6)

            _ = try await client.create("/v1/messages", #"{"roomId":"\#(roomId)","text":"while inactive"}"#)
            try await Task.sleep(for: .milliseconds(100))
            #expect(receiver.received.count == 6)

            receiver.setStatus(204)
            let reactivated = try await client.send("PUT", "/v1/webhooks/\(hookId)", json: #"{"status":"active"}"#)
            #expect(try reactivated.json["status"] as? String == "active")
            _ = try await client.create("/v1/messages", #"{"roomId":"\#(roomId)","text":"back"}"#)
            let got = try await receiver.waitFor(7)
            #expect(got.count == 7)
            let delivered = try await eventually {
                try await client.send("GET", "/_emulator/deliveries", token: nil).items.last?["delivered"] as? Bool == true
            }
            #expect(delivered)

            // Nothing listens on a closed port: a connection failure is logged with a null status.
            receiver.stop()
            _ = try await client.send("PUT", "/v1/webhooks/\(hookId)", json: #"{"targetUrl":"http://127.0.0.1:9/none"}"#)
            _ = try await client.create("/v1/messages", #"{"roomId":"\#(roomId)","text":"nobody home"}"#)
            let failed = try await eventually {
                let items = try await client.send("GET", "/_emulator/deliveries", token: nil).items
                return items.count >= 9
            }
            #expect(failed)
            let last = try #require(try await client.send("GET", "/_emulator/deliveries", token: nil).items.last)
            #expect(last["status"] is NSNull)
            #expect(last["error"] is String)
        }
    }

    @Test func botsGetGroupMessagesOnlyWhenMentioned() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        try await withEmulator(webhookDelivery: Self.fast) { client, _ in
            let roomId = try await client.create("/v1/rooms", #"{"title":"Bot room"}"#)
            _ = try await client.create("/v1/memberships", #"{"roomId":"\#(roomId)","personEmail":"emubot@webex.bot"}"#)
            _ = try await client.create(
                "/v1/webhooks", token: "bot-token",
                #"{"name":"bot","targetUrl":"\#(receiver.url)","resource":"messages","event":"created","filter":"mentionedPeople=me"}"#)
            let quiet = try await client.create("/v1/messages", #"{"roomId":"\#(roomId)","text":"not for the bot"}"#)
            let mention = try await client.create(
                "/v1/messages", #"{"roomId":"\#(roomId)","markdown":"<@personEmail:emubot@webex.bot|Emu> status?"}"#)
            let got = try await receiver.waitFor(1)
            try await Task.sleep(for: .milliseconds(150))
            #expect(receiver.received.count == 1)
            #expect(try (got.first?.json["data"] as? [String: Any])?["id"] as? String == mention)
            #expect(try (got.first?.json["data"] as? [String: Any])?["mentionedPeople"] as? [String] != nil)

            #expect(try await client.send("GET", "/v1/messages/\(quiet)", token: "bot-token").status == 404)
            #expect(try await client.send("GET", "/v1/messages/\(mention)", token: "bot-token").status == 200)
        }
    }
}
