import Foundation
import Testing
import WebexEmulator

/// WDM device registration (`/wdm/api/v1`, reference §5.2).
@Suite struct DeviceTests {
    static let jssdkBody =
        #"{"name":"node","deviceType":"WEB","model":"web-js-sdk","localizedModel":"webex-js-sdk","systemName":"WEBEX_JS_SDK","systemVersion":"1.0.0"}"#

    @Test func registerListRefreshAndDelete() async throws {
        try await withEmulator { client, emulator in
            let origin = emulator.endpoint.origin
            let host = String(origin.dropFirst("http://".count))
            let created = try await client.send("POST", "/wdm/api/v1/devices?includeUpstreamServices=all", json: Self.jssdkBody)
            #expect(created.status == 200)
            let etag = try #require(created.header("ETag"))
            let device = try created.json
            let url = try #require(device["url"] as? String)
            #expect(url.hasPrefix(origin + "/wdm/api/v1/devices/"))
            let id = String(url.dropFirst((origin + "/wdm/api/v1/devices/").count))
            #expect(device["webSocketUrl"] as? String == "ws://\(host)/mercury/v1/apps/wx2/registrations/\(id)/messages")
            let alice = try await client.send("GET", "/v1/people/me").json
            #expect(device["userId"] as? String == HydraID.decode(alice["id"] as! String)?.uuid)
            #expect(device["orgId"] as? String == HydraID.decode(alice["orgId"] as! String)?.uuid)
            #expect(device["deviceType"] as? String == "WEB")
            #expect(device["localizedModel"] as? String == "webex-js-sdk")
            #expect(device["systemVersion"] as? String == "1.0.0")
            #expect(device["deviceName"] == nil)
            let services = try #require(device["services"] as? [String: String])
            #expect(services["conversationServiceUrl"] == origin + "/conversation/api/v1")
            #expect(services["hydraServiceUrl"] == origin + "/v1")
            #expect(services["wdmServiceUrl"] == origin + "/wdm/api/v1")
            #expect(services["locusServiceUrl"] == origin + "/locus/api/v1")
            #expect(services["u2cServiceUrl"] == origin + "/u2c/api/v1")
            #expect((device["serviceHostMap"] as? [String: Any])?["serviceLinks"] is [String: String])
            let features = try #require(device["features"] as? [String: [Any]])
            #expect(features.keys.sorted() == ["developer", "entitlement", "user"])
            #expect(device["intranetInactivityDuration"] as? Int == 0)
            #expect(device["inNetworkInactivityDuration"] as? Int == 0)
            let creation = try #require(device["creationTime"] as? String)
            #expect(creation.count == 24 && creation.hasSuffix("Z"))
            #expect(device["modificationTime"] as? String == creation)

            // Only the owner sees it.
            let mine = try await client.send("GET", "/wdm/api/v1/devices").json
            #expect((mine["devices"] as? [[String: Any]])?.map { $0["url"] as? String } == [url])
            let bobs = try await client.send("GET", "/wdm/api/v1/devices", token: "bob-token").json
            #expect((bobs["devices"] as? [Any])?.isEmpty == true)
            #expect(try await client.send("GET", url, token: "bob-token").status == 404)
            #expect(try await client.send("PUT", url, token: "bob-token", json: "{}").status == 404)
            #expect(try await client.send("DELETE", url, token: "bob-token").status == 404)
            let got = try await client.send("GET", url)
            #expect(got.status == 200 && got.header("ETag") == etag)

            // Refresh: a new modification time and ETag; descriptive fields may change.
            try await Task.sleep(for: .milliseconds(5))
            let refreshed = try await client.send(
                "PUT", url + "?includeUpstreamServices=all", json: #"{"name":"renamed","features":{}}"#,
                headers: ["If-None-Match": etag])
            #expect(refreshed.status == 200)
            #expect(refreshed.header("ETag") != nil && refreshed.header("ETag") != etag)
            let after = try refreshed.json
            #expect(after["name"] as? String == "renamed")
            #expect(after["creationTime"] as? String == creation)
            #expect((after["modificationTime"] as? String ?? "") > creation)

            // webex-bot's body carries deviceName, which is echoed too.
            let bot = try await client.send(
                "POST", "/wdm/api/v1/devices",
                json: #"{"deviceName":"pywebsocket-client","deviceType":"DESKTOP","localizedModel":"python","model":"python","name":"python-spark-client","systemName":"python-spark-client","systemVersion":"0.1"}"#
            ).json
            #expect(bot["deviceName"] as? String == "pywebsocket-client")

            #expect(try await client.send("DELETE", url).status == 204)
            #expect(try await client.send("PUT", url, json: "{}").status == 404)
            #expect(try await client.send("GET", url).status == 404)
            let left = try await client.send("GET", "/wdm/api/v1/devices").json
            #expect((left["devices"] as? [[String: Any]])?.map { $0["name"] as? String } == ["python-spark-client"])
        }
    }

