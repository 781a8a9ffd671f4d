/// A response as a handler returns it: status, headers and the complete body.
///
/// Framing headers (`Content-Length`, `Transfer-Encoding`, `Connection`, `Date`) are owned by
/// ``HTTPResponseEncoder``, which replaces any a handler sets (RFC 9112 §6.1).
public struct HTTPResponse: Sendable {
    /// The status code and phrase.
    public var status: HTTPStatus
    /// Header fields in the order they will be written.
    public var headers: HTTPHeaders
    /// The complete content; dropped on the wire for HEAD, 1xx, 204 and 304 (RFC 9110 §6.4.1).
    public var body: [UInt8]

    /// A response with explicit parts.
    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    // MARK: Conveniences

    /// A UTF-8 `text/plain` response.
    public static func text(_ string: String, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: Array(string.utf8))
    }

    /// A UTF-8 `text/html` response.
    public static func html(_ string: String, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "text/html; charset=utf-8"], body: Array(string.utf8))
    }

    /// A JSON response from already serialised text (e.g. `application/fhir+json` via `contentType`).
    public static func json(_ string: String, status: HTTPStatus = .ok,
                            contentType: String = "application/json") -> HTTPResponse {
        json(Array(string.utf8), status: status, contentType: contentType)
    }

    /// A JSON response from already serialised bytes.
    public static func json(_ bytes: [UInt8], status: HTTPStatus = .ok,
                            contentType: String = "application/json") -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": contentType], body: bytes)
    }

    /// A redirect to `location` (303 by default: the answer to a POST, RFC 9110 §15.4.4).
    ///
    /// `location` must already be a valid URI reference; a CR/LF in it makes the encoder send 500.
    public static func redirect(to location: String, status: HTTPStatus = .seeOther) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Location": location])
    }
}
