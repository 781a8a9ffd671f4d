/// A response status code with its reason phrase (RFC 9110 §15).
public struct HTTPStatus: Sendable, Hashable, CustomStringConvertible {
    /// The three-digit status code.
    public let code: Int
    /// The reason phrase sent on the status line; informational only (RFC 9112 §4).
    public let reasonPhrase: String

    /// A status with an explicit reason phrase.
    public init(code: Int, reasonPhrase: String) {
        self.code = code
        self.reasonPhrase = reasonPhrase
    }

    /// A status with the registered reason phrase for `code`, or an empty phrase if unregistered.
    public init(code: Int) {
        self.init(code: code, reasonPhrase: Self.registeredPhrases[code] ?? "")
    }

    /// `"404 Not Found"`, for logs.
    public var description: String { "\(code) \(reasonPhrase)" }

    /// Whether the status is informational (1xx), which never carries content (RFC 9110 §15.2).
    public var isInformational: Bool { (100..<200).contains(code) }

    private static let registeredPhrases: [Int: String] = [
        100: "Continue", 200: "OK", 201: "Created", 204: "No Content",
        301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified",
        307: "Temporary Redirect", 308: "Permanent Redirect",
        400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
        405: "Method Not Allowed", 408: "Request Timeout", 410: "Gone", 411: "Length Required",
        412: "Precondition Failed", 413: "Content Too Large", 414: "URI Too Long",
        415: "Unsupported Media Type", 417: "Expectation Failed", 422: "Unprocessable Content",
        429: "Too Many Requests", 431: "Request Header Fields Too Large",
        500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway",
        503: "Service Unavailable", 504: "Gateway Timeout", 505: "HTTP Version Not Supported",
    ]

    // MARK: Registered statuses (RFC 9110 §15, RFC 6585)

    /// 100 (RFC 9110 §15.2.1).
    public static let `continue` = HTTPStatus(code: 100)
    /// 200 (RFC 9110 §15.3.1).
    public static let ok = HTTPStatus(code: 200)
    /// 201 (RFC 9110 §15.3.2).
    public static let created = HTTPStatus(code: 201)
    /// 204: never has content (RFC 9110 §15.3.5).
    public static let noContent = HTTPStatus(code: 204)
    /// 301 (RFC 9110 §15.4.2).
    public static let movedPermanently = HTTPStatus(code: 301)
    /// 302 (RFC 9110 §15.4.3).
    public static let found = HTTPStatus(code: 302)
    /// 303: the redirect after a successful POST (RFC 9110 §15.4.4).
    public static let seeOther = HTTPStatus(code: 303)
    /// 304: never has content (RFC 9110 §15.4.5).
    public static let notModified = HTTPStatus(code: 304)
    /// 307 (RFC 9110 §15.4.8).
    public static let temporaryRedirect = HTTPStatus(code: 307)
    /// 400 (RFC 9110 §15.5.1).
    public static let badRequest = HTTPStatus(code: 400)
    /// 401 (RFC 9110 §15.5.2).
    public static let unauthorized = HTTPStatus(code: 401)
    /// 403 (RFC 9110 §15.5.4).
    public static let forbidden = HTTPStatus(code: 403)
    /// 404 (RFC 9110 §15.5.5).
    public static let notFound = HTTPStatus(code: 404)
    /// 405: must carry `Allow` (RFC 9110 §15.5.6).
    public static let methodNotAllowed = HTTPStatus(code: 405)
    /// 408 (RFC 9110 §15.5.9).
    public static let requestTimeout = HTTPStatus(code: 408)
    /// 410 (RFC 9110 §15.5.11).
    public static let gone = HTTPStatus(code: 410)
    /// 411 (RFC 9110 §15.5.12).
    public static let lengthRequired = HTTPStatus(code: 411)
    /// 412 (RFC 9110 §15.5.13).
    public static let preconditionFailed = HTTPStatus(code: 412)
    /// 413 (RFC 9110 §15.5.14).
    public static let contentTooLarge = HTTPStatus(code: 413)
    /// 413 under its older name (RFC 7231 "Payload Too Large").
    public static let payloadTooLarge = contentTooLarge
    /// 414 (RFC 9110 §15.5.15).
    public static let uriTooLong = HTTPStatus(code: 414)
    /// 415 (RFC 9110 §15.5.16).
    public static let unsupportedMediaType = HTTPStatus(code: 415)
    /// 417 (RFC 9110 §15.5.18).
    public static let expectationFailed = HTTPStatus(code: 417)
    /// 422 (RFC 9110 §15.5.21).
    public static let unprocessableContent = HTTPStatus(code: 422)
    /// 429 (RFC 6585 §4).
    public static let tooManyRequests = HTTPStatus(code: 429)
    /// 431 (RFC 6585 §5).
    public static let requestHeaderFieldsTooLarge = HTTPStatus(code: 431)
    /// 500 (RFC 9110 §15.6.1).
    public static let internalServerError = HTTPStatus(code: 500)
    /// 501 (RFC 9110 §15.6.2).
    public static let notImplemented = HTTPStatus(code: 501)
    /// 503 (RFC 9110 §15.6.4).
    public static let serviceUnavailable = HTTPStatus(code: 503)
    /// 504 (RFC 9110 §15.6.5).
    public static let gatewayTimeout = HTTPStatus(code: 504)
    /// 505 (RFC 9110 §15.6.6).
    public static let httpVersionNotSupported = HTTPStatus(code: 505)
}
