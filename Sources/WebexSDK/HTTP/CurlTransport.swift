import CCurl
import CShims
import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Settings for the libcurl transport.
public struct CurlTransportOptions: Sendable {
    /// Seconds allowed to establish a connection.
    public var connectTimeout: Double = 10
    /// Seconds allowed for a whole exchange that carries no file; 0 means no limit.
    public var requestTimeout: Double = 60
    /// A transfer (upload or download) slower than 1 byte/s for this many seconds is abandoned.
    public var stallTimeout: Double = 30
    /// An extra CA bundle (PEM) trusted in addition to the system's.
    public var extraCABundle: String?
    public var userAgent: String
    public init(userAgent: String, extraCABundle: String? = nil) {
        self.userAgent = userAgent; self.extraCABundle = extraCABundle
    }

    /// Verification always on; the extra bundle in CAINFO while the system store stays in use through CAPATH.
    /// Shared by REST and the websocket, so both trust exactly the same certificates.
    func applyTLS(to h: UnsafeMutableRawPointer) {
        _ = webex_curl_setopt_long(h, CURLOPT_SSL_VERIFYPEER, 1)
        _ = webex_curl_setopt_long(h, CURLOPT_SSL_VERIFYHOST, 2)
        if let extra = extraCABundle {
            _ = webex_curl_setopt_string(h, CURLOPT_CAINFO, extra)
            _ = webex_curl_setopt_string(h, CURLOPT_CAPATH, "/etc/ssl/certs")
        }
    }
}

