import Foundation

/// The people (with their tokens) and organization the emulator starts with and returns to on reset.
///
/// Seed file format:
/// ```json
/// {"org":{"displayName":"Emulated Org"},
///  "people":[{"email":"alice@example.com","displayName":"Alice Example","token":"alice-token",
///             "firstName":"Alice","lastName":"Example","type":"person","roles":[]}]}
/// ```
/// `org`, `firstName`, `lastName`, `type` (default `person`) and `roles` are optional.
public struct EmulatorSeed: Sendable, Equatable {
    public struct Person: Sendable, Equatable {
        public var email: String
        public var displayName: String
        public var firstName: String?
        public var lastName: String?
        public var token: String
        public var type: String
        public var roles: [String]

        public init(
            email: String, displayName: String, token: String, firstName: String? = nil, lastName: String? = nil,
            type: String = "person", roles: [String] = []
        ) {
            self.email = email
            self.displayName = displayName
            self.token = token
            self.firstName = firstName
            self.lastName = lastName
            self.type = type
            self.roles = roles
        }
    }

    public var orgDisplayName: String
    public var people: [Person]

    public init(orgDisplayName: String, people: [Person]) {
        self.orgDisplayName = orgDisplayName
        self.people = people
    }

    /// Alice, Bob and Carol (people) and Emu Bot (a bot), each with an obvious token.
    public static let `default` = EmulatorSeed(
        orgDisplayName: "Emulated Org",
        people: [
            .init(email: "alice@example.com", displayName: "Alice Example", token: "alice-token"),
            .init(email: "bob@example.com", displayName: "Bob Example", token: "bob-token"),
            .init(email: "carol@example.com", displayName: "Carol Example", token: "carol-token"),
            .init(email: "emubot@webex.bot", displayName: "Emu Bot", token: "bot-token", type: "bot"),
        ])

    /// Reads and validates a seed file. Every failure names the file and the problem.
    public static func load(path: String) throws(SeedError) -> EmulatorSeed {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
                throw SeedError(file: path, problem: isDir.boolValue ? "is a directory" : "cannot be read")
            }
            throw SeedError(file: path, problem: "does not exist")
        }
        return try parse(Array(data), file: path)
    }

    public static func parse(_ bytes: [UInt8], file: String) throws(SeedError) -> EmulatorSeed {
        func fail(_ problem: String) -> SeedError { SeedError(file: file, problem: problem) }
        let root: JSONValue
        do {
            root = try JSONValue.parse(bytes)
        } catch {
            throw fail("is not valid JSON")
        }
        guard case .object(let top) = root else { throw fail("must contain a JSON object at the top level") }

        var orgName = EmulatorSeed.default.orgDisplayName
        if let org = top["org"], !org.isNull {
            guard case .object(let o) = org else { throw fail("\"org\" must be an object") }
            if let name = o["displayName"], !name.isNull {
                guard let s = name.stringValue, !s.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw fail("\"org.displayName\" must be a non-empty string")
                }
                orgName = s
            }
        }

        guard let peopleValue = top["people"] else { throw fail("has no \"people\" array") }
        guard case .array(let entries) = peopleValue else { throw fail("\"people\" must be an array") }
        var people: [Person] = []
        var emails: Set<String> = []
        var tokens: Set<String> = []
        for (i, entry) in entries.enumerated() {
            let at = "people[\(i)]"
            guard case .object(let p) = entry else { throw fail("\(at) must be an object") }
            func requiredString(_ key: String) throws(SeedError) -> String {
                guard let v = p[key], !v.isNull else { throw fail("\(at) is missing \"\(key)\"") }
                guard let s = v.stringValue, !s.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw fail("\(at).\(key) must be a non-empty string")
                }
                return s
            }
            func optionalString(_ key: String) throws(SeedError) -> String? {
                guard let v = p[key], !v.isNull else { return nil }
                guard let s = v.stringValue else { throw fail("\(at).\(key) must be a string") }
                return s
            }
            let email = try requiredString("email")
            guard email.contains("@"), !email.contains(" ") else { throw fail("\(at).email \"\(email)\" is not an email address") }
            let displayName = try requiredString("displayName")
            let token = try requiredString("token")
            let type = try optionalString("type") ?? "person"
            guard PersonType(rawValue: type) != nil else {
                throw fail("\(at).type must be \"person\" or \"bot\" (got \"\(type)\")")
            }
            var roles: [String] = []
            if let r = p["roles"], !r.isNull {
                guard case .array(let items) = r, let strings = Optional(items.compactMap(\.stringValue)),
                    strings.count == items.count
                else { throw fail("\(at).roles must be an array of strings") }
                roles = strings
            }
            guard emails.insert(email.lowercased()).inserted else { throw fail("\(at).email \"\(email)\" is used twice") }
            guard tokens.insert(token).inserted else { throw fail("\(at).token is used by another person") }
            people.append(
                Person(
                    email: email, displayName: displayName, token: token, firstName: try optionalString("firstName"),
                    lastName: try optionalString("lastName"), type: type, roles: roles))
        }
        return EmulatorSeed(orgDisplayName: orgName, people: people)
    }
}

public struct SeedError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var problem: String

    public var description: String { "seed file \(file): \(problem)" }
}
