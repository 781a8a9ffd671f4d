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

    /// A patient-scoped FHIR resource type in the matrix: its name, the search parameter that
    /// names the patient by CPR, and every row of one patient as stored. A new type joins the
    /// matrix with one line here; reads, both searches and the audit check follow from it.
    struct Resource: Sendable {
        let type: String
        let patientParameter: String
        let rows: @Sendable (Subject) throws -> [Row]

        static let all: [Resource] = [
            Resource(type: "Patient", patientParameter: "identifier") { [Row(id: "patient-\($0.patient.id.rawValue)", data: .identity)] },
            Resource(type: "QuestionnaireResponse", patientParameter: "patient:identifier") { subject in
                subject.responses.map { Row(id: $0.resourceID, data: .results) }
            },
            Resource(type: "Observation", patientParameter: "patient:identifier") { subject in
                try subject.responses.flatMap { try subject.api.observations(subject.db, $0) }.compactMap(\.["id"]?.stringValue)
                    .map { Row(id: $0, data: .results) }
            },
            Resource(type: "ClinicalImpression", patientParameter: "patient:identifier") { subject in
                try subject.responses.compactMap { try subject.api.triageImpression(subject.db, $0)?["id"]?.stringValue }
                    .map { Row(id: $0, data: .results) }
                    + subject.api.assessments(subject.db, subject.patient.id).compactMap(\.json["id"]?.stringValue)
                    .map { Row(id: $0, data: .decisions) }
            },
        ]
    }
}
