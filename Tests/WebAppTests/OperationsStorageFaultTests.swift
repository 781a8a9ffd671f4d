import Foundation
import HTTPCore
import SQLite
import Storage
import Testing
@testable import WebApp

/// Storage conditions an operator must clear are 503 pages with Retry-After, never a 500 and
/// never a false success; reads keep working; the same POST succeeds once the condition clears.
@Suite struct OperationsStorageFaultTests {
    private static func pageFields(_ app: OperationsTestApp) throws -> [(String, String)] {
        who5Fields(try app.base.definition(TestApp.who5), option: 1) + [("page", "1"), ("lang", "en"), ("action", "next")]
    }

    @Test func aDatabaseLockedByAnotherProcessAnswers503AndRecovers() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("byneed-ops-\(UUID().uuidString)").path
        let database = try Database(directory: directory, busyTimeout: .milliseconds(50))
        defer { database.close() }
        let app = try OperationsTestApp(database: database)
        let token = try await app.base.invite(TestApp.who5)
        let fields = try Self.pageFields(app)
        let other = try Connection(path: database.path)
        try other.execute("BEGIN EXCLUSIVE")
        let refused = await app.post("/q/\(token)", fields)
        let read = await app.get("/q/\(token)")
        try other.execute("ROLLBACK")
        #expect(refused.status == .serviceUnavailable)
        #expect(refused.headers["Retry-After"] == "5")
        #expect(refused.text.contains("The answers on this page were not saved"))
        #expect(read.status == .ok, "pages are still shown while another process holds the write lock")
        let logged = app.base.logs.lines.filter { $0.contains("storage-unavailable") }
        #expect(logged.count == 1)
        #expect(logged.first?.contains("\"reason\":\"busy\"") == true)
        #expect(logged.first?.contains("\"route\":\"/q/:token\"") == true)
        #expect(!app.base.logs.lines.contains { $0.contains(token) })
        #expect(await app.post("/q/\(token)", fields).status == .seeOther, "the same POST works once the lock is gone")
    }

    @Test func aReadOnlyDatabaseAnswers503AndKeepsShowingPages() async throws {
        let app = try OperationsTestApp()
        let token = try await app.base.invite(TestApp.who5)
        try await app.database.write { db in try db.execute("PRAGMA query_only = 1") }
        let refused = await app.post("/q/\(token)/submit", [("lang", "da"), ("respondent", "patient")])
        #expect(refused.status == .serviceUnavailable)
        #expect(refused.headers["Retry-After"] == "30")
        #expect(refused.text.contains("Der er travlt lige nu"))
        #expect(await app.get("/q/\(token)").status == .ok)
        #expect(try app.base.responseCount() == 0)
        #expect(app.base.logs.lines.contains { $0.contains("\"reason\":\"read-only\"") })
    }

    @Test(arguments: [
        (StorageError.overloaded(queueCapacity: 1) as any Error, OperationsStorageFault?.some(.overloaded)),
        (StorageError.closed, nil),
        (StorageError.corruptValue(table: "t", column: "c"), nil),
        (StorageError.notFound("x"), nil),
        (CancellationError(), nil),
    ] as [(any Error, OperationsStorageFault?)])
    func storageErrorsThatAreConditionsBecomeFaults(_ error: any Error, _ fault: OperationsStorageFault?) {
        #expect(OperationsStorageFault(error) == fault)
    }

    @Test func onlyConditionsAnOperatorMustClearAreLoggedEachTime() {
        #expect(OperationsStorageFault.allCases.filter { !$0.isLogged } == [.overloaded])
        #expect(OperationsStorageFault.allCases.allSatisfy { $0.retryAfterSeconds > 0 })
    }
}
