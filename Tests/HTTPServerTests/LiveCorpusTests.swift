import HTTPCore
import Testing

/// The same conformance corpus as the parser tests, now against a live loopback server (checklist 26).
@Suite struct LiveCorpusTests {
    @Test(arguments: HTTPConformanceCorpus.cases)
    func liveServerProducesTheExpectedOutcome(_ fixture: HTTPConformanceCorpus.Case) async throws {
        let client = try #require(TestClient(port: TestServer.shared.port))
        client.send(fixture.raw)
        client.shutdownWrite()
        let bytes = await client.readToEnd()
        let responses = TestResponse.parseAll(bytes)
        switch fixture.outcome {
        case .accepted(let method, let target, let body, let keepAlive):
            let finals = responses.filter { $0.status >= 200 }
            try #require(finals.count == 1)
            #expect(finals[0].status == 200)
            #expect(finals[0].header("X-Method") == method)
            #expect(finals[0].header("X-Target") == target)
            #expect(finals[0].body == body)
            #expect(finals[0].closes == !keepAlive)
        case .rejected(let status):
            try #require(responses.count == 1)
            #expect(responses[0].status == status)
            #expect(responses[0].closes)
        case .incomplete:
            #expect(bytes.isEmpty)
        }
    }
}
