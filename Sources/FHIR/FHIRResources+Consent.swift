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

/// The code systems and legal texts of ByNeed's Consent resources.
enum ConsentTerms {
    /// R4 `consent-scope` (terminology.hl7.org CodeSystem consentscope).
    static let scope = "http://terminology.hl7.org/CodeSystem/consentscope"
    /// LOINC, for the Consent category 59284-0 (R4 `consent-category` value set).
    static let loinc = "http://loinc.org"
    /// HL7 v3 ParticipationType, for the provision actor's role (IRCP, information recipient).
    static let participationType = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"

    /// The rule the choice rests on, as ByNeed's access policy applies it (docs/access-policy.md,
    /// "Sources"): a block is the patient's right to refuse disclosure (sundhedsloven §41 stk. 3)
    /// and electronic look-up (§42a); a consent to a social-services unit is disclosure for
    /// purposes other than treatment with consent (§43 stk. 1; GDPR art. 9(2)(a)), for at most
    /// a year (seed 002).
    static func rule(_ kind: ConsentEpisode.Kind) -> String {
        switch kind {
        case .block:
            "Spærring (negativt samtykke): patienten frabeder sig videregivelse (sundhedsloven §41 stk. 3) "
                + "og elektronisk opslag (sundhedsloven §42a) hos organisationen"
        case .consent:
            "Samtykke til videregivelse til andet formål end behandling (sundhedsloven §43 stk. 1; GDPR art. 9(2)(a)), "
                + "højst et år, kan tilbagekaldes når som helst"
        }
    }
}
