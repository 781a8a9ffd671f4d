/// An HTTP request method, kept as its case-sensitive token (RFC 9110 §9.1).
///
/// A struct rather than an enum so that any syntactically valid method reaches the router,
/// which answers methods it does not know with 501 (RFC 9110 §9.1, §15.6.2).
public struct HTTPMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The method token exactly as received, e.g. `GET`.
    public let rawValue: String

    /// Wraps a method token; the parser has already checked it is a token (RFC 9110 §5.6.2).
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// The method token, for logs.
    public var description: String { rawValue }

    // MARK: Standard methods (RFC 9110 §9.3, RFC 5789)

    /// `GET` (RFC 9110 §9.3.1).
    public static let get = HTTPMethod(rawValue: "GET")
    /// `HEAD`: GET's headers without a body (RFC 9110 §9.3.2).
    public static let head = HTTPMethod(rawValue: "HEAD")
    /// `POST` (RFC 9110 §9.3.3).
    public static let post = HTTPMethod(rawValue: "POST")
    /// `PUT` (RFC 9110 §9.3.4).
    public static let put = HTTPMethod(rawValue: "PUT")
    /// `DELETE` (RFC 9110 §9.3.5).
    public static let delete = HTTPMethod(rawValue: "DELETE")
    /// `CONNECT` (RFC 9110 §9.3.6); never routed by this server.
    public static let connect = HTTPMethod(rawValue: "CONNECT")
    /// `OPTIONS` (RFC 9110 §9.3.7).
    public static let options = HTTPMethod(rawValue: "OPTIONS")
    /// `TRACE` (RFC 9110 §9.3.8); never routed by this server.
    public static let trace = HTTPMethod(rawValue: "TRACE")
    /// `PATCH` (RFC 5789).
    public static let patch = HTTPMethod(rawValue: "PATCH")

    /// The methods this server recognises; any other token is answered with 501 (RFC 9110 §9.1).
    public static let standard: Set<HTTPMethod> = [.get, .head, .post, .put, .delete, .connect, .options, .trace, .patch]
}
