import Foundation
import Testing

/// The real `webex` binary against the real `webex-emulator` process.
@Suite(.serialized) struct MessagingTests {
    func createRoom(_ emu: Emulator, _ title: String) throws -> String {
        let r = try emu.webex(["rooms", "create", "--title", title, "--jq", ".id"])
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func whoAmI() throws {
        let emu = try Emulator()
        let r = try emu.webex(["people", "me", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let me = try #require(try r.json() as? [String: Any])
        #expect(me["emails"] as? [String] == ["alice@example.com"])
        #expect(me["displayName"] as? String == "Alice Example")
        let piped = try emu.webex(["people", "list", "--email", "bob@example.com"])
        #expect(piped.stdout.hasPrefix("Bob Example\tbob@example.com\tperson\t"))
    }

    @Test func roomLifecycleByTitle() throws {
        let emu = try Emulator()
        let id = try createRoom(emu, "Ops")
        #expect(!id.isEmpty)
        let get = try emu.webex(["rooms", "get", "Ops", "--json=id,title,type"])
        #expect(get.status == 0, "\(get.stderr)")
        #expect(try get.json() as? [String: String] == ["id": id, "title": "Ops", "type": "group"])
        let upd = try emu.webex(["rooms", "update", "Ops", "--title", "Ops 2", "--jq", ".title"])
        #expect(upd.stdout == "Ops 2\n", "\(upd.stderr)")
        let info = try emu.webex(["rooms", "meeting-info", id, "--jq", ".roomId"])
        #expect(info.stdout == id + "\n", "\(info.stderr)")
        // Deleting needs --yes when nobody can be asked.
        let refused = try emu.webex(["rooms", "delete", id])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("--yes"))
        let del = try emu.webex(["rooms", "delete", id, "--yes"])
        #expect(del.status == 0, "\(del.stderr)")
        let gone = try emu.webex(["rooms", "get", id])
        #expect(gone.status == 4)
        #expect(gone.stderr.contains("404"))
    }

    @Test func ambiguousTitleListsCandidates() throws {
        let emu = try Emulator()
        let a = try createRoom(emu, "Twin"), b = try createRoom(emu, "Twin")
        let r = try emu.webex(["messages", "send", "--room", "Twin", "--text", "hi"])
        #expect(r.status == 2)
        #expect(r.stderr.contains(a) && r.stderr.contains(b))
    }

    @Test func markdownFileThreadDirectEditDelete() throws {
        let emu = try Emulator()
        let room = try createRoom(emu, "Release")
        let md = try emu.webex(["messages", "send", "--room", "Release", "--markdown", "**shipped** v1", "--json"])
        #expect(md.status == 0, "\(md.stderr)")
        let sent = try #require(try md.json() as? [String: Any])
        #expect(sent["markdown"] as? String == "**shipped** v1")
        #expect(sent["roomId"] as? String == room)
        let messageId = try #require(sent["id"] as? String)

        // Upload a binary file and download it back byte for byte.
        let tmp = TempDir()
        var bytes = [UInt8](repeating: 0, count: 300_000)
        for i in bytes.indices { bytes[i] = UInt8(truncatingIfNeeded: i &* 31 &+ 7) }
        let src = tmp.path("build log.bin")
        FileManager.default.createFile(atPath: src, contents: Data(bytes))
        let up = try emu.webex(["messages", "send", "--room", room, "--text", "log attached", "--file", src, "--jq", ".id"])
        #expect(up.status == 0, "\(up.stderr)")
        let fileMessage = up.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let outDir = tmp.path("out")
        try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
        let down = try emu.webex(["messages", "download", fileMessage, "--dir", outDir])
        #expect(down.status == 0, "\(down.stderr)")
        #expect(down.stdout == outDir + "/build log.bin\n")
        #expect(FileManager.default.contents(atPath: outDir + "/build log.bin") == Data(bytes))
        // A second download does not overwrite what is there.
        let again = try emu.webex(["messages", "download", fileMessage, "--dir", outDir])
        #expect(again.status == 2)
        #expect(again.stderr.contains("--overwrite"))
        #expect(try emu.webex(["messages", "download", fileMessage, "--dir", outDir, "--overwrite"]).status == 0)

        // A thread reply, listed with --parent.
        let reply = try emu.webex(["messages", "send", "--room", room, "--parent", messageId, "--text", "nice", "--jq", ".parentId"])
        #expect(reply.stdout == messageId + "\n", "\(reply.stderr)")
        let thread = try emu.webex(["messages", "list", "--room", room, "--parent", messageId, "--jq", ".[].text"])
        #expect(thread.stdout == "nice\n")

        // A direct message by email opens a 1:1 room; Bob sees it.
        let dm = try emu.webex(["messages", "send", "--to", "bob@example.com", "--text", "psst", "--jq", ".roomType"])
        #expect(dm.stdout == "direct\n", "\(dm.stderr)")
        let bobSees = try emu.webex(["messages", "list", "--with", "alice@example.com", "--jq", ".[].text"], as: "bob@example.com")
        #expect(bobSees.stdout == "psst\n", "\(bobSees.stderr)")

        // Edit, then delete.
        let edit = try emu.webex(["messages", "edit", messageId, "--markdown", "**shipped** v1.0.1", "--jq", ".markdown"])
        #expect(edit.stdout == "**shipped** v1.0.1\n", "\(edit.stderr)")
        let noEdit = try emu.webex(["messages", "edit", fileMessage, "--text", "x"])
        #expect(noEdit.status == 1)
        #expect(noEdit.stderr.contains("400"))
        #expect(try emu.webex(["messages", "delete", messageId]).status == 0)
        let list = try emu.webex(["messages", "list", "--room", room, "--jq", "[.[].id] | index(\"\(messageId)\")"])
        #expect(list.stdout == "null\n")
    }

    @Test func textFromStandardInput() throws {
        let emu = try Emulator()
        _ = try createRoom(emu, "Ops")
        let r = try emu.webex(["messages", "send", "--room", "Ops", "--text", "-", "--jq", ".text"], stdin: "line one\nline two\n")
        #expect(r.stdout == "line one\nline two\n", "\(r.stderr)")
        let empty = try emu.webex(["messages", "send", "--room", "Ops", "--text", "-"], stdin: "")
        #expect(empty.status == 2)
    }

    @Test func cardFromFileAndRemoteFile() async throws {
        let emu = try Emulator()
        let room = try createRoom(emu, "Cards")
        let tmp = TempDir()
        let card = tmp.path("card.json")
        try #"{"type":"AdaptiveCard","version":"1.2","body":[{"type":"TextBlock","text":"Approve?"}]}"#.write(toFile: card, atomically: true, encoding: .utf8)
        let r = try emu.webex(["messages", "send", "--room", room, "--card", card, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let msg = try #require(try r.json() as? [String: Any])
        let att = try #require((msg["attachments"] as? [[String: Any]])?.first)
        #expect(att["contentType"] as? String == "application/vnd.microsoft.card.adaptive")
        try "not json".write(toFile: card, atomically: true, encoding: .utf8)
        let bad = try emu.webex(["messages", "send", "--room", room, "--card", card])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("not valid JSON"))

        // A file Webex fetches from a URL (here a loopback blob on the emulator).
        let (status, _) = try await emu.http("PUT", "/_emulator/blobs/notes.txt", body: Data("remote notes".utf8), contentType: "text/plain")
        #expect(status == 200)
        let url = emu.origin + "/_emulator/blobs/notes.txt"
        let sent = try emu.webex(["messages", "send", "--room", room, "--file-url", url, "--jq", ".id"])
        #expect(sent.status == 0, "\(sent.stderr)")
        let dl = try emu.webex(["messages", "download", sent.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "--dir", tmp.url.path, "--output", "copy.txt"])
        #expect(dl.status == 0, "\(dl.stderr)")
        #expect(FileManager.default.contents(atPath: tmp.path("copy.txt")) == Data("remote notes".utf8))
    }
}
