import Glibc
import HTTPCore
import Synchronization

/// One event-loop thread: its own epoll, the shared listener, its connections and their timers.
///
/// `@unchecked Sendable` invariant: every stored `var` and the connections are touched only by the
/// thread running ``run()``; other threads reach the loop only through ``deliver(_:to:)`` and
/// ``requestShutdown(graceDeadline:)``, which go through the `inbox` mutex and the eventfd wake-up.
final class EventLoop: @unchecked Sendable {
    private struct Inbox {
        var responses: [(id: UInt64, response: HTTPResponse)] = []
        var shutdownDeadline: ContinuousClock.Instant?
        var isStopped = false
    }

    private static let listenerID: UInt64 = 0
    private static let wakeID: UInt64 = 1

    private let context: ServerContext
    private let epollFD: Int32
    private let wakeFD: Int32
    private let inbox = Mutex(Inbox())

    private var connections: [UInt64: Connection] = [:]
    private var nextConnectionID: UInt64 = 2
    private var listenerRegistered = false
    private var acceptResumesAt: ContinuousClock.Instant?
    private var graceDeadline: ContinuousClock.Instant?
    private var readBuffer: [UInt8]
    private var descriptorsReleased = false

    init(context: ServerContext) throws(HTTPServerError) {
        self.context = context
        readBuffer = [UInt8](repeating: 0, count: context.configuration.readChunkBytes)
        epollFD = try Syscall.require("epoll_create1") { LinuxAPI.epollCreate(flags: LinuxAPI.epollCloseOnExec) }
        do throws(HTTPServerError) {
            wakeFD = try Syscall.require("eventfd") { LinuxAPI.eventFD(flags: LinuxAPI.eventFDFlags) }
        } catch {
            Glibc.close(epollFD)
            throw error
        }
        try control(LinuxAPI.controlAdd, fd: wakeFD, id: Self.wakeID, events: LinuxAPI.readable)
        try registerListener()
    }

    // MARK: Other threads

    /// Hands a handler's response to the loop; dropped if the loop has already stopped.
    func deliver(_ response: HTTPResponse, to id: UInt64) {
        inbox.withLock { inbox in
            guard !inbox.isStopped else { return }
            inbox.responses.append((id, response))
            wake()
        }
    }

    /// Starts the graceful drain on this loop.
    func requestShutdown(graceDeadline: ContinuousClock.Instant) {
        inbox.withLock { inbox in
            guard !inbox.isStopped else { return }
            inbox.shutdownDeadline = graceDeadline
            wake()
        }
    }

