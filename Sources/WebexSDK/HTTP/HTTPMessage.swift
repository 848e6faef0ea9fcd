import Foundation

/// HTTP method of a request. Idempotency decides what may be retried.
public struct HTTPMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue.uppercased() }
    public static let get = HTTPMethod(rawValue: "GET")
    public static let head = HTTPMethod(rawValue: "HEAD")
    public static let post = HTTPMethod(rawValue: "POST")
    public static let put = HTTPMethod(rawValue: "PUT")
    public static let patch = HTTPMethod(rawValue: "PATCH")
    public static let delete = HTTPMethod(rawValue: "DELETE")
    /// Methods that can be repeated without a second effect (RFC 9110 §9.2.2).
    public var isIdempotent: Bool { ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"].contains(rawValue) }
    public var description: String { rawValue }
}

/// An ordered, case-insensitive list of header fields.
public struct HTTPHeaders: Sendable, Sequence, ExpressibleByDictionaryLiteral {
    public private(set) var fields: [(name: String, value: String)] = []
    public init() {}
    public init(dictionaryLiteral elements: (String, String)...) { for (n, v) in elements { add(n, v) } }
    public mutating func add(_ name: String, _ value: String) { fields.append((name, value)) }
    public mutating func set(_ name: String, _ value: String) { remove(name); add(name, value) }
    public mutating func remove(_ name: String) { fields.removeAll { $0.name.caseInsensitiveCompare(name) == .orderedSame } }
    public subscript(name: String) -> String? { values(name).first }
    public func values(_ name: String) -> [String] {
        fields.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }
    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }
}

/// One part of a `multipart/form-data` body.
public enum MultipartPart: Sendable {
    case field(name: String, value: String)
    /// A file streamed from disk (never loaded whole into memory).
    case file(name: String, path: String, filename: String, contentType: String)
}

public enum HTTPBody: Sendable {
    case none
    case data(Data, contentType: String)
    case multipart([MultipartPart])

    public var isEmpty: Bool { if case .none = self { return true } else { return false } }
}

public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    public var url: URL
    public var headers: HTTPHeaders
    public var body: HTTPBody
    /// When set, a successful (2xx) response body is streamed into this file instead of memory.
    public var downloadPath: String?
    public init(method: HTTPMethod, url: URL, headers: HTTPHeaders = HTTPHeaders(), body: HTTPBody = .none, downloadPath: String? = nil) {
        self.method = method; self.url = url; self.headers = headers; self.body = body; self.downloadPath = downloadPath
    }
}

public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Data
    /// Bytes written to the request's `downloadPath`, when it had one and the status was 2xx.
    public var downloadedBytes: Int64
    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: Data = Data(), downloadedBytes: Int64 = 0) {
        self.status = status; self.headers = headers; self.body = body; self.downloadedBytes = downloadedBytes
    }
    public var isSuccess: Bool { (200..<300).contains(status) }
}

/// Transfer progress: bytes done and total (total is 0 when unknown).
public struct TransferProgress: Sendable, Equatable {
    public var uploaded: Int64, uploadTotal: Int64, downloaded: Int64, downloadTotal: Int64
}
public typealias ProgressHandler = @Sendable (TransferProgress) -> Void

/// Moves bytes. The default is `CurlTransport`; tests may swap in their own.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest, progress: ProgressHandler?) async throws(TransportError) -> HTTPResponse
}

/// A failure below HTTP: nothing usable came back.
public struct TransportError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The request never left this machine (DNS, refused connection, proxy): always safe to retry.
        case couldNotConnect
        /// The connection broke or the server closed it without an answer: the server may have acted.
        case connectionLost
        case timedOut
        case tls
        case invalidRequest
        case other
    }
    public var kind: Kind
    public var message: String
    public var url: String
    public init(kind: Kind, message: String, url: String) { self.kind = kind; self.message = message; self.url = url }
    public var description: String { "\(message) (\(url))" }
    /// Whether a server could have received (and acted on) the request.
    public var requestMayHaveReachedServer: Bool {
        switch kind {
        case .couldNotConnect, .invalidRequest, .tls: return false
        default: return true
        }
    }
}
