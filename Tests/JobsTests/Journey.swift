import FollowUp
import Foundation
import Jobs
import JSON
import Questionnaire
import Storage
import Testing

/// One patient enrolled in the shipped epilepsy plan on a fresh database, with helpers that
/// answer the latest invitation as the patient would.
struct Journey {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let catalogue = Result { try QuestionnaireCatalogue.load(directory: root.appendingPathComponent("Questionnaires").path) }
    static let fixtures = Result {
        try JSON.parse(Array(Data(contentsOf: root.appendingPathComponent("Tests/Fixtures/instruments/epilepsy-followup.json"))))
    }

    let directory: String
    let database: Database
    let runner: FollowUpRunner
    let plan: FollowUpPlan
    let timeZone = TimeZone(identifier: "Europe/Copenhagen")!
    let enrolmentID: EnrolmentID

    init(delivery: PatientContact.Delivery = .email) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("byneed-jobs-\(UUID().uuidString)").path
        database = try Database(directory: directory)
        let catalogue = try Self.catalogue.get()
        let plans = try PlanLoader.load(directory: Self.root.appendingPathComponent("Questionnaires/plans").path) {
            catalogue.definition(url: $0, version: $1) != nil
        }
        runner = FollowUpRunner(plans: plans, catalogue: catalogue,
                                composer: MessageComposer(publicBaseURL: "https://byneed.test/", timeZone: timeZone))
        let request = EnrolmentRequest(cpr: "2512489996", name: "Nancy Berggren",
                                       email: delivery == .email ? "nancy@example.dk" : "", delivery: delivery.rawValue,
                                       planID: "epilepsy-standard", startDate: "2027-01-04")
        let valid = try request.validated(plans: plans).get()
        plan = valid.plan
        let enrolledAt = Date(timeIntervalSince1970: 1_798_000_000)
        enrolmentID = try await database.write { db in
            let department = try Departments.insert(db, sorCode: "123456789012345", name: "Neurologisk ambulatorium", phone: "70 00 00 00")
            return try valid.enrol(db, departmentID: department.id, actor: "test", now: enrolledAt).1.id
        }
    }

    private init(reopening other: Journey) throws {
        other.database.close()
        directory = other.directory
        database = try Database(directory: other.directory, createIfMissing: false)
        runner = other.runner
        plan = other.plan
        enrolmentID = other.enrolmentID
    }

    /// The same journey on a newly opened database: what a restarted server sees.
    func reopened() throws -> Journey { try Journey(reopening: self) }

    func scheduler() throws -> FollowUpScheduler {
        FollowUpScheduler(plan: plan, timeZone: timeZone)
    }

    struct PassFailed: Error { let failures: [String] }

    func run(at now: Date) async throws -> FollowUpRunner.Report {
        let report = await runner.run(database, now: now)
        if !report.failures.isEmpty { throw PassFailed(failures: report.failures) }
        return report
    }

    func change(_ change: Enrolments.Change, at now: Date) async throws {
        try await database.write { [enrolmentID] db in try Enrolments.change(db, enrolmentID, change, actor: "test", now: now) }
    }

    func rounds() throws -> [StoredRound] {
        try database.read { [enrolmentID] in try Rounds.all($0, enrolmentID) }
    }

    func outbox() throws -> [OutboxItem] {
        try database.read { db in try db.query("SELECT id FROM outbox ORDER BY id").compactMap { row in
            try Outbox.find(db, id: OutboxID(rawValue: try row.int("id")))
        } }
    }

    func status(at now: Date) throws -> WorklistStatus {
        let enrolment = try database.read { [enrolmentID] in try Enrolments.find($0, id: enrolmentID) }!
        return try scheduler().worklistStatus(for: enrolment.schedule, rounds: rounds().map(\.round), now: now)
    }

    /// The link token in a message's text.
    static func token(in message: OutboxMessage) -> String? {
        guard let range = message.text.range(of: "/q/") else { return nil }
        return String(message.text[range.upperBound...].prefix(43))
    }

    /// Submits, through the latest message's first link, the answers of a manual-derived
    /// fixture case that gives `colour`.
    func answer(_ colour: TriageColour, at now: Date) async throws {
        let caseName = ["green": "no seizures, no problems", "yellow": "more seizures", "red": "new seizure type"][colour.rawValue]!
        let fixture = try Self.fixtures.get()
        let answers = try #require(fixture["cases"]?.arrayValue?.first { $0["name"]?.stringValue == caseName }?["answers"]?.objectValue)
        let message = try #require(outbox().last?.message)
        let token = try #require(Self.token(in: message))
        let catalogue = try Self.catalogue.get()
        let (invitation, patient) = try database.read { db in
            (try Invitations.find(db, token: token), try Patients.find(db, cpr: "2512489996"))
        }
        let found = try #require(invitation)
        let definition = try #require(catalogue.definition(reference: found.questionnaireReference))
        let given = try definition.answers(fromResponse: Self.response(answers, definition))
        try await database.write { [patient] db in
            let invitation = found
            let patient = patient!
            _ = try Responses.submit(db, invitation: invitation, patient: patient, definition: definition, answers: given,
                                     resourceID: UUID().uuidString, now: now)
        }
    }

    /// A QuestionnaireResponse with flat fixture answers nested under their groups.
    static func response(_ answers: JSONObject, _ definition: QuestionnaireDefinition) -> JSON {
        func nest(_ items: [QuestionnaireItem]) -> [JSON] {
            items.compactMap { item in
                if item.type == .group {
                    let children = nest(item.items)
                    return children.isEmpty ? nil : ["linkId": .string(item.linkId), "item": .array(children)]
                }
                guard let answer = answers[item.linkId] else { return nil }
                return ["linkId": .string(item.linkId), "answer": answer.arrayValue.map(JSON.array) ?? [answer]]
            }
        }
        return ["resourceType": "QuestionnaireResponse", "status": "completed", "item": .array(nest(definition.items))]
    }
}