    /// Called with the inbox lock held, so the eventfd cannot be closed meanwhile.
    private func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, MemoryLayout<UInt64>.size)
    }

    // MARK: The loop

    /// Runs until shutdown has drained every connection; then releases the loop's descriptors.
    func run() {
        let events = LinuxAPI.EventBuffer(capacity: 64)
        while graceDeadline == nil || !connections.isEmpty {
            let timeout = nextTimeoutMilliseconds(now: .now)
            let result = try? Syscall.call("epoll_wait") { LinuxAPI.epollWait(epollFD, events, timeoutMilliseconds: timeout) }
            let count = if case .done(let count) = result { Int(count) } else { 0 }
            let now = ContinuousClock.now
            for index in 0..<count {
                let event = events.event(at: index)
                handle(events: event.events, id: event.id, now: now)
            }
            processInbox(now: now)
            checkDeadlines(now: now)
        }
        releaseDescriptors()
    }

    /// Closes the eventfd (under the inbox lock, so no late ``deliver(_:to:)`` writes to a reused
    /// descriptor number) and the epoll descriptor; once.
    private func releaseDescriptors() {
        guard !descriptorsReleased else { return }
        descriptorsReleased = true
        inbox.withLock { inbox in
            inbox.isStopped = true
            Glibc.close(wakeFD)
        }
        Glibc.close(epollFD)
    }

    /// Releases the descriptors of a loop that never ran (start-up failed after it was created).
    deinit {
        releaseDescriptors()
    }

    private func handle(events flags: UInt32, id: UInt64, now: ContinuousClock.Instant) {
        switch id {
        case Self.listenerID:
            acceptConnections(now: now)
        case Self.wakeID:
            var counter: UInt64 = 0
            _ = read(wakeFD, &counter, MemoryLayout<UInt64>.size)
        case let id:
            guard let connection = connections[id] else { return }
            if flags & LinuxAPI.error != 0 {
                close(connection)
                return
            }
            if flags & (LinuxAPI.readable | LinuxAPI.hangUp) != 0 { readable(connection, now: now) }
            if flags & LinuxAPI.writable != 0 && !connection.isClosed { flush(connection, now: now) }
            // A hang-up cannot be masked in epoll; with no reading wanted it would wake us forever.
            if flags & LinuxAPI.hangUp != 0 && !connection.isClosed { close(connection) }
        }
    }

    private func processInbox(now: ContinuousClock.Instant) {
        let (responses, shutdownDeadline) = inbox.withLock { inbox in
            defer { inbox.responses = [] }
            return (inbox.responses, inbox.shutdownDeadline)
        }
        if let shutdownDeadline, graceDeadline == nil { beginShutdown(graceDeadline: shutdownDeadline, now: now) }
        for (id, response) in responses {
            guard let connection = connections[id] else { continue }
            connection.handler = nil
            perform(connection.machine.responseReady(response, now: now), on: connection, now: now)
        }
    }

    private func beginShutdown(graceDeadline: ContinuousClock.Instant, now: ContinuousClock.Instant) {
        self.graceDeadline = graceDeadline
        if listenerRegistered {
            _ = try? control(LinuxAPI.controlDelete, fd: context.listener.fd, id: Self.listenerID, events: 0)
            listenerRegistered = false
        }
        acceptResumesAt = nil
        context.releaseListener()
        for connection in Array(connections.values) {
            perform(connection.machine.shutdownRequested(now: now), on: connection, now: now)
        }
    }

    // MARK: Timers

    private func nextTimeoutMilliseconds(now: ContinuousClock.Instant) -> Int32 {
        var earliest = [acceptResumesAt, graceDeadline].compactMap { $0 }.min()
        for connection in connections.values {
            guard let deadline = connection.lingerDeadline ?? connection.machine.deadline?.instant else { continue }
            earliest = min(earliest ?? deadline, deadline)
        }
        guard let earliest else { return -1 }
        let remaining = earliest - now
        guard remaining > .zero else { return 0 }
        let (seconds, attoseconds) = remaining.components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1
        return Int32(clamping: milliseconds)
    }

    private func checkDeadlines(now: ContinuousClock.Instant) {
        if let graceDeadline, now >= graceDeadline {
            connections.values.forEach(close)
            return
        }
        if let resume = acceptResumesAt, now >= resume {
            acceptResumesAt = nil
            try? registerListener()
        }
        for connection in Array(connections.values) where !connection.isClosed {
            if let linger = connection.lingerDeadline {
                if now >= linger { close(connection) }
            } else if let deadline = connection.machine.deadline, now >= deadline.instant {
                perform(connection.machine.deadlinePassed(now: now), on: connection, now: now)
            }
        }
    }

    // MARK: Accepting

    private func registerListener() throws(HTTPServerError) {
        try control(LinuxAPI.controlAdd, fd: context.listener.fd, id: Self.listenerID,
                    events: LinuxAPI.readable | LinuxAPI.exclusive)
        listenerRegistered = true
    }

    /// Accepts until EAGAIN. Aborted handshakes are skipped; running out of descriptors or memory
    /// pauses accepting for ``HTTPServerConfiguration/acceptBackoff`` — the loop itself never stops.
    private func acceptConnections(now: ContinuousClock.Instant) {
        while listenerRegistered {
            var peer = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let flags = Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue)
            let result: SyscallResult<Int32>
            do throws(HTTPServerError) {
                result = try Syscall.call("accept4") {
                    withUnsafeMutablePointer(to: &peer) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { LinuxAPI.accept4(context.listener.fd, $0, &length, flags) }
                    }
                }
            } catch {
                guard case .systemCall(_, let code) = error, Self.acceptFailure(code) == .retry else {
                    pauseAccepting(now: now)
                    return
                }
                continue
            }
            guard case .done(let fd) = result else { return }
            guard context.reserveConnection() else {
                Glibc.close(fd)
                continue
            }
            adopt(fd: fd, peer: SocketAddress.peerName(peer), now: now)
        }
    }

    /// What to do after `accept4` failed.
    enum AcceptFailure: Equatable {
        /// The failure concerned one connection (aborted handshake, protocol error): accept the next.
        case retry
        /// The process or system is out of a resource (EMFILE, ENFILE, ENOBUFS, ENOMEM) or the error
        /// is unexpected: stop accepting for the back-off, then try again. Never stop for good.
        case backOff
    }

    /// Classifies an `accept4` errno (accept(2): errors of the new connection vs. of the process).
    static func acceptFailure(_ code: Int32) -> AcceptFailure {
        code == ECONNABORTED || code == EPROTO || code == EPERM ? .retry : .backOff
    }

    private func pauseAccepting(now: ContinuousClock.Instant) {
        _ = try? control(LinuxAPI.controlDelete, fd: context.listener.fd, id: Self.listenerID, events: 0)
        listenerRegistered = false
        acceptResumesAt = now + context.configuration.acceptBackoff
    }

    private func adopt(fd: Int32, peer: String?, now: ContinuousClock.Instant) {
        var noDelay: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        let id = nextConnectionID
        nextConnectionID += 1
        let configuration = context.configuration
        let machine = HTTPConnectionStateMachine(limits: configuration.limits, timeouts: configuration.timeouts,
                                                 remoteAddress: peer, now: now)
        let connection = Connection(id: id, fd: fd, machine: machine, registeredEvents: LinuxAPI.readable)
        do throws(HTTPServerError) {
            try control(LinuxAPI.controlAdd, fd: fd, id: id, events: LinuxAPI.readable)
        } catch {
            connection.close()
            context.connectionClosed()
            return
        }
        connections[id] = connection
        if graceDeadline != nil {
            perform(connection.machine.shutdownRequested(now: now), on: connection, now: now)
        }
    }

    // MARK: Connections

    private func perform(_ actions: [HTTPConnectionStateMachine.Action], on connection: Connection,
                         now: ContinuousClock.Instant) {
        var wrote = false
        for action in actions where !connection.isClosed {
            switch action {
            case .dispatch(let request):
                startHandler(for: request, on: connection)
            case .write(let bytes):
                connection.output.append(contentsOf: bytes)
                wrote = true
            case .close:
                close(connection)
            case .lingeringClose:
                startLingering(connection, now: now)
            }
        }
        guard !connection.isClosed else { return }
        if wrote {
            flush(connection, now: now)
        } else {
            updateInterest(connection)
        }
    }

    private func startHandler(for request: HTTPRequest, on connection: Connection) {
        let responder = context.responder
        let id = connection.id
        connection.handler = Task { [self] in
            let response = await responder.respond(to: request)
            deliver(response, to: id)
        }
    }

    private func readable(_ connection: Connection, now: ContinuousClock.Instant) {
        if connection.lingerDeadline != nil {
            discardLingeringInput(connection)
            return
        }
        while connection.machine.wantsToRead && !connection.isClosed {
            let fd = connection.fd
            let result: SyscallResult<Int>
            do throws(HTTPServerError) {
                result = try Syscall.call("read") {
                    readBuffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                }
            } catch {
                close(connection)
                return
            }
            switch result {
            case .wouldBlock:
                updateInterest(connection)
                return
            case .done(0):
                perform(connection.machine.endOfInput(now: now), on: connection, now: now)
            case .done(let count):
                perform(connection.machine.bytesRead(readBuffer[..<count], now: now), on: connection, now: now)
            }
        }
    }

    /// Writes queued output until done or EAGAIN (then waits for EPOLLOUT); `MSG_NOSIGNAL` avoids SIGPIPE.
    private func flush(_ connection: Connection, now: ContinuousClock.Instant) {
        while connection.hasPendingOutput {
            let fd = connection.fd
            let offset = connection.outputOffset
            let result: SyscallResult<Int>
            do throws(HTTPServerError) {
                result = try Syscall.call("send") {
                    connection.output.withUnsafeBytes {
                        send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
                    }
                }
            } catch {
                close(connection)
                return
            }
            guard case .done(let count) = result else {
                updateInterest(connection)
                return
            }
            connection.outputOffset += count
        }
        connection.output = []
        connection.outputOffset = 0
        perform(connection.machine.writeCompleted(now: now), on: connection, now: now)
    }

    /// Lingering close (RFC 9112 §9.6): stop sending, keep reading briefly so a peer still sending
    /// does not turn our close into a reset that destroys the response it has not read yet.
    private func startLingering(_ connection: Connection, now: ContinuousClock.Instant) {
        shutdown(connection.fd, Int32(SHUT_WR))
        connection.lingerDeadline = now + context.configuration.lingerTimeout
        discardLingeringInput(connection)
    }

    private func discardLingeringInput(_ connection: Connection) {
        while !connection.isClosed {
            let fd = connection.fd
            let result = try? Syscall.call("read") {
                readBuffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            }
            switch result {
            case .wouldBlock:
                updateInterest(connection)
                return
            case .done(let count) where count > 0:
                connection.lingerDiscarded += count
                if connection.lingerDiscarded > context.configuration.lingerMaxBytes { close(connection) }
            default:
                close(connection)
            }
        }
    }

    private func updateInterest(_ connection: Connection) {
        guard !connection.isClosed else { return }
        var wanted: UInt32 = 0
        if connection.machine.wantsToRead || connection.lingerDeadline != nil { wanted |= LinuxAPI.readable }
        if connection.hasPendingOutput { wanted |= LinuxAPI.writable }
        guard wanted != connection.registeredEvents else { return }
        do throws(HTTPServerError) {
            try control(LinuxAPI.controlModify, fd: connection.fd, id: connection.id, events: wanted)
            connection.registeredEvents = wanted
        } catch {
            close(connection)
        }
    }

    private func close(_ connection: Connection) {
        guard !connection.isClosed else { return }
        connection.close()
        connections[connection.id] = nil
        context.connectionClosed()
    }

    private func control(_ operation: Int32, fd: Int32, id: UInt64, events: UInt32) throws(HTTPServerError) {
        try Syscall.require("epoll_ctl") { LinuxAPI.epollControl(epollFD, operation, fd, events: events, id: id) }
    }
}
