import ArgumentParser
import WebexSDK

struct Rooms: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rooms", abstract: "List, show, create, change and delete rooms (spaces).",
        subcommands: [RoomsList.self, RoomsGet.self, RoomsCreate.self, RoomsUpdate.self, RoomsDelete.self, RoomsMeetingInfo.self])

    static var columns: [Column<Room>] {
        let tty = CLIContext.current.io.stdoutIsTTY
        return [
            Column(header: "TITLE", truncatable: true) { $0.title ?? "" },
            Column(header: "TYPE") { $0.type ?? "" },
            Column(header: "LAST ACTIVITY") { TimeFormat.show($0.lastActivity, tty: tty) },
            Column(header: "ID") { $0.id },
        ]
    }
}

extension Rooms {
    static var readStatusColumns: [Column<RoomReadStatus>] {
        let tty = CLIContext.current.io.stdoutIsTTY
        return [
            Column(header: "TITLE", truncatable: true) { $0.title ?? "" },
            Column(header: "TYPE") { $0.type ?? "" },
            Column(header: "LAST ACTIVITY") { TimeFormat.show($0.lastActivityDate, tty: tty) },
            Column(header: "LAST SEEN") { d in
                guard let s = d.lastSeenActivityDate, s.timeIntervalSince1970 > 0 else { return "never" }
                return TimeFormat.show(s, tty: tty)
            },
            Column(header: "ID") { $0.id },
        ]
    }
}

extension RoomsAPI.RoomType: ExpressibleByArgument {}
extension RoomsAPI.SortBy: ExpressibleByArgument {}
