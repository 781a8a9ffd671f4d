import Foundation
import SQLite
import Storage
import Testing

/// The audit log's hash chain: intact when untouched, and every kind of edit named by row.
@Suite struct AuditLogTests {
    let database: Database
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    init() async throws {
        database = try Database(directory: FileManager.default.temporaryDirectory
            .appendingPathComponent("byneed-audit-\(UUID().uuidString)").path)
        let start = self.start
        try await database.write { db in
            let patient = try DemoData.ensure(db)
            for minute in 0..<10 {
                try AuditLog.append(db, AuditEntry(at: start.addingTimeInterval(Double(minute) * 60), actorKind: .staff,
                                                   actorID: "7", actorRole: "health-professional", organisationSOR: "999999999999999",
                                                   patientID: patient.id, action: .read, what: "patient-overview",
                                                   legalBasis: "treatment-relation", outcome: "allowed"))
            }
        }
    }

    func verify() throws -> AuditLog.Verification {
        try database.read { try AuditLog.verify($0) }
    }

    func tamper(_ sql: String) async throws {
        try await database.write { db in _ = try db.run(sql) }
    }

    @Test func anUntouchedChainVerifies() throws {
        #expect(try verify() == .intact(rows: 10))
    }

    @Test(arguments: [
        ("UPDATE audit_events SET outcome = 'denied' WHERE id = 4", Int64(4)),
        ("UPDATE audit_events SET at = '2027-01-15T08:00:00Z' WHERE id = 6", Int64(6)),
        ("UPDATE audit_events SET patient_id = NULL WHERE id = 2", Int64(2)),
        ("UPDATE audit_events SET detail = 'x' WHERE id = 10", Int64(10)),
    ])
    func aChangedRowIsNamed(sql: String, row: Int64) async throws {
        try await tamper(sql)
        guard case .broken(let id, let reason) = try verify() else { Issue.record("the change went unnoticed"); return }
        #expect(id == row)
        #expect(reason.contains("changed"))
    }

    @Test func aDeletedRowIsNamedByTheRowAfterIt() async throws {
        try await tamper("DELETE FROM audit_events WHERE id = 5")
        guard case .broken(let id, let reason) = try verify() else { Issue.record("the deletion went unnoticed"); return }
        #expect(id == 6)
        #expect(reason.contains("removed"))
    }

    @Test func anUpdateAndADeletionAreFoundOneAfterTheOther() async throws {
        try await tamper("UPDATE audit_events SET what = 'nothing' WHERE id = 3")
        try await tamper("DELETE FROM audit_events WHERE id = 8")
        #expect(try verify() == .broken(atRowID: 3, reason: "its content does not match its hash (the row was changed)"))
        try await tamper("DELETE FROM audit_events WHERE id = 3")
        guard case .broken(let id, _) = try verify() else { Issue.record("unnoticed"); return }
        #expect(id == 4)
    }

    @Test func pruningForRetentionKeepsTheRestVerifiable() async throws {
        let cutoff = start.addingTimeInterval(4 * 60)
        let now = start.addingTimeInterval(3_600)
        let deleted = try await database.write { db in try AuditLog.prune(db, olderThan: cutoff, now: now) }
        #expect(deleted == 4)
        #expect(try verify() == .intact(rows: 6))
        try await database.write { db in
            try AuditLog.append(db, AuditEntry(at: now, actorKind: .system, actorID: nil, patientID: nil, action: .change,
                                               what: "retention", outcome: "allowed"))
        }
        #expect(try verify() == .intact(rows: 7))
        try await tamper("UPDATE audit_anchor SET hash = zeroblob(32)")
        guard case .broken(let id, _) = try verify() else { Issue.record("a forged anchor went unnoticed"); return }
        #expect(id == 5)
    }

    @Test func theHeadIsTheNewestRowsHash() throws {
        let head = try #require(try database.read { try AuditLog.head($0) })
        #expect(head.id == 10)
        #expect(head.hash.count == 32)
    }
}
