/// The HTTP versions this server speaks (RFC 9112 §2.3); anything else is answered with 505.
public enum HTTPVersion: Sendable, Hashable, CustomStringConvertible {
    /// `HTTP/1.0`: connections close unless the client asks for `keep-alive` (RFC 9112 §9.3).
    case http1_0
    /// `HTTP/1.1`: connections persist unless either side sends `close` (RFC 9112 §9.3).
    case http1_1

    /// The protocol name as written on the wire, e.g. `HTTP/1.1`.
    public var description: String {
        switch self {
        case .http1_0: "HTTP/1.0"
        case .http1_1: "HTTP/1.1"
        }
    }
}
