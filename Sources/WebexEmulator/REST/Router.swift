import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTPTypes

/// Request context that keeps the connection, so an injected `drop` fault can close it.
public struct EmulatorRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }
}

/// Writes one line per request to stderr unless quiet.
struct RequestLogger: Sendable {
    var enabled: Bool

    func log(method: String, path: String, query: String?, status: Int?, started: ContinuousClock.Instant) {
        guard enabled else { return }
        let elapsed = ContinuousClock.now - started
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let target = query.map { "\(path)?\($0)" } ?? path
        let statusText = status.map(String.init) ?? "dropped"
        let line = "\(WebexDate.format(Date())) \(method) \(target) \(statusText) \(String(format: "%.1f", ms))ms\n"
        try? FileHandle.standardError.write(contentsOf: Data(line.utf8))
    }
}

/// The internal (non-Hydra) services the emulator answers for, each under its own path prefix.
enum APIService: Sendable {
    /// Webex REST (`/v1`).
    case hydra
    /// Service discovery (`/u2c/api/v1`, reference §5.1).
    case u2c
    /// The conversation service's read status (`/conversation/api/v1`, reference §2.9).
    case conversation
    /// Device registration (`/wdm/api/v1`, reference §5.2).
    case wdm
    /// Meeting info (`/wbxappapi/v1`, meetings reference §1).
    case wbxappapi
    /// Personal rooms (`/hecate/api/v1`, meetings reference §1.5).
    case hecate
    /// Locus (`/locus/api/v1`, meetings reference §3).
    case locus

    var prefix: String {
        switch self {
        case .hydra: return "/v1"
        case .u2c: return "/u2c/api/v1"
        case .conversation: return "/conversation/api/v1"
        case .wdm: return "/wdm/api/v1"
        case .wbxappapi: return "/wbxappapi/v1"
        case .hecate: return "/hecate/api/v1"
        case .locus: return "/locus/api/v1"
        }
    }

    static func matching(_ path: String) -> APIService? {
        for service in [APIService.hydra, .u2c, .conversation, .wdm, .wbxappapi, .hecate, .locus] where path == service.prefix || path.hasPrefix(service.prefix + "/") {
            return service
        }
        return nil
    }
}

/// The whole HTTP surface: the API services (`/v1` Webex REST, `/u2c/api/v1`, `/conversation/api/v1`,
/// `/wdm/api/v1`, `/wbxappapi/v1`, `/hecate/api/v1`, `/locus/api/v1`; bearer auth, faults, request log) and `/_emulator` (control API, no auth). Routing is
/// done here by hand so that every API request, known or not, goes through the same fault, auth and
/// logging steps. Websocket upgrades to `/mercury/…` are taken by `EmulatorChannel` before they get here;
/// what reaches this responder on that path is a refused or misplaced upgrade.
struct EmulatorResponder: HTTPResponder {
    typealias Context = EmulatorRequestContext

    let store: EmulatorStore
    let logger: RequestLogger

    /// Largest request body read: a 100 MB file plus room for the multipart framing and fields.
    static let maxBodyBytes = FileLimits.maxFileBytes + 1024 * 1024

    static let trackingIdHeader = HTTPField.Name("trackingId")!
    static let clientTrackingIdHeader = HTTPField.Name("trackingid")!
    static let linkHeader = HTTPField.Name("Link")!

    func respond(to request: Request, context: Context) async throws -> Response {
        let started = ContinuousClock.now
        let path = request.uri.path
        // [U] Echo the caller's tracking id when it sent one; otherwise make one up.
        let trackingId = request.headers[Self.clientTrackingIdHeader] ?? "EMULATOR_\(UUID().uuidString)"
        var response: Response?
        if let service = APIService.matching(path) {
            response = await handleRecorded(request, service: service, context: context, trackingId: trackingId)
        } else if path == "/_emulator" || path.hasPrefix("/_emulator/") {
            response = await handleControl(request, context: context, trackingId: trackingId)
        } else if path.hasPrefix(MercuryPath.prefix) {
            response = await handleMercuryHTTP(request, trackingId: trackingId)
        } else {
            response = errorResponse(APIError.notFound(), trackingId: trackingId)
        }
        logger.log(
            method: request.method.rawValue, path: path, query: request.uri.query, status: response.map { Int($0.status.code) },
            started: started)
        guard var response else {
            // Dropped: the connection is already closed; writing this fails and Hummingbird gives up quietly.
            return Response(status: .internalServerError)
        }
        response.headers[Self.trackingIdHeader] = trackingId
        if request.method == .head {
            response = response.createHeadResponse()
        }
        return response
    }

