import FHIR
import Foundation
import JSON
import Sharing
import SQLite
import Storage

extension FHIRAPI {
    /// `Consent/<id>`: one episode of the patient's sharing choices, when the caller may see
    /// it (`visibleEpisodes`); audited as a read of the patient's identity.
    func consentResource(_ db: Connection, id: String, caller: FHIRCaller, now: Date) throws -> JSON? {
        guard case .consent(let row)? = DerivedID.target(resourceType: "Consent", id: id),
              let found = try db.queryOne("SELECT patient_id FROM sharing_choices WHERE id = ?", [.integer(row)]),
              let patient = try Patients.find(db, id: PatientID(rawValue: try found.int("patient_id"))),
              let episode = try visibleEpisodes(db, patient, caller: caller, now: now).first(where: { $0.start.id == row }) else { return nil }
        _ = try authorise(db, caller, patientID: patient.id, data: .identity, what: "Consent/\(id)", now: now)
        return FHIRResources.consent(episode, patient: patient, now: now)
    }

    /// The Consent search candidates: the episodes the caller may see of the named patient, or
    /// of every patient the caller's organisation can reach (a relation or a consent; a client
    /// has no other way in). Each row is identity data, so the policy drops the patients whose
    /// identity the caller may not read before anything is counted.
    func consentRows(_ db: Connection, _ search: SearchRequest, caller: FHIRCaller, now: Date) throws -> [FHIRSearchRow] {
        let patients: [Patient]
        if let criterion = search.patient {
            patients = try patient(db, criterion).map { [$0] } ?? []
        } else {
            patients = try SharingRecords.statesReachable(from: caller.department.id, db).keys.compactMap { try Patients.find(db, id: $0) }
        }
        return try patients.flatMap { patient in
            try visibleEpisodes(db, patient, caller: caller, now: now).map { episode in
                let resource = FHIRResources.consent(episode, patient: patient, now: now)
                return FHIRSearchRow(sortKey: Timestamp.string(episode.start.at), id: resource["id"]?.stringValue ?? "", patientID: patient.id,
                                     data: .identity, resource: resource, instant: episode.start.at)
            }
        }
    }

    /// The episodes of a patient's choices the caller's organisation may know of: all of them
    /// for the responsible department (it must honour every block and consent), otherwise
    /// only those naming the caller's own organisation. Whether the caller may see the patient
    /// at all is the access policy's (`.identity`), asked by the read or search.
    private func visibleEpisodes(_ db: Connection, _ patient: Patient, caller: FHIRCaller, now: Date) throws -> [ConsentEpisode] {
        let episodes = ConsentEpisode.episodes(try SharingRecords.choices(db, patient.id))
        let relation = try SharingRecords.state(db, patient.id).activeRelation(of: caller.policyClient.organisation, at: now)
        if relation?.kind == .responsibleDepartment { return episodes }
        return episodes.filter { $0.organisation.sorCode == caller.department.sorCode }
    }
}
