import Foundation
import HTTPCore
import HTTPServer
import Testing
@testable import WebApp

/// What curl saw: status, headers (lower-cased names) and body.
struct CurlResult {
    let status: Int
    let headers: [String: String]
    let body: String
}

/// Runs the real `curl` against the server; redirects are not followed, so each test sees
/// every 303 the browser would. It waits for curl without blocking a thread: the server's
/// handlers run on the same small cooperative pool as the tests.
func curl(_ arguments: [String]) async throws -> CurlResult {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("curl-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: output) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
    process.arguments = ["-s", "-i", "--max-time", "30", "-o", output.path] + arguments
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        process.terminationHandler = { _ in continuation.resume() }
        do { try process.run() } catch { continuation.resume() }
    }
    let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
    let parts = text.components(separatedBy: "\r\n\r\n")
    let headLines = (parts.first ?? "").components(separatedBy: "\r\n")
    let status = Int(headLines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
    var headers: [String: String] = [:]
    for line in headLines.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return CurlResult(status: status, headers: headers, body: parts.dropFirst().joined(separator: "\r\n\r\n"))
}

/// The web application behind a real HTTP server on a free loopback port.
struct LiveApp {
    let test: TestApp
    let server: HTTPServer
    let base: String

    private init() throws {
        test = try TestApp()
        server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), responder: test.app)
        base = "http://127.0.0.1:\(try server.start())"
    }

    /// Runs `body` against a live server and shuts the server down afterwards, also when the
    /// body throws.
    static func run(_ body: (LiveApp) async throws -> Void) async throws {
        let live = try LiveApp()
        do {
            try await body(live)
        } catch {
            await live.server.shutdown()
            throw error
        }
        await live.server.shutdown()
    }

    func post(_ path: String, _ fields: [(String, String)]) async throws -> CurlResult {
        try await curl(fields.flatMap { ["--data-urlencode", "\($0.0)=\($0.1)"] } + [base + path])
    }
}

@Suite struct LoopbackTests {
    @Test func patientAnswersWHO5OverARealSocket() async throws { try await LiveApp.run { live in
        let token = try await live.test.invite(TestApp.who5)
        let definition = try live.test.definition(TestApp.who5)

        let page = try await curl([live.base + "/q/\(token)"])
        #expect(page.status == 200)
        #expect(page.headers["content-security-policy"]?.contains("unsafe-inline") == false)
        #expect(page.body.contains("Side 1 af 1"))

        let invalid = try await live.post("/q/\(token)", [("page", "1"), ("action", "next")])
        #expect(invalid.status == 422)
        #expect(invalid.body.contains("error-summary"))

        let saved = try await live.post("/q/\(token)", who5Fields(definition, option: 3) + [("page", "1"), ("action", "next")])
        #expect(saved.status == 303)
        let review = try await curl([live.base + (saved.headers["location"] ?? "")])
        #expect(review.status == 200 && review.body.contains("Tjek dine svar"))

        let submitted = try await live.post("/q/\(token)/submit", [("lang", "en")])
        #expect(submitted.status == 303)
        let again = try await live.post("/q/\(token)/submit", [("lang", "en")])
        #expect(again.headers["location"] == submitted.headers["location"])
        #expect(try live.test.responseCount() == 1)

        let receipt = try await curl([live.base + (submitted.headers["location"] ?? "")])
        #expect(receipt.status == 200)
        #expect(receipt.body.contains("Thank you – your answers have been received"))
    } }

    @Test func headGetsTheHeadersOfGetWithoutABody() async throws { try await LiveApp.run { live in
        let token = try await live.test.invite(TestApp.who5)
        let get = try await curl([live.base + "/q/\(token)"])
        let head = try await curl(["-I", live.base + "/q/\(token)"])
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head.headers["content-length"] == get.headers["content-length"])
        #expect(head.headers["content-security-policy"] == get.headers["content-security-policy"])
    } }

    @Test func unknownExpiredAndResumedLinksOverARealSocket() async throws { try await LiveApp.run { live in
        let unknown = try await curl([live.base + "/q/" + String(repeating: "B", count: 43)])
        #expect(unknown.status == 404)
        #expect(unknown.body.contains("Linket virker ikke"))

        let token = try await live.test.invite(TestApp.allTypes, validFor: 600)
        let saved = try await live.post("/q/\(token)", [("page", "1"), ("a.diary-date", "2026-11-20"), ("a.had-symptoms", "false"),
                                                   ("action", "next")])
        #expect(saved.status == 303)
        let resumed = try await curl([live.base + "/q/\(token)"])
        #expect(resumed.body.contains("Side 2 af"))

        live.test.clock.advance(by: 600)
        let expired = try await curl([live.base + "/q/\(token)"])
        #expect(expired.status == 410)
        #expect(expired.body.contains("Fristen for at svare er udløbet"))
    } }
}
