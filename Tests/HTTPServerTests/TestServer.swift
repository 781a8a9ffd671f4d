import HTTPCore
import HTTPServer

/// Starts servers on 127.0.0.1 port 0. Their timeouts are generous (5 s), so a test that does not
/// test a timeout cannot trip one on a loaded machine; the tests of the timeouts themselves use
/// `shortTimeouts` (500 ms: each such test stays under a second).
enum TestServer {
    static func configuration(_ adjust: (inout HTTPServerConfiguration) -> Void = { _ in }) -> HTTPServerConfiguration {
        var configuration = HTTPServerConfiguration(
            host: "127.0.0.1", port: 0, eventLoopCount: 2,
            headerTimeout: .seconds(5), bodyTimeout: .seconds(5), keepAliveTimeout: .seconds(5),
            writeTimeout: .seconds(5), shutdownGracePeriod: .seconds(2), lingerTimeout: .milliseconds(200))
        adjust(&configuration)
        return configuration
    }

    static func start(responder: any HTTPResponder = EchoResponder(),
                      _ adjust: (inout HTTPServerConfiguration) -> Void = { _ in }) throws -> (server: HTTPServer, port: Int) {
        let server = HTTPServer(configuration: configuration(adjust), responder: responder)
        return (server, try server.start())
    }

    /// One server shared by the corpus and other stateless tests; it lives as long as the test process.
    static let shared: (server: HTTPServer, port: Int) = startShared { _ in }

    /// A shared server whose head, body and keep-alive timeouts are 500 ms, for the timeout tests.
    static let shortTimeouts: (server: HTTPServer, port: Int) = startShared {
        $0.headerTimeout = .milliseconds(500)
        $0.bodyTimeout = .milliseconds(500)
        $0.keepAliveTimeout = .milliseconds(500)
    }

    private static func startShared(_ adjust: (inout HTTPServerConfiguration) -> Void) -> (server: HTTPServer, port: Int) {
        do {
            return try start(adjust)
        } catch {
            fatalError("cannot start a shared test server: \(error)")
        }
    }
}
