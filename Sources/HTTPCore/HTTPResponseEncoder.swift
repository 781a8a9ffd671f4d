import Foundation

/// Serialises a response for one request: status line, framing headers, body (RFC 9112 §4, §6).
///
/// The encoder owns the framing headers: it removes any `Content-Length`, `Transfer-Encoding`,
/// `Connection` or `Date` a handler set and writes its own, so a handler can never frame a message
/// wrongly. Every header is checked before writing; a name that is not a token or a value with
/// CR, LF, NUL or another control makes the whole response a generic 500 instead (RFC 9112 §11.1).
public enum HTTPResponseEncoder {
    /// Headers the encoder writes itself.
    private static let framingHeaders = ["Content-Length", "Transfer-Encoding", "Connection", "Date"]

    /// The bytes of `response` answering a request with `requestMethod` and `version`.
    ///
    /// - Parameters:
    ///   - keepAlive: false adds `Connection: close`; true on HTTP/1.0 adds `Connection: keep-alive` (RFC 9112 §9.3).
    ///   - date: the wall-clock time for the `Date` header (RFC 9110 §6.6.1), injected for tests.
    public static func encode(_ response: HTTPResponse, requestMethod: HTTPMethod, version: HTTPVersion,
                              keepAlive: Bool, date: Date) -> [UInt8] {
        let safe = hasValidHeaders(response) ? response : HTTPResponse.text("Internal Server Error\n", status: .internalServerError)
        var headers = safe.headers
        framingHeaders.forEach { headers.remove($0) }
        headers.add("Date", HTTPDate.format(date))
        if !keepAlive {
            headers.add("Connection", "close")
        } else if version == .http1_0 {
            headers.add("Connection", "keep-alive")
        }
        let code = safe.status.code
        // RFC 9110 §8.6, §15.3.5: no Content-Length in 1xx and 204; 304 omits it rather than risk a wrong value.
        let mayHaveLength = !safe.status.isInformational && code != 204 && code != 304
        if mayHaveLength {
            headers.add("Content-Length", String(safe.body.count))
        }
        if let contentType = headers["Content-Type"] {
            headers.set("Content-Type", withDefaultCharset(contentType))
        }
        // RFC 9110 §9.3.2, §15.4.5: HEAD and 304 keep the headers but send no content.
        let sendsBody = mayHaveLength && requestMethod != .head
        return head(status: safe.status, headers: headers) + (sendsBody ? safe.body : [])
    }

    /// `HTTP/1.1 100 Continue` followed by an empty line (RFC 9110 §15.2.1).
    public static func continueResponse() -> [UInt8] {
        Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
    }

    private static func head(status: HTTPStatus, headers: HTTPHeaders) -> [UInt8] {
        var text = "HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\n"
        for (name, value) in headers {
            text += "\(name): \(value)\r\n"
        }
        text += "\r\n"
        return Array(text.utf8)
    }

    /// Whether every header name is a token and every value is free of controls (RFC 9110 §5.1, §5.5).
    static func hasValidHeaders(_ response: HTTPResponse) -> Bool {
        let phraseIsSafe = response.status.reasonPhrase.utf8.allSatisfy(HTTPSyntax.isFieldValueByte)
        let codeIsValid = (100...999).contains(response.status.code)
        return phraseIsSafe && codeIsValid && response.headers.allSatisfy { name, value in
            HTTPSyntax.isToken(name.utf8) && value.utf8.allSatisfy(HTTPSyntax.isFieldValueByte)
        }
    }

    /// Adds `; charset=utf-8` to `text/*` types that lack a charset (RFC 9110 §8.3.1).
    private static func withDefaultCharset(_ contentType: String) -> String {
        let lowered = contentType.lowercased()
        guard lowered.hasPrefix("text/"), !lowered.contains("charset=") else { return contentType }
        return contentType + "; charset=utf-8"
    }
}
