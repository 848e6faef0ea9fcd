import ArgumentParser
import Foundation
import WebexSDK

struct Events: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Real-time events over Webex's websocket: no public URL needed (unlike webhooks).",
        discussion: """
            `webex events listen` registers this profile's device with Webex once (kept under
            $XDG_STATE_HOME/webex/devices and reused by later runs), opens its events websocket and prints one
            JSON line per event. `webex events devices` lists this user's registrations; `webex events unregister`
            removes this profile's.
            """,
        subcommands: [EventsListen.self, EventsDevices.self, EventsUnregister.self])

    /// The device store for the token in use: per profile, or one shared by WEBEX_ACCESS_TOKEN/--token-file users.
    static func deviceStore(client: Webex, environment env: [String: String]) -> DeviceStateStore {
        let key = (client.configuration.tokenSource as? ProfileTokenSource).map { "profile-" + $0.profile } ?? "token"
        return DeviceStateStore(directory: DeviceStateStore.defaultDirectory(environment: env), key: key)
    }
}

struct EventsListen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "listen",
        abstract: "Print one JSON line per event (messages, memberships, rooms, attachment actions) as it happens.",
        discussion: """
            Each line is {"resource","event","actorId","created","orgId","createdBy","data"}, as webhooks carry them;
            for messages:created, data is the full message (fetched over REST). Lines are flushed at once;
            diagnostics go to stderr. The connection is kept alive, and re-established with backoff when it drops;
            messages created while it was down are fetched and printed, each once.
              webex events listen --resource messages --room "Build alerts" --exec ./on-message.sh
              webex events listen --count 1 --timeout 60 --jq .data.text
            Exit status: 0 after --count events; 124 when --timeout runs out; 130 on Ctrl-C; 3 when the token is
            refused and cannot be refreshed; 1 when Webex ends the connection for good (replaced: close code 4000).
            """)

    @Option(name: .customLong("resource"), parsing: .singleValue,
            help: ArgumentHelp("Only this resource: messages, memberships, rooms, attachmentActions (repeatable).", valueName: "resource"))
    var resources: [String] = []
    @Option(name: .customLong("event"), parsing: .singleValue,
            help: ArgumentHelp("Only this event: created, updated, deleted, seen (repeatable).", valueName: "event"))
    var events: [String] = []
    @OptionGroup var listen: ListenOptions
    @OptionGroup var globals: GlobalOptions

    static let knownResources = ["messages", "memberships", "rooms", "attachmentActions"]
    static let knownEvents = ["created", "updated", "deleted", "seen"]

    func validate() throws {
        for r in resources where !Self.knownResources.contains(Self.normalize(resource: r)) {
            throw ValidationError("unknown resource '\(r)': use \(Self.knownResources.joined(separator: ", "))")
        }
        for e in events where !Self.knownEvents.contains(e) {
            throw ValidationError("unknown event '\(e)': use \(Self.knownEvents.joined(separator: ", "))")
        }
    }

    static func normalize(resource r: String) -> String {
        switch r.lowercased() {
        case "attachmentactions", "attachment-actions", "attachment_actions": "attachmentActions"
        default: r.lowercased()
        }
    }

    func run() async throws {
        try await listen.run(globals: globals,
                             resources: resources.isEmpty ? nil : Set(resources.map(Self.normalize(resource:))),
                             events: events.isEmpty ? nil : Set(events))
    }
}

struct EventsDevices: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices", abstract: "List this user's device registrations (the one this profile uses is marked).")
    @OptionGroup var output: OutputOptions
    @OptionGroup var globals: GlobalOptions

    func run() async throws {
        let ctx = CLIContext.current
        let client = try globals.makeClient()
        let me = try await client.people.me()
        let store = Events.deviceStore(client: client, environment: ctx.environment)
        let mine = store.load(userId: HydraID(me.id)?.uuid ?? me.id)?.device.url
        let devices = try await client.devices.list()
        let rows = devices.map { DeviceRow(device: $0, inUse: $0.url != nil && $0.url == mine) }
        let tty = ctx.io.stdoutIsTTY
        try await Renderer(io: ctx.io, options: output).list(rows, columns: [
            Column(header: "NAME") { $0.name ?? "" },
            Column(header: "TYPE") { $0.deviceType ?? "" },
            Column(header: "REGISTERED") { TimeFormat.show($0.creationTime.flatMap(WebexDate.parse), tty: tty) },
            Column(header: "REFRESHED") { TimeFormat.show($0.modificationTime.flatMap(WebexDate.parse), tty: tty) },
            Column(header: "THIS PROFILE") { $0.inUse ? "yes" : "" },
            Column(header: "URL", truncatable: true) { $0.url ?? "" },
        ], noun: "device registrations")
    }
}

/// A device for output: WDM's JSON plus whether this profile uses it.
struct DeviceRow: WebexModel {
    static let jsonFields = ["url", "webSocketUrl", "userId", "orgId", "name", "deviceType", "model", "creationTime", "modificationTime", "inUse"]
    var device: Device
    var inUse: Bool

    var url: String? { device.url }
    var name: String? { device.name }
    var deviceType: String? { device.deviceType }
    var creationTime: String? { device.creationTime }
    var modificationTime: String? { device.modificationTime }

    func encode(to encoder: any Encoder) throws {
        var json = device.json
        if case .object(var o) = json { o["inUse"] = .bool(inUse); json = .object(o) }
        try json.encode(to: encoder)
    }
    init(device: Device, inUse: Bool) { self.device = device; self.inUse = inUse }
    init(from decoder: any Decoder) throws { device = try Device(from: decoder); inUse = false }
}

struct EventsUnregister: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unregister",
        abstract: "Remove this profile's device registration (the next listen registers a new one).",
        discussion: "--all removes every registration of this user, including other clients' (they register again), after confirmation (--yes skips it).")
    @Flag(help: "Remove all of this user's device registrations (clears \"excessive device registrations\").") var all = false
    @Flag(name: .shortAndLong, help: "Do not ask for confirmation.") var yes = false
    @OptionGroup var globals: GlobalOptions

    func run() async throws {
        let ctx = CLIContext.current
        let client = try globals.makeClient()
        let me = try await client.people.me()
        let userId = HydraID(me.id)?.uuid ?? me.id
        let store = Events.deviceStore(client: client, environment: ctx.environment)
        if all {
            let count = try await client.devices.list().count
            try Resolve.confirm("Remove all \(count) device registration\(count == 1 ? "" : "s") of \(me.emails?.first ?? me.id)?", yes: yes, io: ctx.io)
            try await client.devices.unregisterAll()
            store.delete(userId: userId)
            ctx.io.err("removed \(count) device registration\(count == 1 ? "" : "s")\n")
            return
        }
        guard let saved = store.load(userId: userId) else {
            ctx.io.err("this profile has no device registration (nothing to remove)\n")
            return
        }
        try await client.devices.unregister(saved.device)
        store.delete(userId: userId)
        ctx.io.err("removed device \(saved.device.id ?? saved.device.url ?? "")\n")
    }
}
