import Foundation
import Glibc
import HTTPServer
import Testing

/// The whole-body deadline (`HTTPServerConfiguration.bodyTotalTimeout`): a body that trickles in
/// steadily enough never to trip the idle `bodyTimeout` is still answered 408 and closed.
@Suite struct BodyDeadlineTests {
    /// A server whose idle body timeout (5 s) is far longer than the trickle's gaps (50 ms) and
    /// whose whole-body deadline is 500 ms, so only the new deadline can end the request.
    static let server: (server: HTTPServer, port: Int) = {
        do {
            return try TestServer.start { $0.bodyTotalTimeout = .milliseconds(500) }
        } catch {
            fatalError("cannot start the body-deadline test server: \(error)")
        }
    }()

    @Test func tricklingBodyIsAnswered408AndClosed() async throws {
        let client = try #require(TestClient(port: Self.server.port))
        client.send("POST /b HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n")
        let trickler = Thread {
            for _ in 0..<1000 {
                guard client.send("x") else { return }
                usleep(50_000)
            }
        }
        trickler.start()
        let response = TestResponse.parseAll(await client.readToEnd()).first
        #expect(response?.status == 408)
        #expect(response?.closes == true)
    }

    @Test func bodyWithinTheDeadlineIsServed() async throws {
        let client = try #require(TestClient(port: Self.server.port))
        client.send("POST /b HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc")
        let response = try #require(await client.readResponse())
        #expect(response.status == 200)
    }
}
