import Foundation
import JSON
import Questionnaire
import SQLite
import Storage
import Testing

/// A fresh database in its own temporary folder.
func makeDatabase() throws -> (Database, String) {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("byneed-storage-\(UUID().uuidString)").path
    return (try Database(directory: directory), directory)
}

/// The shipped WHO-5 definition, read from the repository's Questionnaires folder.
func who5() throws -> QuestionnaireDefinition {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Questionnaires").path
    let catalogue = try QuestionnaireCatalogue.load(directory: folder)
    return try #require(catalogue.latest(url: "http://byneed.dk/fhir/Questionnaire/who5"))
}

let start = Date(timeIntervalSince1970: 1_795_000_000)

/// Invites the demo patient to a questionnaire version, valid for an hour from `start`.
func inviteDemoPatient(_ db: Connection, url: String = "u", version: String = "1") throws -> (invitation: Invitation, token: String) {
    let patient = try DemoData.ensure(db)
    return try Invitations.create(db, patientID: patient.id, questionnaireURL: url, questionnaireVersion: version,
                                  now: start, validFor: .seconds(3600))
}

@Test func invitationTokenIsStoredOnlyAsItsHash() async throws {
    let (database, _) = try makeDatabase()
    defer { database.close() }
    let token = try await database.write { db in try inviteDemoPatient(db).token }
    #expect(token.utf8.count == 43)
    let stored = try database.read { db in try db.query("SELECT token_hash FROM invitations") }
    #expect(stored.count == 1)
    #expect(stored[0]["token_hash"] != .text(token))
    #expect(try database.read { db in try Invitations.find(db, token: token) } != nil)
    #expect(try database.read { db in try Invitations.find(db, token: token + "x") } == nil)
}

@Test(arguments: [
    (0, InvitationState.open),
    (3599, InvitationState.open),
    (3600, InvitationState.expired),
])
func invitationExpiresAtItsDeadline(secondsLater: Int, expected: InvitationState) async throws {
    let (database, _) = try makeDatabase()
    defer { database.close() }
    let invitation = try await database.write { db in try inviteDemoPatient(db).invitation }
    #expect(invitation.state(at: start.addingTimeInterval(TimeInterval(secondsLater))) == expected)
}

@Test func demoDataIsCreatedOnce() async throws {
    let (database, _) = try makeDatabase()
    defer { database.close() }
    let first = try await database.write { db in try DemoData.ensure(db) }
    let second = try await database.write { db in try DemoData.ensure(db) }
    #expect(first == second)
    #expect(try database.read { db in try db.queryOne("SELECT count(*) AS n FROM patients")?.int("n") } == 1)
}

@Test func draftRoundTripsEveryAnswerKind() async throws {
    let (database, _) = try makeDatabase()
    defer { database.close() }
    var answers = ResponseAnswers()
    answers.set("a", [.boolean(true)])
    answers.set("b", [.decimal(Decimal(string: "1.50")!), .integer(-3)])
    answers.set("c", [.string("æøå \u{0} tekst"), .date("2026-11-22"), .dateTime("2026-11-22T10:00:00+01:00")])
    answers.set("d", [.coding(Coding(system: "http://x", code: "1", display: "Et"))])
    answers.set("e", [.quantity(Quantity(value: 72, unit: "kg", system: "http://unitsofmeasure.org", code: "kg"))])
    let saved = answers
    let invitationID = try await database.write { db in
        let invitation = try inviteDemoPatient(db).invitation
        try Drafts.save(db, invitationID: invitation.id, answers: saved, language: "en", resumePage: 2, now: start)
        return invitation.id
    }
    let draft = try #require(try database.read { db in try Drafts.find(db, invitationID: invitationID) })
    #expect(draft.answers == answers)
    #expect(draft.language == "en")
    #expect(draft.resumePage == 2)
}

