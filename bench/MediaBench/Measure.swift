import Foundation
import Glibc
import Synchronization
import WebexMedia

/// CPU time of the whole process (every thread, user + system), in seconds.
func processCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func wallSeconds() -> Double { Double(MediaClock.nowMicros()) / 1e6 }

/// Per-thread CPU (user + system ticks from /proc/self/task/*/stat), keyed by thread id, with the
/// thread's name. Tick resolution (10 ms): for a breakdown, not for the headline numbers.
struct ThreadSample {
    var name: String
    var seconds: Double
}

func threadCPU() -> [Int: ThreadSample] {
    let hz = Double(sysconf(Int32(_SC_CLK_TCK)))
    var out: [Int: ThreadSample] = [:]
    guard let tids = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task") else { return out }
    for tid in tids {
        guard let id = Int(tid), let stat = try? String(contentsOfFile: "/proc/self/task/\(tid)/stat", encoding: .utf8),
              let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { continue }
        let name = String(stat[stat.index(after: open)..<close])
        let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
        // After "pid (comm) ": state is field 3, utime 14, stime 15 (1-based in proc(5)) → index 11, 12 here.
        guard fields.count > 12, let u = Double(fields[11]), let s = Double(fields[12]) else { continue }
        out[id] = ThreadSample(name: name, seconds: (u + s) / hz)
    }
    return out
}

/// Samples per-thread CPU every 200 ms between `begin()` and `end()`, so threads that exit before the
/// end (the send threads) still count up to their last sample. Its own thread's CPU is reported by
/// `end()` so that the caller can take it out of the process total.
final class ThreadMonitor: @unchecked Sendable {
    private struct State {
        var base: [Int: ThreadSample] = [:]
        var latest: [Int: ThreadSample] = [:]
        var running = false
        var finished = false
        var ownCPU = 0.0
        var ownTID = -1
    }
    private let state = Mutex<State>(State())

    func begin() {
        let base = threadCPU()
        state.withLock { $0 = State(base: base, latest: base, running: true) }
        let t = Thread { [self] in
            // /proc/thread-self links to PID/task/TID.
            let link = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")) ?? ""
            let tid = Int(link.split(separator: "/").last ?? "") ?? -1
            state.withLock { $0.ownTID = tid }
            while state.withLock({ $0.running }) {
                let now = threadCPU()
                state.withLock { s in for (k, v) in now { s.latest[k] = v } }
                usleep(200_000)
            }
            var ts = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
            state.withLock { $0.ownCPU = Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9; $0.finished = true }
        }
        t.start()
    }

    /// CPU seconds per thread (grouped) since `begin()`, and the monitor's own CPU time.
    func end() -> (threads: [(String, Double)], monitorCPU: Double) {
        let now = threadCPU()
        state.withLock { s in
            s.running = false
            for (k, v) in now { s.latest[k] = v }
        }
        while !state.withLock({ $0.finished }) { usleep(5_000) }
        let s = state.withLock { $0 }
        // Foundation on Linux does not pass Thread.name to the kernel, so the threads carry the process's
        // name: tell them apart by when they started instead.
        let pid = Int(getpid())
        var byName: [String: Double] = [:]
        for (tid, sample) in s.latest where tid != s.ownTID {
            let label =
                tid == pid ? "main (caller of run)"
                : s.base[tid] == nil ? "started after connect" : "running before connect"
            byName[label, default: 0] += sample.seconds - (s.base[tid]?.seconds ?? 0)
        }
        return (byName.filter { $0.value > 0.0049 }.sorted { $0.value > $1.value }, s.ownCPU)
    }
}

/// Percentile of sorted values (nearest rank).
func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
    return sorted[max(0, min(sorted.count - 1, rank))]
}

/// A line on stdout, written at once (a long run shows progress through a pipe).
func say(_ line: String) {
    FileHandle.standardOutput.write((line + "\n").data(using: .utf8)!)
}

func fmt(_ v: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", v) }

/// Writes a file atomically (the peer polls for it).
func writeAtomically(_ text: String, to path: String) throws {
    let tmp = path + ".tmp"
    try text.write(toFile: tmp, atomically: false, encoding: .utf8)
    guard rename(tmp, path) == 0 else { throw BenchError("could not rename \(tmp) to \(path)") }
}

/// Waits for a file another process writes, up to `timeout` seconds.
func waitForFile(_ path: String, timeout: Double) throws -> String {
    let deadline = wallSeconds() + timeout
    while wallSeconds() < deadline {
        if let text = try? String(contentsOfFile: path, encoding: .utf8), !text.isEmpty { return text }
        usleep(20_000)
    }
    throw BenchError("timed out waiting for \(path)")
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// A child process with stdout/stderr captured to files.
final class Child {
    let process = Process()
    let stdoutPath: String
    let stderrPath: String

    init(_ executable: String, _ arguments: [String], logPrefix: String) throws {
        stdoutPath = logPrefix + ".out"
        stderrPath = logPrefix + ".err"
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// Waits up to `timeout` seconds, then interrupts it. Returns the exit status.
    @discardableResult
    func wait(timeout: Double) -> Int32 {
        let deadline = wallSeconds() + timeout
        while process.isRunning && wallSeconds() < deadline { usleep(50_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGINT)
            let grace = wallSeconds() + 3
            while process.isRunning && wallSeconds() < grace { usleep(50_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
}

func jsonObject(_ text: String) -> [String: Any]? {
    for line in text.split(separator: "\n").reversed() {
        if let data = line.data(using: .utf8), let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            return obj
        }
    }
    if let data = text.data(using: .utf8) { return try? JSONSerialization.jsonObject(with: data) as? [String: Any] }
    return nil
}