    // MARK: API services (faults, request log, auth)

    private func handleRecorded(
        _ request: Request, service: APIService, context: Context, trackingId: String
    ) async -> Response? {
        let method = request.method.rawValue
        let path = request.uri.path
        let fault = await store.takeFault(method: method, path: path)
        if let fault, fault.delayMs > 0 {
            try? await Task.sleep(for: .milliseconds(fault.delayMs))
        }
        func record(_ status: Int?) async {
            await store.record(
                RequestLogEntry(
                    method: method, path: path, query: request.uri.query, status: status,
                    trackingId: request.headers[Self.clientTrackingIdHeader], userAgent: request.headers[.userAgent],
                    contentType: request.headers[.contentType]))
        }
        var response: Response?
        if let fault, !fault.afterHandling, fault.drop {
            response = nil
        } else if let fault, !fault.afterHandling, let status = fault.status {
            response = faultResponse(status: status, retryAfter: fault.retryAfter, trackingId: trackingId)
        } else {
            // No fault, a pure delay, or a fault that applies after the real handler has committed its effect.
            response = await handleAPI(request, service: service, context: context, trackingId: trackingId)
            if let fault, fault.afterHandling {
                if fault.drop {
                    response = nil
                } else if let status = fault.status {
                    response = faultResponse(status: status, retryAfter: fault.retryAfter, trackingId: trackingId)
                }
            }
        }
        // Recorded before a drop closes the connection, so a client that sees the failure also sees the entry.
        await record(response.map { Int($0.status.code) })
        if response == nil { await drop(context) }
        return response
    }

    /// Closes the connection without answering: clients see an empty reply or a reset.
    private func drop(_ context: Context) async {
        try? await context.channel.close()
    }

    private func faultResponse(status: Int, retryAfter: Int?, trackingId: String) -> Response {
        var headers: [(String, String)] = []
        if let retryAfter { headers.append(("Retry-After", String(retryAfter))) }
        let error = APIError(Self.status(status), APIError.standardMessage(for: status), headers: headers)
        return errorResponse(error, trackingId: trackingId)
    }

    private func handleAPI(
        _ request: Request, service: APIService, context: Context, trackingId: String
    ) async -> Response {
        do {
            let apiRequest = try await Self.makeAPIRequest(request, context: context, dropping: service.prefix)
            // The pre-login catalog is the one API call without a token.
            if service == .u2c && apiRequest.segments == ["limited", "catalog"] {
                try Self.allow(apiRequest, "GET")
                return makeResponse(.json(EmulatorStore.u2cCatalog(host: apiRequest.host)), request: apiRequest, trackingId: trackingId)
            }
            // OAuth (authorize, token, device grant, guest JWT) needs no bearer token.
            if service == .hydra, let reply = try await routeOAuth(apiRequest) {
                return makeResponse(reply, request: apiRequest, trackingId: trackingId)
            }
            // Captcha refresh, image and audio are fetched without a token (by a browser, or by a guest).
            if service == .wbxappapi, apiRequest.segments.first == "captchas" {
                return makeResponse(try await routeCaptcha(apiRequest), request: apiRequest, trackingId: trackingId)
            }
            guard let viewer = await authenticate(request) else { throw APIError.unauthorized }
            let reply: Reply
            switch service {
            case .hydra: reply = try await route(apiRequest, viewer: viewer)
            case .u2c: reply = try routeU2C(apiRequest)
            case .conversation: reply = try await routeConversation(apiRequest, viewer: viewer)
            case .wdm: reply = try await routeWDM(apiRequest, viewer: viewer)
            case .wbxappapi: reply = try await routeMeetingInfo(apiRequest, viewer: viewer)
            case .hecate: reply = try await routeHecate(apiRequest, viewer: viewer)
            case .locus: reply = try await store.routeLocus(apiRequest, viewer: viewer)
            }
            return makeResponse(reply, request: apiRequest, trackingId: trackingId)
        } catch {
            return errorResponse(error, trackingId: trackingId)
        }
    }