@Test func submissionStoresOneResponseWithAnswerRowsAndIsIdempotent() async throws {
    let (database, _) = try makeDatabase()
    defer { database.close() }
    let definition = try who5()
    var answers = ResponseAnswers()
    for item in definition.items.flatMap({ [$0] + $0.items }) where item.type == .choice {
        answers.set(item.linkId, [item.answerOptions[1].value])
    }
    let answered = answers
    let (first, second) = try await database.write { db in
        let patient = try DemoData.ensure(db)
        let invitation = try inviteDemoPatient(db, url: definition.url, version: definition.version).invitation
        try Drafts.save(db, invitationID: invitation.id, answers: answered, language: "da", resumePage: nil, now: start)
        let first = try Responses.submit(db, invitation: invitation, patient: patient, definition: definition,
                                         answers: answered, resourceID: "r-1", now: start)
        let second = try Responses.submit(db, invitation: invitation, patient: patient, definition: definition,
                                          answers: answered, resourceID: "r-2", now: start)
        return (first, second)
    }
    guard case .stored(let id) = first else { Issue.record("first submission not stored"); return }
    #expect(second == .alreadySubmitted(id))
    let (count, rows, drafts, stored) = try database.read { db in
        (try Responses.count(db),
         try db.query("SELECT * FROM response_answers WHERE response_id = ? ORDER BY link_id", [.integer(id.rawValue)]),
         try db.queryOne("SELECT count(*) AS n FROM drafts")?.int("n"),
         try Responses.find(db, id: id))
    }
    #expect(count == 1)
    let codings = rows.filter { $0["value_type"] == .text("coding") }
    #expect(codings.count == 5, "the five WHO-5 answers")
    #expect(codings.allSatisfy { $0["value_number"] == .null && $0["value_code"] != .null })
    #expect(rows.count - codings.count == 2, "the raw score and the percentage, as answers of their items")
    #expect(drafts == 0)
    let resource = try JSON.parse(try #require(stored).resourceJSON)
    #expect(resource["resourceType"] == "QuestionnaireResponse")
    #expect(resource["id"] == "r-1")
    #expect(resource["questionnaire"]?.stringValue == definition.reference)
    #expect(resource["subject"]?["identifier"]?["value"] == "2512489996")
}

@Test func aFailingWriteRollsBackEverythingItDid() async throws {
    let (database, _) = try makeDatabase()
    defer { database.close() }
    struct Refused: Error {}
    await #expect(throws: Refused.self) {
        try await database.write { db in
            _ = try DemoData.ensure(db)
            throw Refused()
        }
    }
    #expect(try database.read { db in try db.queryOne("SELECT count(*) AS n FROM patients")?.int("n") } == 0)
}

@Test func databaseRunsInWALWithFullSync() async throws {
    let (database, directory) = try makeDatabase()
    defer { database.close() }
    let mode = try await database.write { db in try db.queryOne("PRAGMA journal_mode")?["journal_mode"] }
    #expect(mode == .text("wal"))
    let sync = try await database.write { db in try db.queryOne("PRAGMA synchronous")?["synchronous"] }
    #expect(sync == .integer(2))
    #expect(FileManager.default.fileExists(atPath: directory + "/byneed.sqlite"))
}

@Test func writesAfterCloseFailWithClosed() async throws {
    let (database, _) = try makeDatabase()
    database.close()
    await #expect(throws: StorageError.self) {
        try await database.write { db in try DemoData.ensure(db) }
    }
}

@Test func reopeningAnExistingDatabaseKeepsItsData() async throws {
    let (database, directory) = try makeDatabase()
    _ = try await database.write { db in try DemoData.ensure(db) }
    database.close()
    let reopened = try Database(directory: directory)
    defer { reopened.close() }
    #expect(try reopened.read { db in try Patients.find(db, cpr: DemoData.patientCPR) } != nil)
}

