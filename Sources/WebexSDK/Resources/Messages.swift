import Foundation

/// `/messages` object (reference §2.2).
public struct Message: WebexModel, Hashable {
    public var id: String
    public var parentId: String?
    public var roomId: String?
    public var roomType: String?
    public var toPersonId: String?
    public var toPersonEmail: String?
    public var text: String?
    public var markdown: String?
    public var html: String?
    public var files: [String]?
    public var personId: String?
    public var personEmail: String?
    public var mentionedPeople: [String]?
    public var mentionedGroups: [String]?
    public var attachments: [JSONValue]?
    public var created: Date?
    public var updated: Date?
    public var isVoiceClip: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, parentId, roomId, roomType, toPersonId, toPersonEmail, text, markdown, html, files, personId,
             personEmail, mentionedPeople, mentionedGroups, attachments, created, updated, isVoiceClip
    }
    public static var jsonFields: [String] { fieldNames(CodingKeys.self) }
}

/// A message to send. Exactly one destination; at least one of text, markdown, a file or a card.
public struct NewMessage: Sendable {
    public enum Destination: Sendable, Equatable {
        case room(String)
        case personId(String)
        case personEmail(String)
    }
    public var destination: Destination
    public var text: String?
    public var markdown: String?
    /// Reply in the thread of this message.
    public var parentId: String?
    /// One local file, uploaded as multipart `files`.
    public var file: LocalFile?
    /// One public URL Webex fetches itself.
    public var fileURL: String?
    /// One adaptive card (the card JSON itself: `{"type":"AdaptiveCard",…}`).
    public var card: JSONValue?

    public init(destination: Destination, text: String? = nil, markdown: String? = nil, parentId: String? = nil,
                file: LocalFile? = nil, fileURL: String? = nil, card: JSONValue? = nil) {
        self.destination = destination; self.text = text; self.markdown = markdown; self.parentId = parentId
        self.file = file; self.fileURL = fileURL; self.card = card
    }

    /// Byte limit Webex puts on `text` and `markdown`.
    public static let maxTextBytes = 7439
}

/// A file on disk to upload.
public struct LocalFile: Sendable, Equatable {
    public var path: String
    public var filename: String
    public var contentType: String
    public var size: Int64

    /// Webex rejects attachments over 100 MB.
    public static let maxBytes: Int64 = 100 * 1024 * 1024

    /// Checks the file is a readable regular file within the size limit.
    public init(path: String, contentType: String? = nil) throws(WebexError) {
        var st = stat()
        guard stat(path, &st) == 0 else { throw .notFound("cannot read file \(path): \(String(cString: strerror(errno)))") }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw .invalidArgument("\(path) is not a regular file") }
        guard access(path, R_OK) == 0 else { throw .invalidArgument("cannot read file \(path): permission denied") }
        guard Int64(st.st_size) <= Self.maxBytes else {
            throw .invalidArgument("\(path) is \(st.st_size / 1_048_576) MB; Webex accepts files up to 100 MB")
        }
        self.path = path
        self.filename = (path as NSString).lastPathComponent
        self.contentType = contentType ?? MIMEType.guess(filename: filename)
        self.size = Int64(st.st_size)
    }
}

public enum MIMEType {
    static let table: [String: String] = [
        "txt": "text/plain", "log": "text/plain", "md": "text/markdown", "csv": "text/csv", "html": "text/html",
        "json": "application/json", "xml": "application/xml", "pdf": "application/pdf", "zip": "application/zip",
        "gz": "application/gzip", "tar": "application/x-tar", "png": "image/png", "jpg": "image/jpeg",
        "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp", "svg": "image/svg+xml",
        "mp3": "audio/mpeg", "wav": "audio/wav", "ogg": "audio/ogg", "mp4": "video/mp4", "mov": "video/quicktime",
        "webm": "video/webm", "doc": "application/msword", "ppt": "application/vnd.ms-powerpoint",
        "xls": "application/vnd.ms-excel",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ]
    public static func guess(filename: String) -> String {
        table[(filename as NSString).pathExtension.lowercased()] ?? "application/octet-stream"
    }
}

/// A downloaded attachment.
public struct DownloadedFile: Sendable {
    public var path: String
    public var filename: String
    public var contentType: String?
    public var bytes: Int64
}

public struct MessagesAPI: Sendable {
    let client: Webex

