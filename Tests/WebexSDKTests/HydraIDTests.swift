import Foundation
import Testing
@testable import WebexSDK

@Suite struct HydraIDTests {
    // The reference's doc example: a PEOPLE id that decodes to 59 bytes, written without padding.
    let uri = "ciscospark://us/PEOPLE/f5b36187-c8dd-4727-8b2f-f9c447f29046"

    @Test func encodesUnpaddedAndRoundTrips() throws {
        let id = HydraID(type: HydraID.people, uuid: "f5b36187-c8dd-4727-8b2f-f9c447f29046")
        #expect(id.uri == uri)
        #expect(!id.encoded.hasSuffix("="))
        #expect(Data(base64Encoded: id.encoded + "=") != nil)  // 59 bytes → one '=' would be the padding
        let back = try #require(HydraID(id.encoded))
        #expect(back == id)
    }

    @Test func acceptsPaddedUnpaddedAndURLSafe() throws {
        let padded = Data(uri.utf8).base64EncodedString()
        #expect(padded.hasSuffix("="))
        let unpadded = String(padded.prefix { $0 != "=" })
        let urlSafe = unpadded.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        for form in [padded, unpadded, urlSafe] {
            let id = try #require(HydraID(form), "\(form)")
            #expect(id.type == "PEOPLE")
            #expect(id.uuid == "f5b36187-c8dd-4727-8b2f-f9c447f29046")
        }
    }

    @Test func urlSafeAlphabetDecodes() throws {
        // A uuid part whose base64 needs '+' or '/' in the standard alphabet.
        let id = HydraID(type: HydraID.message, uuid: "??>>??~~", cluster: "us")
        let std = id.encoded
        #expect(std.contains("/") || std.contains("+"))
        let safe = std.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        #expect(HydraID(safe) == id)
    }

    @Test func keepsClusterWithColons() throws {
        let id = HydraID(type: HydraID.room, uuid: "abc", cluster: "urn:TEAM:eu-central-1_k")
        #expect(HydraID(id.encoded)?.cluster == "urn:TEAM:eu-central-1_k")
        // PEOPLE and ORGANIZATION ids always use `us`.
        #expect(HydraID(type: HydraID.people, uuid: "x", cluster: "urn:TEAM:eu-central-1_k").cluster == "us")
    }

    @Test(arguments: ["", "not base64!", "aGVsbG8", "Y2lzY29zcGFyazovL3Vz", "=", "a"])
    func rejectsNonIDs(_ s: String) {
        #expect(HydraID(s) == nil)
    }

    @Test func membershipAndContentUUIDs() throws {
        let m = HydraID(type: HydraID.membership, uuid: "p-uuid:r-uuid")
        #expect(HydraID(m.encoded)?.uuid == "p-uuid:r-uuid")
        let c = HydraID(type: HydraID.content, uuid: "act-uuid/0")
        #expect(HydraID(c.encoded)?.uuid == "act-uuid/0")
    }
}

@Suite struct DateTests {
    @Test func formatsWithMilliseconds() {
        let d = Date(timeIntervalSince1970: 1445178376.203)
        #expect(WebexDate.format(d) == "2015-10-18T14:26:16.203Z")
    }

    @Test func parsesVariants() throws {
        let a = try #require(WebexDate.parse("2015-10-18T14:26:16.203Z"))
        let b = try #require(WebexDate.parse("2015-10-18T14:26:16Z"))
        let c = try #require(WebexDate.parse("2015-10-18T14:26:16.203+00:00"))
        #expect(abs(a.timeIntervalSince(b) - 0.203) < 0.0005)
        #expect(abs(a.timeIntervalSince(c)) < 0.0005)
        #expect(WebexDate.parse("yesterday") == nil)
        #expect(WebexDate.parse("2015-10-18T14:26:16.203") == nil)  // no zone
        #expect(WebexDate.parse("2015-13-18T14:26:16Z") == nil)
        let offset = try #require(WebexDate.parse("2015-10-18T16:26:16.203+02:00"))
        #expect(WebexDate.format(offset) == "2015-10-18T14:26:16.203Z")
        // Milliseconds survive a round trip (no truncation from binary floating point).
        for ms in ["000", "001", "678", "999"] {
            let text = "2026-01-02T03:04:05.\(ms)Z"
            #expect(WebexDate.format(WebexDate.parse(text)!) == text)
        }
    }

    @Test func modelsDecodeWebexJSON() throws {
        let json = #"{"id":"X","title":"Ops","type":"group","isLocked":false,"lastActivity":"2016-04-21T19:12:48.920Z","created":"2016-04-21T19:01:55.966Z","unknownField":1}"#
        let room = try WebexJSON.decoder.decode(Room.self, from: Data(json.utf8))
        #expect(room.title == "Ops")
        #expect(room.lastActivity.map(WebexDate.format) == "2016-04-21T19:12:48.920Z")
        let again = try WebexJSON.encoder.encode(room)
        #expect(String(decoding: again, as: UTF8.self).contains(#""lastActivity":"2016-04-21T19:12:48.920Z""#))
    }
}
