import Foundation
import HTTPCore
import Storage
import Synchronization
import Testing

@Test func aFullWriteQueueAnswers503WithRetryAfterInThePatientsLanguage() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("byneed-web-\(UUID().uuidString)").path
    let database = try Database(directory: directory, writerLimits: WriterLimits(queueCapacity: 1))
    defer { database.close() }
    let app = try TestApp(database: database)
    let token = try await app.invite(TestApp.who5)
    let state = Mutex<(entered: Bool, open: Bool)>((false, false))
    let held = Task {
        try await database.write { _ in
            state.withLock { $0.entered = true }
            while !state.withLock({ $0.open }) { usleep(200) }
        }
    }
    while !state.withLock({ $0.entered }) { try await Task.sleep(for: .milliseconds(1)) }
    let filler = Task { try await database.write { _ in } }
    while database.statistics.queueDepth < 1 { try await Task.sleep(for: .milliseconds(1)) }
    let fields = who5Fields(try app.definition(TestApp.who5), option: 1) + [("page", "1"), ("lang", "en"), ("action", "next")]
    let response = await app.post("/q/\(token)", fields)
    state.withLock { $0.open = true }
    try await held.value
    try await filler.value
    #expect(response.status == .serviceUnavailable)
    #expect(response.headers["Retry-After"] == "1")
    #expect(response.text.contains("We are busy right now"))
    let retried = await app.post("/q/\(token)", fields)
    #expect(retried.status == .seeOther, "once the queue has room the same POST succeeds")
}