/// HTTP over libcurl. Easy handles are pooled and reused, so sequential requests to one host share a
/// connection (curl keeps the connection cache across `curl_easy_reset`). TLS verification is always on;
/// proxies come from the usual environment variables, which libcurl reads itself (`https_proxy`,
/// `HTTPS_PROXY`, `http_proxy`, `ALL_PROXY`, `NO_PROXY`; curl ignores upper-case `HTTP_PROXY` on purpose).
/// Redirects are not followed, so a bearer token is never sent to a host it was not meant for.
public final class CurlTransport: HTTPTransport, @unchecked Sendable {
    // Handles are only touched by the thread that took them out of the pool.
    private let lock = NSLock()
    private var idle: [UnsafeMutableRawPointer] = []
    public let options: CurlTransportOptions
    private static let globalInit: Bool = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK }()

    /// `curl_global_init`, once per process.
    @discardableResult static func ensureGlobalInit() -> Bool { globalInit }

    public init(options: CurlTransportOptions) {
        _ = Self.globalInit
        self.options = options
    }

    deinit {
        for h in idle { curl_easy_cleanup(h) }
    }

    public func send(_ request: HTTPRequest, progress: ProgressHandler?) async throws(TransportError) -> HTTPResponse {
        let result: Result<HTTPResponse, TransportError> = await withCheckedContinuation { cont in
            DispatchQueue.global().async {
                cont.resume(returning: self.perform(request, progress: progress))
            }
        }
        return try result.get()
    }

    private func checkout() -> UnsafeMutableRawPointer? {
        if let h = lock.withLock({ idle.popLast() }) { return h }
        return curl_easy_init()
    }

    private func checkin(_ h: UnsafeMutableRawPointer) { lock.withLock { idle.append(h) } }

    /// Blocking: runs on a dispatch thread, never on the cooperative pool.
    private func perform(_ request: HTTPRequest, progress: ProgressHandler?) -> Result<HTTPResponse, TransportError> {
        let urlString = request.url.absoluteString
        guard let h = checkout() else {
            return .failure(TransportError(kind: .other, message: "could not initialise libcurl", url: urlString))
        }
        defer { checkin(h) }
        curl_easy_reset(h)
        let ctx = TransferContext(handle: h, downloadPath: request.downloadPath, progress: progress)
        let ctxPtr = Unmanaged.passUnretained(ctx).toOpaque()
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var headerList: UnsafeMutablePointer<curl_slist>?
        var mime: OpaquePointer?
        defer {
            if let headerList { curl_slist_free_all(headerList) }
            if let mime { curl_mime_free(mime) }
            ctx.closeFile()
        }

        _ = webex_curl_setopt_string(h, CURLOPT_URL, urlString)
        _ = webex_curl_setopt_long(h, CURLOPT_NOSIGNAL, 1)
        _ = webex_curl_setopt_long(h, CURLOPT_FOLLOWLOCATION, 0)
        _ = webex_curl_setopt_long(h, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
        options.applyTLS(to: h)
        _ = webex_curl_setopt_string(h, CURLOPT_ACCEPT_ENCODING, "")
        _ = webex_curl_setopt_long(h, CURLOPT_TCP_KEEPALIVE, 1)
        _ = webex_curl_setopt_long(h, CURLOPT_CONNECTTIMEOUT_MS, Int(options.connectTimeout * 1000))
        let carriesFile: Bool = {
            if request.downloadPath != nil { return true }
            if case .multipart = request.body { return true }
            return false
        }()
        if carriesFile || options.requestTimeout <= 0 {
            _ = webex_curl_setopt_long(h, CURLOPT_LOW_SPEED_LIMIT, 1)
            _ = webex_curl_setopt_long(h, CURLOPT_LOW_SPEED_TIME, max(1, Int(options.stallTimeout)))
        } else {
            _ = webex_curl_setopt_long(h, CURLOPT_TIMEOUT_MS, Int(options.requestTimeout * 1000))
        }
        _ = webex_curl_setopt_string(h, CURLOPT_USERAGENT, options.userAgent)
        errorBuffer.withUnsafeMutableBufferPointer { _ = webex_curl_setopt_pointer(h, CURLOPT_ERRORBUFFER, $0.baseAddress) }

        for (name, value) in request.headers { headerList = curl_slist_append(headerList, "\(name): \(value)") }
        // No "Expect: 100-continue" round trip before bodies.
        headerList = curl_slist_append(headerList, "Expect:")

        _ = webex_curl_setopt_pointer(h, CURLOPT_WRITEDATA, ctxPtr)
        _ = webex_curl_setopt_data_function(h, CURLOPT_WRITEFUNCTION) { ptr, size, n, ud in
            guard let ptr, let ud else { return 0 }
            return Unmanaged<TransferContext>.fromOpaque(ud).takeUnretainedValue().write(ptr, size * n)
        }
        _ = webex_curl_setopt_pointer(h, CURLOPT_HEADERDATA, ctxPtr)
        _ = webex_curl_setopt_data_function(h, CURLOPT_HEADERFUNCTION) { ptr, size, n, ud in
            guard let ptr, let ud else { return 0 }
            Unmanaged<TransferContext>.fromOpaque(ud).takeUnretainedValue().header(ptr, size * n)
            return size * n
        }
        if progress != nil {
            _ = webex_curl_setopt_long(h, CURLOPT_NOPROGRESS, 0)
            _ = webex_curl_setopt_pointer(h, CURLOPT_XFERINFODATA, ctxPtr)
            _ = webex_curl_setopt_xferinfo_function(h) { ud, dlTotal, dlNow, ulTotal, ulNow in
                guard let ud else { return 0 }
                let c = Unmanaged<TransferContext>.fromOpaque(ud).takeUnretainedValue()
                c.progress?(TransferProgress(uploaded: Int64(ulNow), uploadTotal: Int64(ulTotal), downloaded: Int64(dlNow), downloadTotal: Int64(dlTotal)))
                return 0
            }
        }

        let method = request.method.rawValue
        var bodyData = Data()
        switch request.body {
        case .none:
            switch request.method {
            case .get: _ = webex_curl_setopt_long(h, CURLOPT_HTTPGET, 1)
            case .head: _ = webex_curl_setopt_long(h, CURLOPT_NOBODY, 1)
            default:
                _ = webex_curl_setopt_string(h, CURLOPT_CUSTOMREQUEST, method)
                if request.method == .post || request.method == .put {
                    _ = webex_curl_setopt_long(h, CURLOPT_POSTFIELDSIZE, 0)
                    _ = webex_curl_setopt_string(h, CURLOPT_POSTFIELDS, "")
                }
            }
        case .data(let data, let contentType):
            bodyData = data
            headerList = curl_slist_append(headerList, "Content-Type: \(contentType)")
            if request.method != .post { _ = webex_curl_setopt_string(h, CURLOPT_CUSTOMREQUEST, method) }
        case .multipart(let parts):
            mime = curl_mime_init(h)
            for part in parts {
                let p = curl_mime_addpart(mime)
                switch part {
                case .field(let name, let value):
                    curl_mime_name(p, name)
                    curl_mime_data(p, value, Int(bitPattern: UInt.max))
                case .file(let name, let path, let filename, let contentType):
                    curl_mime_name(p, name)
                    if curl_mime_filedata(p, path) != CURLE_OK {
                        return .failure(TransportError(kind: .invalidRequest, message: "cannot read \(path)", url: urlString))
                    }
                    curl_mime_filename(p, filename)
                    curl_mime_type(p, contentType)
                }
            }
            _ = webex_curl_setopt_pointer(h, CURLOPT_MIMEPOST, UnsafeMutableRawPointer(mime))
            if request.method != .post { _ = webex_curl_setopt_string(h, CURLOPT_CUSTOMREQUEST, method) }
        }
        _ = webex_curl_setopt_pointer(h, CURLOPT_HTTPHEADER, headerList)

        let rc: CURLcode = bodyData.withUnsafeBytes { raw in
            if case .data = request.body {
                _ = webex_curl_setopt_offt(h, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(raw.count))
                _ = webex_curl_setopt_pointer(h, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress ?? UnsafeRawPointer(("" as StaticString).utf8Start)))
            }
            return curl_easy_perform(h)
        }
        if let fileError = ctx.fileError {
            return .failure(TransportError(kind: .other, message: fileError, url: urlString))
        }
        guard rc == CURLE_OK else {
            let detail = String(decoding: errorBuffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let text = detail.isEmpty ? String(cString: curl_easy_strerror(rc)) : detail
            return .failure(TransportError(kind: Self.kind(of: rc), message: text, url: urlString))
        }
        var status = 0
        _ = webex_curl_getinfo_long(h, CURLINFO_RESPONSE_CODE, &status)
        return .success(HTTPResponse(status: status, headers: ctx.headers, body: ctx.body, downloadedBytes: ctx.downloaded))
    }

    static func kind(of rc: CURLcode) -> TransportError.Kind {
        switch rc {
        case CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT: return .couldNotConnect
        case CURLE_OPERATION_TIMEDOUT: return .timedOut
        case CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            return .connectionLost
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM:
            return .tls
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT: return .invalidRequest
        default: return .other
        }
    }
}

