import FHIR
import FollowUp
import Foundation
import JSON
import Questionnaire
import SQLite
import Storage
import Testing

/// The shipped questionnaires, read once from the repository's Questionnaires folder.
let catalogue: QuestionnaireCatalogue = {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Questionnaires").path
    // The shipped catalogue is checked by QuestionnaireTests; a failure here is a broken checkout.
    return try! QuestionnaireCatalogue.load(directory: folder)
}()

func definition(_ name: String) throws -> QuestionnaireDefinition {
    try #require(catalogue.latest(url: "http://byneed.dk/fhir/Questionnaire/\(name)"))
}

let submittedAt = Date(timeIntervalSince1970: 1_795_000_000)

/// Answers every choice item with its option at `index` (or the last when there are fewer).
func answers(_ definition: QuestionnaireDefinition, option index: Int) -> ResponseAnswers {
    var answers = ResponseAnswers()
    for item in definition.items.flatMap(\.flattened) where item.type == .choice && !item.answerOptions.isEmpty {
        answers.set(item.linkId, [item.answerOptions[min(index, item.answerOptions.count - 1)].value])
    }
    return answers
}

/// Everything one stored response gives the FHIR builders, read back from a real database.
struct StoredCase {
    let definition: QuestionnaireDefinition
    let response: StoredResponse
    let scores: [String: FHIRResources.StoredScore]
    let flags: [String]
    let triage: TriageResult
    let patient: Patient
    let department: Department
    let decisions: [Decision]
    let staffNames: [StaffAccountID: String]

    var observations: [JSON] {
        FHIRResources.observations(response: response, scores: scores, definition: definition, patient: patient, department: department)
    }

    var triageImpression: JSON {
        FHIRResources.triageImpression(response: response, triage: triage, flags: flags,
                                       observationIDs: observations.compactMap { $0["id"]?.stringValue }, patient: patient)
    }

    var assessments: [JSON] {
        FHIRResources.assessmentImpressions(decisions: decisions, response: response, patient: patient, assessorNames: staffNames)
    }
}

/// A database in a fresh temporary folder, with the demo patient, one submitted response to
/// `name` answered with option `option` everywhere and, when `decide` is set, a clinician's
/// phone call on it and a correction of that decision.
func storedCase(_ name: String, option: Int, decide: Bool) async throws -> StoredCase {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("byneed-fhir-\(UUID().uuidString)").path
    let database = try Database(directory: directory)
    defer {
        database.close()
        try? FileManager.default.removeItem(atPath: directory)
    }
    let definition = try definition(name)
    let given = answers(definition, option: option)
    let resourceID = UUID().uuidString.lowercased()
    let responseID = try await database.write { db -> ResponseID in
        let patient = try DemoData.ensure(db)
        let invitation = try Invitations.create(db, patientID: patient.id, questionnaireURL: definition.url,
                                                questionnaireVersion: definition.version, now: submittedAt, validFor: .seconds(3600)).invitation
        let outcome = try Responses.submit(db, invitation: invitation, patient: patient, definition: definition, answers: given,
                                           resourceID: resourceID, now: submittedAt)
        guard case .stored(let id) = outcome else { throw StorageError.invalidChange("not stored") }
        if decide {
            let staff = try StaffAccounts.create(db, username: "sygeplejerske", displayName: "Sofie Sygeplejerske",
                                                 departmentID: patient.departmentID, role: "nurse", passwordHash: "x", now: submittedAt)
            let first = try Decisions.record(db, patientID: patient.id, subject: .response(id), kind: .phoneCall, visitDate: nil,
                                             nextDueDate: nil, note: "Ringet op, aftalt ny tid", decidedBy: staff.id, corrects: nil,
                                             now: submittedAt.addingTimeInterval(3600))
            try Decisions.record(db, patientID: patient.id, subject: .response(id), kind: .visitBooked, visitDate: CalendarDay(year: 2026, month: 12, day: 1),
                                 nextDueDate: nil, note: nil, decidedBy: staff.id, corrects: first.id, now: submittedAt.addingTimeInterval(7200))
        }
        return id
    }
    return try database.read { db in
        let response = try #require(try Responses.find(db, id: responseID))
        let patient = try #require(try Patients.find(db, id: response.patientID))
        let department = try #require(try Departments.find(db, id: patient.departmentID))
        let decisions = try Decisions.forSubject(db, .response(responseID))
        var names: [StaffAccountID: String] = [:]
        for decision in decisions { names[decision.decidedBy] = try StaffAccounts.find(db, id: decision.decidedBy)?.displayName }
        return StoredCase(definition: definition, response: response, scores: try ScoreRecords.find(db, responseID: responseID),
                          flags: try ScoreRecords.flags(db, responseID: responseID),
                          triage: try #require(try TriageRecords.find(db, responseID: responseID)),
                          patient: patient, department: department, decisions: decisions, staffNames: names)
    }
}
