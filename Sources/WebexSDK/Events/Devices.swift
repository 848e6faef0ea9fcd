import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A device registration with Webex's device manager (WDM, reference §5.2): what gives a client its events
/// websocket. The whole JSON is kept so a refresh sends back what WDM returned.
public struct Device: Sendable, Codable, Equatable {
    public var json: JSONValue

    public init(json: JSONValue) { self.json = json }
    public init(from decoder: any Decoder) throws { json = try JSONValue(from: decoder) }
    public func encode(to encoder: any Encoder) throws { try json.encode(to: encoder) }

    /// The device URL: refresh with PUT, remove with DELETE.
    public var url: String? { json["url"]?.stringValue }
    public var webSocketURL: String? { json["webSocketUrl"]?.stringValue }
    public var userId: String? { json["userId"]?.stringValue }
    public var name: String? { json["name"]?.stringValue }
    public var deviceType: String? { json["deviceType"]?.stringValue }
    public var creationTime: String? { json["creationTime"]?.stringValue }
    public var modificationTime: String? { json["modificationTime"]?.stringValue }
    /// The last segment of `url`.
    public var id: String? { url.flatMap { $0.split(separator: "/").last.map(String.init) } }
}

/// What this client registers as. Webex accepts the JSSDK's `WEB` and the `DESKTOP` other clients send.
public struct DeviceRegistrationRequest: Sendable, Encodable {
    public var name: String
    public var deviceName: String
    public var deviceType = "DESKTOP"
    public var model = "webex-cli"
    public var localizedModel = "webex-cli"
    public var systemName = "WEBEX_CLI"
    public var systemVersion = WebexConfiguration.sdkVersion

    public init(name: String) { self.name = name; self.deviceName = name }
}

/// `webex.devices`: this user's device registrations.
public struct DevicesAPI: Sendable {
    let client: Webex

    /// The WDM base from the service catalog (`serviceLinks.wdm`; reference §5.1 warns not to hard-code it).
    public func baseURL() async throws(WebexError) -> URL {
        try await client.serviceURL("wdm")
    }

    private func devicesURL(query: String = "") async throws(WebexError) -> URL {
        var s = try await baseURL().absoluteString
        while s.hasSuffix("/") { s.removeLast() }
        return URL(string: s + "/devices" + query)!
    }

    /// `GET {wdm}/devices`.
    public func list() async throws(WebexError) -> [Device] {
        struct List: Decodable { var devices: [Device]? }
        return try await client.get(List.self, devicesURL()).devices ?? []
    }

    /// `POST {wdm}/devices?includeUpstreamServices=all`. Never retried blindly: a retry could leave two devices.
    public func register(_ request: DeviceRegistrationRequest) async throws(WebexError) -> Device {
        do {
            return try await client.send(Device.self, .post, devicesURL(query: "?includeUpstreamServices=all"), json: request)
        } catch {
            if case .api(let e) = error, e.status == 403,
               (e.message ?? "").lowercased().contains("excessive") || e.descriptions.joined().lowercased().contains("excessive") {
                throw .invalidArgument("Webex refused a new device registration: this user has too many (\(e.message ?? "excessive device registrations")). "
                    + "List them with `webex events devices` and remove stale ones with `webex events unregister --all`.")
            }
            throw error
        }
    }

    /// `PUT {device.url}?includeUpstreamServices=all` with the device minus `features`, `mediaCluster` and
    /// `etag`. Nil when WDM no longer knows the device (404): register a new one.
    public func refresh(_ device: Device) async throws(WebexError) -> Device? {
        guard let raw = device.url, let url = URL(string: raw + (raw.contains("?") ? "&" : "?") + "includeUpstreamServices=all") else {
            throw .invalidArgument("the stored device has no URL")
        }
        try checkTrusted(url)
        var body = device.json
        if case .object(var o) = body {
            for k in ["features", "mediaCluster", "etag"] { o.removeValue(forKey: k) }
            body = .object(o)
        }
        do {
            return try await client.send(Device.self, .put, url, json: body)
        } catch {
            if error.httpStatus == 404 { return nil }
            throw error
        }
    }

    /// `DELETE {device.url}`; a device already gone counts as removed.
    public func unregister(_ device: Device) async throws(WebexError) {
        guard let raw = device.url, let url = URL(string: raw) else { throw .invalidArgument("the device has no URL") }
        try checkTrusted(url)
        do { try await client.delete(url) } catch {
            if error.httpStatus == 404 { return }
            throw error
        }
    }

