import Dispatch
import Foundation
import Glibc
import HTTPCore
import Synchronization

/// An HTTP/1.1 server: epoll event loops (one thread each) feeding a responder.
///
/// Each loop owns its connections; a complete request is handed to the responder in a Swift
/// `Task`, and the response comes back to the owning loop through a mutex-protected inbox and an
/// eventfd wake-up, where it is written without blocking (waiting for EPOLLOUT for the rest).
/// See ``HTTPServerConfiguration`` for limits, timeouts and the connection cap policy.
public final class HTTPServer: Sendable {
    private enum State {
        case idle
        case running(context: ServerContext, loops: [EventLoop])
        case stopping
        case stopped
    }

    private let configuration: HTTPServerConfiguration
    private let responder: any HTTPResponder
    private let state = Mutex(State.idle)
    private let loopsRunning = DispatchGroup()

    /// A server that will answer with `responder`; nothing is bound until ``start()``.
    public init(configuration: HTTPServerConfiguration, responder: any HTTPResponder) {
        self.configuration = configuration
        self.responder = responder
    }

    /// Binds and listens, starts the event-loop threads, and returns the bound port (useful with port 0).
    ///
    /// Also ignores SIGPIPE process-wide, in addition to `MSG_NOSIGNAL` on every send.
    public func start() throws(HTTPServerError) -> Int {
        try state.withLock { state throws(HTTPServerError) -> Int in
            guard case .idle = state else { throw .alreadyStarted }
            signal(SIGPIPE, SIG_IGN)
            let listener = try ListeningSocket(host: configuration.host, port: configuration.port)
            let context = ServerContext(configuration: configuration, responder: responder, listener: listener)
            var loops: [EventLoop] = []
            for _ in 0..<configuration.eventLoopCount {
                loops.append(try EventLoop(context: context))
            }
            for (index, loop) in loops.enumerated() {
                loopsRunning.enter()
                let thread = Thread { [loopsRunning] in
                    loop.run()
                    loopsRunning.leave()
                }
                thread.name = "http-loop-\(index)"
                thread.start()
            }
            state = .running(context: context, loops: loops)
            return listener.port
        }
    }

    /// The number of open connections (0 when not running); for tests and metrics.
    public var connectionCount: Int {
        state.withLock { state in
            if case .running(let context, _) = state { context.connectionCount } else { 0 }
        }
    }

    /// Graceful drain (RFC 9112 §9.6): stop listening (new connections are refused), close idle
    /// connections now, let in-flight requests finish with `Connection: close`, force-close whatever
    /// remains after ``HTTPServerConfiguration/shutdownGracePeriod``. Returns when all loops stopped.
    public func shutdown() async {
        beginShutdown()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            loopsRunning.notify(queue: .global()) { continuation.resume() }
        }
        state.withLock { $0 = .stopped }
    }

    /// Blocks the calling thread until every event loop has stopped; returns at once if none runs.
    ///
    /// For a `main` that starts the server and lets another thread (or a signal) call ``shutdown()``.
    public func waitUntilStopped() {
        loopsRunning.wait()
    }

    private func beginShutdown() {
        let loops: [EventLoop] = state.withLock { state in
            switch state {
            case .idle:
                state = .stopped
                return []
            case .running(_, let loops):
                state = .stopping
                return loops
            case .stopping, .stopped:
                return []
            }
        }
        let graceDeadline = ContinuousClock.now + configuration.shutdownGracePeriod
        loops.forEach { $0.requestShutdown(graceDeadline: graceDeadline) }
    }
}
