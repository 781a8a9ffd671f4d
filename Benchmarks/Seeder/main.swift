import Foundation
import Questionnaire
import Storage

// Seeds a database for `Benchmarks/run-all.sh`: the demo department, PATIENTS patients with
// RESPONSES WHO-5 responses between them (every one stored by `Responses.submit`, the very call
// a patient's final submit makes: response JSON, answer rows, scores, triage), and OPEN fresh
// WHO-5 invitations each with a complete draft, whose link tokens go to TOKENS, one per line,
// so that every benchmark POST is a real final submit on an invitation of its own.
//
//   BenchmarkSeeder DATA-DIR QUESTIONNAIRES-DIR PATIENTS RESPONSES OPEN TOKENS
//
// Writes go through `Database.write` in large jobs (PER_JOB patients each), one transaction
// per job; the rate is printed per job so the cost of a submission can be read off.

// MARK: Arguments

let arguments = CommandLine.arguments
guard arguments.count == 7, let patientCount = Int(arguments[3]), let responseCount = Int(arguments[4]),
      let openCount = Int(arguments[5]), patientCount > 0 else {
    FileHandle.standardError.write(Data("usage: BenchmarkSeeder DATA-DIR QUESTIONNAIRES-DIR PATIENTS RESPONSES OPEN TOKENS\n".utf8))
    exit(2)
}
let (dataDirectory, questionnaireDirectory, tokenPath) = (arguments[1], arguments[2], arguments[6])
let patientsPerJob = 1_000
let who5URL = "http://byneed.dk/fhir/Questionnaire/who5"

// MARK: Seeding

let catalogue = try QuestionnaireCatalogue.load(directory: questionnaireDirectory)
guard let who5 = catalogue.latest(url: who5URL) else { fatalError("no \(who5URL) in \(questionnaireDirectory)") }
let database = try Database(directory: dataDirectory)
let department = try await database.write { db in try DemoData.ensure(db).departmentID }
let perPatient = responseCount / patientCount
let fortnight: TimeInterval = 14 * 86_400
let started = Date()
var stored = 0
var patientIDs: [PatientID] = []

for first in stride(from: 0, to: patientCount, by: patientsPerJob) {
    let jobStarted = Date()
    let range = first..<min(first + patientsPerJob, patientCount)
    let extra = range.contains(0) ? responseCount - perPatient * patientCount : 0
    let ids = try await database.write { db -> [PatientID] in
        var random = SeedData.SplitMix64(state: UInt64(first))
        var ids: [PatientID] = []
        for index in range {
            let patient = try Patients.insert(db, cpr: SeedData.cpr(index), name: "Patient \(index)", language: "da", departmentID: department)
            ids.append(patient.id)
            let count = perPatient + (index == 0 ? extra : 0)
            for round in 0..<count {
                let when = started.addingTimeInterval(-fortnight * TimeInterval(count - round) - TimeInterval(index))
                let invitation = try Invitations.create(db, patientID: patient.id, questionnaireURL: who5.url,
                                                        questionnaireVersion: who5.version, now: when, validFor: .seconds(14 * 86_400)).invitation
                _ = try Responses.submit(db, invitation: invitation, patient: patient, definition: who5,
                                         answers: SeedData.answers(who5, &random), resourceID: UUID().uuidString.lowercased(), now: when)
            }
        }
        return ids
    }
    patientIDs += ids
    stored += range.count * perPatient + extra
    let seconds = Date().timeIntervalSince(jobStarted)
    print(String(format: "patients %7d  responses %8d  %6.0f responses/s in this job", patientIDs.count, stored,
                 Double(range.count * perPatient + extra) / seconds))
}

// MARK: Open invitations with complete drafts

var tokens: [String] = []
for first in stride(from: 0, to: openCount, by: 10_000) {
    let range = first..<min(first + 10_000, openCount)
    let ids = patientIDs
    tokens += try await database.write { db -> [String] in
        var random = SeedData.SplitMix64(state: UInt64(first) &+ 0xB0B)
        var tokens: [String] = []
        let now = Date()
        for index in range {
            let patientID = ids[index % ids.count]
            let (invitation, token) = try Invitations.create(db, patientID: patientID, questionnaireURL: who5.url,
                                                             questionnaireVersion: who5.version, now: now, validFor: .seconds(14 * 86_400))
            try Drafts.save(db, invitationID: invitation.id, answers: SeedData.answers(who5, &random), language: "da", resumePage: nil, now: now)
            tokens.append(token)
        }
        return tokens
    }
}
try (tokens.joined(separator: "\n") + "\n").write(toFile: tokenPath, atomically: true, encoding: .utf8)
database.close()
print(String(format: "seeded %d patients, %d responses, %d open invitations in %.0f s", patientIDs.count, stored, tokens.count,
             Date().timeIntervalSince(started)))