    /// `DELETE {wdm}/devices`: every registration of this user (other clients of theirs register again).
    public func unregisterAll() async throws(WebexError) {
        try await client.delete(devicesURL())
    }

    /// A device URL must be on the WDM host the catalog named, so the token never goes elsewhere.
    private func checkTrusted(_ url: URL) throws(WebexError) {
        guard client.isTrusted(url) else {
            throw .insecureURL("refusing to send the access token to \(url.host ?? "?"): the stored device is not on a Webex service host")
        }
    }

    /// The device this client should use: the stored one refreshed, else a new registration, which is
    /// saved so later runs reuse it instead of piling up registrations.
    public func ensureRegistered(store: DeviceStateStore, userId: String, name: String) async throws(WebexError) -> Device {
        let wdm = try await baseURL().absoluteString
        if let saved = store.load(userId: userId), saved.wdmURL == wdm, saved.userId == userId {
            if let fresh = try await refresh(saved.device) {
                try store.save(DeviceState(wdmURL: wdm, userId: userId, device: fresh))
                return fresh
            }
            client.logger.log(.info, "the saved device registration is gone; registering a new one")
        }
        let device = try await register(DeviceRegistrationRequest(name: name))
        guard device.url != nil, device.webSocketURL != nil else {
            throw .invalidResponse("the device registration has no url or webSocketUrl")
        }
        try store.save(DeviceState(wdmURL: wdm, userId: userId, device: device))
        return device
    }
}

extension Webex {
    public var devices: DevicesAPI { DevicesAPI(client: self) }
}

/// What is kept between runs: the device and whose it is.
public struct DeviceState: Sendable, Codable, Equatable {
    public var wdmURL: String
    public var userId: String
    public var device: Device
}

/// One device per profile and user, in `<state dir>/devices/<key>.<user uuid>.json` (0600, written
/// atomically), so runs reuse their registration instead of piling up new ones. The state directory is
/// `WEBEX_STATE_DIR`, else `$XDG_STATE_HOME/webex`, else `~/.local/state/webex`.
public struct DeviceStateStore: Sendable {
    public let directory: String
    public let key: String

    public init(directory: String, key: String) {
        self.directory = directory
        self.key = Self.safe(key)
    }

    static func safe(_ s: String) -> String {
        let t = String(s.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
        return t.isEmpty ? "default" : t
    }

    public func path(userId: String) -> String { directory + "/devices/\(key).\(Self.safe(userId)).json" }

    public static func defaultDirectory(environment env: [String: String]) -> String {
        if let d = env["WEBEX_STATE_DIR"], !d.isEmpty { return d }
        if let x = env["XDG_STATE_HOME"], !x.isEmpty { return x + "/webex" }
        return (env["HOME"] ?? NSHomeDirectory()) + "/.local/state/webex"
    }

    public func load(userId: String) -> DeviceState? {
        guard let data = FileManager.default.contents(atPath: path(userId: userId)) else { return nil }
        return try? JSONDecoder().decode(DeviceState.self, from: data)
    }

    public func save(_ state: DeviceState) throws(WebexError) {
        let data: Data
        do { data = try WebexJSON.encoder.encode(state) } catch { throw .invalidArgument("cannot encode the device state: \(error)") }
        try AtomicFile.write(data, to: path(userId: state.userId))
    }

    /// Forgets the stored device; true when there was one.
    @discardableResult public func delete(userId: String) -> Bool { unlink(path(userId: userId)) == 0 }
}

/// Writes a private file atomically: a 0600 temporary file in the same folder (created 0700 if missing),
/// fsync, rename. Readers see the old file or the new one, never half of one.
enum AtomicFile {
    static func write(_ data: Data, to path: String) throws(WebexError) {
        let dir = (path as NSString).deletingLastPathComponent
        if !FileManager.default.fileExists(atPath: dir) {
            do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]) }
            catch { throw .invalidArgument("cannot create \(dir): \(error.localizedDescription)") }
        }
        let temp = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .invalidArgument("cannot write \(temp): \(String(cString: strerror(errno)))") }
        var ok = true
        data.withUnsafeBytes { raw in
            var off = 0
            while off < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + off, raw.count - off)
                if n <= 0 { if errno == EINTR { continue }; ok = false; break }
                off += n
            }
        }
        ok = ok && fsync(fd) == 0
        close(fd)
        guard ok, rename(temp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temp)
            throw .invalidArgument("cannot write \(path): \(reason)")
        }
    }
}
