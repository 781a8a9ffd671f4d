import Glibc

/// Why the server could not start or a system call failed.
public enum HTTPServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A system call failed; `name` is the call (`bind`, `accept4`, …) and `errno` its error number.
    case systemCall(name: String, errno: Int32)
    /// The configured host is not a numeric IPv4 or IPv6 address.
    case invalidAddress(String)
    /// `start()` was called on a server that was already started or stopped.
    case alreadyStarted

    /// `bind: Address already in use (errno 98)`.
    public var description: String {
        switch self {
        case .systemCall(let name, let code):
            "\(name): \(String(cString: strerror(code))) (errno \(code))"
        case .invalidAddress(let host):
            "invalid listen address \(host): use a numeric IPv4 or IPv6 address such as 127.0.0.1 or ::1"
        case .alreadyStarted:
            "the server was already started"
        }
    }
}
