/// One complete HTTP request as the parser delivers it: head plus fully read body.
///
/// The body is always complete (bounded by ``HTTPLimits/maxBodyBytes``) before a handler sees the
/// request, so handlers never deal with partial input (RFC 9112 §8: incomplete messages are not processed).
public struct HTTPRequest: Sendable {
    /// The request method (RFC 9110 §9).
    public var method: HTTPMethod
    /// The raw request-target as received: origin-form or `*` (RFC 9112 §3.2).
    public let target: String
    /// The raw, still percent-encoded path of the target, without the query (for an absolute-form
    /// target, without scheme and authority).
    public let path: String
    /// The raw query after the first `?`, without the `?`; nil when the target has none.
    public let query: String?
    /// The protocol version of the request line.
    public var version: HTTPVersion
    /// The header fields in arrival order.
    public var headers: HTTPHeaders
    /// The decoded body (chunked coding removed); empty when the request has none.
    public var body: [UInt8]
    /// The peer's IP address as text, when known.
    public var remoteAddress: String?

    /// Builds a request, deriving ``path`` and ``query`` from `target` at its first `?`.
    public init(method: HTTPMethod, target: String, version: HTTPVersion = .http1_1,
                headers: HTTPHeaders = [:], body: [UInt8] = [], remoteAddress: String? = nil) {
        self.method = method
        self.target = target
        let origin = Self.originForm(of: target)
        if let mark = origin.utf8.firstIndex(of: UInt8(ascii: "?")) {
            path = String(origin[..<mark])
            query = String(origin[origin.utf8.index(after: mark)...])
        } else {
            path = origin
            query = nil
        }
        self.version = version
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
    }

    /// The path-and-query part of an absolute-form target (`http://h/p?q` → `/p?q`, `http://h` → `/`);
    /// other targets unchanged (RFC 9112 §3.2.2).
    private static func originForm(of target: String) -> String {
        guard !target.hasPrefix("/"), let scheme = target.firstRange(of: "://") else { return target }
        let rest = target[scheme.upperBound...]
        let cut = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let origin = String(rest[cut...])
        return origin.hasPrefix("/") ? origin : "/" + origin
    }

    /// The query decoded as `application/x-www-form-urlencoded` pairs, in order (see ``FormData``).
    public func queryItems() -> [(name: String, value: String)] {
        query.map { FormData.decode(Array($0.utf8)) } ?? []
    }

    /// Whether the client allows the connection to persist after this request (RFC 9112 §9.3):
    /// HTTP/1.1 unless `Connection: close`, HTTP/1.0 only with `Connection: keep-alive`.
    public var wantsKeepAlive: Bool {
        switch version {
        case .http1_1: !headers.containsToken("close", in: "Connection")
        case .http1_0: headers.containsToken("keep-alive", in: "Connection")
                && !headers.containsToken("close", in: "Connection")
        }
    }
}
