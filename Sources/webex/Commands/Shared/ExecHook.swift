import Foundation

/// `--exec CMD`: runs a shell command once per event, with the event on standard input, and waits for it
/// (events are handled in order). A failing command is reported on stderr and does not stop the stream.
enum ExecHook {
    static func run(_ command: String, input: String, io: IOStreams) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        let pipe = Pipe()
        p.standardInput = pipe
        do {
            try p.run()
            pipe.fileHandleForWriting.write(Data(input.utf8))
            try? pipe.fileHandleForWriting.close()
            p.waitUntilExit()
            if p.terminationStatus != 0 { io.err("--exec command exited with status \(p.terminationStatus)\n") }
        } catch {
            io.err("cannot run --exec command: \(error)\n")
        }
    }
}