/// State shared with libcurl's callbacks for one transfer (touched only by the performing thread).
private final class TransferContext {
    let handle: UnsafeMutableRawPointer
    let downloadPath: String?
    let progress: ProgressHandler?
    var headers = HTTPHeaders()
    var body = Data()
    var downloaded: Int64 = 0
    var fd: Int32 = -1
    var fileError: String?

    init(handle: UnsafeMutableRawPointer, downloadPath: String?, progress: ProgressHandler?) {
        self.handle = handle; self.downloadPath = downloadPath; self.progress = progress
    }

    func header(_ ptr: UnsafeMutablePointer<CChar>, _ count: Int) {
        let line = String(decoding: UnsafeRawBufferPointer(start: ptr, count: count), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") { headers = HTTPHeaders(); return }  // a new response (e.g. after 100)
        guard let colon = line.firstIndex(of: ":") else { return }
        headers.add(String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }

    func write(_ ptr: UnsafeMutablePointer<CChar>, _ count: Int) -> Int {
        if let downloadPath {
            var status = 0
            _ = webex_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
            if (200..<300).contains(status) {
                if fd < 0 {
                    fd = open(downloadPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
                    if fd < 0 { fileError = "cannot write \(downloadPath): \(String(cString: strerror(errno)))"; return 0 }
                }
                var off = 0
                while off < count {
                    let n = Glibc.write(fd, ptr + off, count - off)
                    if n <= 0 { fileError = "cannot write \(downloadPath): \(String(cString: strerror(errno)))"; return 0 }
                    off += n
                }
                downloaded += Int64(count)
                return count
            }
        }
        body.append(UnsafeRawBufferPointer(start: ptr, count: count).assumingMemoryBound(to: UInt8.self))
        return count
    }

    func closeFile() { if fd >= 0 { close(fd); fd = -1 } }
}
