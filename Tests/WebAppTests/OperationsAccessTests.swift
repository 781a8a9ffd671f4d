import HTTPCore
import Testing
@testable import WebApp

/// One request to `/metrics` and what it may see.
struct MetricsAccessCase: Sendable, CustomTestStringConvertible {
    let peer: String?
    let headers: [(String, String)]
    let token: String?
    let trustedProxy: String?
    let expected: OperationsAccess.Decision
    let why: String

    var testDescription: String { why }
}

@Suite struct OperationsAccessTests {
    static let cases: [MetricsAccessCase] = [
        .init(peer: "127.0.0.1", headers: [], token: nil, trustedProxy: nil, expected: .allowed, why: "IPv4 loopback"),
        .init(peer: "127.8.9.10", headers: [], token: nil, trustedProxy: nil, expected: .allowed, why: "all of 127/8 is loopback"),
        .init(peer: "::1", headers: [], token: nil, trustedProxy: nil, expected: .allowed, why: "IPv6 loopback"),
        .init(peer: "::ffff:127.0.0.1", headers: [], token: nil, trustedProxy: nil, expected: .allowed,
              why: "IPv4 loopback seen on a dual-stack socket"),
        .init(peer: "10.0.0.8", headers: [], token: nil, trustedProxy: nil, expected: .forbidden,
              why: "a remote client without a configured token is forbidden"),
        .init(peer: "::ffff:10.0.0.8", headers: [], token: nil, trustedProxy: nil, expected: .forbidden,
              why: "a mapped remote address is not loopback"),
        .init(peer: nil, headers: [], token: nil, trustedProxy: nil, expected: .forbidden, why: "an unknown peer is not loopback"),
        .init(peer: "10.0.0.8", headers: [], token: "s3cret", trustedProxy: nil, expected: .unauthorized,
              why: "a remote client must present the token"),
        .init(peer: "10.0.0.8", headers: [("Authorization", "Bearer s3cret")], token: "s3cret", trustedProxy: nil,
              expected: .allowed, why: "the right token opens the metrics"),
        .init(peer: "10.0.0.8", headers: [("Authorization", "bearer   s3cret")], token: "s3cret", trustedProxy: nil,
              expected: .allowed, why: "the scheme is case-insensitive"),
        .init(peer: "10.0.0.8", headers: [("Authorization", "Bearer s3cre")], token: "s3cret", trustedProxy: nil,
              expected: .unauthorized, why: "a prefix of the token is refused"),
        .init(peer: "10.0.0.8", headers: [("Authorization", "Bearer s3cretX")], token: "s3cret", trustedProxy: nil,
              expected: .unauthorized, why: "a longer token is refused"),
        .init(peer: "10.0.0.8", headers: [("Authorization", "Basic s3cret")], token: "s3cret", trustedProxy: nil,
              expected: .unauthorized, why: "only the Bearer scheme carries the token"),
        .init(peer: "10.0.0.8", headers: [("Authorization", "Bearer ")], token: "s3cret", trustedProxy: nil,
              expected: .unauthorized, why: "an empty credential is refused"),
        .init(peer: "127.0.0.1", headers: [("X-Forwarded-For", "203.0.113.9")], token: nil, trustedProxy: nil,
              expected: .forbidden, why: "loopback carrying X-Forwarded-For came through a proxy we do not trust"),
        .init(peer: "127.0.0.1", headers: [("Forwarded", "for=203.0.113.9")], token: nil, trustedProxy: nil,
              expected: .forbidden, why: "loopback carrying Forwarded came through a proxy we do not trust"),
        .init(peer: "127.0.0.1", headers: [("X-Forwarded-For", "203.0.113.9")], token: nil, trustedProxy: "127.0.0.1",
              expected: .forbidden, why: "behind the trusted proxy the forwarded client decides"),
        .init(peer: "127.0.0.1", headers: [("X-Forwarded-For", "127.0.0.1, 203.0.113.9")], token: nil,
              trustedProxy: "127.0.0.1", expected: .forbidden, why: "a loopback address the client wrote first proves nothing"),
        .init(peer: "127.0.0.1", headers: [("X-Forwarded-For", "203.0.113.9"), ("X-Forwarded-For", "127.0.0.1")], token: nil,
              trustedProxy: "127.0.0.1", expected: .allowed, why: "the address the proxy appended last is the client"),
        .init(peer: "127.0.0.1", headers: [], token: nil, trustedProxy: "127.0.0.1", expected: .allowed,
              why: "a connection from the proxy's address without X-Forwarded-For is a local client (a scraper)"),
        .init(peer: "192.0.2.1", headers: [], token: nil, trustedProxy: "192.0.2.1", expected: .forbidden,
              why: "a remote proxy's own requests are remote"),
        .init(peer: "192.0.2.1", headers: [("X-Forwarded-For", "::1")], token: nil, trustedProxy: "192.0.2.1",
              expected: .allowed, why: "a remote trusted proxy forwarding its own loopback client"),
        .init(peer: "192.0.2.7", headers: [("X-Forwarded-For", "127.0.0.1")], token: nil, trustedProxy: "192.0.2.1",
              expected: .forbidden, why: "X-Forwarded-For from another peer is not believed"),
        .init(peer: "127.0.0.1", headers: [("X-Forwarded-For", "203.0.113.9")], token: "s3cret", trustedProxy: "127.0.0.1",
              expected: .unauthorized, why: "a proxied remote client needs the token"),
        .init(peer: "127.0.0.1", headers: [("X-Forwarded-For", "203.0.113.9"), ("Authorization", "Bearer s3cret")],
              token: "s3cret", trustedProxy: "127.0.0.1", expected: .allowed, why: "and the token works through the proxy"),
    ]

    @Test(arguments: cases)
    func metricsAccessFollowsPeerProxyAndToken(_ example: MetricsAccessCase) {
        let hooks = OperationsHooks(metricsToken: example.token, trustedProxy: example.trustedProxy)
        let access = OperationsAccess(token: hooks.metricsToken, trustedProxy: hooks.trustedProxy)
        let request = HTTPRequest(method: .get, target: "/metrics", headers: HTTPHeaders(example.headers + [("Host", "x")]),
                                  remoteAddress: example.peer)
        #expect(access.decide(request) == example.expected)
    }

    @Test(arguments: [
        ("127.0.0.1", true), ("10.20.30.40", true), ("::1", true), ("fe80::1", true), ("[::1]", true),
        ("2001:db8::8a2e:370:7334", true), ("::ffff:192.0.2.1", true),
        ("localhost", false), ("proxy.example.dk", false), ("256.1.1.1", false), ("1.2.3", false), ("1.2.3.4.5", false),
        ("+1.2.3.4", false), ("", false), ("1:2:3:4:5:6:7:8:9", false), ("12345::1", false),
    ])
    func trustedProxyMustBeANumericAddress(_ text: String, _ numeric: Bool) {
        #expect(OperationsHooks.isNumericAddress(text) == numeric)
    }

    @Test func anEmptyMetricsTokenCountsAsNone() {
        #expect(OperationsHooks(metricsToken: "").metricsToken == nil)
        #expect(OperationsHooks(metricsToken: "t").metricsToken == "t")
    }
}
