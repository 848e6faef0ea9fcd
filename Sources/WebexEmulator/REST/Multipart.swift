import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One part of a `multipart/form-data` body.
public struct MultipartPart: Sendable {
    /// Header fields in order, names as sent.
    public var headers: [HeaderField]
    /// `name` parameter of `Content-Disposition`.
    public var name: String?
    /// `filename` (or RFC 5987 `filename*`) parameter of `Content-Disposition`.
    public var filename: String?
    /// The part's `Content-Type`, if sent.
    public var contentType: String?
    public var body: [UInt8]

    public struct HeaderField: Sendable, Equatable {
        public var name: String
        public var value: String
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    public var bodyText: String? { String(bytes: body, encoding: .utf8) }
}

public enum MultipartError: Error, Equatable, CustomStringConvertible {
    /// The Content-Type has no `boundary` parameter.
    case missingBoundary
    /// The boundary is empty, longer than 70 characters, or contains characters RFC 2046 does not allow.
    case invalidBoundary
    /// The body never contains the first `--boundary` delimiter.
    case missingOpeningDelimiter
    /// The body ends before the closing `--boundary--` delimiter or in the middle of a part.
    case truncated
    /// A part's header block is malformed (a line without a colon, or junk after a delimiter).
    case malformedPart(String)
    /// More parts than the parser accepts.
    case tooManyParts

    public var description: String {
        switch self {
        case .missingBoundary: return "the multipart Content-Type has no boundary parameter"
        case .invalidBoundary: return "the multipart boundary is not valid"
        case .missingOpeningDelimiter: return "the multipart body does not start with the boundary delimiter"
        case .truncated: return "the multipart body is truncated (no closing boundary)"
        case .malformedPart(let why): return "a multipart part is malformed: \(why)"
        case .tooManyParts: return "the multipart body has too many parts"
        }
    }
}

/// A `multipart/form-data` parser (RFC 7578 / RFC 2046) that never trusts its input.
public enum Multipart {
    static let maxParts = 64

    /// The boundary parameter of a `multipart/...` Content-Type (quoted or not, any parameter order).
    public static func boundary(fromContentType contentType: String) throws(MultipartError) -> String {
        let (_, params) = HeaderValue.parse(contentType)
        guard let boundary = params["boundary"] else { throw MultipartError.missingBoundary }
        guard !boundary.isEmpty, boundary.utf8.count <= 70 else { throw MultipartError.invalidBoundary }
        // RFC 2046 bchars: DIGIT / ALPHA / "'()+_,-./:=?" and space (not last).
        let allowed = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? ")
        guard boundary.allSatisfy({ allowed.contains($0) }), !boundary.hasSuffix(" ") else {
            throw MultipartError.invalidBoundary
        }
        return boundary
    }

    public static func parse(_ body: [UInt8], contentType: String) throws(MultipartError) -> [MultipartPart] {
        try parse(body, boundary: boundary(fromContentType: contentType))
    }

    public static func parse(_ body: [UInt8], boundary: String) throws(MultipartError) -> [MultipartPart] {
        let dashBoundary = Array(("--" + boundary).utf8)
        let crlfDashBoundary = Array(("\r\n--" + boundary).utf8)
        let n = body.count

        // Locate the first delimiter: at the very start, or after a preamble ending in CRLF.
        var pos: Int
        if body.starts(with: dashBoundary) {
            pos = 0
        } else if let i = find(crlfDashBoundary, in: body, from: 0) {
            pos = i + 2
        } else {
            throw MultipartError.missingOpeningDelimiter
        }

        var parts: [MultipartPart] = []
        while true {
            // `pos` is at a "--boundary" delimiter.
            var p = pos + dashBoundary.count
            if p + 2 <= n && body[p] == UInt8(ascii: "-") && body[p + 1] == UInt8(ascii: "-") {
                return parts  // close delimiter; the epilogue is ignored
            }
            guard let afterLine = endOfDelimiterLine(body, from: p) else {
                if p >= n || body[p...].allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }) {
                    throw MultipartError.truncated
                }
                throw MultipartError.malformedPart("unexpected bytes after a boundary delimiter")
            }
            p = afterLine
            guard parts.count < maxParts else { throw MultipartError.tooManyParts }

            // Header block, ended by an empty line.
            var headers: [MultipartPart.HeaderField] = []
            while true {
                guard let lineEnd = findLineEnd(body, from: p) else { throw MultipartError.truncated }
                let line = body[p..<lineEnd.contentEnd]
                p = lineEnd.next
                if line.isEmpty { break }
                guard let text = String(bytes: line, encoding: .utf8) ?? String(bytes: line, encoding: .isoLatin1) else {
                    throw MultipartError.malformedPart("header is not text")
                }
                if let first = text.first, first == " " || first == "\t" {
                    guard !headers.isEmpty else { throw MultipartError.malformedPart("continuation line without a header") }
                    headers[headers.count - 1].value += " " + text.trimmingCharacters(in: .whitespaces)
                    continue
                }
                guard let colon = text.firstIndex(of: ":") else {
                    throw MultipartError.malformedPart("header line without a colon")
                }
                let name = text[..<colon].trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty else { throw MultipartError.malformedPart("empty header name") }
                let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                headers.append(.init(name: name, value: value))
            }

