import Foundation

/// `/meetings` object: a scheduled meeting (reference rest-and-events §2.8).
public struct ScheduledMeeting: WebexModel, Hashable {
    public var id: String
    public var meetingNumber: String?
    public var title: String?
    public var agenda: String?
    public var password: String?
    public var meetingType: String?
    public var state: String?
    public var timezone: String?
    public var start: String?
    public var end: String?
    public var hostUserId: String?
    public var hostDisplayName: String?
    public var hostEmail: String?
    public var hostKey: String?
    public var siteUrl: String?
    public var webLink: String?
    public var sipAddress: String?
    public var scheduledType: String?
    public var enabledAutoRecordMeeting: Bool?
    public var enabledJoinBeforeHost: Bool?
    public var allowAnyUserToBeCoHost: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, meetingNumber, title, agenda, password, meetingType, state, timezone, start, end, hostUserId
        case hostDisplayName, hostEmail, hostKey, siteUrl, webLink, sipAddress, scheduledType
        case enabledAutoRecordMeeting, enabledJoinBeforeHost, allowAnyUserToBeCoHost
    }
    public static var jsonFields: [String] { fieldNames(CodingKeys.self) }
}

/// What to create or change. `nil` fields are left out (on update they keep their current value).
public struct ScheduledMeetingFields: Sendable {
    public var title: String?
    public var start: Date?
    public var end: Date?
    public var password: String?
    public var agenda: String?
    public var timezone: String?
    public var invitees: [String]
    public var enabledAutoRecordMeeting: Bool?
    public var enabledJoinBeforeHost: Bool?
    public var allowAnyUserToBeCoHost: Bool?

    public init(title: String? = nil, start: Date? = nil, end: Date? = nil, password: String? = nil, agenda: String? = nil,
                timezone: String? = nil, invitees: [String] = [], enabledAutoRecordMeeting: Bool? = nil,
                enabledJoinBeforeHost: Bool? = nil, allowAnyUserToBeCoHost: Bool? = nil) {
        self.title = title; self.start = start; self.end = end; self.password = password; self.agenda = agenda
        self.timezone = timezone; self.invitees = invitees; self.enabledAutoRecordMeeting = enabledAutoRecordMeeting
        self.enabledJoinBeforeHost = enabledJoinBeforeHost; self.allowAnyUserToBeCoHost = allowAnyUserToBeCoHost
    }
}

/// `webex.scheduledMeetings`: the `/meetings` REST resource (list, get, create, update, delete).
public struct ScheduledMeetingsAPI: Sendable {
    let client: Webex

    /// `state`: scheduled, ready, lobby, inProgress, ended, missed, expired, active; `from`/`to` bound the start.
    public func list(meetingNumber: String? = nil, webLink: String? = nil, state: String? = nil, meetingType: String? = nil,
                     from: Date? = nil, to: Date? = nil, limit: Int? = nil) -> PagedSequence<ScheduledMeeting> {
        let url = client.url(["meetings"], query: [
            ("meetingNumber", meetingNumber), ("webLink", webLink), ("state", state), ("meetingType", meetingType),
            ("from", from.map(WebexDate.format)), ("to", to.map(WebexDate.format)),
            ("max", pageSize(limit: limit, endpointMax: 100).map(String.init)),
        ])
        return client.paginate(ScheduledMeeting.self, url, limit: limit)
    }

    public func get(_ id: String) async throws(WebexError) -> ScheduledMeeting {
        try await client.get(ScheduledMeeting.self, client.url(["meetings", id]))
    }

    public func create(_ fields: ScheduledMeetingFields) async throws(WebexError) -> ScheduledMeeting {
        guard let title = fields.title, !title.trimmingCharacters(in: .whitespaces).isEmpty else { throw .invalidArgument("a meeting needs a title") }
        guard let start = fields.start, let end = fields.end else { throw .invalidArgument("a meeting needs a start and an end") }
        guard end > start else { throw .invalidArgument("the meeting must end after it starts") }
        return try await client.send(ScheduledMeeting.self, .post, client.url(["meetings"]), json: body(fields, title: title, start: start, end: end))
    }

    /// Webex replaces the meeting (PUT needs title, password, start and end): unchanged fields are taken
    /// from the current meeting.
    public func update(_ id: String, _ fields: ScheduledMeetingFields) async throws(WebexError) -> ScheduledMeeting {
        let current = try await get(id)
        let title = fields.title ?? current.title ?? ""
        guard let start = fields.start ?? current.start.flatMap(WebexDate.parse),
              let end = fields.end ?? current.end.flatMap(WebexDate.parse) else {
            throw .invalidResponse("the meeting has no start or end to keep")
        }
        guard end > start else { throw .invalidArgument("the meeting must end after it starts") }
        var f = fields
        if f.password == nil { f.password = current.password }
        if f.agenda == nil { f.agenda = current.agenda }
        if f.timezone == nil { f.timezone = current.timezone }
        if f.enabledAutoRecordMeeting == nil { f.enabledAutoRecordMeeting = current.enabledAutoRecordMeeting }
        if f.enabledJoinBeforeHost == nil { f.enabledJoinBeforeHost = current.enabledJoinBeforeHost }
        if f.allowAnyUserToBeCoHost == nil { f.allowAnyUserToBeCoHost = current.allowAnyUserToBeCoHost }
        return try await client.send(ScheduledMeeting.self, .put, client.url(["meetings", id]), json: body(f, title: title, start: start, end: end))
    }

    public func delete(_ id: String) async throws(WebexError) {
        try await client.delete(client.url(["meetings", id]))
    }

    private func body(_ f: ScheduledMeetingFields, title: String, start: Date, end: Date) -> JSONValue {
        var b: [String: JSONValue] = ["title": .string(title), "start": .string(WebexDate.format(start)), "end": .string(WebexDate.format(end))]
        if let v = f.password { b["password"] = .string(v) }
        if let v = f.agenda { b["agenda"] = .string(v) }
        if let v = f.timezone { b["timezone"] = .string(v) }
        if !f.invitees.isEmpty { b["invitees"] = .array(f.invitees.map { .object(["email": .string($0)]) }) }
        if let v = f.enabledAutoRecordMeeting { b["enabledAutoRecordMeeting"] = .bool(v) }
        if let v = f.enabledJoinBeforeHost { b["enabledJoinBeforeHost"] = .bool(v) }
        if let v = f.allowAnyUserToBeCoHost { b["allowAnyUserToBeCoHost"] = .bool(v) }
        return .object(b)
    }
}

extension Webex {
    public var scheduledMeetings: ScheduledMeetingsAPI { ScheduledMeetingsAPI(client: self) }
}
