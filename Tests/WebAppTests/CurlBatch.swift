import Foundation

/// Many GET requests through one `curl` process (one connection, kept alive), for tests that
/// ask a real server hundreds of questions: each URL's body goes to its own file and
/// `--write-out` reports the status and `Content-Type` of each, in order.
enum CurlBatch {
    /// One answer: status, media type and body.
    struct Answer: Sendable {
        let status: Int
        let contentType: String
        let body: String
    }

    /// GETs every URL in `urls` with the same extra `headers` (`Name: value`) and returns the
    /// answers in the same order; a URL curl could not fetch answers with status 0.
    static func get(_ urls: [String], headers: [String]) async throws -> [Answer] {
        guard !urls.isEmpty else { return [] }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("curl-batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = folder.appendingPathComponent("report")
        guard FileManager.default.createFile(atPath: report.path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "--max-time", "60", "-w", "%{http_code} %{content_type}\\n"]
            + headers.flatMap { ["-H", $0] }
            + urls.enumerated().flatMap { index, url in ["-o", folder.appendingPathComponent("body-\(index)").path, url] }
        process.standardOutput = try FileHandle(forWritingTo: report)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            process.terminationHandler = { _ in continuation.resume() }
            do { try process.run() } catch { continuation.resume() }
        }
        let lines = ((try? String(contentsOf: report, encoding: .utf8)) ?? "").split(separator: "\n", omittingEmptySubsequences: false)
        return urls.indices.map { index in
            let line = index < lines.count ? lines[index].split(separator: " ", maxSplits: 1) : []
            let body = (try? String(contentsOf: folder.appendingPathComponent("body-\(index)"), encoding: .utf8)) ?? ""
            return Answer(status: Int(line.first ?? "") ?? 0, contentType: line.count > 1 ? String(line[1]) : "", body: body)
        }
    }
}
