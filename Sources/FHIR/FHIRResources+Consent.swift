import Foundation
import JSON
import Storage

extension FHIRResources {
    /// The R4 Consent of one sharing episode (FHIR R4 consent.html): scope `patient-privacy`,
    /// category LOINC 59284-0 (Patient consent), the patient as subject and performer, the
    /// legal rule in `policyRule` (invariant ppc-1), and one provision: `deny` for a block,
    /// `permit` for a consent, the organisation as information recipient (IRCP), the period.
    ///
    /// Version 1 while the episode runs, version 2 from the moment it ends (lifted, withdrawn,
    /// replaced or expired), last updated then; `status` is `active` exactly while it holds.
    public static func consent(_ episode: ConsentEpisode, patient: Patient, now: Date) -> JSON {
        let ended = episode.endedAt(now)
        var period = JSONObject()
        period["start"] = .string(Timestamp.string(episode.start.at))
        period["end"] = episode.end.map { .string(Timestamp.string($0)) }
        let actor: JSON = [
            "role": ["coding": [coding(system: ConsentTerms.participationType, code: "IRCP", display: "information recipient")]],
            "reference": organizationReference(episode.organisation),
        ]
        let resource = object([
            ("resourceType", "Consent"),
            ("id", .string(DerivedID.consent(choiceRow: episode.start.id).resourceID)),
            ("status", episode.isActive(at: now) ? "active" : "inactive"),
            ("scope", ["coding": [coding(system: ConsentTerms.scope, code: "patient-privacy", display: "Privacy Consent")]]),
            ("category", [["coding": [coding(system: ConsentTerms.loinc, code: "59284-0", display: "Patient Consent")]]]),
            ("patient", patientReference(patient)),
            ("dateTime", .string(Timestamp.string(episode.start.at))),
            ("performer", [patientReference(patient)]),
            ("policyRule", ["text": .string(ConsentTerms.rule(episode.kind))]),
            ("provision", [
                "type": .string(episode.kind == .block ? "deny" : "permit"),
                "period": .object(period),
                "actor": [actor],
            ]),
        ])
        let meta = ResourceMeta(versionId: ended == nil ? ResourceMeta.firstVersion : "2", lastUpdated: ended ?? episode.start.at)
        return meta.applied(to: resource)
    }
}
