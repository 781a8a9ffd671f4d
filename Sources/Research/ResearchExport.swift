import FollowUp
import Foundation
import Questionnaire
import Security
import SQLite
import Storage

/// A pseudonymised export for an approved research project, with its data dictionary.
///
/// Each person appears under a keyed pseudonym: HMAC-SHA256 of the CPR number with the
/// project's own secret, 128 bits in hex. It is the same for every export of the project, so
/// researchers can follow a person over time, and different in every other project, so two
/// projects cannot join their data. The secret never leaves the database.
public struct ResearchExport: Sendable {
    public let data: CSVTable
    public let dictionary: CSVTable
    /// How many people are in the export.
    public let people: Int

    /// Why an export was refused.
    public enum Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        case notApproved(project: String)
        case unknownFields([String])

        public var description: String {
            switch self {
            case .notApproved(let project):
                "project \"\(project)\" has no registered approval; register it with 'byneed research approve' before exporting"
            case .unknownFields(let fields):
                "project asks for unknown fields \(fields.joined(separator: ", ")); known: \(ResearchField.allCases.map(\.rawValue).joined(separator: ", "))"
            }
        }
    }

    /// The pseudonym of `cpr` in a project with `secret`.
    public static func pseudonym(cpr: String, secret: [UInt8]) -> String {
        String(Hex.encode(HMACSHA256.authenticationCode(key: secret, message: Array(cpr.utf8))).prefix(32))
    }

    /// Builds the export from every stored response, keeping only consenting patients when the
    /// project requires consent. Read-only: run it in a read transaction.
    public static func make(_ db: Connection, project: ResearchProject, catalogue: QuestionnaireCatalogue,
                            timeZone: TimeZone) throws -> ResearchExport {
        guard project.approvalReference?.isEmpty == false else { throw Refusal.notApproved(project: project.name) }
        let unknown = project.fields.filter { ResearchField(rawValue: $0) == nil }
        guard unknown.isEmpty else { throw Refusal.unknownFields(unknown) }
        let fields = project.fields.compactMap(ResearchField.init(rawValue:))
        let consenting = project.requiresConsent ? try ResearchProjects.consenting(db, project.id) : nil

        var records: [[String: String]] = []
        var scoreIDs = Set<String>()
        var answerIDs = Set<String>()
        var people = Set<String>()
        let responses = try db.query("""
            SELECT questionnaire_responses.id, patient_id, cpr, questionnaire_url, questionnaire_version, authored, source
            FROM questionnaire_responses JOIN patients ON patients.id = questionnaire_responses.patient_id
            ORDER BY questionnaire_responses.id
            """)
        for row in responses {
            let patientID = PatientID(rawValue: try row.int("patient_id"))
            if let consenting, !consenting.contains(patientID) { continue }
            let responseID = ResponseID(rawValue: try row.int("id"))
            let cpr = try row.string("cpr")
            let pseudonym = pseudonym(cpr: cpr, secret: project.secret)
            people.insert(pseudonym)
            var record = ["pseudonym": pseudonym]
            let number = try? CPRNumber(cpr)
            for field in fields {
                switch field {
                case .birthYear: record["birth-year"] = number.map { String($0.birthDate.year) } ?? ""
                case .sex: record["sex"] = number.map { $0.sex.rawValue } ?? ""
                case .questionnaire: record["questionnaire"] = "\(try row.string("questionnaire_url"))|\(try row.string("questionnaire_version"))"
                case .answeredDate:
                    record["answered-date"] = Timestamp.date(try row.string("authored")).map { CalendarDay($0, in: timeZone).description } ?? ""
                case .respondent: record["respondent"] = try row.string("source")
                case .scores, .bands:
                    for (linkId, score) in try ScoreRecords.find(db, responseID: responseID) {
                        scoreIDs.insert(linkId)
                        if field == .scores { record["score:\(linkId)"] = score.value ?? "" }
                        if field == .bands { record["band:\(linkId)"] = score.band ?? "" }
                    }
                case .colour: record["colour"] = try TriageRecords.find(db, responseID: responseID)?.colour.rawValue ?? ""
                case .flags: record["flags"] = try ScoreRecords.flags(db, responseID: responseID).joined(separator: ";")
                case .answers:
                    for answer in try db.query("""
                        SELECT link_id, value_type, value_text, value_number, value_code FROM response_answers
                        WHERE response_id = ? AND value_type NOT IN ('string') ORDER BY link_id, position
                        """, [.integer(responseID.rawValue)]) {
                        let linkId = try answer.string("link_id")
                        answerIDs.insert(linkId)
                        let value = try answer.optionalString("value_code") ?? answer.optionalString("value_number")
                            ?? answer.optionalString("value_text") ?? ""
                        let key = "answer:\(linkId)"
                        record[key] = record[key].map { "\($0);\(value)" } ?? value
                    }
                }
            }
            records.append(record)
        }

        var columns: [(name: String, description: String)] = [("pseudonym", "The person's pseudonym in this project (HMAC-SHA256 of the CPR number with the project's secret; 128 bits, hex).")]
        for field in fields {
            switch field {
            case .scores: columns += scoreIDs.sorted().map { ("score:\($0)", field.description + " " + itemText($0, catalogue)) }
            case .bands: columns += scoreIDs.sorted().map { ("band:\($0)", field.description + " " + itemText($0, catalogue)) }
            case .answers: columns += answerIDs.sorted().map { ("answer:\($0)", field.description + " " + itemText($0, catalogue)) }
            default: columns.append((field.rawValue, field.description))
            }
        }
        let data = CSVTable(header: columns.map(\.name), rows: records.map { record in columns.map { record[$0.name] ?? "" } })
        let dictionary = CSVTable(header: ["column", "description"], rows: columns.map { [$0.name, $0.description] })
        return ResearchExport(data: data, dictionary: dictionary, people: people.count)
    }

    /// The item's text in the questionnaires that have it, for the dictionary.
    private static func itemText(_ linkId: String, _ catalogue: QuestionnaireCatalogue) -> String {
        let texts = Set(catalogue.all.compactMap { $0.item(linkId: linkId)?.text?.base })
        return texts.isEmpty ? "" : "Item: " + texts.sorted().joined(separator: " / ")
    }
}
