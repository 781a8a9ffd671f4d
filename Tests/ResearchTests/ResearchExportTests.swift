import Foundation
import Questionnaire
import Research
import SQLite
import Storage
import Testing

/// Pseudonymised research exports: only approved projects, only listed fields, only consenting
/// patients where required, and pseudonyms that link within a project and never across.
@Suite struct ResearchExportTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let database: Database
    let catalogue: QuestionnaireCatalogue
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    init() async throws {
        database = try Database(directory: FileManager.default.temporaryDirectory.appendingPathComponent("byneed-research-\(UUID().uuidString)").path)
        catalogue = try QuestionnaireCatalogue.load(directory: Self.root.appendingPathComponent("Questionnaires").path)
        let who5 = try #require(catalogue.latest(url: "http://byneed.dk/fhir/Questionnaire/who5"))
        let now = self.now
        try await database.write { db in
            let department = try Departments.insert(db, sorCode: "123", name: "Afdeling", phone: "1")
            for (cpr, name) in [("0101701234", "Anna, \"A\" Andersen"), ("0202855678", "Bo Berg")] {
                let patient = try Patients.insert(db, cpr: cpr, name: name, language: "da", departmentID: department.id)
                for round in 0..<2 {
                    let invitation = try Invitations.create(db, patientID: patient.id, questionnaireURL: who5.url,
                                                            questionnaireVersion: who5.version, now: now, validFor: .seconds(86_400))
                    var answers = ResponseAnswers()
                    for item in who5.items.flatMap(\.items) where item.type == .choice {
                        answers.set(item.linkId, [item.answerOptions[round + 1].value])
                    }
                    _ = try Responses.submit(db, invitation: invitation.invitation, patient: patient, definition: who5, answers: answers,
                                             resourceID: UUID().uuidString, now: now.addingTimeInterval(Double(round) * 86_400))
                }
            }
        }
    }

    func project(_ name: String, fields: [String], consent: Bool = false, approved: Bool = true) async throws -> ResearchProject {
        let now = self.now
        return try await database.write { db in
            let project = try ResearchProjects.register(db, name: name, fields: fields, requiresConsent: consent, by: "test", now: now)
            if approved { try ResearchProjects.approve(db, project.id, reference: "VEK H-21000000", by: "test", now: now) }
            return try ResearchProjects.find(db, id: project.id)!
        }
    }

    func export(_ project: ResearchProject) throws -> ResearchExport {
        try database.read { db in try ResearchExport.make(db, project: project, catalogue: catalogue, timeZone: TimeZone(identifier: "Europe/Copenhagen")!) }
    }

    @Test func pseudonymsAreStableWithinAProjectAndDifferAcrossProjects() async throws {
        let first = try export(try await project("first", fields: ["scores"]))
        let again = try export(try ResearchProjects.find(database, "first"))
        let second = try export(try await project("second", fields: ["scores"]))
        let pseudonyms = { (export: ResearchExport) in export.data.rows.map { $0[0] } }
        #expect(pseudonyms(first) == pseudonyms(again))
        #expect(Set(pseudonyms(first)).count == 2, "two people, two responses each")
        #expect(Set(pseudonyms(first)).isDisjoint(with: Set(pseudonyms(second))))
        #expect(first.people == 2 && first.data.rows.count == 4)
    }

    @Test func onlyTheListedFieldsAndNothingThatNamesThePerson() async throws {
        let export = try export(try await project("fields", fields: ["birth-year", "sex", "scores", "colour"]))
        #expect(export.data.header == ["pseudonym", "birth-year", "sex", "score:percentage", "score:total", "colour"])
        let text = export.data.text
        for identifying in ["0101701234", "010170", "Anna", "Bo Berg"] { #expect(!text.contains(identifying)) }
        #expect(export.data.rows.first?[1] == "1970" && export.data.rows.first?[2] == "female")
        #expect(export.dictionary.rows.map { $0[0] } == export.data.header)
    }

    @Test func anUnapprovedProjectGetsNothing() async throws {
        let project = try await project("pending", fields: ["scores"], approved: false)
        #expect(throws: ResearchExport.Refusal.notApproved(project: "pending")) { try export(project) }
    }

    @Test func aProjectThatRequiresConsentGetsOnlyConsentingPatientsAndNotWithdrawnOnes() async throws {
        let project = try await project("consent", fields: ["colour"], consent: true)
        let now = self.now
        try await database.write { db in
            let anna = try Patients.find(db, cpr: "0101701234")!
            let bo = try Patients.find(db, cpr: "0202855678")!
            try ResearchProjects.recordConsent(db, project.id, patientID: anna.id, given: true, now: now)
            try ResearchProjects.recordConsent(db, project.id, patientID: bo.id, given: true, now: now)
            try ResearchProjects.recordConsent(db, project.id, patientID: bo.id, given: false, now: now.addingTimeInterval(60))
        }
        let export = try export(project)
        #expect(export.people == 1 && export.data.rows.count == 2)
        #expect(export.data.rows.allSatisfy { $0[0] == ResearchExport.pseudonym(cpr: "0101701234", secret: project.secret) })
    }

    @Test(arguments: [
        ("plain", "plain"), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""), ("line\nbreak", "\"line\nbreak\""), ("crlf\r\nbreak", "\"crlf\r\nbreak\""),
        ("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""), ("+1+1", "'+1+1"), ("-12.5", "-12.5"), ("@SUM(A1)", "'@SUM(A1)"),
    ])
    func csvFieldsAreQuotedAndFormulasDisarmed(value: String, written: String) {
        #expect(CSVTable(header: [value]).text == written + "\r\n")
    }
}

extension ResearchProjects {
    static func find(_ database: Database, _ name: String) throws -> ResearchProject {
        try database.read { db in try ResearchProjects.find(db, name: name)! }
    }
}
