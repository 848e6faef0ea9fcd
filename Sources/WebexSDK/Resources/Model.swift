/// A Webex resource object as the API returns it.
public protocol WebexModel: Codable, Sendable {
    /// Every JSON field name the model carries (for `--json FIELDS`).
    static var jsonFields: [String] { get }
}

extension WebexModel {
    public static func fieldNames<K: CodingKey & CaseIterable>(_ keys: K.Type) -> [String] { keys.allCases.map(\.stringValue) }
}
