import Foundation

/// Webex service discovery (U2C, reference §5.1): where `conversation`, `wdm` and the other internal
/// services live for this user.
public struct ServiceCatalog: Sendable, Decodable {
    public var serviceLinks: [String: String]

    public func url(_ service: String) -> URL? { serviceLinks[service].flatMap(URL.init(string:)) }
}

extension WebexConfiguration {
    public static let defaultU2CURL = URL(string: "https://u2c.wbx2.com/u2c/api/v1")!

    /// `WEBEX_U2C_URL` when set; for a base URL other than the public one (an emulator), the same origin's
    /// `/u2c/api/v1`; else Webex's U2C.
    public static func u2cURL(environment: [String: String], baseURL: URL) throws(WebexError) -> URL {
        if let raw = environment["WEBEX_U2C_URL"], !raw.isEmpty {
            guard let u = URL(string: raw), u.host != nil else { throw .invalidArgument("WEBEX_U2C_URL is not a URL: \(raw)") }
            return u
        }
        guard baseURL != defaultBaseURL, let scheme = baseURL.scheme, let host = baseURL.host else { return defaultU2CURL }
        let port = baseURL.port.map { ":\($0)" } ?? ""
        let h = host.contains(":") ? "[\(host)]" : host
        return URL(string: "\(scheme)://\(h)\(port)/u2c/api/v1")!
    }
}

extension Webex {
    /// The service catalog, fetched once per client.
    public func services() async throws(WebexError) -> ServiceCatalog {
        if let cached = catalogCache.withLock({ $0 }) { return cached }
        let base = configuration.u2cURL
        var s = base.absoluteString
        while s.hasSuffix("/") { s.removeLast() }
        let catalog = try await get(ServiceCatalog.self, URL(string: s + "/catalog?format=hostmap")!)
        var trusted: [URL] = []
        for (_, link) in catalog.serviceLinks {
            guard let u = URL(string: link) else { continue }
            // Only https, or http on loopback, may receive the token.
            if (try? URLPolicy.check(u)) != nil { trusted.append(u) }
        }
        catalogCache.withLock { $0 = catalog }
        trustedServices.withLock { $0 = trusted }
        return catalog
    }

    /// The URL of a discovered service, e.g. `conversation`.
    public func serviceURL(_ name: String) async throws(WebexError) -> URL {
        guard let u = try await services().url(name) else {
            throw .invalidResponse("the service catalog has no '\(name)' service")
        }
        return u
    }
}
