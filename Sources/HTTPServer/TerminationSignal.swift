import Foundation
import Glibc

/// Catches SIGTERM and SIGINT: the handler only writes the signal number to a pipe
/// (async-signal-safe); a dedicated thread blocks reading it and resumes the waiting task.
///
/// After the first signal the default dispositions are restored, so a second SIGTERM/SIGINT
/// terminates at once if the graceful drain hangs.
///
/// Install it before the server starts accepting: until then a signal would end the process
/// without a drain, and once connections arrive the pipe it needs may no longer be creatable
/// (a server at its file-descriptor limit).
public final class TerminationSignal: Sendable {
    /// The pipe's write end for the C handler. Written once, under `installLock`, before any handler
    /// is installed; afterwards only read (by the handler), so there is no data race.
    nonisolated(unsafe) private static var handlerWriteFD: Int32 = -1
    /// The shared waiter; guarded by `installLock`.
    nonisolated(unsafe) private static var shared: TerminationSignal?
    private static let installLock = NSLock()
    private static let signals = [SIGTERM, SIGINT]

    private let readFD: Int32

    private init(readFD: Int32) {
        self.readFD = readFD
    }

    /// Installs the handlers (the pipe is created once per process) and returns the waiter.
    public static func install() throws(HTTPServerError) -> TerminationSignal {
        installLock.lock()
        defer { installLock.unlock() }
        let waiter: TerminationSignal
        if let shared {
            waiter = shared
        } else {
            waiter = try makeWaiter()
        }
        shared = waiter
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in
            var byte = UInt8(truncatingIfNeeded: signal)
            _ = write(TerminationSignal.handlerWriteFD, &byte, 1)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        signals.forEach { sigaction($0, &action, nil) }
        return waiter
    }

    private static func makeWaiter() throws(HTTPServerError) -> TerminationSignal {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw .systemCall(name: "pipe", errno: errno) }
        fds.forEach { _ = fcntl($0, F_SETFD, FD_CLOEXEC) }
        handlerWriteFD = fds[1]
        return TerminationSignal(readFD: fds[0])
    }

    /// Suspends until one of the signals arrives, restores the default dispositions, returns the signal.
    public func wait() async -> Int32 {
        let fd = readFD
        return await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
            let thread = Thread {
                var byte: UInt8 = 0
                var result = 0
                repeat {
                    result = read(fd, &byte, 1)
                } while result == -1 && errno == EINTR
                Self.signals.forEach { signal($0, SIG_DFL) }
                continuation.resume(returning: Int32(byte))
            }
            thread.name = "termination-signal"
            thread.start()
        }
    }
}
