import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Takes signals (Ctrl-C's SIGINT, SIGTERM) away from their default action while a command runs and calls
/// `handler` on each instead; `release()` restores the defaults. Commands that must leave a meeting, close
/// a socket cleanly or print a summary before exiting use it.
final class SignalTrap: @unchecked Sendable {
    private let signals: [Int32]
    private var sources: [any DispatchSourceSignal] = []

    init(_ signals: [Int32] = [SIGINT, SIGTERM], handler: @escaping @Sendable () -> Void) {
        self.signals = signals
        for sig in signals {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig)
            source.setEventHandler(handler: handler)
            source.resume()
            sources.append(source)
        }
    }

    func release() {
        for s in sources { s.cancel() }
        sources.removeAll()
        for sig in signals { signal(sig, SIG_DFL) }
    }

    deinit { release() }
}
