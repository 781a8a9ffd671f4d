import Foundation
import HTTPCore
import Testing
@testable import WebApp

@Suite struct OperationsMetricsTests {
    // MARK: Exposition format

    @Test(arguments: [(0, "0"), (1, "0.000001"), (100, "0.0001"), (2_500, "0.0025"), (250_000, "0.25"),
                      (1_000_000, "1"), (1_500_000, "1.5"), (10_000_001, "10.000001"), (-2_500, "-0.0025")])
    func microsecondsAreWrittenAsExactSeconds(_ microseconds: Int, _ text: String) {
        #expect(MetricsExposition.seconds(microseconds: microseconds) == text)
    }

    @Test(arguments: [("/q/:token", "/q/:token"), ("a\"b", "a\\\"b"), ("back\\slash", "back\\\\slash"), ("two\nlines", "two\\nlines")])
    func labelValuesAreEscaped(_ value: String, _ escaped: String) {
        #expect(MetricsExposition.escapeLabelValue(value) == escaped)
    }

    @Test func aFamilyIsDeclaredOnceWithAllItsSamplesAndHistogramsEndAtInfinity() {
        var page = MetricsExposition()
        page.family("x_total", .counter, help: "Things\nand \\ more.", samples: [([("a", "1")], "2"), ([("a", "2")], "3")])
        page.histogram("h_seconds", help: "Times.", series: [
            .init(labels: [("route", "/r")], upperBounds: ["0.1", "1"], cumulativeCounts: [1, 3, 4], sum: "2.5"),
        ])
        #expect(page.text == """
            # HELP x_total Things\\nand \\\\ more.
            # TYPE x_total counter
            x_total{a="1"} 2
            x_total{a="2"} 3
            # HELP h_seconds Times.
            # TYPE h_seconds histogram
            h_seconds_bucket{route="/r",le="0.1"} 1
            h_seconds_bucket{route="/r",le="1"} 3
            h_seconds_bucket{route="/r",le="+Inf"} 4
            h_seconds_sum{route="/r"} 2.5
            h_seconds_count{route="/r"} 4

            """)
    }

    // MARK: The endpoint

    @Test func requestsAreCountedByRouteTemplateNeverByPathOrToken() async throws {
        let app = try OperationsTestApp()
        let token = try await app.base.invite(TestApp.who5)
        #expect(await app.get("/q/\(token)").status == .ok)
        #expect(await app.get("/q/\(token)?p=1&lang=en").status == .ok)
        #expect(await app.get("/no/such/2512489996").status == .notFound)
        let page = await app.get("/metrics").text
        #expect(page.contains("byneed_http_requests_total{method=\"GET\",route=\"/q/:token\",status=\"200\"} 2\n"))
        #expect(page.contains("byneed_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1\n"))
        #expect(page.contains("byneed_http_request_duration_seconds_count{route=\"/q/:token\"} 2\n"))
        #expect(!page.contains(token))
        #expect(!page.contains("2512489996"))
        #expect(!page.contains("lang=en"))
    }

    @Test func unknownMethodsShareOneLabel() async throws {
        let app = try OperationsTestApp()
        _ = await app.app.respond(to: HTTPRequest(method: HTTPMethod(rawValue: "BREW"), target: "/", headers: ["Host": "x"]))
        let page = await app.get("/metrics").text
        #expect(page.contains("byneed_http_requests_total{method=\"other\",route=\"unmatched\",status=\"501\"} 1\n"))
        #expect(!page.contains("BREW"))
    }

    @Test func theWriterTheJobsTheOutboxAndTheServerAreReported() async throws {
        let app = try OperationsTestApp()
        app.hooks.attachServer { 7 }
        app.attachJobs(interval: .seconds(60), lastPassAgo: 90, failed: true)
        _ = try await app.base.invite(TestApp.who5)
        let page = await app.get("/metrics").text
        #expect(page.contains("byneed_http_open_connections 7\n"))
        #expect(page.contains("byneed_jobs_scheduler_lag_seconds 90\n"))
        #expect(page.contains("byneed_jobs_interval_seconds 60\n"))
        #expect(page.contains("byneed_jobs_last_pass_failed 1\n"))
        #expect(page.contains("byneed_outbox_backlog 0\n"))
        #expect(page.contains("byneed_db_write_jobs_total{outcome=\"committed\"} 1\n"))
        #expect(page.contains("byneed_db_write_jobs_total{outcome=\"refused\"} 0\n"))
        #expect(page.contains("byneed_db_write_batch_jobs_bucket{le=\"1\"} 1\n"))
        #expect(page.contains("byneed_db_commit_duration_seconds_count 1\n"))
        #expect(page.contains("byneed_db_write_queue_capacity 1024\n"))
        #expect(page.contains("byneed_questionnaires_loaded "))
    }

    @Test func readingsNotAttachedAreLeftOutNotReportedAsZero() async throws {
        let app = try OperationsTestApp()
        let page = await app.get("/metrics").text
        #expect(!page.contains("byneed_http_open_connections"))
        #expect(!page.contains("byneed_jobs_"))
    }

    @Test func everySampleBelongsToOneFamilyDeclaredOnceBeforeIt() async throws {
        let app = try OperationsTestApp()
        app.hooks.attachServer { 1 }
        app.attachJobs(lastPassAgo: 2)
        _ = await app.get("/healthz")
        let response = await app.get("/metrics")
        #expect(response.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8")
        var declared: [String: String] = [:]
        var current: (name: String, kind: String)?
        for line in response.text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                #expect(declared[String(parts[2])] == nil, "\(parts[2]) is declared once")
                declared[String(parts[2])] = String(parts[3])
                current = (String(parts[2]), String(parts[3]))
                continue
            }
            if line.hasPrefix("#") { continue }
            let family = try #require(current)
            let name = String(line.prefix { $0 != "{" && $0 != " " })
            let allowed = family.kind == "histogram"
                ? ["_bucket", "_sum", "_count"].map { family.name + $0 } : [family.name]
            #expect(allowed.contains(name), "\(name) belongs to \(family.name)")
            #expect(Double(line.split(separator: " ").last ?? "") != nil, "\(line) ends in a number")
        }
        #expect(declared["byneed_http_requests_total"] == "counter")
        #expect(declared["byneed_http_request_duration_seconds"] == "histogram")
        #expect(declared["byneed_db_write_queue_depth"] == "gauge")
    }

    @Test(arguments: [
        ("198.51.100.4", [(String, String)](), HTTPStatus.unauthorized),
        ("198.51.100.4", [("Authorization", "Bearer wrong")], .unauthorized),
        ("198.51.100.4", [("Authorization", "Bearer metrics-secret")], .ok),
        ("::1", [], .ok),
        ("127.0.0.1", [("X-Forwarded-For", "127.0.0.1")], .ok),
        ("127.0.0.1", [], .ok),
        ("127.0.0.1", [("X-Forwarded-For", "198.51.100.4")], .unauthorized),
    ])
    func onlyLoopbackOrTheTokenSeesTheMetrics(_ peer: String, _ headers: [(String, String)], _ status: HTTPStatus) async throws {
        let app = try OperationsTestApp(OperationsHooks(metricsToken: "metrics-secret", trustedProxy: "127.0.0.1"))
        let response = await app.get("/metrics", from: peer, headers: headers)
        #expect(response.status == status)
        #expect(response.text.contains("byneed_http_requests_total") == (status == .ok))
        if status == .unauthorized {
            #expect(response.headers["WWW-Authenticate"] == "Bearer realm=\"byneed-metrics\"")
        }
    }

    @Test func withoutATokenRemoteClientsAreForbidden() async throws {
        let app = try OperationsTestApp()
        let response = await app.get("/metrics", from: "198.51.100.4")
        #expect(response.status == .forbidden)
        #expect(!response.text.contains("byneed_"))
    }
}
