import Foundation
import Glibc
import HTTPCore
@testable import HTTPServer
import Testing

/// Live-server behaviour over loopback sockets: persistence, pipelining, timeouts, caps, drain.
@Suite struct HTTPServerTests {
    static let get = "GET /a HTTP/1.1\r\nHost: t\r\n\r\n"

    // MARK: Persistence and pipelining

    @Test func keepAliveConnectionServesSeveralRequests() async throws {
        let client = try #require(TestClient(port: TestServer.shared.port))
        for target in ["/1", "/2", "/3"] {
            client.send("GET \(target) HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try #require(await client.readResponse())
            #expect(response.header("X-Target") == target)
            #expect(!response.closes)
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let client = try #require(TestClient(port: TestServer.shared.port))
        client.send("GET /1 HTTP/1.1\r\nHost: t\r\n\r\nPOST /2 HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc"
                    + "GET /3 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        let responses = TestResponse.parseAll(await client.readToEnd())
        #expect(responses.map { $0.header("X-Target") } == ["/1", "/2", "/3"])
        #expect(responses.map(\.bodyText) == ["", "abc", ""])
    }

    @Test func chunkedUploadIsDecoded() async throws {
        let client = try #require(TestClient(port: TestServer.shared.port))
        client.send("POST /up HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n")
        let response = try #require(await client.readResponse())
        #expect(response.bodyText == "Wikipedia")
    }

    @Test func headGetsHeadersWithoutBody() async throws {
        let client = try #require(TestClient(port: TestServer.shared.port))
        client.send("HEAD /h HTTP/1.1\r\nHost: t\r\n\r\nGET /after HTTP/1.1\r\nHost: t\r\n\r\n")
        let head = try #require(await client.readResponse(bodyless: true))
        #expect(head.header("Content-Length") == "5")
        let next = try #require(await client.readResponse())
        #expect(next.header("X-Target") == "/after")
    }

    @Test func continueIsSentBeforeTheBodyIsRead() async throws {
        let client = try #require(TestClient(port: TestServer.shared.port))
        client.send("POST /c HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
        let interim = try #require(await client.readResponse())
        #expect(interim.status == 100)
        client.send("hello")
        let final = try #require(await client.readResponse())
        #expect(final.status == 200)
        #expect(final.bodyText == "hello")
    }

    @Test func manyConcurrentClientsAreAllServed() async throws {
        let port = TestServer.shared.port
        let served = await withTaskGroup(of: Int.self) { group in
            for client in 0..<40 {
                group.addTask {
                    guard let connection = TestClient(port: port) else { return 0 }
                    var count = 0
                    for request in 0..<5 {
                        connection.send("GET /c\(client)/\(request) HTTP/1.1\r\nHost: t\r\n\r\n")
                        if await connection.readResponse()?.header("X-Target") == "/c\(client)/\(request)" { count += 1 }
                    }
                    return count
                }
            }
            return await group.reduce(0, +)
        }
        #expect(served == 200)
    }

    // MARK: Timeouts

    @Test func tricklingHeadIsCutOffAtTheHeadDeadline() async throws {
        let client = try #require(TestClient(port: TestServer.shortTimeouts.port))
        client.send("GET / HTTP/1.1\r\nHost: t\r\nX-Slow: ")
        var answered = false
        for _ in 0..<200 {
            if await client.isReadable(withinMilliseconds: 25) {
                answered = true
                break
            }
            guard client.send("a") else { break }
        }
        #expect(answered)
        let response = TestResponse.parseAll(await client.readToEnd()).first
        #expect(response?.status == 408)
        #expect(response?.closes == true)
    }

    @Test func stalledBodyIsAnswered408AndClosed() async throws {
        let client = try #require(TestClient(port: TestServer.shortTimeouts.port))
        client.send("POST /b HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc")
        let response = TestResponse.parseAll(await client.readToEnd()).first
        #expect(response?.status == 408)
        #expect(response?.closes == true)
    }

    @Test func idleKeepAliveConnectionIsClosed() async throws {
        let client = try #require(TestClient(port: TestServer.shortTimeouts.port))
        client.send(Self.get)
        _ = try #require(await client.readResponse())
        #expect(await client.isClosedByServer())
    }

    @Test func silentConnectionIsClosedWithoutAResponse() async throws {
        let client = try #require(TestClient(port: TestServer.shortTimeouts.port))
        #expect(await client.isClosedByServer())
    }

    @Test func slowHandlerGets503() async throws {
        let gate = Gate()
        let (server, port) = try TestServer.start(responder: GatedResponder(gate: gate)) {
            $0.handlerTimeout = .milliseconds(100)
        }
        let client = try #require(TestClient(port: port))
        client.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n")
        let response = try #require(await client.readResponse())
        #expect(response.status == 503)
        #expect(response.closes)
        gate.open()
        await server.shutdown()
    }

    @Test func requestsAfterConnectionCloseAreNotAnswered() async throws {
        let client = try #require(TestClient(port: TestServer.shared.port))
        client.send("GET /1 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\nGET /2 HTTP/1.1\r\nHost: t\r\n\r\n")
        let responses = TestResponse.parseAll(await client.readToEnd())
        #expect(responses.map { $0.header("X-Target") } == ["/1"])
    }

    // MARK: Routing over the wire

    static let router: Router = {
        var router = Router()
        router.add(.get, "/page/:id", { _, parameters in .html("<p>\(parameters["id"] ?? "")</p>") })
        return router
    }()

    @Test(arguments: [
        ("GET /page/7 HTTP/1.1\r\nHost: t\r\n\r\n", 200, nil),
        ("PUT /page/7 HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n", 405, "GET, HEAD"),
        ("BREW /page/7 HTTP/1.1\r\nHost: t\r\n\r\n", 501, nil),
        ("GET /nothing HTTP/1.1\r\nHost: t\r\n\r\n", 404, nil),
        ("GET /page/a%2Fb HTTP/1.1\r\nHost: t\r\n\r\n", 400, nil),
    ] as [(String, Int, String?)])
    func routerAnswersOverTheWire(_ request: String, _ status: Int, _ allow: String?) async throws {
        let (server, port) = try TestServer.start(responder: Self.router)
        let client = try #require(TestClient(port: port))
        client.send(request)
        let response = try #require(await client.readResponse())
        #expect(response.status == status)
        #expect(response.header("Allow") == allow)
        #expect(!response.closes)
        await server.shutdown()
    }

    @Test func headThroughTheRouterKeepsGetLength() async throws {
        let (server, port) = try TestServer.start(responder: Self.router)
        let client = try #require(TestClient(port: port))
        client.send("HEAD /page/7 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        let bytes = await client.readToEnd()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(text.contains("Content-Length: 8\r\n"))
        #expect(text.hasSuffix("\r\n\r\n"))
        await server.shutdown()
    }

    // MARK: Resources

    @Test func connectionsBeyondTheCapAreClosedAtOnce() async throws {
        let (server, port) = try TestServer.start { $0.maxConnections = 2; $0.keepAliveTimeout = .seconds(5) }
        let first = try #require(TestClient(port: port))
        let second = try #require(TestClient(port: port))
        for client in [first, second] {
            client.send(Self.get)
            _ = try #require(await client.readResponse())
        }
        let third = try #require(TestClient(port: port))
        #expect(await third.isClosedByServer())
        first.send(Self.get)
        #expect(await first.readResponse()?.status == 200)
        await server.shutdown()
    }

    @Test func clientVanishingMidResponseDoesNotHurtTheServer() async throws {
        do {
            let client = try #require(TestClient(port: TestServer.shared.port))
            var zero = linger(l_onoff: 1, l_linger: 0)
            setsockopt(client.fd, SOL_SOCKET, SO_LINGER, &zero, socklen_t(MemoryLayout<linger>.size))
            client.send("GET /big HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(await client.isReadable(withinMilliseconds: 2000))
        }
        let next = try #require(TestClient(port: TestServer.shared.port))
        next.send(Self.get)
        #expect(await next.readResponse()?.status == 200)
    }

    @Test func largeResponseIsWrittenCompletely() async throws {
        let client = try #require(TestClient(port: TestServer.shared.port))
        client.send("GET /big HTTP/1.1\r\nHost: t\r\n\r\n")
        let response = try #require(await client.readResponse())
        #expect(response.body.count == 8 * 1024 * 1024)
    }

    @Test func remoteAddressReachesTheResponder() async throws {
        struct AddressResponder: HTTPResponder {
            func respond(to request: HTTPRequest) async -> HTTPResponse { .text(request.remoteAddress ?? "none") }
        }
        let (server, port) = try TestServer.start(responder: AddressResponder())
        let client = try #require(TestClient(port: port))
        client.send(Self.get)
        #expect(await client.readResponse()?.bodyText == "127.0.0.1")
        await server.shutdown()
    }

    // MARK: Shutdown

    @Test func gracefulShutdownDrainsInFlightRequestsAndRefusesNewOnes() async throws {
        let gate = Gate()
        let (server, port) = try TestServer.start(responder: GatedResponder(gate: gate)) {
            $0.keepAliveTimeout = .seconds(5)
        }
        let busy = try #require(TestClient(port: port))
        let idle = try #require(TestClient(port: port))
        idle.send(Self.get)
        _ = try #require(await idle.readResponse())
        busy.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(await gate.waitForArrivals(1))

        let stopping = Task { await server.shutdown() }
        #expect(await idle.isClosedByServer())
        var refused = false
        for _ in 0..<100 where !refused {
            refused = TestClient(port: port) == nil
            if !refused { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(refused)

        gate.open()
        let response = try #require(await busy.readResponse())
        #expect(response.bodyText == "slow done")
        #expect(response.closes)
        #expect(await busy.isClosedByServer())
        await stopping.value
    }

    @Test func shutdownForceClosesAtTheGraceDeadline() async throws {
        let gate = Gate()
        let (server, port) = try TestServer.start(responder: GatedResponder(gate: gate)) {
            $0.shutdownGracePeriod = .milliseconds(100)
        }
        let client = try #require(TestClient(port: port))
        client.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(await gate.waitForArrivals(1))
        await server.shutdown()
        #expect(await client.isClosedByServer())
        gate.open()
    }

    @Test func terminationSignalIsCaughtThenDefaultIsRestored() async throws {
        let waiter = try TerminationSignal.install()
        kill(getpid(), SIGTERM)
        #expect(await waiter.wait() == SIGTERM)
        var current = sigaction()
        sigaction(SIGTERM, nil, &current)
        #expect(current.__sigaction_handler.sa_handler == nil, "SIG_DFL is the null handler")
    }

    // MARK: Start-up

    @Test func ipv6LoopbackServes() async throws {
        let (server, port) = try TestServer.start { $0.host = "::1" }
        let client = try #require(TestClient(port: port, host: "::1"))
        client.send(Self.get)
        #expect(await client.readResponse()?.status == 200)
        await server.shutdown()
    }

    @Test func nonNumericHostIsRefused() {
        let server = HTTPServer(configuration: TestServer.configuration { $0.host = "localhost" }, responder: EchoResponder())
        #expect(throws: HTTPServerError.invalidAddress("localhost")) { try server.start() }
    }

    @Test func serverStartsOnlyOnce() async throws {
        let (server, _) = try TestServer.start()
        #expect(throws: HTTPServerError.alreadyStarted) { try server.start() }
        await server.shutdown()
        server.waitUntilStopped()
    }

    @Test func occupiedPortIsReportedWithTheFailingCall() {
        let server = HTTPServer(configuration: TestServer.configuration { $0.port = TestServer.shared.port },
                                responder: EchoResponder())
        #expect(throws: HTTPServerError.systemCall(name: "bind", errno: EADDRINUSE)) { try server.start() }
    }
}
