import Glibc
import Synchronization

/// The bound, listening TCP socket shared by all event loops; closed exactly once.
///
/// Every loop registers it in its own epoll with `EPOLLEXCLUSIVE`, so one incoming connection wakes
/// one loop rather than all of them (chosen over `SO_REUSEPORT`, which would need one socket per loop
/// and can strand queued connections of a closed socket during shutdown).
final class ListeningSocket: Sendable {
    /// The listening descriptor (`SOCK_NONBLOCK | SOCK_CLOEXEC`).
    let fd: Int32
    /// The bound port (the kernel's choice when 0 was configured).
    let port: Int
    private let isClosed = Mutex(false)

    /// Creates, binds (with `SO_REUSEADDR`) and listens.
    init(host: String, port: Int) throws(HTTPServerError) {
        let address = try SocketAddress(host: host, port: port)
        let type = Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue)
        let fd = try Syscall.require("socket") { socket(address.family, type, 0) }
        do throws(HTTPServerError) {
            var enable: Int32 = 1
            try Syscall.require("setsockopt(SO_REUSEADDR)") {
                setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &enable, socklen_t(MemoryLayout<Int32>.size))
            }
            try Syscall.require("bind") { address.withSockaddr { bind(fd, $0, $1) } }
            try Syscall.require("listen") { listen(fd, SOMAXCONN) }
            self.port = try SocketAddress.localPort(of: fd)
            self.fd = fd
        } catch {
            Glibc.close(fd)
            throw error
        }
    }

    /// Closes the socket; later calls do nothing. New connections are refused from here on.
    func close() {
        let wasClosed = isClosed.withLock { closed in
            defer { closed = true }
            return closed
        }
        if !wasClosed { Glibc.close(fd) }
    }

    deinit {
        close()
    }
}
