import Testing
@testable import HTTPCore

/// Routing: parameters, decoding rules, 404, 405 with Allow, HEAD via GET, 501 (checklist 12, 13).
@Suite struct RouterTests {
    static let router: Router = {
        var router = Router()
        router.add(.get, "/", { _, _ in .text("home") })
        router.add(.get, "/q/:token", { _, p in .text("form \(p["token"] ?? "")") })
        router.add(.post, "/q/:token", { _, p in .text("save \(p["token"] ?? "")") })
        router.add(.get, "/q/:token/receipt", { _, p in .text("receipt \(p["token"] ?? "")") })
        router.add(.get, "/static/*path", { _, p in .text("file \(p["path"] ?? "")") })
        router.add(.delete, "/items/:id", { _, _ in HTTPResponse(status: .noContent) })
        router.notFound = { _ in .text("custom 404", status: .notFound) }
        return router
    }()

    static func respond(_ method: HTTPMethod, _ target: String) async -> HTTPResponse {
        await router.respond(to: HTTPRequest(method: method, target: target))
    }

    static func bodyText(_ response: HTTPResponse) -> String {
        String(decoding: response.body, as: UTF8.self)
    }

    @Test(arguments: [
        ("/", "home"), ("/q/abc", "form abc"), ("/q/a%20b", "form a b"), ("/q/abc/receipt", "receipt abc"),
        ("/q/abc?x=1", "form abc"), ("/static/css/site.css", "file css/site.css"), ("/static/a%20b.txt", "file a b.txt"),
        ("/static/", "file "),
    ])
    func matchingRoutesCallTheirHandlerWithDecodedParameters(_ target: String, _ expected: String) async {
        let response = await Self.respond(.get, target)
        #expect(response.status == .ok)
        #expect(Self.bodyText(response) == expected)
    }

    @Test(arguments: ["/nope", "/q", "/q/", "/q/abc/extra", "/Q/abc"])
    func unmatchedPathsGetTheNotFoundHandler(_ target: String) async {
        let response = await Self.respond(.get, target)
        #expect(response.status == .notFound)
        #expect(Self.bodyText(response) == "custom 404")
    }

    @Test(arguments: [
        "/q/a%2Fb", "/q/a%00b", "/q/%zz", "/q/%C3", "/q/a%2fb/receipt",
        "/static/../secret", "/static/%2e%2e/secret", "/static/a/./b", "/static/a%2fb", "/static/a//b", "/static/a%00.css",
    ])
    func unsafeSegmentsAreRefusedWith400(_ target: String) async {
        let response = await Self.respond(.get, target)
        #expect(response.status == .badRequest)
    }

    @Test func wrongMethodGets405WithAllowIncludingHead() async {
        let response = await Self.respond(.put, "/q/abc")
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers["Allow"] == "GET, POST, HEAD")
    }

    @Test func allowWithoutGetHasNoHead() async {
        let response = await Self.respond(.get, "/items/1")
        #expect(response.headers["Allow"] == "DELETE")
    }

    @Test func headIsAnsweredByTheGetHandler() async {
        let response = await Self.respond(.head, "/q/abc")
        #expect(response.status == .ok)
        #expect(Self.bodyText(response) == "form abc")
    }

    @Test func unknownMethodGets501() async {
        let response = await Self.respond(HTTPMethod(rawValue: "BREW"), "/")
        #expect(response.status == .notImplemented)
    }

    @Test func matchExposesTheTemplateForLogging() throws {
        let match = try #require(Self.router.match(HTTPRequest(method: .get, target: "/q/secret-token/receipt")))
        #expect(match.template == "/q/:token/receipt")
        #expect(match.parameters["token"] == "secret-token")
    }

    @Test func defaultNotFoundIsPlain404() async {
        let response = await Router().respond(to: HTTPRequest(method: .get, target: "/"))
        #expect(response.status == .notFound)
    }
}
