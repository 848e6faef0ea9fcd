import ArgumentParser
import Foundation
import WebexSDK

struct MessagesDownload: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "download", abstract: "Download the files attached to a message.",
        discussion: """
            Files are named as Webex names them (Content-Disposition) and appear only when complete.
            While Webex scans a file for malware (423) webex waits as asked; an infected file (410) cannot be
            downloaded; a file that cannot be scanned (428) needs --allow-unscannable.
            """)
    @Argument(help: "The message ID.") var message: String
    @Option(help: ArgumentHelp("Directory to write into (default: the current one).", valueName: "dir"), completion: .directory) var dir: String = "."
    @Option(name: .shortAndLong, help: ArgumentHelp("File name to use (only for a message with one file).", valueName: "name")) var output: String?
    @Flag(help: "Replace existing files.") var overwrite = false
    @Flag(help: "Download files Webex could not scan for malware.") var allowUnscannable = false
    @OptionGroup var globals: GlobalOptions

    func run() async throws {
        let io = CLIContext.current.io
        let client = try globals.makeClient()
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw CLIError.usage("--dir \(dir) is not a directory")
        }
        let msg = try await client.messages.get(message)
        let files = msg.files ?? []
        if files.isEmpty { throw CLIError.notFound("message \(message) has no files") }
        if output != nil && files.count > 1 { throw CLIError.usage("--output names one file, but the message has \(files.count)") }
        for url in files {
            let bar = ProgressBar(io: io, label: "Downloading")
            do {
                let got = try await client.messages.download(url, into: dir, filename: output, overwrite: overwrite,
                                                             allowUnscannable: allowUnscannable, progress: bar.handler,
                                                             onScanning: { wait in
                    if io.stderrIsTTY { io.err("Webex is scanning the file for malware; waiting \(Int(wait))s…\n") }
                })
                bar.finish()
                io.out(got.path + "\n")
                io.flush()
            } catch {
                bar.finish()
                throw Self.explain(error, url: url)
            }
        }
    }

    /// Malware-scan answers get a sentence saying what happened and what to do.
    static func explain(_ error: WebexError, url: String) -> any Error {
        guard case .api(let e) = error else { return error }
        switch e.status {
        case 410: return CLIError.failure("\(url): the file is gone (410): Webex's malware scan blocked it, so it cannot be downloaded")
        case 428: return CLIError.failure("\(url): Webex could not scan this file for malware (428); pass --allow-unscannable to download it anyway")
        case 423: return CLIError.failure("\(url): Webex is still scanning the file for malware (423); try again in a minute")
        default: return error
        }
    }
}
