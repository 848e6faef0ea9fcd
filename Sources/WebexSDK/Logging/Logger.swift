/// Log levels, in the JS SDK's order and spelling.
public enum LogLevel: Int, Sendable, Comparable, CaseIterable {
    case silent = 0, error, warn, log, info, debug, trace

    public init?(name: String) {
        guard let l = Self.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = l
    }
    public var name: String {
        switch self {
        case .silent: "silent"; case .error: "error"; case .warn: "warn"; case .log: "log"
        case .info: "info"; case .debug: "debug"; case .trace: "trace"
        }
    }
    public static func < (a: LogLevel, b: LogLevel) -> Bool { a.rawValue < b.rawValue }
}

/// Where the SDK's diagnostics go. The SDK never writes to a terminal itself.
public protocol WebexLogger: Sendable {
    var level: LogLevel { get }
    func write(_ level: LogLevel, _ message: String)
}

extension WebexLogger {
    public func log(_ level: LogLevel, _ message: @autoclosure () -> String) {
        if level != .silent && level <= self.level { write(level, message()) }
    }
}

/// Discards everything.
public struct NullLogger: WebexLogger {
    public init() {}
    public var level: LogLevel { .silent }
    public func write(_ level: LogLevel, _ message: String) {}
}