    public static let cardContentType = "application/vnd.microsoft.card.adaptive"
    /// Largest page asked for. Webex caps `max` at 100 with `mentionedPeople`; its general limit is not
    /// published, so 100 is used throughout.
    public static let maxPage = 100

    /// Newest first. `mentionedPeople` is `me` or a person id (bots must pass `me` in group rooms).
    public func list(roomId: String, parentId: String? = nil, mentionedPeople: String? = nil, before: Date? = nil,
                     beforeMessage: String? = nil, limit: Int? = nil) -> PagedSequence<Message> {
        let url = client.url(["messages"], query: [
            ("roomId", roomId), ("parentId", parentId), ("mentionedPeople", mentionedPeople),
            ("before", before.map(WebexDate.format)), ("beforeMessage", beforeMessage),
            ("max", pageSize(limit: limit, endpointMax: Self.maxPage).map(String.init)),
        ])
        return client.paginate(Message.self, url, limit: limit)
    }

    /// Messages of the 1:1 room with a person (by id or email).
    public func listDirect(personId: String? = nil, personEmail: String? = nil, parentId: String? = nil,
                           limit: Int? = nil) throws(WebexError) -> PagedSequence<Message> {
        guard (personId == nil) != (personEmail == nil) else {
            throw .invalidArgument("give exactly one of a person id or an email for direct messages")
        }
        let url = client.url(["messages", "direct"], query: [("personId", personId), ("personEmail", personEmail), ("parentId", parentId)])
        return client.paginate(Message.self, url, limit: limit)
    }

    public func get(_ id: String) async throws(WebexError) -> Message {
        try await client.get(Message.self, client.url(["messages", id]))
    }

    /// Sends JSON, or multipart when a local file is attached. Never retried once it may have reached the server.
    public func create(_ message: NewMessage, progress: ProgressHandler? = nil) async throws(WebexError) -> Message {
        for (name, value) in [("text", message.text), ("markdown", message.markdown)] {
            if let v = value, v.utf8.count > NewMessage.maxTextBytes {
                throw .invalidArgument("\(name) is \(v.utf8.count) bytes; Webex accepts at most \(NewMessage.maxTextBytes)")
            }
        }
        if message.file != nil && message.fileURL != nil {
            throw .invalidArgument("a message carries one file: give a local file or a URL, not both")
        }
        if message.file != nil && message.card != nil {
            throw .invalidArgument("a card cannot be sent together with an uploaded file; send the file in its own message")
        }
        if message.text == nil && message.markdown == nil && message.file == nil && message.fileURL == nil && message.card == nil {
            throw .invalidArgument("a message needs text, markdown, a file or a card")
        }
        var fields: [(String, String)] = []
        switch message.destination {
        case .room(let id): fields.append(("roomId", id))
        case .personId(let id): fields.append(("toPersonId", id))
        case .personEmail(let email): fields.append(("toPersonEmail", email))
        }
        if let p = message.parentId { fields.append(("parentId", p)) }
        if let t = message.text { fields.append(("text", t)) }
        if let m = message.markdown { fields.append(("markdown", m)) }
        let url = client.url(["messages"])

        if let file = message.file {
            var parts = fields.map { MultipartPart.field(name: $0.0, value: $0.1) }
            parts.append(.file(name: "files", path: file.path, filename: file.filename, contentType: file.contentType))
            let response = try await client.send(HTTPRequest(method: .post, url: url, body: .multipart(parts)), progress: progress)
            return try client.decode(Message.self, response)
        }
        var body: [String: JSONValue] = Dictionary(uniqueKeysWithValues: fields.map { ($0.0, JSONValue.string($0.1)) })
        if let u = message.fileURL { body["files"] = .array([.string(u)]) }
        if let card = message.card {
            body["attachments"] = .array([.object(["contentType": .string(Self.cardContentType), "content": card])])
            // A card message needs text for clients that cannot render cards.
            if message.text == nil && message.markdown == nil { body["text"] = .string("(adaptive card)") }
        }
        return try await client.send(Message.self, .post, url, json: JSONValue.object(body), progress: progress)
    }

    /// Edits text or markdown. Webex requires the room id; it is looked up when not given.
    public func edit(_ id: String, roomId: String? = nil, text: String? = nil, markdown: String? = nil) async throws(WebexError) -> Message {
        guard text != nil || markdown != nil else { throw .invalidArgument("an edit needs new text or markdown") }
        let room: String
        if let roomId { room = roomId } else { room = try await get(id).roomId ?? "" }
        var body: [String: JSONValue] = ["roomId": .string(room)]
        if let text { body["text"] = .string(text) }
        if let markdown { body["markdown"] = .string(markdown) }
        return try await client.send(Message.self, .put, client.url(["messages", id]), json: JSONValue.object(body))
    }

