/// Test data, not used by the server: raw requests, each with its one expected outcome.
///
/// One table serves both the parser tests (HTTPCoreTests) and the live-server tests
/// (HTTPServerTests); SwiftPM test targets cannot share files, so the table lives here behind
/// `package` access, invisible to other packages. Numbers refer to items of HTTP-CHECKLIST.md.
package enum HTTPConformanceCorpus {
    /// What must happen to a case's bytes.
    package enum Outcome: Sendable, Equatable {
        /// A request is delivered with these fields; `keepAlive` says whether the connection persists.
        case accepted(method: String, target: String, body: [UInt8], keepAlive: Bool)
        /// The request is refused with this status, and the connection closes.
        case rejected(status: Int)
        /// The bytes end before the message does: nothing is delivered or answered (RFC 9112 §8).
        case incomplete
    }

    /// One fixture.
    package struct Case: Sendable, CustomStringConvertible {
        /// What the case checks.
        package let name: String
        /// The HTTP-CHECKLIST.md item it covers.
        package let item: Int
        /// The exact bytes the client sends.
        package let raw: [UInt8]
        /// The expected outcome.
        package let outcome: Outcome

        /// `"[7] CL then TE"`, for test output.
        package var description: String { "[\(item)] \(name)" }
    }

    /// The limits the corpus assumes: the defaults.
    package static let limits = HTTPLimits()

    private static func accept(_ name: String, _ item: Int, _ raw: String, method: String = "GET", target: String = "/",
                               body: String = "", keepAlive: Bool = true) -> Case {
        Case(name: name, item: item, raw: Array(raw.utf8),
             outcome: .accepted(method: method, target: target, body: Array(body.utf8), keepAlive: keepAlive))
    }

    private static func reject(_ name: String, _ item: Int, _ raw: String, _ status: Int) -> Case {
        Case(name: name, item: item, raw: Array(raw.utf8), outcome: .rejected(status: status))
    }

    private static func rejectBytes(_ name: String, _ item: Int, _ raw: [UInt8], _ status: Int) -> Case {
        Case(name: name, item: item, raw: raw, outcome: .rejected(status: status))
    }

    private static func incomplete(_ name: String, _ item: Int, _ raw: String) -> Case {
        Case(name: name, item: item, raw: Array(raw.utf8), outcome: .incomplete)
    }

    private static let long = String(repeating: "a", count: 9000)
    private static let post = "POST /p HTTP/1.1\r\nHost: a\r\n"

    /// Every fixture, grouped by checklist item.
    package static let cases: [Case] = requestLine + lineEndings + fieldLines + headerLimits + host
        + bodyLength + chunked + expectAndIncomplete

    private static let requestLine: [Case] = [
        accept("minimal GET", 1, "GET / HTTP/1.1\r\nHost: a\r\n\r\n"),
        accept("target with query", 1, "GET /s?q=a%20b&x=1 HTTP/1.1\r\nHost: a\r\n\r\n", target: "/s?q=a%20b&x=1"),
        accept("HTTP/1.0 closes by default", 1, "GET / HTTP/1.0\r\n\r\n", keepAlive: false),
        accept("HTTP/1.0 keep-alive persists", 17, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"),
        accept("HTTP/1.1 Connection: close", 17, "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", keepAlive: false),
        accept("unknown method token reaches the router", 12, "BREW /pot HTTP/1.1\r\nHost: a\r\n\r\n", method: "BREW", target: "/pot"),
        accept("asterisk-form for OPTIONS", 1, "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", method: "OPTIONS", target: "*"),
        reject("asterisk-form for GET", 1, "GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        reject("two spaces after method", 1, "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        reject("two spaces before version", 1, "GET /  HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        reject("tab as separator", 1, "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        reject("space after version", 1, "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400),
        reject("leading space before method", 1, " GET / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        reject("method is not a token", 1, "G(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        reject("HTTP/0.9 request line without version", 1, "GET /\r\n\r\n", 400),
        reject("lowercase protocol name", 1, "GET / http/1.1\r\nHost: a\r\n\r\n", 400),
        reject("HTTP/2.0 is not supported", 1, "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505),
        reject("HTTP/1.2 is not supported", 1, "GET / HTTP/1.2\r\nHost: a\r\n\r\n", 505),
        accept("absolute-form target", 1, "GET http://a/x?y=1 HTTP/1.1\r\nHost: a\r\n\r\n", target: "http://a/x?y=1"),
        accept("absolute-form without path", 1, "GET HTTPS://a:8443 HTTP/1.1\r\nHost: b\r\n\r\n", target: "HTTPS://a:8443"),
        reject("absolute-form with userinfo", 1, "GET http://u@a/ HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        reject("absolute-form with empty authority", 1, "GET http:///x HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        reject("absolute-form with other scheme", 1, "GET ftp://a/ HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        reject("absolute-form still needs Host", 6, "GET http://a/ HTTP/1.1\r\n\r\n", 400),
        reject("authority-form target", 1, "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n", 400),
        reject("malformed percent-encoding in target", 1, "GET /%zz HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        reject("non-ASCII byte in target", 1, "GET /\u{E9} HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        rejectBytes("control byte in target", 1, Array("GET /a".utf8) + [0x01] + Array("b HTTP/1.1\r\nHost: a\r\n\r\n".utf8), 400),
        reject("over-long target", 1, "GET /\(long) HTTP/1.1\r\nHost: a\r\n\r\n", 414),
    ]

    private static let lineEndings: [Case] = [
        accept("bare LF line endings", 2, "GET / HTTP/1.1\nHost: a\n\n"),
        accept("one empty line before the request", 2, "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"),
        reject("two empty lines before the request", 2, "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        reject("bare CR ends the request line", 2, "GET / HTTP/1.1\rHost: a\r\n\r\n", 400),
        reject("bare CR inside a field value", 2, "GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", 400),
        reject("whitespace before the first field", 2, "GET / HTTP/1.1\r\n Host: a\r\n\r\n", 400),
    ]

    private static let fieldLines: [Case] = [
        accept("OWS around value is allowed", 3, "GET / HTTP/1.1\r\nHost: a\r\nX-T: \t v \t\r\n\r\n"),
        accept("obs-text in value is allowed", 3, "GET / HTTP/1.1\r\nHost: a\r\nX-T: caf\u{E9}\r\n\r\n"),
        reject("space before colon", 3, "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400),
        reject("tab before colon", 3, "GET / HTTP/1.1\r\nHost\t: a\r\n\r\n", 400),
        reject("empty field name", 3, "GET / HTTP/1.1\r\nHost: a\r\n: v\r\n\r\n", 400),
        reject("field name not a token", 3, "GET / HTTP/1.1\r\nHost: a\r\nX(y): v\r\n\r\n", 400),
        reject("field line without colon", 3, "GET / HTTP/1.1\r\nHost: a\r\nX-T v\r\n\r\n", 400),
        reject("NUL in field value", 3, "GET / HTTP/1.1\r\nHost: a\r\nX-T: a\u{0}b\r\n\r\n", 400),
        reject("DEL in field value", 3, "GET / HTTP/1.1\r\nHost: a\r\nX-T: a\u{7F}b\r\n\r\n", 400),
        reject("vertical tab in field value", 3, "GET / HTTP/1.1\r\nHost: a\r\nX-T: a\u{0B}b\r\n\r\n", 400),
        reject("obs-fold with space", 3, "GET / HTTP/1.1\r\nHost: a\r\nX-T: a\r\n b\r\n\r\n", 400),
        reject("obs-fold with tab", 3, "GET / HTTP/1.1\r\nHost: a\r\nX-T: a\r\n\tb\r\n\r\n", 400),
    ]

    private static let headerLimits: [Case] = [
        reject("too many fields", 4, "GET / HTTP/1.1\r\nHost: a\r\n"
               + (0..<100).map { "X-\($0): v\r\n" }.joined() + "\r\n", 431),
        reject("field line too long", 4, "GET / HTTP/1.1\r\nHost: a\r\nX-Long: \(long)\r\n\r\n", 431),
        reject("field section too large", 4, "GET / HTTP/1.1\r\nHost: a\r\n"
               + (0..<3).map { "X-\($0): \(String(repeating: "b", count: 6000))\r\n" }.joined() + "\r\n", 431),
    ]

    private static let host: [Case] = [
        accept("host with port", 6, "GET / HTTP/1.1\r\nHost: example.org:8080\r\n\r\n"),
        accept("IPv6 literal host", 6, "GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n"),
        accept("empty host value", 6, "GET / HTTP/1.1\r\nHost:\r\n\r\n"),
        reject("HTTP/1.1 without host", 6, "GET / HTTP/1.1\r\n\r\n", 400),
        reject("two host fields", 6, "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        reject("two host fields in HTTP/1.0", 6, "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        reject("host with space", 6, "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400),
        reject("host with userinfo", 6, "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", 400),
        reject("host with non-numeric port", 6, "GET / HTTP/1.1\r\nHost: a:80x\r\n\r\n", 400),
        reject("host list", 6, "GET / HTTP/1.1\r\nHost: a, b\r\n\r\n", 400),
    ]

    private static let bodyLength: [Case] = [
        accept("Content-Length body", 7, post + "Content-Length: 5\r\n\r\nhello", method: "POST", target: "/p", body: "hello"),
        accept("Content-Length zero", 7, post + "Content-Length: 0\r\n\r\n", method: "POST", target: "/p"),
        accept("no length means empty body", 7, post + "\r\n", method: "POST", target: "/p"),
        reject("Content-Length then Transfer-Encoding", 7,
               post + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        reject("Transfer-Encoding then Content-Length", 7,
               post + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n", 400),
        reject("chunked not final", 7, post + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n", 400),
        reject("chunked twice", 7, post + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", 400),
        reject("unknown coding before chunked", 7, post + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501),
        reject("identity before chunked", 7, post + "Transfer-Encoding: identity, chunked\r\n\r\n0\r\n\r\n", 501),
        reject("second TE line makes gzip final", 7,
               post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n0\r\n\r\n", 400),
        reject("TE xchunked", 7, post + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n", 400),
        reject("TE with parameter", 7, post + "Transfer-Encoding: chunked;q=1\r\n\r\n0\r\n\r\n", 400),
        reject("empty TE", 7, post + "Transfer-Encoding:\r\n\r\n", 400),
        reject("TE in HTTP/1.0", 7, "POST /p HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        accept("TE Chunked is case-insensitive", 7, post + "Transfer-Encoding: Chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n",
               method: "POST", target: "/p", body: "hi"),
        accept("TE with tab OWS", 7, post + "Transfer-Encoding:\tchunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n",
               method: "POST", target: "/p", body: "hi"),
        reject("Content-Length with plus sign", 7, post + "Content-Length: +5\r\n\r\nhello", 400),
        reject("negative Content-Length", 7, post + "Content-Length: -5\r\n\r\nhello", 400),
        reject("Content-Length with inner space", 7, post + "Content-Length: 1 0\r\n\r\nhello", 400),
        reject("hex Content-Length", 7, post + "Content-Length: 0x5\r\n\r\nhello", 400),
        reject("empty Content-Length", 7, post + "Content-Length:\r\n\r\n", 400),
        reject("overflowing Content-Length", 7, post + "Content-Length: 99999999999999999999999\r\n\r\n", 400),
        reject("differing Content-Length fields", 7, post + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400),
        reject("identical Content-Length fields", 7, post + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello", 400),
        reject("Content-Length list", 7, post + "Content-Length: 5, 5\r\n\r\nhello", 400),
        reject("declared body over the cap", 9, post + "Content-Length: 1048577\r\n\r\n", 413),
    ]

    private static let te = post + "Transfer-Encoding: chunked\r\n\r\n"

    private static let chunked: [Case] = [
        accept("one chunk", 8, te + "5\r\nhello\r\n0\r\n\r\n", method: "POST", target: "/p", body: "hello"),
        accept("several chunks", 8, te + "3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n", method: "POST", target: "/p", body: "hello"),
        accept("uppercase hex size", 8, te + "A\r\n0123456789\r\n0\r\n\r\n", method: "POST", target: "/p", body: "0123456789"),
        accept("chunk extension", 8, te + "2;name=value\r\nhi\r\n0\r\n\r\n", method: "POST", target: "/p", body: "hi"),
        accept("trailers are discarded", 8, te + "2\r\nhi\r\n0\r\nX-Trailer: t\r\n\r\n", method: "POST", target: "/p", body: "hi"),
        accept("chunked with bare LF", 8, te + "2\nhi\n0\n\n", method: "POST", target: "/p", body: "hi"),
        reject("chunk extension too long", 8, te + "2;\(String(repeating: "e", count: 300))\r\nhi\r\n0\r\n\r\n", 400),
        reject("chunk extension without semicolon", 8, te + "2 x\r\nhi\r\n0\r\n\r\n", 400),
        reject("non-hex chunk size", 8, te + "g\r\nhi\r\n0\r\n\r\n", 400),
        reject("empty chunk size", 8, te + "\r\nhi\r\n0\r\n\r\n", 400),
        reject("signed chunk size", 8, te + "+2\r\nhi\r\n0\r\n\r\n", 400),
        reject("leading space in chunk size", 8, te + " 2\r\nhi\r\n0\r\n\r\n", 400),
        reject("overflowing chunk size", 8, te + "fffffffffffffffff\r\nhi\r\n0\r\n\r\n", 400),
        reject("chunk over the body cap", 9, te + "100001\r\nhi\r\n0\r\n\r\n", 413),
        reject("chunk data without CRLF", 8, te + "2\r\nhiX0\r\n\r\n", 400),
        reject("chunk data longer than size", 8, te + "2\r\nhello\r\n0\r\n\r\n", 400),
        reject("obs-fold in trailer", 8, te + "0\r\nX: a\r\n b\r\n\r\n", 400),
        reject("trailer section too large", 8, te + "0\r\nX: \(String(repeating: "t", count: 5000))\r\n\r\n", 431),
    ]

    private static let expectAndIncomplete: [Case] = [
        accept("Expect 100-continue with body", 10, post + "Expect: 100-continue\r\nContent-Length: 2\r\n\r\nhi",
               method: "POST", target: "/p", body: "hi"),
        accept("Expect ignored in HTTP/1.0", 10,
               "POST /p HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi",
               method: "POST", target: "/p", body: "hi", keepAlive: false),
        reject("unknown expectation", 10, post + "Expect: teapot\r\nContent-Length: 2\r\n\r\nhi", 417),
        reject("Expect 100-continue with body over the cap", 10,
               post + "Expect: 100-continue\r\nContent-Length: 2000000\r\n\r\n", 413),
        incomplete("nothing sent", 11, ""),
        incomplete("head without its end", 11, "GET / HTTP/1.1\r\nHost: a\r\n"),
        incomplete("body shorter than Content-Length", 11, post + "Content-Length: 10\r\n\r\nhello"),
        incomplete("chunked without last chunk", 11, te + "2\r\nhi\r\n"),
        incomplete("chunked without end of trailers", 11, te + "0\r\n"),
    ]
}
