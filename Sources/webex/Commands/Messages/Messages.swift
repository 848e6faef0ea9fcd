import ArgumentParser
import WebexSDK

struct Messages: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "messages", abstract: "Send, list, edit, delete messages and download their files.",
        subcommands: [MessagesList.self, MessagesGet.self, MessagesSend.self, MessagesEdit.self, MessagesDelete.self, MessagesDownload.self, MessagesListen.self])

    static var columns: [Column<Message>] {
        let tty = CLIContext.current.io.stdoutIsTTY
        return [
            Column(header: "FROM") { $0.personEmail ?? "" },
            Column(header: "SENT") { TimeFormat.show($0.created, tty: tty) },
            Column(header: "TEXT", truncatable: true) { m in
                var t = m.text ?? m.markdown ?? ""
                if let n = m.files?.count, n > 0 { t += (t.isEmpty ? "" : " ") + "[\(n) file\(n == 1 ? "" : "s")]" }
                if m.attachments?.isEmpty == false { t += (t.isEmpty ? "" : " ") + "[card]" }
                return t
            },
            Column(header: "ID") { $0.id },
        ]
    }
}
