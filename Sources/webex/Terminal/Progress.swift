import Foundation
import WebexSDK

/// A spinner on stderr that appears only if a command is still busy after a second, and only on a terminal.
final class Activity: @unchecked Sendable {
    private let io: IOStreams
    private let lock = NSLock()
    private var task: Task<Void, Never>?
    private var drawn = false
    private var stopped = false

    init(io: IOStreams, label: String, delay: Double = 1.0) {
        self.io = io
        guard io.stderrIsTTY else { stopped = true; return }
        task = Task { [weak self] in
            try? await Task.sleep(nanoseconds: UInt64(delay * 1e9))
            let frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]
            var i = 0
            while !Task.isCancelled {
                guard let self else { return }
                self.lock.withLock {
                    if !self.stopped { self.io.err("\r\u{1B}[2K\(frames[i % frames.count]) \(label)"); self.drawn = true }
                }
                i += 1
                try? await Task.sleep(nanoseconds: 100_000_000)
            }
        }
    }

    func stop() {
        lock.withLock {
            guard !stopped else { return }
            stopped = true
            task?.cancel()
            if drawn { io.err("\r\u{1B}[2K") }
        }
    }
}

/// A transfer progress bar on stderr (terminal only), redrawn at most ten times a second.
final class ProgressBar: @unchecked Sendable {
    private let io: IOStreams
    private let label: String
    private let lock = NSLock()
    private var last = Date.distantPast
    private var drawn = false

    init(io: IOStreams, label: String) { self.io = io; self.label = label }

    var handler: ProgressHandler? {
        guard io.stderrIsTTY else { return nil }
        return { [self] p in
            let (done, total) = p.uploadTotal > 0 ? (p.uploaded, p.uploadTotal) : (p.downloaded, p.downloadTotal)
            self.draw(done: done, total: total)
        }
    }

    private func draw(done: Int64, total: Int64) {
        lock.withLock {
            let now = Date()
            guard now.timeIntervalSince(last) >= 0.1 || (total > 0 && done == total) else { return }
            last = now
            var line = "\r\u{1B}[2K\(label) \(Self.bytes(done))"
            if total > 0 {
                let fraction = Double(done) / Double(total)
                let width = 24
                let filled = Int(fraction * Double(width))
                line += " / \(Self.bytes(total)) [" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "] \(Int(fraction * 100))%"
            }
            io.err(line)
            drawn = true
        }
    }

    func finish() { lock.withLock { if drawn { io.err("\r\u{1B}[2K"); drawn = false } } }

    static func bytes(_ n: Int64) -> String {
        let d = Double(n)
        if d >= 1_048_576 { return String(format: "%.1f MB", d / 1_048_576) }
        if d >= 1024 { return String(format: "%.1f kB", d / 1024) }
        return "\(n) B"
    }
}
