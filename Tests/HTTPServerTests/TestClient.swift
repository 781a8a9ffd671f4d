import Foundation
import Glibc

/// A minimal HTTP client over raw blocking POSIX sockets, for talking to the live server byte-exactly.
///
/// Blocking reads run on a thread of their own, never on Swift's cooperative pool (nor Dispatch's
/// width-limited global queue, which backs it on Linux), because the server's handler tasks need it. `@unchecked Sendable`: each client is used by one test, one call at a time.
final class TestClient: @unchecked Sendable {
    let fd: Int32
    private var pending: [UInt8] = []

    /// Connects to `host:port`, or returns nil if the connection is refused.
    /// Reads time out after `timeoutSeconds`, so a broken server fails a test instead of hanging it.
    init?(port: Int, host: String = "127.0.0.1", timeoutSeconds: Int = 5) {
        let isV6 = host.contains(":")
        fd = socket(isV6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected: Int32
        if isV6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = UInt16(port).bigEndian
            inet_pton(AF_INET6, host, &address.sin6_addr)
            connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(port).bigEndian
            inet_pton(AF_INET, host, &address.sin_addr)
            connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        // A signal (the termination-signal test sends SIGTERM to this process) can interrupt
        // connect(); the connection then completes in the background, so wait for it.
        guard connected == 0 || (errno == EINTR && Self.finishInterruptedConnect(fd)) else {
            Glibc.close(fd)
            return nil
        }
    }

    deinit {
        Glibc.close(fd)
    }

    /// Waits for an interrupted connect() to finish and reports whether it succeeded.
    private static func finishInterruptedConnect(_ fd: Int32) -> Bool {
        var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        guard poll(&descriptor, 1, 5_000) == 1 else { return false }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error == 0
    }

    /// Sends all bytes; false if the peer is gone.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    @discardableResult
    func send(_ text: String) -> Bool {
        send(Array(text.utf8))
    }

    /// Half-closes: the server sees end of input after the bytes sent.
    func shutdownWrite() {
        shutdown(fd, Int32(SHUT_WR))
    }

    /// Reads one chunk into the pending buffer; false on end of stream, error or timeout.
    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return false }
        pending.append(contentsOf: chunk[..<count])
        return true
    }

    /// Runs blocking socket work off the cooperative pool.
    private func offPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: body()) }.start()
        }
    }

    /// Everything until the server closes (or the read timeout).
    func readToEnd() async -> [UInt8] {
        await offPool { self.blockingReadToEnd() }
    }

    private func blockingReadToEnd() -> [UInt8] {
        while fill() {}
        defer { pending = [] }
        return pending
    }

    /// Whether the server closed the connection (end of stream or reset) with no further bytes.
    func isClosedByServer() async -> Bool {
        await offPool { self.blockingIsClosedByServer() }
    }

    private func blockingIsClosedByServer() -> Bool {
        var byte: UInt8 = 0
        let count = read(fd, &byte, 1)
        return pending.isEmpty && (count == 0 || (count < 0 && errno == ECONNRESET))
    }

    /// Waits up to `milliseconds` for something to read (data or close).
    func isReadable(withinMilliseconds milliseconds: Int32) async -> Bool {
        await offPool { self.blockingIsReadable(milliseconds) }
    }

    private func blockingIsReadable(_ milliseconds: Int32) -> Bool {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, milliseconds) > 0
    }

    /// Reads exactly one response (skipping nothing); `bodyless` for HEAD requests.
    func readResponse(bodyless: Bool = false) async -> TestResponse? {
        await offPool { self.blockingReadResponse(bodyless) }
    }

    private func blockingReadResponse(_ bodyless: Bool) -> TestResponse? {
        while true {
            if let (response, used) = TestResponse.parse(pending, bodyless: bodyless) {
                pending.removeFirst(used)
                return response
            }
            guard fill() else { return nil }
        }
    }
}
