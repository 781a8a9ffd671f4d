import HTTPCore
import HTTPServer

/// Starts servers on 127.0.0.1 port 0 with short timeouts (500 ms: short enough that each test stays
/// under a second, long enough not to expire under a loaded machine where a test does not want it to).
enum TestServer {
    static func configuration(_ adjust: (inout HTTPServerConfiguration) -> Void = { _ in }) -> HTTPServerConfiguration {
        var configuration = HTTPServerConfiguration(
            host: "127.0.0.1", port: 0, eventLoopCount: 2,
            headerTimeout: .milliseconds(500), bodyTimeout: .milliseconds(500), keepAliveTimeout: .milliseconds(500),
            writeTimeout: .seconds(2), shutdownGracePeriod: .seconds(2), lingerTimeout: .milliseconds(200))
        adjust(&configuration)
        return configuration
    }

    static func start(responder: any HTTPResponder = EchoResponder(),
                      _ adjust: (inout HTTPServerConfiguration) -> Void = { _ in }) throws -> (server: HTTPServer, port: Int) {
        let server = HTTPServer(configuration: configuration(adjust), responder: responder)
        return (server, try server.start())
    }

    /// One server shared by the corpus and other stateless tests; it lives as long as the test process.
    static let shared: (server: HTTPServer, port: Int) = {
        do {
            return try start()
        } catch {
            fatalError("cannot start the shared test server: \(error)")
        }
    }()
}
