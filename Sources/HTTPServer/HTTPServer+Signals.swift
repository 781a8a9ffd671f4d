import Foundation
import Glibc

extension HTTPServer {
    /// Serves until SIGTERM or SIGINT (caught by `signals`, installed before ``start()``), then
    /// drains gracefully (``shutdown()``) and returns the signal.
    ///
    /// Uses `sigaction` with a self-pipe rather than `signalfd`: `signalfd` needs the signals blocked
    /// in every thread, which cannot be guaranteed for threads the Swift runtime already started.
    @discardableResult
    public func run(until signals: TerminationSignal) async -> Int32 {
        let signal = await signals.wait()
        await shutdown()
        return signal
    }
}
