import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Raw key input and secret prompts on the controlling terminal.
enum Terminal {
    /// Reads a line from the terminal without echo (for passwords). Nil when there is no terminal.
    static func readSecret(prompt: String) -> String? {
        let fd = open("/dev/tty", O_RDWR)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var old = termios()
        guard tcgetattr(fd, &old) == 0 else { return nil }
        var raw = old
        raw.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(fd, TCSAFLUSH, &raw)
        // Ctrl-C must not leave the terminal without echo: it is ignored while the prompt is up.
        let previous = signal(SIGINT, SIG_IGN)
        defer { tcsetattr(fd, TCSAFLUSH, &old); _ = write(fd, "\n", 1); signal(SIGINT, previous) }
        _ = prompt.withCString { write(fd, $0, strlen($0)) }
        var bytes: [UInt8] = []
        var c: UInt8 = 0
        while read(fd, &c, 1) == 1, c != UInt8(ascii: "\n"), c != UInt8(ascii: "\r") { bytes.append(c) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Puts standard input in non-canonical, no-echo mode; `restore()` undoes it (also at exit).
    final class RawMode: @unchecked Sendable {
        private var saved = termios()
        private var active = false

        init?() {
            guard isatty(0) == 1, tcgetattr(0, &saved) == 0 else { return nil }
            var raw = saved
            raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
            withUnsafeMutableBytes(of: &raw.c_cc) { cc in
                cc[Int(VMIN)] = 1
                cc[Int(VTIME)] = 0
            }
            guard tcsetattr(0, TCSANOW, &raw) == 0 else { return nil }
            active = true
        }

        func restore() {
            guard active else { return }
            active = false
            tcsetattr(0, TCSANOW, &saved)
        }

        deinit { restore() }
    }
}
