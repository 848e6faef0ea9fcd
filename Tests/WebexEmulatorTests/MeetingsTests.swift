import Foundation
import Testing
import WebexEmulator

/// Scheduled meetings (`/v1/meetings`), meeting info (`/wbxappapi/v1`), personal rooms (`/hecate/api/v1`).
@Suite struct MeetingsTests {
    @Test func scheduledMeetingCrudAndPermissions() async throws {
        try await withEmulator { client, _ in
            let m = try await client.scheduleMeeting([
                "agenda": "Q1", "timezone": "Europe/Paris",
                "invitees": [["email": "bob@example.com", "displayName": "Bob", "coHost": true]],
            ])
            let id = try #require(m["id"] as? String)
            #expect(id.count == 32 && id.allSatisfy(\.isHexDigit))
            let number = try #require(m["meetingNumber"] as? String)
            #expect(number.count == 11 && number.allSatisfy(\.isNumber))
            #expect((m["password"] as? String)?.count == 8)
            #expect((m["hostKey"] as? String)?.count == 6)
            #expect(m["meetingType"] as? String == "meetingSeries")
            #expect(m["scheduledType"] as? String == "meeting")
            #expect(m["state"] as? String == "active")
            #expect(m["timezone"] as? String == "Europe/Paris")
            #expect(m["start"] as? String == "2030-01-01T11:00:00+01:00")
            #expect(m["hostEmail"] as? String == "alice@example.com")
            #expect(m["hostDisplayName"] as? String == "Alice Example")
            #expect(HydraID.decode(m["hostUserId"] as? String ?? "")?.type == "PEOPLE")
            #expect(m["siteUrl"] as? String == "emulator.webex.com")
            let webLink = try #require(m["webLink"] as? String)
            #expect(webLink.hasPrefix("https://emulator.webex.com/emulator/j.php?MTID=m") && webLink.count == 80)
            #expect(m["sipAddress"] as? String == "\(number)@emulator.webex.com")
            #expect(m["enabledAutoRecordMeeting"] as? Bool == false)

            // The invitee sees it (without the host key); anyone else gets 404.
            let asBob = try await client.send("GET", "/v1/meetings/\(id)", token: "bob-token")
            #expect(asBob.status == 200)
            #expect(try asBob.json["hostKey"] == nil)
            #expect(try await client.send("GET", "/v1/meetings/\(id)", token: "carol-token").status == 404)
            #expect(try await client.send("GET", "/v1/meetings", token: "bob-token").items.count == 1)
            #expect(try await client.send("GET", "/v1/meetings", token: "carol-token").items.isEmpty)

            // Filters and paging.
            _ = try await client.scheduleMeeting(["title": "Later", "start": "2030-02-01T10:00:00Z", "end": "2030-02-01T10:30:00Z"])
            let byNumber = try await client.send("GET", "/v1/meetings?meetingNumber=\(number)")
            #expect(try byNumber.items.map { $0["id"] as? String } == [id])
            let byLink = try await client.send("GET", "/v1/meetings?webLink=\(webLink.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
            #expect(try byLink.items.count == 1)
            let from = try await client.send("GET", "/v1/meetings?from=2030-01-15T00:00:00Z")
            #expect(try from.items.map { $0["title"] as? String } == ["Later"])
            let page1 = try await client.send("GET", "/v1/meetings?max=1")
            #expect(try page1.items.map { $0["title"] as? String } == ["Planning"])
            let next = try #require(page1.header("Link"))
            let url = String(next.dropFirst().prefix { $0 != ">" })
            #expect(try await client.send("GET", url).items.map { $0["title"] as? String } == ["Later"])
            #expect(try await client.send("GET", "/v1/meetings?state=nonsense").status == 400)

            // Only the host updates (PUT needs title, password, start, end) and deletes.
            let put: [String: Any] = ["title": "Renamed", "password": "Secret123", "start": "2030-01-01T10:00:00Z", "end": "2030-01-01T12:00:00Z"]
            #expect(try await client.call("PUT", "/v1/meetings/\(id)", token: "bob-token", put).status == 403)
            #expect(try await client.call("PUT", "/v1/meetings/\(id)", ["title": "x"]).status == 400)
            let updated = try await client.call("PUT", "/v1/meetings/\(id)", put)
            #expect(updated.status == 200)
            #expect(updated.json["title"] as? String == "Renamed")
            #expect(updated.json["password"] as? String == "Secret123")
            #expect(updated.json["timezone"] as? String == "Europe/Paris")
            #expect(try await client.send("DELETE", "/v1/meetings/\(id)", token: "carol-token").status == 404)
            #expect(try await client.send("DELETE", "/v1/meetings/\(id)", token: "bob-token").status == 403)
            #expect(try await client.send("DELETE", "/v1/meetings/\(id)").status == 204)
            let gone = try await client.send("GET", "/v1/meetings/\(id)")
            #expect(gone.status == 404)
            #expect(try gone.json["trackingId"] is String)
        }
    }

    @Test func createValidation() async throws {
        try await withEmulator { client, _ in
            let base: [String: Any] = ["title": "T", "start": "2030-01-01T10:00:00Z", "end": "2030-01-01T11:00:00Z"]
            func with(_ change: [String: Any?]) -> [String: Any] {
                var b = base
                for (k, v) in change { b[k] = v }
                return b
            }
            #expect(try await client.call("POST", "/v1/meetings", with(["title": nil])).status == 400)
            #expect(try await client.call("POST", "/v1/meetings", with(["end": "2030-01-01T09:00:00Z"])).status == 400)
            #expect(try await client.call("POST", "/v1/meetings", with(["start": "tomorrow"])).status == 400)
            #expect(try await client.call("POST", "/v1/meetings", with(["timezone": "Mars/Olympus"])).status == 400)
            #expect(try await client.call("POST", "/v1/meetings", with(["invitees": [["name": "x"]]])).status == 400)
            let given = try await client.call("POST", "/v1/meetings", with(["password": "Given1234"]))
            #expect(given.json["password"] as? String == "Given1234")
            let none = try await client.call("POST", "/v1/meetings", with(["excludePassword": true]))
            #expect(none.json["password"] as? String == "")
        }
    }

    @Test func catalogNamesTheMeetingServices() async throws {
        try await withEmulator { client, emulator in
            let r = try await client.send("GET", "/u2c/api/v1/catalog?format=hostmap")
            let links = try r.json.object("serviceLinks")
            #expect(links["locus"] as? String == "\(emulator.endpoint.origin)/locus/api/v1")
            #expect(links["webex-appapi-service"] as? String == "\(emulator.endpoint.origin)/wbxappapi/v1")
            #expect(links["hecate"] as? String == "\(emulator.endpoint.origin)/hecate/api/v1")
            #expect(links["hydra"] != nil && links["wdm"] != nil && links["conversation"] != nil)
            let ids = try r.json.object("hostCatalog").values.flatMap { ($0 as? [[String: Any]]) ?? [] }.compactMap { $0["id"] as? String }
            #expect(ids.contains("urn:TEAM:us-east-2_a:locus") && ids.contains("urn:TEAM:us-east-2_a:webex-appapi-service"))
        }
    }

    @Test func meetingInfoByEveryDestination() async throws {
        try await withEmulator { client, emulator in
            let m = try await client.scheduleMeeting(["excludePassword": true])
            let number = try #require(m["meetingNumber"] as? String)
            let byLink = try await client.info(["meetingUrl": m["webLink"]!], token: "carol-token")
            #expect(byLink["meetingNumber"] as? String == number)
            #expect(byLink["meetingName"] as? String == "Planning")
            #expect(byLink["meetingJoinUrl"] as? String == m["webLink"] as? String)
            #expect(byLink["sipUrl"] as? String == "\(number)@emulator.webex.com")
            #expect(byLink["isPmr"] as? Bool == false)
            #expect(byLink["meetingId"] as? String == m["id"] as? String)
            #expect(byLink["supportVoIP"] as? Bool == true)
            #expect(byLink["locusUrl"] == nil)
            #expect(byLink["locusClusterUrl"] as? String == "\(emulator.endpoint.host):\(emulator.endpoint.port)")
            #expect(byLink["hostKey"] == nil)
            let alice = try #require(try await client.send("GET", "/v1/people/me").json["id"] as? String)
            #expect(byLink["owner"] as? String == uuid(alice))

            let token = try #require(byLink["permissionToken"] as? String)
            let header = try jwtClaims("x." + String(token.split(separator: ".")[0]) + ".y")
            #expect(header["alg"] as? String == "HS256")
            let claims = try jwtClaims(token)
            let iat = try #require(claims.int64("iat"))
            let exp = try #require(claims.int64("exp"))
            #expect(iat > 1_000_000_000_000 && exp - iat == 3_600_000)
            #expect(claims["sub"] as? String == uuid(try await client.send("GET", "/v1/people/me", token: "carol-token").json["id"] as? String ?? ""))
            #expect(claims["meetingId"] as? String == m["id"] as? String)
            #expect(claims.object("permission").object("userPolicies")["supportVoIP"] as? Bool == true)

            #expect(try await client.info(["sipUrl": "sip:\(number)@emulator.webex.com"])["meetingNumber"] as? String == number)
            let spaced = String(number.prefix(4)) + " " + String(number.dropFirst(4).prefix(3)) + " " + String(number.dropFirst(7))
            #expect(try await client.info(["meetingKey": spaced])["meetingNumber"] as? String == number)
            #expect(try await client.info(["meetingUUID": m["id"]!])["meetingNumber"] as? String == number)

            // Personal rooms: by link, SIP, email, userId (raw uuid or Hydra id); the host sees its host key.
            let pmr = try await client.info(["meetingUrl": "https://emulator.webex.com/meet/bob"])
            #expect(pmr["isPmr"] as? Bool == true)
            #expect(pmr["meetingName"] as? String == "Bob Example's Personal Room")
            #expect(pmr["sipUrl"] as? String == "bob@emulator.webex.com")
            #expect(pmr["meetingJoinUrl"] as? String == "https://emulator.webex.com/meet/bob")
            let pmrNumber = try #require(pmr["meetingNumber"] as? String)
            #expect(pmrNumber.count == 11)
            #expect(try await client.info(["sipUrl": "bob@emulator.webex.com"])["meetingNumber"] as? String == pmrNumber)
            #expect(try await client.info(["sipUrl": "bob@example.com"])["meetingNumber"] as? String == pmrNumber)
            let bob = try #require(try await client.send("GET", "/v1/people/me", token: "bob-token").json["id"] as? String)
            #expect(try await client.info(["userId": uuid(bob), "orgId": "x"])["meetingNumber"] as? String == pmrNumber)
            #expect(try await client.info(["userId": bob])["meetingNumber"] as? String == pmrNumber)
            #expect(try await client.info(["meetingKey": pmrNumber])["owner"] as? String == uuid(bob))

            // Space meetings: members only.
            let roomId = try await client.create("/v1/rooms", #"{"title":"Standup"}"#)
            _ = try await client.create("/v1/memberships", #"{"roomId":"\#(roomId)","personEmail":"bob@example.com"}"#)
            let conv = "\(emulator.endpoint.origin)/conversation/api/v1/conversations/\(uuid(roomId))"
            let space = try await client.info(["conversationUrl": conv], token: "bob-token")
            #expect(space["conversationUrl"] as? String == conv)
            #expect(space["meetingName"] as? String == "Standup")
            #expect(try await client.meetingInfo(["conversationUrl": conv], token: "carol-token").status == 404)
            // The room's Hydra meetingInfo names the same meeting.
            let roomInfo = try await client.send("GET", "/v1/rooms/\(roomId)/meetingInfo").json
            #expect(roomInfo["meetingNumber"] as? String == space["meetingNumber"] as? String)
            #expect(try await client.info(["meetingUrl": roomInfo["meetingLink"]!])["meetingNumber"] as? String == space["meetingNumber"] as? String)
            #expect(try await client.info(["sipUrl": roomInfo["sipAddress"]!])["conversationUrl"] as? String == conv)

            // No destination, or nothing there.
            let empty = try await client.send("POST", "/wbxappapi/v1/meetingInfo", json: "")
            #expect(empty.status == 400)
            #expect(try empty.json["code"] as? Int == 400001)
            let unknown = try await client.meetingInfo(["meetingUrl": "https://emulator.webex.com/meet/nobody"])
            #expect(unknown.status == 404)
            #expect(try unknown.json["code"] as? Int == 404001 && unknown.json["message"] is String)
        }
    }

    @Test func passwordThenCaptcha() async throws {
        try await withEmulator { client, _ in
            let m = try await client.scheduleMeeting(["password": "Right123"])
            let link = try #require(m["webLink"] as? String)
            let hostKey = try #require(m["hostKey"] as? String)
            // The host needs no password.
            #expect(try await client.meetingInfo(["meetingUrl": link]).status == 200)

            let none = try await client.meetingInfo(["meetingUrl": link], token: "bob-token")
            #expect(none.status == 403)
            #expect(try none.json["code"] as? Int == 403004)
            #expect(try none.json.object("data").object("meetingInfo")["meetingNumber"] as? String == m["meetingNumber"] as? String)
            let wrong = try await client.meetingInfo(["meetingUrl": link, "password": "nope"], token: "bob-token")
            #expect(wrong.status == 403)
            #expect(try wrong.json["code"] as? Int == 403028)
            #expect(try await client.meetingInfo(["meetingUrl": link, "password": "Right123"], token: "bob-token").status == 200)
            #expect(try await client.meetingInfo(["meetingUrl": link, "password": hostKey], token: "bob-token").status == 200)
            // A valid permission token of the same meeting replaces the password (token refresh).
            let token = try await client.info(["meetingUrl": link, "password": "Right123"], token: "bob-token")["permissionToken"]!
            #expect(try await client.meetingInfo(["meetingUrl": link, "permissionToken": token], token: "bob-token").status == 200)
            #expect(try await client.meetingInfo(["meetingUrl": link, "permissionToken": token], token: "carol-token").status == 403)

            // Carol: the third wrong password in a row asks for a captcha.
            for _ in 0..<2 {
                #expect(try await client.meetingInfo(["meetingUrl": link, "password": "bad"], token: "carol-token").status == 403)
            }
            let locked = try await client.meetingInfo(["meetingUrl": link, "password": "bad"], token: "carol-token")
            #expect(locked.status == 423)
            let captcha = try locked.json
            #expect(captcha["code"] as? Int == 423005)
            let firstId = try #require(captcha["captchaID"] as? String)
            #expect(captcha["verificationImageURL"] is String && captcha["verificationAudioURL"] is String)
            let refreshURL = try #require(captcha["refreshURL"] as? String)
            #expect(refreshURL.contains("/wbxappapi/v1/captchas/refresh?siteurl="))
            // The right password alone is not enough now.
            let still = try await client.meetingInfo(["meetingUrl": link, "password": "Right123"], token: "carol-token")
            #expect(still.status == 423)
            let secondId = try #require(try still.json["captchaID"] as? String)
            #expect(secondId != firstId)
            // Refresh (as the SDK does: refreshURL + &siteFullName=host, no bearer needed).
            let refreshed = try await client.send(
                "POST", refreshURL + "&siteFullName=emulator", token: nil, json: jsonText(["captchaId": secondId]))
            #expect(refreshed.status == 200)
            let thirdId = try #require(try refreshed.json["captchaID"] as? String)
            #expect(thirdId != secondId)
            #expect(try await client.send("GET", "/_emulator/captchas/\(secondId)", token: nil).status == 404)
            let image = try await client.send("GET", try refreshed.json["verificationImageURL"] as! String, token: nil)
            #expect(image.status == 200 && image.header("Content-Type") == "image/svg+xml")
            let code = try #require(try await client.send("GET", "/_emulator/captchas/\(thirdId)", token: nil).json["code"] as? String)
            // Right captcha, wrong password: another captcha.
            let again = try await client.meetingInfo(
                ["meetingUrl": link, "password": "bad", "captchaID": thirdId, "captchaVerifyCode": code], token: "carol-token")
            #expect(again.status == 423)
            let fourthId = try #require(try again.json["captchaID"] as? String)
            let code4 = try #require(try await client.send("GET", "/_emulator/captchas/\(fourthId)", token: nil).json["code"] as? String)
            let ok = try await client.meetingInfo(
                ["meetingUrl": link, "password": "Right123", "captchaID": fourthId, "captchaVerifyCode": code4], token: "carol-token")
            #expect(ok.status == 200)
            // Solved: back to plain password checks.
            #expect(try await client.meetingInfo(["meetingUrl": link, "password": "bad"], token: "carol-token").status == 403)
        }
    }

    @Test func claimPersonalRoom() async throws {
        try await withEmulator { client, _ in
            let me = try await client.send("GET", "/v1/people/me").json
            let userId = uuid(try #require(me["id"] as? String))
            let claim: [String: Any] = [
                "userId": userId, "passcode": "4321", "preferred": true, "meetingAddress": "alice@emulator.webex.com",
            ]
            let r = try await client.call("POST", "/hecate/api/v1/cmrmeetings/claim", claim)
            #expect(r.status == 200)
            #expect(r.json["isPmr"] as? Bool == true)
            #expect(r.json["sipMeetingUri"] as? String == "alice@emulator.webex.com")
            #expect(r.json["webExMeetingLink"] as? String == "https://emulator.webex.com/meet/alice")
            #expect(r.json["owner"] as? String == userId)
            #expect(r.json["meetingName"] as? String == "Alice Example's Personal Room")
            #expect(r.json["hostKey"] as? String == "4321")
            var other = claim
            other["meetingAddress"] = "bob@emulator.webex.com"
            #expect(try await client.call("POST", "/hecate/api/v1/cmrmeetings/claim", other).status == 403)
            var badPin = claim
            badPin["passcode"] = "12"
            #expect(try await client.call("POST", "/hecate/api/v1/cmrmeetings/claim", badPin).status == 400)
        }
    }
}