    @Test func registrationCapDeleteAllAndReset() async throws {
        try await withEmulator { client, _ in
            let settings = try await client.send("PUT", "/_emulator/settings", token: nil, json: #"{"deviceLimit":2}"#)
            #expect(try settings.json["deviceLimit"] as? Int == 2)
            #expect(try await client.send("GET", "/_emulator/settings", token: nil).json["mercuryAuthTimeout"] as? Int == 30)
            for _ in 0..<2 {
                #expect(try await client.send("POST", "/wdm/api/v1/devices", json: Self.jssdkBody).status == 200)
            }
            let refused = try await client.send("POST", "/wdm/api/v1/devices", json: Self.jssdkBody)
            #expect(refused.status == 403)
            #expect(client.errorMessage(refused) == "User has excessive device registrations")
            #expect((try refused.json["errors"] as? [[String: Any]])?.first?["description"] as? String
                == "User has excessive device registrations")
            #expect(try refused.json["trackingId"] is String)
            // The cap is per person.
            #expect(try await client.send("POST", "/wdm/api/v1/devices", token: "bob-token", json: "{}").status == 200)

            let all = try await client.send("GET", "/_emulator/devices", token: nil).items
            #expect(all.compactMap { $0["email"] as? String }.sorted() == ["alice@example.com", "alice@example.com", "bob@example.com"])

            #expect(try await client.send("DELETE", "/wdm/api/v1/devices").status == 204)
            #expect((try await client.send("GET", "/wdm/api/v1/devices").json["devices"] as? [Any])?.isEmpty == true)
            #expect(try await client.send("POST", "/wdm/api/v1/devices", json: Self.jssdkBody).status == 200)
            #expect(try await client.send("GET", "/_emulator/devices", token: nil).items.count == 2)

            #expect(try await client.send("POST", "/_emulator/reset", token: nil).status == 200)
            #expect(try await client.send("GET", "/_emulator/devices", token: nil).items.isEmpty)
            #expect(try await client.send("GET", "/_emulator/settings", token: nil).json["deviceLimit"] as? Int == 100)
        }
    }

    @Test func wdmNeedsATokenAndTakesFaults() async throws {
        try await withEmulator { client, _ in
            #expect(try await client.send("POST", "/wdm/api/v1/devices", token: nil, json: "{}").status == 401)
            #expect(try await client.send("GET", "/wdm/api/v1/devices", token: "nope").status == 401)
            #expect(try await client.send("GET", "/wdm/api/v1/other").status == 404)
            #expect(try await client.send("PATCH", "/wdm/api/v1/devices", json: "{}").status == 405)
            _ = try await client.send(
                "POST", "/_emulator/faults", token: nil,
                json: #"{"method":"POST","path":"/wdm/api/v1/devices","status":503,"retryAfter":2}"#)
            let faulted = try await client.send("POST", "/wdm/api/v1/devices", json: "{}")
            #expect(faulted.status == 503 && faulted.header("Retry-After") == "2")
            #expect(try await client.send("POST", "/wdm/api/v1/devices", json: "{}").status == 200)
            let log = try await client.send("GET", "/_emulator/requests", token: nil).items
            #expect(log.filter { $0["path"] as? String == "/wdm/api/v1/devices" }.compactMap { $0["status"] as? Int } == [401, 401, 405, 503, 200])
        }
    }
}
