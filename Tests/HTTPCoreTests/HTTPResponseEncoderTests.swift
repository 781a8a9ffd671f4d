import Foundation
import Testing
@testable import HTTPCore

/// Response framing, standard headers and header-injection defence (checklist 14–16).
@Suite struct HTTPResponseEncoderTests {
    static let date = Date(timeIntervalSince1970: 784_111_777)

    static func encode(_ response: HTTPResponse, method: HTTPMethod = .get, version: HTTPVersion = .http1_1,
                       keepAlive: Bool = true) -> String {
        String(decoding: HTTPResponseEncoder.encode(response, requestMethod: method, version: version,
                                                    keepAlive: keepAlive, date: date), as: UTF8.self)
    }

    @Test func okResponseHasStatusDateLengthAndBody() {
        let text = Self.encode(.text("hi"))
        #expect(text == "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 2\r\n\r\nhi")
    }

    @Test func headKeepsGetContentLengthWithoutBody() {
        let text = Self.encode(.text("hello"), method: .head)
        #expect(text.hasSuffix("Content-Length: 5\r\n\r\n"))
    }

    @Test(arguments: [HTTPStatus.noContent, .notModified, .continue])
    func statusesWithoutContentSendNoBody(_ status: HTTPStatus) {
        let text = Self.encode(HTTPResponse(status: status, headers: ["ETag": "\"1\""], body: Array("x".utf8)))
        #expect(!text.contains("Content-Length"))
        #expect(text.hasSuffix("\r\n\r\n"))
    }

    @Test func handlerFramingHeadersAreReplaced() {
        let response = HTTPResponse(headers: ["Content-Length": "99", "Transfer-Encoding": "chunked",
                                              "Date": "yesterday"], body: Array("abc".utf8))
        let text = Self.encode(response)
        #expect(!text.contains("chunked"))
        #expect(!text.contains("Content-Length: 99"))
        #expect(!text.contains("yesterday"))
        #expect(text.contains("Content-Length: 3\r\n"))
    }

    @Test func closingAddsConnectionClose() {
        #expect(Self.encode(.text("x"), keepAlive: false).contains("Connection: close\r\n"))
        #expect(!Self.encode(.text("x"), keepAlive: true).contains("Connection:"))
    }

    @Test func persistentHTTP10AnswerSaysKeepAlive() {
        #expect(Self.encode(.text("x"), version: .http1_0, keepAlive: true).contains("Connection: keep-alive\r\n"))
    }

    @Test(arguments: [
        ("X-Evil", "a\r\nSet-Cookie: x=1"), ("X-Evil", "a\nb"), ("X-Evil", "a\u{0}b"), ("Bad Name", "v"),
        ("X:Y", "v"), ("", "v"),
    ])
    func unsafeHeaderBecomesA500(_ name: String, _ value: String) {
        let text = Self.encode(HTTPResponse(headers: HTTPHeaders([(name, value)]), body: Array("secret".utf8)))
        #expect(text.hasPrefix("HTTP/1.1 500 Internal Server Error\r\n"))
        #expect(!text.contains("Set-Cookie"))
        #expect(!text.contains("secret"))
    }

    @Test func redirectWithCRLFLocationCannotInject() {
        let text = Self.encode(.redirect(to: "/ok\r\nX-Injected: 1"))
        #expect(text.hasPrefix("HTTP/1.1 500"))
        #expect(!text.contains("X-Injected"))
    }

    @Test(arguments: [
        ("text/html", "text/html; charset=utf-8"), ("text/css; charset=iso-8859-1", "text/css; charset=iso-8859-1"),
        ("application/json", "application/json"), ("TEXT/plain", "TEXT/plain; charset=utf-8"),
    ])
    func textTypesGetADefaultCharset(_ given: String, _ sent: String) {
        #expect(Self.encode(HTTPResponse(headers: ["Content-Type": given])).contains("Content-Type: \(sent)\r\n"))
    }

    @Test func continueResponseIsBare() {
        #expect(HTTPResponseEncoder.continueResponse() == Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
    }

    @Test(arguments: [
        (0.0, "Thu, 01 Jan 1970 00:00:00 GMT"), (784_111_777.0, "Sun, 06 Nov 1994 08:49:37 GMT"),
        (951_782_400.0, "Tue, 29 Feb 2000 00:00:00 GMT"), (1_798_761_599.9, "Thu, 31 Dec 2026 23:59:59 GMT"),
    ])
    func datesAreIMFFixdate(_ seconds: Double, _ expected: String) {
        #expect(HTTPDate.format(Date(timeIntervalSince1970: seconds)) == expected)
    }
}
