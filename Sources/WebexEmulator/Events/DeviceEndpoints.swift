import Foundation

/// WDM device registration under `/wdm/api/v1` (reference §5.2). Paths are relative to that prefix; every
/// URL handed out points back at this emulator (`http://<Host header>`, `ws://<Host header>`).
///
/// ```
/// POST   /devices[?includeUpstreamServices=all]  {any JSON object}  → 200 device, ETag
/// GET    /devices                                → {"devices":[device…]}   (the caller's only)
/// GET    /devices/{id}                           → device, ETag
/// PUT    /devices/{id}                           → device with a new modificationTime and ETag (refresh)
/// DELETE /devices/{id}                           → 204; that device's sockets close with 4404
/// DELETE /devices                                → 204; all of the caller's devices
/// ```
/// A device that does not exist or belongs to someone else is a 404 (clients register again on it).
/// The emulator's device:
/// ```
/// {"url":"http://<host>/wdm/api/v1/devices/<uuid>",
///  "webSocketUrl":"ws://<host>/mercury/v1/apps/wx2/registrations/<uuid>/messages",
///  "userId":"<person uuid>","orgId":"<org uuid>",
///  "deviceType","name","model","localizedModel","systemName","systemVersion","deviceName": as registered,
///  "creationTime":"<ISO>","modificationTime":"<ISO>",
///  "services":{"conversationServiceUrl","hydraServiceUrl","wdmServiceUrl","locusServiceUrl","u2cServiceUrl"},
///  "serviceHostMap":{"serviceLinks":{…},"hostCatalog":{…}},     // the U2C hostmap
///  "features":{"developer":[],"entitlement":[],"user":[]},
///  "intranetInactivityDuration":0,"inNetworkInactivityDuration":0}
/// ```
extension EmulatorStore {
    /// [U] The status is a guess: JSSDK's public issue tracker shows the message text for too many
    /// registrations, not the status code that came with it.
    static let excessiveDevicesMessage = "User has excessive device registrations"

    func registerDevice(_ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        let body = try req.json()
        let mine = devices.values.filter { $0.ownerUUID == viewer.uuid }.count
        guard mine < eventSettings.deviceLimit else { throw APIError.forbidden(Self.excessiveDevicesMessage) }
        let now = WebexDate.now()
        var fields: [String: JSONValue] = [:]
        for key in Device.echoedFields {
            if let v = body.members[key], !v.isNull { fields[key] = v }
        }
        let device = Device(
            uuid: HydraID.newUUID(), seq: nextSeq(), ownerUUID: viewer.uuid, fields: fields, created: now, modified: now,
            etag: Device.newETag())
        devices[device.uuid] = device
        return deviceReply(device, host: req.host)
    }

    func listDevices(_ req: APIRequest, viewer: Person) -> Reply {
        let mine = devices.values.filter { $0.ownerUUID == viewer.uuid }.sorted { $0.seq < $1.seq }
        return .json(["devices": .array(mine.map { render(device: $0, host: req.host) })])
    }

    private func ownDevice(id: String, viewer: Person) throws(APIError) -> Device {
        guard let device = devices[id.lowercased()], device.ownerUUID == viewer.uuid else {
            throw APIError.notFound("The device could not be found.")
        }
        return device
    }

    func getDevice(id: String, _ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        deviceReply(try ownDevice(id: id, viewer: viewer), host: req.host)
    }

    /// Refresh (JSSDK sends the whole device back, with `If-None-Match`; the emulator always answers the
    /// device). Descriptive fields present in the body replace the registered ones.
    func refreshDevice(id: String, _ req: APIRequest, viewer: Person) throws(APIError) -> Reply {
        var device = try ownDevice(id: id, viewer: viewer)
        let body = try req.json()
        for key in Device.echoedFields {
            if let v = body.members[key], !v.isNull { device.fields[key] = v }
        }
        device.modified = WebexDate.now()
        device.etag = Device.newETag()
        devices[device.uuid] = device
        return deviceReply(device, host: req.host)
    }

    func deleteDevice(id: String, viewer: Person) throws(APIError) -> Reply {
        let device = try ownDevice(id: id, viewer: viewer)
        devices[device.uuid] = nil
        mercury.close(where: { $0.deviceId == device.uuid }, code: MercuryCloseCode.deviceUnregistered, reason: "device unregistered")
        return .noContent
    }

    func deleteAllDevices(viewer: Person) -> Reply {
        let mine = Set(devices.values.filter { $0.ownerUUID == viewer.uuid }.map(\.uuid))
        for uuid in mine { devices[uuid] = nil }
        mercury.close(where: { mine.contains($0.deviceId) }, code: MercuryCloseCode.deviceUnregistered, reason: "device unregistered")
        return .noContent
    }

    /// `GET /_emulator/devices`: `{"items":[device + "email" (the owner)]}` for everyone, oldest first.
    func controlAllDevices(host: String) -> Reply {
        let all = devices.values.sorted { $0.seq < $1.seq }
        return .json([
            "items": .array(
                all.map { d in
                    guard case .object(var o) = render(device: d, host: host) else { return .null }
                    o["email"] = people[d.ownerUUID].map { .string($0.email) } ?? .null
                    return .object(o)
                })
        ])
    }

    /// The owner of a registered device, for the websocket upgrade.
    func deviceOwner(_ deviceUUID: String) -> Person? {
        devices[deviceUUID.lowercased()].flatMap { people[$0.ownerUUID] }
    }

    private func deviceReply(_ device: Device, host: String) -> Reply {
        .bytes(
            status: .ok,
            headers: [("Content-Type", EmulatorResponder.jsonContentType), ("ETag", device.etag)],
            body: render(device: device, host: host).serializedBytes())
    }

    func render(device d: Device, host: String) -> JSONValue {
        let origin = "http://\(host)"
        var members = d.fields
        members["url"] = .string("\(origin)/wdm/api/v1/devices/\(d.uuid)")
        members["webSocketUrl"] = .string("ws://\(host)/mercury/v1/apps/wx2/registrations/\(d.uuid)/messages")
        members["userId"] = .string(d.ownerUUID)
        members["orgId"] = .string(org.uuid)
        members["creationTime"] = .string(WebexDate.format(d.created))
        members["modificationTime"] = .string(WebexDate.format(d.modified))
        members["services"] = [
            "conversationServiceUrl": .string("\(origin)/conversation/api/v1"),
            "hydraServiceUrl": .string("\(origin)/v1"),
            "wdmServiceUrl": .string("\(origin)/wdm/api/v1"),
            "locusServiceUrl": .string("\(origin)/locus/api/v1"),
            "u2cServiceUrl": .string("\(origin)/u2c/api/v1"),
        ]
        members["serviceHostMap"] = Self.u2cCatalog(host: host)
        members["features"] = ["developer": [], "entitlement": [], "user": []]
        members["intranetInactivityDuration"] = 0
        members["inNetworkInactivityDuration"] = 0
        return .object(members)
    }
}
