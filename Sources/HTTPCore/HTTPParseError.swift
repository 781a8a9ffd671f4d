/// Why a request could not be parsed; each case maps to one response status.
///
/// Every parse error is a framing error: after the error response the connection is closed,
/// because the position of the next message can no longer be trusted (RFC 9112 §9.3, §11.2).
public enum HTTPParseError: Error, Sendable, Equatable {
    /// The request line exceeded the limit before its end → 414 (RFC 9112 §3, RFC 9110 §15.5.15).
    case requestLineTooLong(limit: Int)
    /// The request line is not `method SP target SP version` with single spaces → 400 (RFC 9112 §3).
    case malformedRequestLine(reason: String)
    /// The method is not a token → 400 (RFC 9110 §9.1).
    case invalidMethod
    /// The target is not origin-form (or `*` for OPTIONS) → 400 (RFC 9112 §3.2).
    case invalidTarget(reason: String)
    /// A well-formed version other than 1.0/1.1 → 505 (RFC 9110 §15.6.6).
    case unsupportedVersion(String)
    /// A CR not followed by LF → 400 (RFC 9112 §2.2).
    case bareCarriageReturn
    /// A field line that is not `token ":" OWS value OWS` → 400 (RFC 9112 §5.1).
    case malformedField(reason: String)
    /// A line starting with whitespace: obs-fold, or whitespace before the first field → 400 (RFC 9112 §2.2, §5.2).
    case obsoleteLineFolding
    /// One field line exceeded the limit → 431 (RFC 6585 §5).
    case fieldLineTooLong(limit: Int)
    /// The field section exceeded its byte limit → 431.
    case headerSectionTooLarge(limit: Int)
    /// More field lines than allowed → 431.
    case tooManyFields(limit: Int)
    /// HTTP/1.1 without `Host` → 400 (RFC 9112 §3.2).
    case missingHost
    /// More than one `Host` field → 400 (RFC 9112 §3.2).
    case multipleHosts
    /// A `Host` value that is not `uri-host [":" port]` → 400 (RFC 9110 §7.2).
    case invalidHost(String)
    /// Both `Transfer-Encoding` and `Content-Length` → 400 (RFC 9112 §6.1, §11.2).
    case contentLengthWithTransferEncoding
    /// `Content-Length` not `1*DIGIT` or overflowing → 400 (RFC 9110 §8.6).
    case invalidContentLength(String)
    /// More than one `Content-Length` field or list element, even identical ones → 400.
    case multipleContentLengths
    /// `Transfer-Encoding` in an HTTP/1.0 request → 400 (RFC 9112 §6.1).
    case transferEncodingInHTTP10
    /// `chunked` is missing, not final, or repeated → 400 (RFC 9112 §6.3).
    case chunkedNotFinal(String)
    /// A transfer coding other than `chunked` before the final `chunked` → 501 (RFC 9112 §6.1).
    case unsupportedTransferCoding(String)
    /// The declared or decoded body exceeds the limit → 413 (RFC 9110 §15.5.14).
    case bodyTooLarge(limit: Int)
    /// A chunk size that is not `1*HEXDIG` or overflows → 400 (RFC 9112 §7.1).
    case invalidChunkSize(reason: String)
    /// A chunk extension that is malformed or longer than the limit → 400 (RFC 9112 §7.1.1).
    case invalidChunkExtension(limit: Int)
    /// Chunk data not followed by CRLF → 400 (RFC 9112 §7.1).
    case missingChunkDataTerminator
    /// The trailer section exceeded its limit → 431 (RFC 9112 §7.1.2).
    case trailerSectionTooLarge(limit: Int)
    /// An `Expect` other than `100-continue` → 417 (RFC 9110 §10.1.1).
    case unsupportedExpectation(String)

    /// The status of the error response sent before closing.
    public var status: HTTPStatus {
        switch self {
        case .requestLineTooLong: .uriTooLong
        case .unsupportedVersion: .httpVersionNotSupported
        case .fieldLineTooLong, .headerSectionTooLarge, .tooManyFields, .trailerSectionTooLarge:
            .requestHeaderFieldsTooLarge
        case .unsupportedTransferCoding: .notImplemented
        case .bodyTooLarge: .contentTooLarge
        case .unsupportedExpectation: .expectationFailed
        case .malformedRequestLine, .invalidMethod, .invalidTarget, .bareCarriageReturn, .malformedField,
             .obsoleteLineFolding, .missingHost, .multipleHosts, .invalidHost, .contentLengthWithTransferEncoding,
             .invalidContentLength, .multipleContentLengths, .transferEncodingInHTTP10, .chunkedNotFinal,
             .invalidChunkSize, .invalidChunkExtension, .missingChunkDataTerminator:
            .badRequest
        }
    }
}
