import Foundation
import Testing
import WebexEmulator

/// Shared helpers for the meeting tests (scheduled meetings, meeting info, Locus).
extension [String: Any] {
    func objects(_ key: String) -> [[String: Any]] { self[key] as? [[String: Any]] ?? [] }
    func strings(_ key: String) -> [String] { self[key] as? [String] ?? [] }
    func int64(_ key: String) -> Int64? { (self[key] as? NSNumber)?.int64Value }
}

func jsonText(_ object: Any) -> String {
    String(decoding: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
}

func parseJSON(_ text: String) throws -> [String: Any] {
    guard let o = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
        throw HarnessError("not a JSON object: \(text)")
    }
    return o
}

/// The last entry of a DTO's `sequence` (or `baseSequence`).
func sequenceValue(_ dto: [String: Any], _ key: String = "sequence") -> Int64? {
    (dto.object(key)["entries"] as? [NSNumber])?.last?.int64Value
}

/// The decoded claims of a JWT (no verification).
func jwtClaims(_ token: String) throws -> [String: Any] {
    let parts = token.split(separator: ".")
    guard parts.count == 3 else { throw HarnessError("not a JWT: \(token)") }
    var b64 = String(parts[1]).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    while b64.count % 4 != 0 { b64 += "=" }
    guard let data = Data(base64Encoded: b64), let o = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw HarnessError("bad JWT payload")
    }
    return o
}

extension TestClient {
    /// `POST /wbxappapi/v1/meetingInfo` with `body` (plus the two keys the SDK always sends).
    func meetingInfo(_ body: [String: Any], token: String = "alice-token") async throws -> HTTPResult {
        var b = body
        b["supportHostKey"] = true
        b["supportCountryList"] = true
        return try await send("POST", "/wbxappapi/v1/meetingInfo", token: token, json: jsonText(b))
    }

    /// Meeting info that must succeed.
    func info(_ body: [String: Any], token: String = "alice-token") async throws -> [String: Any] {
        let r = try await meetingInfo(body, token: token)
        guard r.status == 200 else { throw HarnessError("meetingInfo answered \(r.status): \(String(decoding: r.body, as: UTF8.self))") }
        return try r.json
    }

    /// A Locus join (`POST /locus/api/v1/loci/call` with `address`, or `POST {locusUrl}/participant`).
    func joinLocus(
        token: String = "alice-token", address: String? = nil, locusUrl: String? = nil, deviceURL: String,
        correlationId: String = UUID().uuidString.lowercased(), extra: [String: Any] = [:]
    ) async throws -> HTTPResult {
        var body: [String: Any] = [
            "device": ["url": deviceURL, "deviceType": "WEB"], "usingResource": NSNull(), "moveMediaToResource": false,
            "correlationId": correlationId, "respOnlySdp": true, "allowMultiDevice": true, "supportsNativeLobby": 1,
            "clientMediaPreferences": ["preferTranscoding": true],
        ]
        for (k, v) in extra { body[k] = v }
        let url: String
        if let locusUrl {
            url = locusUrl + "/participant?alternateRedirect=true"
        } else {
            body["invitee"] = ["address": address ?? ""]
            url = "/locus/api/v1/loci/call?alternateRedirect=true"
        }
        return try await send("POST", url, token: token, json: jsonText(body))
    }

    /// A join that must succeed: the response's `locus` and `mediaConnections[0]`.
    func joined(
        token: String = "alice-token", address: String? = nil, locusUrl: String? = nil, deviceURL: String,
        correlationId: String = UUID().uuidString.lowercased(), extra: [String: Any] = [:]
    ) async throws -> (locus: [String: Any], media: [String: Any]) {
        let r = try await joinLocus(
            token: token, address: address, locusUrl: locusUrl, deviceURL: deviceURL, correlationId: correlationId, extra: extra)
        guard r.status == 200 else { throw HarnessError("join answered \(r.status): \(String(decoding: r.body, as: UTF8.self))") }
        let body = try r.json
        return (body.object("locus"), body.objects("mediaConnections").first ?? [:])
    }

    /// A JSON request to an absolute URL (or path) with a body; returns status and JSON.
    func call(_ method: String, _ url: String, token: String = "alice-token", _ body: [String: Any] = [:]) async throws
        -> (status: Int, json: [String: Any])
    {
        let r = try await send(method, url, token: token, json: jsonText(body))
        let json = (try? r.json) ?? [:]
        return (r.status, json)
    }

    /// Creates a scheduled meeting for `token`'s owner; returns the meeting.
    func scheduleMeeting(token: String = "alice-token", _ fields: [String: Any] = [:]) async throws -> [String: Any] {
        var body: [String: Any] = [
            "title": "Planning", "start": "2030-01-01T10:00:00Z", "end": "2030-01-01T11:00:00Z",
        ]
        for (k, v) in fields { body[k] = v }
        let r = try await send("POST", "/v1/meetings", token: token, json: jsonText(body))
        guard r.status == 200 else { throw HarnessError("POST /v1/meetings answered \(r.status): \(String(decoding: r.body, as: UTF8.self))") }
        return try r.json
    }

    func loci() async throws -> [[String: Any]] {
        try await send("GET", "/_emulator/loci", token: nil).items
    }
}

/// The participant with `id` in a DTO's participants.
func participant(_ dto: [String: Any], _ id: String) -> [String: Any]? {
    dto.objects("participants").first { $0["id"] as? String == id }
}

func roles(_ participant: [String: Any]) -> [String] {
    participant.object("controls").object("role").objects("roles").filter { $0["hasRole"] as? Bool == true }
        .compactMap { $0["type"] as? String }
}

func joinedHints(_ dto: [String: Any]) -> [String] { dto.object("info").object("displayHints").strings("joined") }
func moderatorHints(_ dto: [String: Any]) -> [String] { dto.object("info").object("displayHints").strings("moderator") }

/// A `localSdp` string as the SDK builds it (a JSON document inside a string).
func localSdp(audioMuted: Bool? = nil, videoMuted: Bool? = nil, roap: [String: Any]? = nil) -> String {
    var o: [String: Any] = [:]
    if let audioMuted { o["audioMuted"] = audioMuted }
    if let videoMuted { o["videoMuted"] = videoMuted }
    if let roap { o["roapMessage"] = roap }
    return jsonText(o)
}

/// The ROAP message inside `mediaConnections[0].remoteSdp`.
func remoteRoap(_ media: [String: Any]) throws -> [String: Any] {
    guard let text = media["remoteSdp"] as? String else { throw HarnessError("no remoteSdp in \(media)") }
    return try parseJSON(text).object("roapMessage")
}

let sampleOffer = [
    "v=0", "o=- 4611731400430051336 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0 1",
    "m=audio 9 UDP/TLS/RTP/SAVPF 111 0", "c=IN IP4 0.0.0.0", "a=mid:0", "a=sendrecv", "a=rtpmap:111 opus/48000/2",
    "m=video 9 UDP/TLS/RTP/SAVPF 102", "c=IN IP4 0.0.0.0", "a=mid:1", "a=sendrecv", "a=rtpmap:102 H264/90000", "",
].joined(separator: "\r\n")
