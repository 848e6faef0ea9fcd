import Foundation

/// A WDM device registration (reference §5.2): what a client registers before it opens the Mercury
/// websocket. Only the owner sees it; it lives until it is deleted or the emulator is reset.
struct Device: Sendable {
    var uuid: String
    var seq: Int
    var ownerUUID: String
    /// The descriptive fields the client sent (`deviceType`, `name`, `model`, `localizedModel`,
    /// `systemName`, `systemVersion`, `deviceName`), echoed back as given.
    var fields: [String: JSONValue]
    var created: Date
    var modified: Date
    /// Changes on every registration and refresh (answered as the `ETag` header).
    var etag: String

    /// The members of a registration body that are kept and echoed.
    static let echoedFields = ["deviceType", "name", "model", "localizedModel", "systemName", "systemVersion", "deviceName"]

    static func newETag() -> String { "\"\(OAuthCrypto.randomHex(8))\"" }
}

/// Rules for device registrations and the Mercury websocket (control `PUT /_emulator/settings`; reset
/// restores the defaults).
struct EventSettings: Sendable, Equatable {
    /// Registrations one person may hold; one more is a 403.
    var deviceLimit = 100
    /// Seconds a new websocket has to send its authorization frame before it is closed with 1008.
    var mercuryAuthTimeout: Double = 30

    var json: [String: JSONValue] {
        ["deviceLimit": .int(deviceLimit), "mercuryAuthTimeout": OAuthSettings.number(mercuryAuthTimeout)]
    }

    /// Applies the members present in a control API body (`PUT /_emulator/settings`).
    mutating func update(from body: JSONBody) throws(APIError) {
        if let v = try body.int("deviceLimit") {
            guard v >= 0 else { throw APIError.badRequest("deviceLimit must not be negative.") }
            deviceLimit = v
        }
        if let v = body.members["mercuryAuthTimeout"], !v.isNull {
            let seconds: Double
            switch v {
            case .int(let i): seconds = Double(i)
            case .double(let d) where d.isFinite: seconds = d
            default: throw APIError.badRequest("mercuryAuthTimeout must be a number.")
            }
            guard seconds > 0 else { throw APIError.badRequest("mercuryAuthTimeout must be positive.") }
            mercuryAuthTimeout = seconds
        }
    }
}
