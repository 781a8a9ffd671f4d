import Glibc
@testable import HTTPServer
import Testing

/// Accept-error policy and listen-address parsing (checklist 22).
@Suite struct AcceptAndAddressTests {
    @Test(arguments: [
        (ECONNABORTED, EventLoop.AcceptFailure.retry), (EPROTO, .retry), (EPERM, .retry),
        (EMFILE, .backOff), (ENFILE, .backOff), (ENOBUFS, .backOff), (ENOMEM, .backOff), (EBADF, .backOff),
    ])
    func acceptErrorsRetryOrBackOffButNeverStop(_ code: Int32, _ expected: EventLoop.AcceptFailure) {
        #expect(EventLoop.acceptFailure(code) == expected)
    }

    @Test(arguments: [("127.0.0.1", AF_INET), ("0.0.0.0", AF_INET), ("::1", AF_INET6), ("::", AF_INET6)])
    func numericHostsParse(_ host: String, _ family: Int32) throws {
        #expect(try SocketAddress(host: host, port: 80).family == family)
    }

    @Test(arguments: [("localhost", 80), ("127.0.0.1", 65_536), ("127.0.0.1", -1), ("1.2.3", 80)])
    func invalidAddressesAreRefused(_ host: String, _ port: Int) {
        #expect(throws: HTTPServerError.self) { try SocketAddress(host: host, port: port) }
    }
}
