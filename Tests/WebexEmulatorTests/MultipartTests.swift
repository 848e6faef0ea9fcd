import Foundation
import Testing

@testable import WebexEmulator

@Suite struct MultipartTests {
    func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    @Test func parsesFieldsAndFile() throws {
        let body = bytes(
            "preamble to ignore\r\n"
                + "--XyZ\r\n"
                + "Content-Disposition: form-data; name=\"roomId\"\r\n\r\n"
                + "ROOM\r\n"
                + "--XyZ\r\n"
                + "Content-Disposition: form-data; name=\"files\"; filename=\"a \\\"q\\\".txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\n"
                + "line1\r\n--XyZnot-a-delimiter\r\nline3\r\n"
                + "--XyZ--\r\nepilogue")
        let parts = try Multipart.parse(body, contentType: "multipart/form-data; charset=utf-8; boundary=\"XyZ\"")
        #expect(parts.count == 2)
        #expect(parts[0].name == "roomId")
        #expect(parts[0].bodyText == "ROOM")
        #expect(parts[0].filename == nil)
        #expect(parts[1].name == "files")
        #expect(parts[1].filename == "a \"q\".txt")
        #expect(parts[1].contentType == "text/plain")
        #expect(parts[1].bodyText == "line1\r\n--XyZnot-a-delimiter\r\nline3")
    }

    @Test func unquotedBoundaryEmptyPartAndExtendedFilename() throws {
        let body = bytes(
            "--b\r\nContent-Disposition: form-data; name=text\r\n\r\n\r\n"
                + "--b\r\nContent-Disposition: form-data; name=\"files\"; filename*=UTF-8''%E2%82%AC.txt\r\n\r\nx\r\n--b--")
        let parts = try Multipart.parse(body, contentType: "multipart/form-data;boundary=b")
        #expect(parts.map(\.name) == ["text", "files"])
        #expect(parts[0].body.isEmpty)
        #expect(parts[1].filename == "€.txt")
    }

    @Test func missingBoundary() {
        #expect(throws: MultipartError.missingBoundary) {
            try Multipart.parse(bytes("--x\r\n\r\n--x--"), contentType: "multipart/form-data")
        }
        #expect(throws: MultipartError.invalidBoundary) {
            try Multipart.parse(bytes(""), contentType: "multipart/form-data; boundary=\"\"")
        }
    }

    @Test func truncatedBodies() {
        let ct = "multipart/form-data; boundary=B"
        // No closing delimiter at all.
        #expect(throws: MultipartError.truncated) {
            try Multipart.parse(bytes("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue"), contentType: ct)
        }
        // Header block never ends.
        #expect(throws: MultipartError.truncated) {
            try Multipart.parse(bytes("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n"), contentType: ct)
        }
        // Ends right after a delimiter.
        #expect(throws: MultipartError.truncated) {
            try Multipart.parse(bytes("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--B"), contentType: ct)
        }
    }

    @Test func malformedBodies() {
        let ct = "multipart/form-data; boundary=B"
        #expect(throws: MultipartError.missingOpeningDelimiter) {
            try Multipart.parse(bytes("no delimiter anywhere"), contentType: ct)
        }
        #expect(throws: MultipartError.malformedPart("header line without a colon")) {
            try Multipart.parse(bytes("--B\r\nthis is not a header\r\n\r\nv\r\n--B--"), contentType: ct)
        }
        #expect(throws: MultipartError.malformedPart("unexpected bytes after a boundary delimiter")) {
            try Multipart.parse(bytes("--Bjunk\r\n\r\nv\r\n--B--"), contentType: ct)
        }
    }

    @Test func binaryContentSurvives() throws {
        var body = bytes("--bin\r\nContent-Disposition: form-data; name=\"files\"; filename=\"b.bin\"\r\n\r\n")
        let payload: [UInt8] = (0..<1024).map { UInt8($0 % 256) } + [13, 10, 45, 45]  // ends with "\r\n--"
        body += payload + bytes("\r\n--bin--\r\n")
        let parts = try Multipart.parse(body, contentType: "multipart/form-data; boundary=bin")
        #expect(parts.count == 1)
        #expect(parts[0].body == payload)
    }

    @Test func headerParameters() {
        let (token, params) = HeaderValue.parse("Attachment; FileName=\"x;y.txt\" ; size=10")
        #expect(token == "attachment")
        #expect(params["filename"] == "x;y.txt")
        #expect(params["size"] == "10")
    }
}