            // Body up to the next "\r\n--boundary" that is followed by "--" or end of line.
            var searchFrom = p
            var next: Int? = nil
            while let i = find(crlfDashBoundary, in: body, from: searchFrom) {
                let after = i + crlfDashBoundary.count
                if after + 2 <= n && body[after] == UInt8(ascii: "-") && body[after + 1] == UInt8(ascii: "-") {
                    next = i
                    break
                }
                if endOfDelimiterLine(body, from: after) != nil || after >= n {
                    next = i
                    break
                }
                searchFrom = i + 1
            }
            guard let bodyEnd = next else { throw MultipartError.truncated }

            var part = MultipartPart(headers: headers, name: nil, filename: nil, contentType: nil, body: Array(body[p..<bodyEnd]))
            if let disposition = part.header("Content-Disposition") {
                let (_, params) = HeaderValue.parse(disposition)
                part.name = params["name"]
                part.filename = params["filename*"].flatMap(HeaderValue.decodeExtended) ?? params["filename"]
            }
            part.contentType = part.header("Content-Type")
            parts.append(part)
            pos = bodyEnd + 2
        }
    }

    /// After a delimiter: optional transport padding (spaces/tabs) then CRLF (a bare LF is tolerated).
    /// Returns the index after the line break.
    private static func endOfDelimiterLine(_ body: [UInt8], from start: Int) -> Int? {
        var i = start
        while i < body.count && (body[i] == UInt8(ascii: " ") || body[i] == UInt8(ascii: "\t")) { i += 1 }
        if i + 1 < body.count && body[i] == UInt8(ascii: "\r") && body[i + 1] == UInt8(ascii: "\n") { return i + 2 }
        if i < body.count && body[i] == UInt8(ascii: "\n") { return i + 1 }
        return nil
    }

    /// The end of a header line: CRLF, or a bare LF.
    private static func findLineEnd(_ body: [UInt8], from start: Int) -> (contentEnd: Int, next: Int)? {
        guard start <= body.count, let lf = find([UInt8(ascii: "\n")], in: body, from: start) else { return nil }
        if lf > start && body[lf - 1] == UInt8(ascii: "\r") { return (lf - 1, lf + 1) }
        return (lf, lf + 1)
    }

    /// First index of `needle` in `haystack` at or after `from` (memchr for the first byte, then memcmp).
    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        let m = needle.count
        let n = haystack.count
        guard m > 0, from >= 0, n - from >= m else { return nil }
        return haystack.withUnsafeBufferPointer { hay -> Int? in
            needle.withUnsafeBufferPointer { ndl -> Int? in
                let base = hay.baseAddress!
                let first = Int32(ndl[0])
                var i = from
                let lastStart = n - m
                while i <= lastStart {
                    guard let hit = memchr(base + i, first, lastStart - i + 1) else { return nil }
                    let idx = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if memcmp(base + idx, ndl.baseAddress!, m) == 0 { return idx }
                    i = idx + 1
                }
                return nil
            }
        }
    }
}

/// Parsing of header values of the form `token; name=value; name="quoted \"value\""`.
enum HeaderValue {
    /// The leading token (lower-cased) and the parameters (names lower-cased, values unquoted).
    static func parse(_ value: String) -> (String, [String: String]) {
        let scalars = Array(value.unicodeScalars)
        var i = 0
        func skipSpaces() { while i < scalars.count && (scalars[i] == " " || scalars[i] == "\t") { i += 1 } }
        var token = ""
        while i < scalars.count && scalars[i] != ";" { token.unicodeScalars.append(scalars[i]); i += 1 }
        var params: [String: String] = [:]
        while i < scalars.count {
            // at ';'
            i += 1
            skipSpaces()
            var name = ""
            while i < scalars.count && scalars[i] != "=" && scalars[i] != ";" { name.unicodeScalars.append(scalars[i]); i += 1 }
            name = name.trimmingCharacters(in: .whitespaces).lowercased()
            guard i < scalars.count, scalars[i] == "=" else {
                if !name.isEmpty { params[name] = params[name] ?? "" }
                continue
            }
            i += 1
            skipSpaces()
            var val = ""
            if i < scalars.count && scalars[i] == "\"" {
                i += 1
                while i < scalars.count && scalars[i] != "\"" {
                    if scalars[i] == "\\" && i + 1 < scalars.count { i += 1 }
                    val.unicodeScalars.append(scalars[i])
                    i += 1
                }
                if i < scalars.count { i += 1 }  // closing quote
                while i < scalars.count && scalars[i] != ";" { i += 1 }
            } else {
                while i < scalars.count && scalars[i] != ";" { val.unicodeScalars.append(scalars[i]); i += 1 }
                val = val.trimmingCharacters(in: .whitespaces)
            }
            if !name.isEmpty && params[name] == nil { params[name] = val }
        }
        return (token.trimmingCharacters(in: .whitespaces).lowercased(), params)
    }

    /// RFC 5987 `charset'lang'percent-encoded` (only UTF-8 and ISO-8859-1 are understood).
    static func decodeExtended(_ value: String) -> String? {
        let pieces = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count == 3 else { return nil }
        let charset = pieces[0].lowercased()
        guard charset == "utf-8" || charset == "iso-8859-1" else { return nil }
        return String(pieces[2]).removingPercentEncoding
    }
}