    private func authenticate(_ request: Request) async -> Person? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return await store.authenticate(token: parts[1].trimmingCharacters(in: .whitespaces))
    }

    static func makeAPIRequest(_ request: Request, context: Context, dropping prefix: String) async throws(APIError) -> APIRequest {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > maxBodyBytes {
            throw APIError(.contentTooLarge, "The request body is larger than 100 MB.")
        }
        var body: [UInt8] = []
        if request.method != .get && request.method != .head && request.method != .delete {
            // libcurl sends `Expect: 100-continue` for larger bodies and waits up to a second for this.
            if request.headers[.expect]?.lowercased() == "100-continue" {
                try? await context.channel.writeAndFlush(HTTPResponsePart.head(HTTPResponse(status: .continue)))
            }
            do {
                let buffer = try await request.body.collect(upTo: maxBodyBytes)
                body = Array(buffer.readableBytesView)
            } catch {
                throw APIError(.contentTooLarge, "The request body is larger than 100 MB.")
            }
        }
        let path = request.uri.path
        let segments = path.dropFirst(prefix.count).split(separator: "/").map {
            String($0).removingPercentEncoding ?? String($0)
        }
        var host = request.head.authority ?? ""
        if host.isEmpty {
            if let local = context.channel.localAddress, let ip = local.ipAddress, let port = local.port {
                host = ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
            } else {
                host = "localhost"
            }
        }
        return APIRequest(
            method: request.method.rawValue, path: path, segments: segments, query: Query(request.uri.query),
            headers: request.headers, body: body, host: host)
    }

    static func allow(_ req: APIRequest, _ allowed: String...) throws(APIError) {
        let method = req.method == "HEAD" ? "GET" : req.method
        guard allowed.contains(method) else {
            throw APIError(.methodNotAllowed, "\(req.method) is not supported on \(req.path).")
        }
    }

    /// The `/v1` OAuth endpoints (reference §6), or nil for any other path.
    private func routeOAuth(_ req: APIRequest) async throws(APIError) -> Reply? {
        switch req.segments {
        case ["authorize"]:
            try Self.allow(req, "GET")
            return try await store.authorize(req)
        case ["access_token"]:
            try Self.allow(req, "POST")
            return try await store.accessToken(req)
        case ["device", "authorize"]:
            try Self.allow(req, "POST")
            return try await store.deviceAuthorize(req)
        case ["device", "token"]:
            try Self.allow(req, "POST")
            return try await store.deviceToken(req)
        case ["device", "verify"]:
            try Self.allow(req, "GET")
            return await store.deviceVerifyPage(req)
        case ["jwt", "login"]:
            try Self.allow(req, "POST")
            return try await store.jwtLogin(req)
        default:
            return nil
        }
    }

    private func routeU2C(_ req: APIRequest) throws(APIError) -> Reply {
        guard req.segments == ["catalog"] else { throw APIError.notFound() }
        try Self.allow(req, "GET")
        return .json(EmulatorStore.u2cCatalog(host: req.host))
    }

    private func routeConversation(_ req: APIRequest, viewer: Person) async throws(APIError) -> Reply {
        let s = req.segments
        switch s.count {
        case 1 where s[0] == "conversations":
            try Self.allow(req, "GET")
            return try await store.listConversations(req, viewer: viewer)
        case 2 where s[0] == "conversations":
            try Self.allow(req, "GET")
            return try await store.getConversation(id: s[1], req, viewer: viewer)
        case 1 where s[0] == "activities":
            try Self.allow(req, "POST")
            return try await store.postActivity(req, viewer: viewer)
        case 2 where s[0] == "messages":
            try Self.allow(req, "GET")
            return try await store.conversationMessage(activityId: s[1], req, viewer: viewer)
        case 3 where s[0] == "attachment" && s[1] == "actions":
            try Self.allow(req, "GET")
            return try await store.conversationAttachmentAction(activityId: s[2], viewer: viewer)
        default:
            throw APIError.notFound()
        }
    }

    private func routeWDM(_ req: APIRequest, viewer: Person) async throws(APIError) -> Reply {
        let s = req.segments
        switch s.count {
        case 1 where s[0] == "devices":
            try Self.allow(req, "GET", "POST", "DELETE")
            switch req.method {
            case "POST": return try await store.registerDevice(req, viewer: viewer)
            case "DELETE": return await store.deleteAllDevices(viewer: viewer)
            default: return await store.listDevices(req, viewer: viewer)
            }
        case 2 where s[0] == "devices":
            try Self.allow(req, "GET", "PUT", "DELETE")
            switch req.method {
            case "PUT": return try await store.refreshDevice(id: s[1], req, viewer: viewer)
            case "DELETE": return try await store.deleteDevice(id: s[1], viewer: viewer)
            default: return try await store.getDevice(id: s[1], req, viewer: viewer)
            }
        default:
            throw APIError.notFound()
        }
    }

    private func routeMeetingInfo(_ req: APIRequest, viewer: Person) async throws(APIError) -> Reply {
        guard req.segments == ["meetingInfo"] else { throw APIError.notFound() }
        try Self.allow(req, "POST")
        return try await store.meetingInfo(req, viewer: viewer)
    }

    private func routeCaptcha(_ req: APIRequest) async throws(APIError) -> Reply {
        let s = req.segments
        if s == ["captchas", "refresh"] {
            try Self.allow(req, "POST")
            return try await store.refreshCaptcha(req)
        }
        guard s.count == 3 else { throw APIError.notFound() }
        try Self.allow(req, "GET")
        return try await store.captchaMedia(id: s[1], kind: s[2])
    }

    private func routeHecate(_ req: APIRequest, viewer: Person) async throws(APIError) -> Reply {
        guard req.segments == ["cmrmeetings", "claim"] else { throw APIError.notFound() }
        try Self.allow(req, "POST")
        return try await store.claimPersonalRoom(req, viewer: viewer)
    }

    /// A request on the Mercury path that was not upgraded: 503 while refusing, 404 for an unknown
    /// device, and for a registered device a 307 back to the same URL with `Connection: close` (an upgrade
    /// sent on a reused connection has to come again on a new one), or 400 without an upgrade.
    private func handleMercuryHTTP(_ request: Request, trackingId: String) async -> Response {
        var response: Response
        if store.mercury.isRefusing {
            response = errorResponse(
                APIError(Self.status(503), "Mercury is not accepting connections right now.", headers: [("Retry-After", "1")]),
                trackingId: trackingId)
        } else if let deviceId = MercuryPath.deviceId(request.uri.path), await store.deviceOwner(deviceId) != nil {
            if request.headers[.upgrade]?.lowercased() == "websocket" {
                response = Response(status: .temporaryRedirect)
                response.headers[.location] = request.uri.description
            } else {
                response = errorResponse(APIError.badRequest("Open this URL as a websocket."), trackingId: trackingId)
            }
        } else {
            response = errorResponse(APIError.notFound("The device is not registered."), trackingId: trackingId)
        }
        response.headers[.connection] = "close"
        return response
    }

    private func route(_ req: APIRequest, viewer: Person) async throws(APIError) -> Reply {
        let s = req.segments
        let method = req.method == "HEAD" ? "GET" : req.method
        func methods(_ allowed: String...) throws(APIError) {
            guard allowed.contains(method) else {
                throw APIError(.methodNotAllowed, "\(req.method) is not supported on \(req.path).")
            }
        }
        switch s.count {
        case 1:
            switch s[0] {
            case "people":
                try methods("GET")
                return try await store.listPeople(req)
            case "rooms":
                try methods("GET", "POST")
                if method == "GET" { return try await store.listRooms(req, viewer: viewer) }
                return try await store.createRoom(req, viewer: viewer)
            case "messages":
                try methods("GET", "POST")
                if method == "GET" { return try await store.listMessages(req, viewer: viewer) }
                return try await createMessage(req, viewer: viewer)
            case "memberships":
                try methods("GET", "POST")
                if method == "GET" { return try await store.listMemberships(req, viewer: viewer) }
                return try await store.createMembership(req, viewer: viewer)
            case "teams":
                try methods("GET", "POST")
                if method == "GET" { return try await store.listTeams(req, viewer: viewer) }
                return try await store.createTeam(req, viewer: viewer)
            case "webhooks":
                try methods("GET", "POST")
                if method == "GET" { return try await store.listWebhooks(req, viewer: viewer) }
                return try await store.createWebhook(req, viewer: viewer)
            case "meetings":
                try methods("GET", "POST")
                if method == "GET" { return try await store.listMeetings(req, viewer: viewer) }
                return try await store.createMeeting(req, viewer: viewer)
            default: break
            }
        case 2:
            let id = s[1]
            switch s[0] {
            case "people":
                try methods("GET")
                if id == "me" { return .json(await store.render(person: viewer)) }
                return try await store.getPerson(id: id)
            case "rooms":
                try methods("GET", "PUT", "DELETE")
                switch method {
                case "GET": return try await store.getRoom(id: id, viewer: viewer)
                case "PUT": return try await store.updateRoom(id: id, req, viewer: viewer)
                default: return try await store.deleteRoom(id: id, viewer: viewer)
                }
            case "messages":
                if id == "direct" {
                    try methods("GET")
                    return try await store.listDirectMessages(req, viewer: viewer)
                }
                try methods("GET", "PUT", "DELETE")
                switch method {
                case "GET": return try await store.getMessage(id: id, viewer: viewer, baseURL: req.baseURL)
                case "PUT": return try await store.editMessage(id: id, req, viewer: viewer)
                default: return try await store.deleteMessage(id: id, viewer: viewer, baseURL: req.baseURL)
                }
            case "memberships":
                try methods("GET", "PUT", "DELETE")
                switch method {
                case "GET": return try await store.getMembership(id: id, viewer: viewer)
                case "PUT": return try await store.updateMembership(id: id, req, viewer: viewer)
                default: return try await store.deleteMembership(id: id, viewer: viewer)
                }
            case "contents":
                try methods("GET")
                return try await store.download(id: id, req, viewer: viewer)
            case "teams":
                try methods("GET", "PUT", "DELETE")
                switch method {
                case "GET": return try await store.getTeam(id: id, viewer: viewer)
                case "PUT": return try await store.updateTeam(id: id, req, viewer: viewer)
                default: return try await store.deleteTeam(id: id, viewer: viewer)
                }
            case "webhooks":
                try methods("GET", "PUT", "DELETE")
                switch method {
                case "GET": return try await store.getWebhook(id: id, viewer: viewer)
                case "PUT": return try await store.updateWebhook(id: id, req, viewer: viewer)
                default: return try await store.deleteWebhook(id: id, viewer: viewer)
                }
            case "meetings":
                try methods("GET", "PUT", "DELETE")
                switch method {
                case "GET": return try await store.getMeeting(id: id, viewer: viewer)
                case "PUT": return try await store.updateMeeting(id: id, req, viewer: viewer)
                default: return try await store.deleteMeeting(id: id, viewer: viewer)
                }
            case "team" where id == "memberships":
                try methods("GET", "POST")
                if method == "GET" { return try await store.listTeamMemberships(req, viewer: viewer) }
                return try await store.createTeamMembership(req, viewer: viewer)
            case "attachment" where id == "actions":
                try methods("POST")
                return try await store.createAttachmentAction(req, viewer: viewer)
            default: break
            }
        case 3 where s[0] == "rooms" && s[2] == "meetingInfo":
            try methods("GET")
            return try await store.meetingInfo(id: s[1], viewer: viewer)
        case 3 where s[0] == "team" && s[1] == "memberships":
            try methods("GET", "PUT", "DELETE")
            switch method {
            case "GET": return try await store.getTeamMembership(id: s[2], viewer: viewer)
            case "PUT": return try await store.updateTeamMembership(id: s[2], req, viewer: viewer)
            default: return try await store.deleteTeamMembership(id: s[2], viewer: viewer)
            }
        case 3 where s[0] == "attachment" && s[1] == "actions":
            try methods("GET")
            return try await store.getAttachmentAction(id: s[2], viewer: viewer)
        default: break
        }
        throw APIError.notFound()
    }

    /// `POST /v1/messages`: JSON or multipart; a `files` URL is downloaded between the checks and the create.
    private func createMessage(_ req: APIRequest, viewer: Person) async throws(APIError) -> Reply {
        let contentType = req.contentType ?? ""
        var input: MessageInput
        if HeaderValue.parse(contentType).0 == "multipart/form-data" {
            input = try MessageInput.fromMultipart(req.body, contentType: contentType)
        } else {
            input = try MessageInput.fromJSON(req.json())
        }
        try await store.checkNewMessage(input, viewer: viewer)
        var file = input.upload
        if let url = input.fileURL {
            file = try await FileFetcher.fetch(url)
        }
        input.upload = nil
        return try await store.createMessage(input, file: file, viewer: viewer, baseURL: req.baseURL)
    }

    // MARK: /_emulator

    private func handleControl(_ request: Request, context: Context, trackingId: String) async -> Response {
        do {
            let req = try await Self.makeAPIRequest(request, context: context, dropping: "/_emulator")
            let reply = try await routeControl(req)
            return makeResponse(reply, request: req, trackingId: trackingId)
        } catch {
            return errorResponse(error, trackingId: trackingId)
        }
    }

    private func routeControl(_ req: APIRequest) async throws(APIError) -> Reply {
        let s = req.segments
        let method = req.method == "HEAD" ? "GET" : req.method
        func methods(_ allowed: String...) throws(APIError) {
            guard allowed.contains(method) else {
                throw APIError(.methodNotAllowed, "\(req.method) is not supported on \(req.path).")
            }
        }
        switch s.first {
        case "health" where s.count == 1:
            try methods("GET")
            return .json(["status": "ok"])
        case "reset" where s.count == 1:
            try methods("POST")
            await store.reset()
            return .json(["status": "ok"])
        case "people" where s.count == 1:
            try methods("GET", "POST")
            if method == "GET" { return await store.controlListPeople() }
            return try await store.controlAddPerson(req.json())
        case "faults" where s.count == 1:
            try methods("GET", "POST", "DELETE")
            switch method {
            case "GET": return await store.controlListFaults()
            case "POST": return try await store.controlAddFault(.object(req.json().members))
            default: return await store.controlClearFaults()
            }
        case "requests" where s.count == 1:
            try methods("GET", "DELETE")
            if method == "GET" { return await store.controlRequestLog() }
            return await store.controlClearRequestLog()
        case "deliveries" where s.count == 1:
            try methods("GET", "DELETE")
            if method == "GET" { return await store.controlDeliveries() }
            return await store.controlClearDeliveries()
        case "settings" where s.count == 1:
            try methods("GET", "PUT")
            if method == "GET" { return await store.controlSettings() }
            return try await store.controlUpdateSettings(req.json())
        case "oauth" where s.count == 1:
            try methods("GET")
            return await store.controlOAuth()
        case "oauth" where s.count == 2 && s[1] == "approver":
            try methods("PUT", "POST")
            return try await store.controlSetApprover(req.json())
        case "oauth" where s.count == 2 && s[1] == "deny":
            try methods("PUT", "POST")
            return try await store.controlSetDeny(req.json())
        case "integrations" where s.count == 1:
            try methods("POST")
            return try await store.controlAddIntegration(req.json())
        case "guest-issuers" where s.count == 1:
            try methods("POST")
            return try await store.controlAddGuestIssuer(req.json())
        case "device" where s.count == 1:
            try methods("GET")
            return await store.controlListDevices()
        case "device" where s.count == 2 && s[1] == "approve":
            try methods("POST")
            return try await store.controlApproveDevice(req.json())
        case "device" where s.count == 2 && s[1] == "deny":
            try methods("POST")
            return try await store.controlDenyDevice(req.json())
        case "tokens" where s.count == 1:
            try methods("GET")
            return await store.controlListTokens()
        case "tokens" where s.count == 2 && s[1] == "revoke":
            try methods("POST")
            return try await store.controlRevokeToken(req.json())
        case "tokens" where s.count == 2 && s[1] == "expire":
            try methods("POST")
            return try await store.controlExpireToken(req.json())
        case "contents" where s.count == 3 && s[2] == "scan":
            try methods("PUT", "POST")
            return try await store.controlSetScan(contentId: s[1], req.json())
        case "devices" where s.count == 1:
            try methods("GET")
            return await store.controlAllDevices(host: req.host)
        case "mercury" where s.count == 2 && s[1] == "connections":
            try methods("GET")
            return store.controlMercuryConnections()
        case "mercury" where s.count == 2 && s[1] == "drop":
            try methods("POST")
            return try await store.controlMercuryDrop(req.json())
        case "mercury" where s.count == 2 && s[1] == "close":
            try methods("POST")
            return try await store.controlMercuryClose(req.json())
        case "mercury" where s.count == 2 && s[1] == "refuse":
            try methods("POST")
            return try await store.controlMercuryRefuse(req.json())
        case "mercury" where s.count == 2 && s[1] == "flood":
            try methods("POST")
            let reply = try await store.controlMercuryFlood(req.json(), host: req.host)
            // Answer once every socket has written the flood.
            await store.mercury.flushAll()
            return reply
        case "loci" where s.count == 1:
            try methods("GET")
            return await store.controlLoci(host: req.host)
        case "captchas" where s.count == 2:
            try methods("GET")
            return try await store.controlCaptcha(id: s[1])
        case "blobs" where s.count >= 2:
            try methods("GET", "PUT", "POST")
            let name = s.dropFirst().joined(separator: "/")
            if method == "GET" { return try await store.controlGetBlob(name: name) }
            return await store.controlPutBlob(name: name, contentType: req.contentType, data: req.body)
        default:
            throw APIError.notFound()
        }
    }

    // MARK: Responses

    static let jsonContentType = "application/json;charset=UTF-8"

    private func makeResponse(_ reply: Reply, request: APIRequest, trackingId: String) -> Response {
        switch reply {
        case .json(let value):
            return Self.jsonResponse(.ok, value)
        case .list(let list):
            var members = list.extra
            members["items"] = .array(list.items)
            var response = Self.jsonResponse(.ok, .object(members))
            if let next = list.next {
                let query = request.query.rebuilt(removing: [PageCursor.parameter], adding: [(PageCursor.parameter, next.token)])
                response.headers[Self.linkHeader] = "<http://\(request.host)\(request.path)?\(query)>; rel=\"next\""
            }
            return response
        case .noContent:
            var response = Response(status: .noContent)
            response.headers[.contentLength] = nil
            return response
        case .bytes(let status, let headers, let body):
            var fields = HTTPFields()
            for (name, value) in headers {
                if let n = HTTPField.Name(name) { fields[n] = value }
            }
            return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
    }

    private func errorResponse(_ error: any Error, trackingId: String) -> Response {
        let apiError = (error as? APIError) ?? APIError(.internalServerError, "Something went wrong on the server: \(error)")
        var response = Self.jsonResponse(apiError.status, apiError.body(trackingId: trackingId))
        for (name, value) in apiError.headers {
            if let n = HTTPField.Name(name) { response.headers[n] = value }
        }
        return response
    }

    static func jsonResponse(_ status: HTTPResponse.Status, _ value: JSONValue) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = jsonContentType
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.serializedBytes())))
    }

    /// A status with its standard reason phrase (HTTPTypes leaves the phrase empty for codes it does not know).
    static func status(_ code: Int) -> HTTPResponse.Status {
        let phrases: [Int: String] = [
            423: "Locked", 428: "Precondition Required", 429: "Too Many Requests", 500: "Internal Server Error",
            502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
        ]
        return HTTPResponse.Status(code: code, reasonPhrase: phrases[code] ?? "")
    }
}
