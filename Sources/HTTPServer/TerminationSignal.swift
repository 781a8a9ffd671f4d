import Foundation
import Glibc

/// Catches SIGTERM and SIGINT: the handler only writes the signal number to a pipe
/// (async-signal-safe); a dedicated thread blocks reading it and resumes the waiting task.
final class TerminationSignal: Sendable {
    /// The pipe's write end for the C handler. Written once, before the handlers are installed,
    /// under `installLock`; afterwards only read (from the handler), so there is no data race.
    nonisolated(unsafe) private static var handlerWriteFD: Int32 = -1
    private static let installLock = NSLock()
    nonisolated(unsafe) private static var installed: TerminationSignal?

    private let readFD: Int32

    private init(readFD: Int32) {
        self.readFD = readFD
    }

    /// Installs the handlers (once per process) and returns the shared waiter.
    static func install() -> TerminationSignal {
        installLock.lock()
        defer { installLock.unlock() }
        if let installed { return installed }
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { fatalError("pipe failed: errno \(errno)") }
        fds.forEach { _ = fcntl($0, F_SETFD, FD_CLOEXEC) }
        handlerWriteFD = fds[1]
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in
            var byte = UInt8(truncatingIfNeeded: signal)
            _ = write(TerminationSignal.handlerWriteFD, &byte, 1)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGTERM, &action, nil)
        sigaction(SIGINT, &action, nil)
        let waiter = TerminationSignal(readFD: fds[0])
        installed = waiter
        return waiter
    }

    /// Suspends until one of the signals arrives; returns its number.
    func wait() async -> Int32 {
        let fd = readFD
        return await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
            let thread = Thread {
                var byte: UInt8 = 0
                var result = 0
                repeat {
                    result = read(fd, &byte, 1)
                } while result == -1 && errno == EINTR
                continuation.resume(returning: Int32(byte))
            }
            thread.name = "termination-signal"
            thread.start()
        }
    }
}
