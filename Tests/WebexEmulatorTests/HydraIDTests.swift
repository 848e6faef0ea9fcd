import Foundation
import Testing

@testable import WebexEmulator

@Suite struct HydraIDTests {
    let uuid = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"

    @Test func encodesWithoutPadding() throws {
        let id = HydraID.encode(.people, uuid)
        #expect(!id.contains("="))
        // "ciscospark://us/PEOPLE/<36>" is 59 bytes, so standard base64 would end in "=".
        let raw = "ciscospark://us/PEOPLE/\(uuid)"
        #expect(raw.utf8.count % 3 != 0)
        #expect(Data(raw.utf8).base64EncodedString().hasPrefix(id))
    }

    @Test func decodesPaddedAndUnpadded() throws {
        let unpadded = HydraID.encode(.people, uuid)
        let padded = Data("ciscospark://us/PEOPLE/\(uuid)".utf8).base64EncodedString()
        #expect(padded.hasSuffix("="))
        #expect(HydraID.uuid(from: unpadded, as: .people) == uuid)
        #expect(HydraID.uuid(from: padded, as: .people) == uuid)
        #expect(HydraID.decode(padded) == HydraID.Decoded(cluster: "us", type: "PEOPLE", uuid: uuid))
    }

    @Test func decodesURLSafeAlphabet() throws {
        // Find a string whose standard base64 contains '+' or '/', then check the URL-safe form decodes.
        let raw = "ciscospark://urn:TEAM:eu-central-1_k/MESSAGE/\(uuid)??>>"
        let standard = Data(raw.utf8).base64EncodedString()
        #expect(standard.contains("+") || standard.contains("/"))
        let urlSafe = standard.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        let decoded = try #require(HydraID.decode(urlSafe))
        #expect(decoded.cluster == "urn:TEAM:eu-central-1_k")
        #expect(decoded.type == "MESSAGE")
        #expect(decoded.uuid == "\(uuid)??>>")
    }

    @Test func acceptsRawUUIDs() {
        #expect(HydraID.uuid(from: uuid.uppercased(), as: .message) == uuid)
        #expect(HydraID.uuid(from: "\(uuid):\(uuid)", as: .membership) == "\(uuid):\(uuid)")
        #expect(HydraID.uuid(from: "\(uuid)/0", as: .content) == "\(uuid)/0")
        #expect(HydraID.uuid(from: uuid, as: .membership) == nil)
    }

    @Test func rejectsWrongTypeAndGarbage() {
        let room = HydraID.encode(.room, uuid)
        #expect(HydraID.uuid(from: room, as: .people) == nil)
        #expect(HydraID.uuid(from: "not-an-id", as: .room) == nil)
        #expect(HydraID.uuid(from: "", as: .room) == nil)
        #expect(HydraID.decode("Zm9vYmFy") == nil)  // "foobar": not ciscospark://
        #expect(HydraID.decode("a") == nil)  // impossible base64 length
        #expect(HydraID.uuid(from: HydraID.encode(.room, "nope"), as: .room) == nil)
    }

    @Test func membershipAndContentIds() {
        let membership = HydraID.encode(.membership, "\(uuid):\(uuid)")
        #expect(HydraID.uuid(from: membership, as: .membership) == "\(uuid):\(uuid)")
        let content = HydraID.encode(.content, "\(uuid)/3")
        #expect(HydraID.uuid(from: content, as: .content) == "\(uuid)/3")
    }

    @Test func stableUUIDsAreDeterministicUUIDs() {
        let a = HydraID.stableUUID("person:alice@example.com")
        #expect(a == HydraID.stableUUID("person:alice@example.com"))
        #expect(a != HydraID.stableUUID("person:bob@example.com"))
        #expect(HydraID.isUUID(a[...]))
    }
}
