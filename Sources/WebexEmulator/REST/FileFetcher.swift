import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Downloads the public URL given in `files: [URL]` so it can be stored as the message's content.
enum FileFetcher {
    static func fetch(_ urlString: String) async throws(APIError) -> NewFile {
        guard let url = URL(string: urlString), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            url.host != nil
        else {
            throw APIError.badRequest("The file URL \(urlString) is not an http(s) URL.")
        }
        var request = URLRequest(url: url)
        request.timeoutInterval = 30
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw APIError.badRequest("The file at \(urlString) could not be downloaded: \(error.localizedDescription)")
        }
        if let http = response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) {
            throw APIError.badRequest("The file at \(urlString) could not be downloaded: HTTP \(http.statusCode).")
        }
        guard data.count <= FileLimits.maxFileBytes else {
            throw APIError.badRequest("The file at \(urlString) is larger than 100 MB.")
        }
        var filename = url.lastPathComponent
        var contentType = "application/octet-stream"
        if let http = response as? HTTPURLResponse {
            if let ct = http.value(forHTTPHeaderField: "Content-Type"), !ct.isEmpty { contentType = ct }
            if let cd = http.value(forHTTPHeaderField: "Content-Disposition") {
                let (_, params) = HeaderValue.parse(cd)
                if let name = params["filename*"].flatMap(HeaderValue.decodeExtended) ?? params["filename"], !name.isEmpty {
                    filename = name
                }
            }
        }
        if filename.isEmpty || filename == "/" { filename = "file" }
        return NewFile(filename: MessageInput.sanitizedFilename(filename), contentType: contentType, data: Array(data))
    }
}
