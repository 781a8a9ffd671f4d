import Testing
@testable import HTTPCore

/// Header storage: order, case-insensitive lookup, list elements (checklist 5).
@Suite struct HTTPHeadersTests {
    @Test func lookupIgnoresCase() {
        let headers: HTTPHeaders = ["Content-Type": "text/html", "X-A": "1"]
        #expect(headers["content-type"] == "text/html")
        #expect(headers.contains("x-a"))
        #expect(!headers.contains("x-b"))
    }

    @Test func setReplacesAllAndKeepsFirstPosition() {
        var headers = HTTPHeaders([("A", "1"), ("B", "2"), ("a", "3")])
        headers.set("A", "9")
        #expect(headers.map(\.name) == ["A", "B"])
        #expect(headers.values(for: "a") == ["9"])
    }

    @Test func addKeepsRepeatsAndRemoveDropsThemAll() {
        var headers = HTTPHeaders()
        headers.add("Set-Cookie", "a=1")
        headers.add("Set-Cookie", "b=2")
        #expect(headers.values(for: "set-cookie") == ["a=1", "b=2"])
        headers.remove("SET-COOKIE")
        #expect(headers.count == 0)
    }

    @Test func listElementsCombineLinesAndDropEmpties() {
        let headers = HTTPHeaders([("Connection", "keep-alive, , Upgrade"), ("connection", " close ")])
        #expect(headers.listElements(for: "Connection") == ["keep-alive", "Upgrade", "close"])
        #expect(headers.containsToken("CLOSE", in: "connection"))
    }

    @Test(arguments: [
        (HTTPVersion.http1_1, nil, true), (.http1_1, "close", false), (.http1_1, "Keep-Alive, Close", false),
        (.http1_0, nil, false), (.http1_0, "keep-alive", true), (.http1_0, "Keep-Alive", true),
    ] as [(HTTPVersion, String?, Bool)])
    func persistenceFollowsVersionAndConnection(_ version: HTTPVersion, _ connection: String?, _ keepAlive: Bool) {
        let headers = connection.map { HTTPHeaders([("Connection", $0)]) } ?? [:]
        #expect(HTTPRequest(method: .get, target: "/", version: version, headers: headers).wantsKeepAlive == keepAlive)
    }
}
