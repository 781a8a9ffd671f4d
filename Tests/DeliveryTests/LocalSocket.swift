import Glibc

/// A TCP socket bound to a free port on 127.0.0.1, for the failures a real relay cannot be
/// asked to produce: not listening (connections are refused) or listening but never accepting
/// (the kernel completes the handshake, and then nothing is ever said).
///
/// `@unchecked Sendable`: the descriptor and port never change after `init`; the socket is
/// closed in `deinit`.
final class LocalSocket: @unchecked Sendable {
    let port: Int
    let fd: Int32

    init(listening: Bool) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        self.fd = fd
        guard fd >= 0 else { throw SocketFailure(call: "socket", code: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw SocketFailure(call: "bind", code: errno) }
        if listening {
            guard listen(fd, 4) == 0 else { throw SocketFailure(call: "listen", code: errno) }
        }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw SocketFailure(call: "getsockname", code: errno) }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit {
        close(fd)
    }

    struct SocketFailure: Error {
        let call: String
        let code: Int32
    }
}
