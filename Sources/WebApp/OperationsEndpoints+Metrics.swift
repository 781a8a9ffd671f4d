import Foundation
import Storage

// MARK: - The metrics page

extension OperationsEndpoints {
    /// Every metric, read now: the application's requests, the writer's statistics
    /// (`Database.statistics`), the background jobs, the outbox and the server's connections.
    /// Readings that are not attached (no server, no jobs) or cannot be read are left out
    /// rather than reported as zero.
    func metricsPage() -> String {
        var page = MetricsExposition()
        addRequests(to: &page)
        if let connections = context.operations.openConnections {
            page.single("byneed_http_open_connections", .gauge, help: "Open HTTP connections.", value: String(connections))
        }
        addWriter(context.database.statistics, to: &page)
        addJobs(to: &page)
        if let backlog = try? context.database.read({ try Outbox.backlog($0) }) {
            page.single("byneed_outbox_backlog", .gauge, help: "Outbox messages not yet delivered (e-mails and letters).",
                        value: String(backlog))
        }
        page.single("byneed_questionnaires_loaded", .gauge, help: "Questionnaire definitions loaded at start.",
                    value: String(context.catalogue.all.count))
        return page.text
    }

    private func addRequests(to page: inout MetricsExposition) {
        let snapshot = recorder.snapshot
        let keys = snapshot.requests.keys.sorted { ($0.route, $0.method, $0.status) < ($1.route, $1.method, $1.status) }
        page.family("byneed_http_requests_total", .counter, help: "Requests answered, by method, route template and status.",
                    samples: keys.map { key in
                        ([("method", key.method), ("route", key.route), ("status", String(key.status))],
                         String(snapshot.requests[key] ?? 0))
                    })
        let routes = snapshot.latency.keys.sorted()
        page.histogram("byneed_http_request_duration_seconds", help: "Time to answer a request, by route template.",
                       series: routes.compactMap { route in
                           snapshot.latency[route].map { histogram in
                               Self.series([("route", route)], bounds: histogram.upperBounds, counts: histogram.counts,
                                           sum: histogram.sum, asSeconds: true)
                           }
                       })
    }

    private func addWriter(_ statistics: DatabaseStatistics, to page: inout MetricsExposition) {
        page.single("byneed_db_write_queue_depth", .gauge, help: "Write jobs waiting for the writer thread.",
                    value: String(statistics.queueDepth))
        page.single("byneed_db_write_queue_capacity", .gauge, help: "Write jobs the queue holds before refusing more.",
                    value: String(statistics.queueCapacity))
        page.single("byneed_db_accepts_writes", .gauge, help: "1 while the writer accepts jobs, 0 once the database closes.",
                    value: statistics.acceptsWrites ? "1" : "0")
        page.family("byneed_db_write_batches_total", .counter, help: "Writer transactions, by outcome.",
                    samples: [([("outcome", "committed")], String(statistics.batchesCommitted)),
                              ([("outcome", "failed")], String(statistics.batchesFailed))])
        page.family("byneed_db_write_jobs_total", .counter,
                    help: "Write jobs, by outcome: committed, failed (their own error or their batch's), refused (queue full).",
                    samples: [([("outcome", "committed")], String(statistics.jobsCommitted)),
                              ([("outcome", "failed")], String(statistics.jobsFailed)),
                              ([("outcome", "refused")], String(statistics.jobsRefused))])
        let sizes = statistics.batchSizes
        page.histogram("byneed_db_write_batch_jobs", help: "Jobs per writer transaction (group commit).",
                       series: [Self.series([], bounds: sizes.upperBounds, counts: sizes.counts, sum: sizes.sum, asSeconds: false)])
        let commits = statistics.commitMicroseconds
        page.histogram("byneed_db_commit_duration_seconds", help: "Time of each successful COMMIT: the WAL's fsync.",
                       series: [Self.series([], bounds: commits.upperBounds, counts: commits.counts, sum: commits.sum,
                                            asSeconds: true)])
    }

    private func addJobs(to page: inout MetricsExposition) {
        guard let (interval, status) = context.operations.jobs else { return }
        let (seconds, attoseconds) = interval.components
        page.single("byneed_jobs_interval_seconds", .gauge, help: "Configured time between background passes.",
                    value: MetricsExposition.seconds(microseconds: Int(seconds) * 1_000_000 + Int(attoseconds / 1_000_000_000_000)))
        page.single("byneed_jobs_last_pass_failed", .gauge, help: "1 when something in the last background pass failed.",
                    value: status.lastPassFailed ? "1" : "0")
        if let lastPass = status.lastPassAt {
            let lag = Int((context.clock().timeIntervalSince(lastPass) * 1_000).rounded()) * 1_000
            page.single("byneed_jobs_scheduler_lag_seconds", .gauge, help: "Time since the last background pass finished.",
                        value: MetricsExposition.seconds(microseconds: lag))
        }
    }

    /// A histogram series from per-bucket counts; values in microseconds are written as seconds.
    private static func series(_ labels: MetricsExposition.Labels, bounds: [Int], counts: [Int], sum: Int,
                               asSeconds: Bool) -> MetricsExposition.HistogramSeries {
        let text: (Int) -> String = asSeconds ? { MetricsExposition.seconds(microseconds: $0) } : { String($0) }
        var total = 0
        let cumulative = counts.map { count in
            total += count
            return total
        }
        return MetricsExposition.HistogramSeries(labels: labels, upperBounds: bounds.map(text),
                                                 cumulativeCounts: cumulative, sum: text(sum))
    }
}
