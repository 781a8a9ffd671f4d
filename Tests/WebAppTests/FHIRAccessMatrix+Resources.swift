import SQLite
import Sharing
import Storage
@testable import WebApp

extension FHIRAccessMatrix {
    /// One resource the API serves about a patient, and which kind of data it is to the policy.
    struct Row: Sendable, Hashable {
        let id: String
        let data: DataKind
    }

    /// What a resource table entry reads a patient's rows from: the stored patient and
    /// responses, and the API's own resource builders (which only shape records; access is
    /// decided elsewhere).
    struct Subject {
        let db: Connection
        let api: FHIRAPI
        let patient: Patient
        let responses: [StoredResponse]
    }

    /// One way a search names the patient: by CPR number (`name=urn:oid:1.2.208.176.1.2|<CPR>`),
    /// by reference (`name=Patient/<id>`) or, for Patient itself, by `_id`.
    enum PatientParameter: Sendable, CustomStringConvertible {
        case cpr(String)
        case reference(String)
        case id

        /// The query that names the patient with this CPR number and Patient id.
        func query(cpr: String, patientID: String) -> String {
            switch self {
            case .cpr(let name): "\(name)=\(FHIRAccessMatrix.cprSystem)%7C\(cpr)"
            case .reference(let name): "\(name)=Patient/\(patientID)"
            case .id: "_id=\(patientID)"
            }
        }

        var description: String {
            switch self {
            case .cpr(let name), .reference(let name): name
            case .id: "_id"
            }
        }

        /// The ways of naming the patient that every patient-scoped type supports (FHIR R4
        /// search §3.1.1.4.8 `:identifier`, §3.1.1.4.13 chaining; `subject` is the same parameter).
        static let references: [PatientParameter] = [.cpr("patient:identifier"), .cpr("subject.identifier"), .reference("patient")]
    }

    /// A patient-scoped FHIR resource type in the matrix: its name, the search parameters that
    /// name the patient, and every row of one patient as stored. A new type joins the matrix
    /// with one line here; reads, searches and the audit checks follow from it.
    struct Resource: Sendable {
        let type: String
        let patientParameters: [PatientParameter]
        let rows: @Sendable (Subject) throws -> [Row]

        /// The FHIR id of a patient (`Patient/patient-<row id>`).
        static func patientID(_ id: PatientID) -> String { "patient-\(id.rawValue)" }

        static let all: [Resource] = [
            Resource(type: "Patient", patientParameters: [.cpr("identifier"), .id]) { [Row(id: patientID($0.patient.id), data: .identity)] },
            Resource(type: "QuestionnaireResponse", patientParameters: PatientParameter.references) { subject in
                subject.responses.map { Row(id: $0.resourceID, data: .results) }
            },
            Resource(type: "Observation", patientParameters: PatientParameter.references) { subject in
                try subject.responses.flatMap { try subject.api.observations(subject.db, $0) }.compactMap(\.["id"]?.stringValue)
                    .map { Row(id: $0, data: .results) }
            },
            Resource(type: "ClinicalImpression", patientParameters: PatientParameter.references) { subject in
                try subject.responses.compactMap { try subject.api.triageImpression(subject.db, $0)?["id"]?.stringValue }
                    .map { Row(id: $0, data: .results) }
                    + subject.api.assessments(subject.db, subject.patient.id).compactMap(\.json["id"]?.stringValue)
                    .map { Row(id: $0, data: .decisions) }
            },
        ]
    }
}
