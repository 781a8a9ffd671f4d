import Testing
@testable import HTTPCore

/// Parser behaviour beyond single-outcome fixtures: field storage, pipelining, limits, events.
@Suite struct HTTPRequestParserTests {
    @Test func fieldsKeepOrderAndCaseAndTrimValues() throws {
        let raw = [UInt8]("GET /a?b=c HTTP/1.1\r\nHost: x\r\nX-One:  1 \t\r\nx-one: 2\r\nAccept: */*\r\n\r\n")
        let request = try #require(ParserDriver.requests(raw).requests.first)
        #expect(request.headers.map(\.name) == ["Host", "X-One", "x-one", "Accept"])
        #expect(request.headers["X-ONE"] == "1")
        #expect(request.headers.values(for: "x-one") == ["1", "2"])
        #expect(request.path == "/a")
        #expect(request.query == "b=c")
    }

    @Test func absoluteFormAuthorityReplacesHost() throws {
        let raw = [UInt8]("GET http://example.org:8080/q/a?x=1 HTTP/1.1\r\nHost: other\r\n\r\n")
        let request = try #require(ParserDriver.requests(raw).requests.first)
        #expect(request.headers.values(for: "Host") == ["example.org:8080"])
        #expect(request.path == "/q/a")
        #expect(request.query == "x=1")
    }

    @Test(arguments: [
        ("/a/b?c", "/a/b", "c"), ("/a", "/a", nil), ("*", "*", nil), ("http://h", "/", nil), ("http://h?q", "/", "q"),
        ("https://h:1/p/q", "/p/q", nil), ("/a?", "/a", ""),
    ] as [(String, String, String?)])
    func requestDerivesPathAndQueryFromTheTarget(_ target: String, _ path: String, _ query: String?) {
        let request = HTTPRequest(method: .get, target: target)
        #expect(request.path == path)
        #expect(request.query == query)
    }

    @Test func pipelinedRequestsAreDeliveredInOrder() {
        let raw = [UInt8]("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nokGET /3 HTTP/1.1\r\nHost: a\r\n\r\n")
        let result = ParserDriver.requests(raw)
        #expect(result.requests.map(\.target) == ["/1", "/2", "/3"])
        #expect(result.requests[1].body == [UInt8]("ok"))
        #expect(result.error == nil)
    }

    @Test func errorIsStickyAfterTheFirstFailure() {
        var parser = HTTPRequestParser()
        parser.append([UInt8]("GET / HTTP/1.1\r\nHost : a\r\n\r\n"))
        #expect(throws: HTTPParseError.malformedField(reason: "whitespace before colon")) { try parser.next() }
        parser.append([UInt8]("GET / HTTP/1.1\r\nHost: a\r\n\r\n"))
        #expect(throws: HTTPParseError.self) { try parser.next() }
    }

    @Test func decodedChunkTotalCountsAgainstTheBodyCap() {
        let limits = HTTPLimits(maxBodyBytes: 5)
        let raw = [UInt8]("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n")
        #expect(ParserDriver.run(raw, byteByByte: false, limits: limits).outcome == .rejected(status: 413))
    }

    @Test func bodyExactlyAtTheCapIsAccepted() {
        let limits = HTTPLimits(maxBodyBytes: 5)
        let raw = [UInt8]("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello")
        #expect(ParserDriver.run(raw, byteByByte: false, limits: limits).outcome
            == .accepted(method: "POST", target: "/", body: [UInt8]("hello"), keepAlive: true))
    }

    @Test func oversizedContentLengthFailsBeforeAnyBodyByteArrives() throws {
        var parser = HTTPRequestParser(limits: HTTPLimits(maxBodyBytes: 10))
        parser.append([UInt8]("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n"))
        #expect(throws: HTTPParseError.bodyTooLarge(limit: 10)) { try parser.next() }
    }

    @Test func overlongPartialLineFailsWithoutItsEnd() {
        var parser = HTTPRequestParser(limits: HTTPLimits(maxRequestLineBytes: 16))
        parser.append([UInt8]("GET /" + String(repeating: "a", count: 20)))
        #expect(throws: HTTPParseError.requestLineTooLong(limit: 16)) { try parser.next() }
    }

    @Test func headerCountLimitIsExact() {
        let limits = HTTPLimits(maxHeaderCount: 2)
        let two = [UInt8]("GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n\r\n")
        let three = [UInt8]("GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\nY: 2\r\n\r\n")
        #expect(ParserDriver.run(two, byteByByte: false, limits: limits).outcome
            == .accepted(method: "GET", target: "/", body: [], keepAlive: true))
        #expect(ParserDriver.run(three, byteByByte: false, limits: limits).outcome == .rejected(status: 431))
    }

    @Test func continueIsReportedOnceBeforeTheBodyOnly() {
        let withBody = [UInt8]("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi")
        let withoutBody = [UInt8]("GET / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n")
        #expect(ParserDriver.run(withBody, byteByByte: true).continueEvents == 1)
        #expect(ParserDriver.run(withoutBody, byteByByte: false).continueEvents == 0)
    }

    @Test func progressMovesFromIdleToHeadToBody() throws {
        var parser = HTTPRequestParser()
        #expect(parser.progress == .idle)
        parser.append([UInt8]("POST / HTTP/1.1\r\nHost: a\r\n"))
        _ = try parser.next()
        #expect(parser.progress == .head)
        parser.append([UInt8]("Content-Length: 3\r\n\r\na"))
        _ = try parser.next()
        #expect(parser.progress == .body)
        parser.append([UInt8]("bc"))
        guard case .request = try parser.next() else { Issue.record("expected a request"); return }
        #expect(parser.progress == .idle)
    }

    @Test func remoteAddressIsCopiedIntoRequests() throws {
        var parser = HTTPRequestParser(remoteAddress: "192.0.2.1")
        parser.append([UInt8]("GET / HTTP/1.1\r\nHost: a\r\n\r\n"))
        guard case .request(let request) = try parser.next() else { Issue.record("expected a request"); return }
        #expect(request.remoteAddress == "192.0.2.1")
    }

    @Test(arguments: [
        ("example.org", true), ("example.org:80", true), ("127.0.0.1", true), ("[::1]", true), ("[::1]:8080", true),
        ("", true), ("a:", true), ("a b", false), ("[::1", false), ("[zz]", false), ("a:8o", false),
        ("user@a", false), ("a/b", false), ("[::1]x", false),
    ])
    func hostValidation(_ host: String, _ valid: Bool) {
        #expect(HTTPRequestParser.isValidHost(Array(host.utf8)) == valid)
    }
}