@Test func aStoredResponseCarriesItsTriageFromTheSameTransaction() async throws {
    let (database, _) = try makeDatabase()
    defer { database.close() }
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Questionnaires").path
    let demo = try #require(try QuestionnaireCatalogue.load(directory: folder).latest(url: "http://byneed.dk/fhir/Questionnaire/demo-all-types"))
    var answers = demo.initialAnswers
    answers.set("contact-me", [.boolean(true)])
    let wished = answers
    let id = try await database.write { db -> ResponseID? in
        let patient = try DemoData.ensure(db)
        let invitation = try inviteDemoPatient(db, url: demo.url, version: demo.version).invitation
        guard case .stored(let id) = try Responses.submit(db, invitation: invitation, patient: patient, definition: demo,
                                                          answers: wished, resourceID: "r", now: start) else { return nil }
        return id
    }
    let stored = try database.read { db in try TriageRecords.find(db, responseID: try #require(id)) }
    #expect(stored?.colour == .red)
    #expect(stored?.findings.first?.reason.resolved(language: "en") == "The patient asks to be contacted")
    #expect(stored == demo.triage(wished))
}

@Test func thresholdOverridesKeepTheirHistoryAndTheNewestWins() async throws {
    let (database, _) = try makeDatabase()
    defer { database.close() }
    let url = "http://byneed.dk/fhir/Questionnaire/phq9"
    let patientID = try await database.write { db -> PatientID in
        let patient = try DemoData.ensure(db)
        try ThresholdOverrides.set(db, patientID: patient.id, questionnaireURL: url, ruleID: "moderate", threshold: 12,
                                   setBy: "Læge A", reason: "kendt kronisk", now: start)
        try ThresholdOverrides.set(db, patientID: patient.id, questionnaireURL: url, ruleID: "severe", threshold: Decimal(string: "22.5"),
                                   setBy: "Læge A", reason: nil, now: start.addingTimeInterval(60))
        try ThresholdOverrides.set(db, patientID: patient.id, questionnaireURL: url, ruleID: "moderate", threshold: nil,
                                   setBy: "Læge B", reason: "tilbage til standard", now: start.addingTimeInterval(120))
        return patient.id
    }
    let (current, history, other) = try database.read { db in
        (try ThresholdOverrides.current(db, patientID: patientID, questionnaireURL: url),
         try ThresholdOverrides.history(db, patientID: patientID, questionnaireURL: url),
         try ThresholdOverrides.current(db, patientID: patientID, questionnaireURL: "http://other"))
    }
    #expect(current == ["severe": Decimal(string: "22.5")!])
    #expect(history.map(\.setBy) == ["Læge A", "Læge A", "Læge B"])
    #expect(history.map(\.threshold) == [12, Decimal(string: "22.5"), nil])
    #expect(history.last?.reason == "tilbage til standard")
    #expect(other.isEmpty)
}

/// The shipped definition with this name.
func shipped(_ name: String) throws -> QuestionnaireDefinition {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Questionnaires").path
    return try #require(try QuestionnaireCatalogue.load(directory: folder).latest(url: "http://byneed.dk/fhir/Questionnaire/\(name)"))
}

/// PHQ-9 answers: items 1–9 with the option of these weights (0–3).
func phq9Answers(_ phq9: QuestionnaireDefinition, _ weights: [Int]) -> ResponseAnswers {
    var answers = ResponseAnswers()
    let items = phq9.items.flatMap { [$0] + $0.items }.filter { $0.type == .choice }
    for (item, weight) in zip(items, weights) { answers.set(item.linkId, [item.answerOptions[weight].value]) }
    return answers
}

@Test func scoresFlagsAndTriageAreStoredWithTheResponseAndRecomputeIdentically() async throws {
    let (database, _) = try makeDatabase()
    defer { database.close() }
    let phq9 = try shipped("phq9")
    let answers = phq9Answers(phq9, [2, 2, 1, 1, 1, 1, 1, 1, 1])
    let id = try await database.write { db -> ResponseID? in
        let patient = try DemoData.ensure(db)
        let invitation = try inviteDemoPatient(db, url: phq9.url, version: phq9.version).invitation
        guard case .stored(let id) = try Responses.submit(db, invitation: invitation, patient: patient, definition: phq9,
                                                          answers: answers, resourceID: "r", now: start) else { return nil }
        return id
    }
    let responseID = try #require(id)
    let (scores, flags, triage, stored) = try database.read { db in
        (try ScoreRecords.find(db, responseID: responseID), try ScoreRecords.flags(db, responseID: responseID),
         try TriageRecords.find(db, responseID: responseID), try Responses.find(db, id: responseID))
    }
    #expect(scores["total"]?.value == "11")
    #expect(scores["total"]?.band == "moderate")
    #expect(flags == ["suicide_risk"])
    #expect(triage?.colour == .red)
    let resource = try #require(stored?.resourceJSON)
    #expect(resource.contains("\"linkId\":\"total\""))
    let reread = try phq9.answers(fromResponse: JSON.parse(resource))
    let again = phq9.evaluate(reread, now: start)
    #expect(again.scores.first?.value == 11)
    #expect(again.triage == triage)
}

@Test func aPatientsOwnThresholdDecidesTheirTriage() async throws {
    let (database, _) = try makeDatabase()
    defer { database.close() }
    let phq9 = try shipped("phq9")
    let rule = try #require(phq9.scoring.triageRules.first { $0.colour == .yellow })
    let answers = phq9Answers(phq9, [2, 2, 2, 2, 1, 1, 0, 0, 0])
    let colours = try await database.write { db -> [TriageColour?] in
        let patient = try DemoData.ensure(db)
        var colours: [TriageColour?] = []
        for threshold in [nil, Decimal(12)] as [Decimal?] {
            if let threshold {
                try ThresholdOverrides.set(db, patientID: patient.id, questionnaireURL: phq9.url, ruleID: rule.id,
                                           threshold: threshold, setBy: "Læge A", reason: "kronisk", now: start)
            }
            let invitation = try inviteDemoPatient(db, url: phq9.url, version: phq9.version).invitation
            guard case .stored(let id) = try Responses.submit(db, invitation: invitation, patient: patient, definition: phq9,
                                                              answers: answers, resourceID: UUID().uuidString, now: start) else { return [] }
            colours.append(try TriageRecords.find(db, responseID: id)?.colour)
        }
        return colours
    }
    #expect(colours == [.yellow, .green], "a total of 10 is yellow by default, green under the patient's threshold 12")
}
