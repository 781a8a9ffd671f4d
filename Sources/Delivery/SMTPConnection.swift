import Glibc

/// One TCP connection to an SMTP relay: a non-blocking socket on which every wait goes through
/// `poll(2)` with a deadline, so no read, write or connect can block longer than its timeout.
///
/// Used by one ``SMTPRelay/send(_:)`` call on one thread and never shared; the socket is
/// closed in `deinit`.
final class SMTPConnection {
    /// Bytes asked of the kernel per `recv`.
    private static let receiveChunkOctets = 4_096

    private let fd: Int32
    private let timeouts: SMTPTimeouts
    /// Bytes received but not yet consumed as lines.
    private var received: [UInt8] = []

    /// Resolves `host` and connects to the first of its addresses that accepts within
    /// `timeouts.connect` (the deadline covers all addresses together).
    init(host: String, port: Int, timeouts: SMTPTimeouts) throws(DeliveryError) {
        self.timeouts = timeouts
        fd = try Self.connect(host: host, port: port, timeout: timeouts.connect)
    }

    deinit {
        Glibc.close(fd)
    }

    // MARK: Conversation

    /// Sends `bytes` completely; fails when the relay reads nothing for `timeouts.write`.
    func write(_ bytes: [UInt8], at stage: SMTPStage) throws(DeliveryError) {
        var offset = 0
        var deadline = ContinuousClock.now + timeouts.write
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { buffer in
                Glibc.send(fd, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent >= 0 {
                offset += sent
                deadline = ContinuousClock.now + timeouts.write
                continue
            }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK:
                try Self.wait(fd, for: Int16(POLLOUT), until: deadline, stage: stage, timeout: timeouts.write)
            case EPIPE, ECONNRESET: throw .connectionClosed(stage)
            case let code: throw .systemCall(name: "send", errno: code)
            }
        }
    }

    /// Reads one reply, which must be complete within `timeout`.
    func reply(at stage: SMTPStage, timeout: Duration) throws(DeliveryError) -> SMTPReply {
        let deadline = ContinuousClock.now + timeout
        return try SMTPReply.read(at: stage) { () throws(DeliveryError) -> [UInt8] in
            try readLine(at: stage, until: deadline, timeout: timeout)
        }
    }

    /// The next line without its line ending (CRLF, or a bare LF from a lenient server).
    private func readLine(at stage: SMTPStage, until deadline: ContinuousClock.Instant, timeout: Duration) throws(DeliveryError) -> [UInt8] {
        while true {
            if let newline = received.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(received[..<newline])
                received.removeSubrange(...newline)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return line
            }
            guard received.count <= SMTPReply.maximumLineOctets else {
                throw .malformedReply(stage, detail: "reply line longer than \(SMTPReply.maximumLineOctets) bytes")
            }
            try receive(at: stage, until: deadline, timeout: timeout)
        }
    }

    /// Appends at least one received byte to `received`.
    private func receive(at stage: SMTPStage, until deadline: ContinuousClock.Instant, timeout: Duration) throws(DeliveryError) {
        var chunk = [UInt8](repeating: 0, count: Self.receiveChunkOctets)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received.append(contentsOf: chunk[..<count])
                return
            }
            if count == 0 { throw .connectionClosed(stage) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK:
                try Self.wait(fd, for: Int16(POLLIN), until: deadline, stage: stage, timeout: timeout)
            case ECONNRESET: throw .connectionClosed(stage)
            case let code: throw .systemCall(name: "recv", errno: code)
            }
        }
    }

    // MARK: Connecting

    private static func connect(host: String, port: Int, timeout: Duration) throws(DeliveryError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var addresses: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &addresses)
        guard status == 0, let first = addresses else {
            throw .unresolvableHost(host, detail: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(addresses) }
        let deadline = ContinuousClock.now + timeout
        var failure = DeliveryError.connectionFailed(host: host, port: port, errno: ECONNREFUSED)
        var next: UnsafeMutablePointer<addrinfo>? = first
        while let address = next {
            next = address.pointee.ai_next
            do {
                return try connect(to: address.pointee, until: deadline, timeout: timeout, host: host, port: port)
            } catch {
                failure = error
            }
        }
        throw failure
    }

    /// Connects a new non-blocking socket to one resolved address, closing it on failure.
    private static func connect(to address: addrinfo, until deadline: ContinuousClock.Instant, timeout: Duration,
                                host: String, port: Int) throws(DeliveryError) -> Int32 {
        let flags = Int32(SOCK_CLOEXEC.rawValue | SOCK_NONBLOCK.rawValue)
        let fd = socket(address.ai_family, address.ai_socktype | flags, address.ai_protocol)
        guard fd >= 0 else { throw .systemCall(name: "socket", errno: errno) }
        do throws(DeliveryError) {
            guard Glibc.connect(fd, address.ai_addr, address.ai_addrlen) != 0 else { return fd }
            // A connect interrupted by a signal goes on in the background, like EINPROGRESS.
            guard errno == EINPROGRESS || errno == EINTR else {
                throw .connectionFailed(host: host, port: port, errno: errno)
            }
            try wait(fd, for: Int16(POLLOUT), until: deadline, stage: .connect, timeout: timeout)
            var code: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length) == 0 else {
                throw .systemCall(name: "getsockopt", errno: errno)
            }
            guard code == 0 else { throw .connectionFailed(host: host, port: port, errno: code) }
            return fd
        } catch {
            Glibc.close(fd)
            throw error
        }
    }

    // MARK: Waiting

    /// Waits until `fd` is ready for `events` (or has an error to report), or throws
    /// ``DeliveryError/timedOut(_:after:)`` naming the configured `timeout` once `deadline` passes.
    private static func wait(_ fd: Int32, for events: Int16, until deadline: ContinuousClock.Instant,
                             stage: SMTPStage, timeout: Duration) throws(DeliveryError) {
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { throw .timedOut(stage, after: timeout) }
            var descriptor = pollfd(fd: fd, events: events, revents: 0)
            let milliseconds = Int32(min(Double(Int32.max), (remaining.inSeconds * 1_000).rounded(.up)))
            let ready = poll(&descriptor, 1, milliseconds)
            if ready > 0 { return }
            if ready < 0, errno != EINTR { throw .systemCall(name: "poll", errno: errno) }
        }
    }
}
