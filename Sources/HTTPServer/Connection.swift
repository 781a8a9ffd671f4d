import Glibc
import HTTPCore

/// One accepted socket and its protocol state; owned and touched only by its event loop's thread.
///
/// Deliberately not `Sendable`: the loop that accepted it is the only code that reads or writes it.
final class Connection {
    /// The loop-unique identifier stored in epoll's user data; never reused, unlike descriptors.
    let id: UInt64
    /// The socket descriptor.
    let fd: Int32
    /// The pure protocol lifecycle.
    var machine: HTTPConnectionStateMachine
    /// Bytes queued for writing; bounded by the one response in flight (plus a 100 Continue).
    var output: [UInt8] = []
    /// How much of `output` has been written.
    var outputOffset = 0
    /// When set, the connection is lingering: write side shut, input discarded until this instant.
    var lingerDeadline: ContinuousClock.Instant?
    /// Bytes discarded while lingering.
    var lingerDiscarded = 0
    /// The task running the handler for the request in flight; cancelled if the connection closes first.
    var handler: Task<Void, Never>?
    /// The epoll events currently registered.
    var registeredEvents: UInt32
    /// Whether the descriptor has been closed.
    private(set) var isClosed = false

    init(id: UInt64, fd: Int32, machine: HTTPConnectionStateMachine, registeredEvents: UInt32) {
        self.id = id
        self.fd = fd
        self.machine = machine
        self.registeredEvents = registeredEvents
    }

    /// Whether queued output remains to be written.
    var hasPendingOutput: Bool { outputOffset < output.count }

    /// Cancels the handler and closes the descriptor (which also removes it from epoll); idempotent.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        handler?.cancel()
        handler = nil
        Glibc.close(fd)
    }

    deinit {
        close()
    }
}