    public func delete(_ id: String) async throws(WebexError) {
        try await client.delete(client.url(["messages", id]))
    }

    /// Downloads one attachment URL into `directory`, named from `Content-Disposition` unless `filename` is given.
    /// The file appears only when complete (written to a temporary name, then renamed); an existing file is
    /// kept unless `overwrite`. While Webex scans the file (423) it waits as `Retry-After` asks, up to `maxScanWait`.
    public func download(_ contentURL: String, into directory: String, filename: String? = nil, overwrite: Bool = false,
                         allowUnscannable: Bool = false, maxScanWait: Double = 120,
                         progress: ProgressHandler? = nil,
                         onScanning: (@Sendable (Double) -> Void)? = nil) async throws(WebexError) -> DownloadedFile {
        guard var comps = URLComponents(string: contentURL), comps.host != nil else {
            throw .invalidArgument("not a file URL: \(contentURL)")
        }
        if allowUnscannable {
            comps.queryItems = (comps.queryItems ?? []) + [URLQueryItem(name: "allow", value: "unscannable")]
        }
        guard let url = comps.url else { throw .invalidArgument("not a file URL: \(contentURL)") }
        let temp = (directory as NSString).appendingPathComponent(".webex-download-\(UUID().uuidString.prefix(8)).partial")
        defer { unlink(temp) }
        var waited = 0.0
        var response: HTTPResponse
        while true {
            do {
                response = try await client.send(HTTPRequest(method: .get, url: url, headers: ["Accept": "*/*"], downloadPath: temp), progress: progress)
                break
            } catch {
                // 423: the file is still being scanned for malware; wait as told.
                guard case .api(let e) = error, e.status == 423 else { throw error }
                let wait = min(RetryPolicy.parseRetryAfter(e.retryAfter) ?? 5, 60)
                guard waited + wait <= maxScanWait else { throw error }
                onScanning?(wait)
                do { try await client.configuration.sleep(wait) } catch { throw .api(e) }
                waited += wait
            }
        }
        let name = Self.safeFilename(filename ?? ContentDisposition.filename(response.headers["Content-Disposition"]) ?? url.lastPathComponent)
        let final = (directory as NSString).appendingPathComponent(name)
        if !overwrite && access(final, F_OK) == 0 {
            throw .invalidArgument("\(final) already exists; pass --overwrite to replace it or choose another --output")
        }
        if response.downloadedBytes == 0 {
            // An empty file: curl never called the writer, so create it.
            let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0o644); if fd >= 0 { close(fd) }
        }
        guard rename(temp, final) == 0 else {
            throw .invalidArgument("cannot write \(final): \(String(cString: strerror(errno)))")
        }
        return DownloadedFile(path: final, filename: name, contentType: response.headers["Content-Type"], bytes: response.downloadedBytes)
    }

    /// Keeps only a plain file name: no directories, no leading dots, no control characters.
    static func safeFilename(_ raw: String) -> String {
        var name = (raw as NSString).lastPathComponent
        name = String(name.unicodeScalars.filter { $0.value >= 0x20 && $0 != "/" && $0 != "\\" && $0.value != 0x7f })
        while name.hasPrefix(".") { name.removeFirst() }
        return name.isEmpty ? "download" : name
    }
}

/// `Content-Disposition` file names (RFC 6266): `filename*=UTF-8''…` wins over `filename="…"`.
public enum ContentDisposition {
    public static func filename(_ header: String?) -> String? {
        guard let header else { return nil }
        var plain: String?
        for param in header.split(separator: ";").dropFirst() {
            let kv = param.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2 else { continue }
            switch kv[0].lowercased() {
            case "filename*":
                let v = kv[1]
                if let q = v.range(of: "''") {
                    if let decoded = String(v[q.upperBound...]).removingPercentEncoding, !decoded.isEmpty { return decoded }
                }
            case "filename":
                var v = kv[1]
                if v.hasPrefix("\"") && v.hasSuffix("\"") && v.count >= 2 { v = String(v.dropFirst().dropLast()) }
                plain = v.replacingOccurrences(of: "\\\"", with: "\"")
            default: break
            }
        }
        return plain.flatMap { $0.isEmpty ? nil : $0 }
    }
}
