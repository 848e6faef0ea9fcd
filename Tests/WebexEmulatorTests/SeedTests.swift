import Foundation
import Testing

@testable import WebexEmulator

@Suite struct SeedTests {
    func parse(_ json: String) throws(SeedError) -> EmulatorSeed {
        try EmulatorSeed.parse(Array(json.utf8), file: "seed.json")
    }

    @Test func defaultSeed() {
        let seed = EmulatorSeed.default
        #expect(seed.orgDisplayName == "Emulated Org")
        #expect(seed.people.map(\.token) == ["alice-token", "bob-token", "carol-token", "bot-token"])
        #expect(seed.people.last?.type == "bot")
    }

    @Test func validSeedWithOptionalFields() throws {
        let seed = try parse(
            #"{"org":{"displayName":"Acme"},"people":[{"email":"a@acme.com","displayName":"A","token":"t","type":"bot","roles":["admin"],"firstName":"Al"}]}"#
        )
        #expect(seed.orgDisplayName == "Acme")
        #expect(seed.people == [.init(email: "a@acme.com", displayName: "A", token: "t", firstName: "Al", type: "bot", roles: ["admin"])])
    }

    @Test func errorsNameTheFileAndTheProblem() {
        let cases: [(String, String)] = [
            ("{", "is not valid JSON"),
            ("[]", "must contain a JSON object at the top level"),
            (#"{"org":{}}"#, "has no \"people\" array"),
            (#"{"people":[{"email":"a@b.c","displayName":"A"}]}"#, "people[0] is missing \"token\""),
            (#"{"people":[{"email":"nope","displayName":"A","token":"t"}]}"#, "people[0].email \"nope\" is not an email address"),
            (#"{"people":[{"email":"a@b.c","displayName":"A","token":"t","type":"robot"}]}"#, "people[0].type must be \"person\" or \"bot\" (got \"robot\")"),
            (#"{"people":[{"email":"a@b.c","displayName":"A","token":"t"},{"email":"A@b.c","displayName":"B","token":"u"}]}"#, "people[1].email \"A@b.c\" is used twice"),
            (#"{"people":[{"email":"a@b.c","displayName":"A","token":"t"},{"email":"x@b.c","displayName":"B","token":"t"}]}"#, "people[1].token is used by another person"),
        ]
        for (json, problem) in cases {
            #expect(throws: SeedError(file: "seed.json", problem: problem)) { try parse(json) }
        }
        #expect(SeedError(file: "f.json", problem: "x").description == "seed file f.json: x")
        #expect(throws: SeedError(file: "/nonexistent/seed.json", problem: "does not exist")) {
            try EmulatorSeed.load(path: "/nonexistent/seed.json")
        }
    }
}
