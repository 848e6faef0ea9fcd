import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Every terminal decision in one place (after gh's iostreams): TTY detection, colour, width, buffered
/// stdout, immediate stderr. `IOStreams.test()` captures output in memory so commands are testable in
/// both terminal and pipe modes.
final class IOStreams: @unchecked Sendable {
    let stdoutIsTTY: Bool
    let stderrIsTTY: Bool
    let stdinIsTTY: Bool
    var colorEnabled: Bool
    var terminalWidth: Int

    private let lock = NSLock()
    private var outBuffer: [UInt8] = []
    private let writeOut: @Sendable ([UInt8]) -> Void
    private let writeErr: @Sendable ([UInt8]) -> Void
    private let readIn: @Sendable () -> Data
    /// Cleared when stdout is first written: the progress spinner must not overlap real output.
    var beforeFirstOutput: (@Sendable () -> Void)?
    private var wroteOutput = false

    init(stdoutIsTTY: Bool, stderrIsTTY: Bool, stdinIsTTY: Bool, colorEnabled: Bool, terminalWidth: Int,
         writeOut: @escaping @Sendable ([UInt8]) -> Void, writeErr: @escaping @Sendable ([UInt8]) -> Void,
         readIn: @escaping @Sendable () -> Data) {
        self.stdoutIsTTY = stdoutIsTTY; self.stderrIsTTY = stderrIsTTY; self.stdinIsTTY = stdinIsTTY
        self.colorEnabled = colorEnabled; self.terminalWidth = terminalWidth
        self.writeOut = writeOut; self.writeErr = writeErr; self.readIn = readIn
    }

    /// The process's real streams. `TERM=dumb` counts as not a terminal; `WEBEX_FORCE_TTY` (optionally a
    /// column count) gives terminal output (tables, relative times) even when piped, as gh's GH_FORCE_TTY does.
    static func system(environment env: [String: String]) -> IOStreams {
        let dumb = env["TERM"] == "dumb"
        let forced = env["WEBEX_FORCE_TTY"].flatMap { $0.isEmpty ? nil : $0 }
        let outTTY = (isatty(1) == 1 && !dumb) || forced != nil
        let errTTY = isatty(2) == 1 && !dumb
        var width = 80
        var ws = winsize()
        if outTTY, ioctl(1, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0 { width = Int(ws.ws_col) }
        if let cols = env["COLUMNS"].flatMap(Int.init), cols > 0 { width = cols }
        if let cols = forced.flatMap(Int.init), cols > 0 { width = cols }
        return IOStreams(stdoutIsTTY: outTTY, stderrIsTTY: errTTY, stdinIsTTY: isatty(0) == 1, colorEnabled: outTTY,
                         terminalWidth: width,
                         writeOut: { writeAll(1, $0) }, writeErr: { writeAll(2, $0) },
                         readIn: { FileHandle.standardInput.readDataToEndOfFile() })
    }

    /// Captures output; for tests.
    static func test(stdoutTTY: Bool = false, stderrTTY: Bool = false, stdin: Data = Data(), width: Int = 80) -> (IOStreams, TestOutput) {
        let captured = TestOutput()
        let io = IOStreams(stdoutIsTTY: stdoutTTY, stderrIsTTY: stderrTTY, stdinIsTTY: false, colorEnabled: false,
                           terminalWidth: width,
                           writeOut: { b in captured.append(out: b) }, writeErr: { b in captured.append(err: b) },
                           readIn: { stdin })
        return (io, captured)
    }

    /// Buffered; call `flush()` to hand it on.
    func out(_ s: String) {
        lock.lock()
        if !wroteOutput { wroteOutput = true; let hook = beforeFirstOutput; lock.unlock(); hook?(); lock.lock() }
        outBuffer.append(contentsOf: s.utf8)
        let full = outBuffer.count >= 64 * 1024
        lock.unlock()
        if full { flush() }
    }

    func flush() {
        lock.lock(); let b = outBuffer; outBuffer.removeAll(keepingCapacity: true); lock.unlock()
        if !b.isEmpty { writeOut(b) }
    }

    /// Unbuffered, for diagnostics.
    func err(_ s: String) { writeErr(Array(s.utf8)) }

    func readStdin() -> Data { readIn() }

    /// Prompts only when both stdin and stdout are terminals (and prompting was not disabled).
    var canPrompt: Bool { stdinIsTTY && stdoutIsTTY }

    // MARK: colour
    func bold(_ s: String) -> String { colorEnabled ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
    func dim(_ s: String) -> String { colorEnabled ? "\u{1B}[2m\(s)\u{1B}[0m" : s }
    func red(_ s: String) -> String { colorEnabled ? "\u{1B}[31m\(s)\u{1B}[0m" : s }
}

/// Writes all bytes; a closed pipe (reader gone, e.g. `| head`) ends the program quietly with 0.
@Sendable func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
    var off = 0
    bytes.withUnsafeBytes { raw in
        while off < raw.count {
            let n = write(fd, raw.baseAddress! + off, raw.count - off)
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE { exit(0) }
                return
            }
            off += n
        }
    }
}

final class TestOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var o: [UInt8] = [], e: [UInt8] = []
    func append(out b: [UInt8]) { lock.withLock { o += b } }
    func append(err b: [UInt8]) { lock.withLock { e += b } }
    var stdout: String { lock.withLock { String(decoding: o, as: UTF8.self) } }
    var stderr: String { lock.withLock { String(decoding: e, as: UTF8.self) } }
}
