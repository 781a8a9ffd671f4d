import Foundation
import JSON
import Questionnaire
import Storage

// MARK: - The automatic triage and the clinician's assessment

// The Danish telemedicine infrastructure (FUT, eHealth IG profile `ehealth-clinicalimpression`)
// keeps these apart: the automatic triage is one ClinicalImpression (code `TriagingResult`),
// and a clinician's assessment is another (code `MeasurementAssessment`) with `assessor`, a
// decision extension (`ehealth-clinicalimpression-decision`), `investigation.item` → the
// measurement, and `previous` → the ClinicalImpression it follows up. ByNeed does the same: one
// impression per response for the triage, and one per recorded decision (decisions are
// append-only, so each stays one resource); a decision that a later one corrects is marked
// `entered-in-error`, and the correction's `previous` points at it.
// Sources: eHealth Infrastructure IG, "Resource Profile: ehealth-clinicalimpression"
// (https://ehealth.sundhed.dk/fhir/StructureDefinition-ehealth-clinicalimpression.html: "The
// element code specifies which of the above uses is the case" and "can refer to another
// ClinicalImpression through the element previous"); CodeSystem
// http://ehealth.sundhed.dk/cs/clinicalimpression-codes; eHealth wiki "Adding an Assessment"
// (assessor, ehealth-clinicalimpression-decision, investigation.item).

extension FHIRResources {
    /// The automatic triage of a stored response as a ClinicalImpression (status `completed`).
    ///
    /// `finding[0]` is the overall colour (a coding in `FHIRSystems.triageColour`, basis
    /// `overall`); one further finding per rule that fired, with its colour, the Danish reason
    /// as text and the rule (`answer:<linkId>`, `contact-wish:<linkId>`, `rule:<id>`) as basis;
    /// then one finding per raised flag (`FHIRSystems.scoreFlag`). `summary` says the colour
    /// and every reason in Danish. `investigation` and `supportingInfo` reference the response
    /// and its score Observations.
    public static func triageImpression(response: StoredResponse, triage: TriageResult, flags: [String],
                                        observationIDs: [String], patient: Patient) -> JSON {
        let colour = triage.colour
        var findings: [JSON] = [["itemCodeableConcept": colourConcept(colour), "basis": "overall"]]
        for finding in triage.findings {
            findings.append(["itemCodeableConcept": colourConcept(finding.colour, text: finding.reason.base),
                             "basis": .string(finding.source.description)])
        }
        for flag in flags {
            findings.append(["itemCodeableConcept": ["coding": [coding(system: FHIRSystems.scoreFlag, code: flag, display: nil)], "text": .string(flag)],
                             "basis": "flag"])
        }
        let reasons = triage.findings.map(\.reason.base)
        let summary = ([colourName(colour)] + (reasons.isEmpty ? [] : [reasons.joined(separator: "; ")])).joined(separator: ": ")
        let evidence = [responseReference(response)] + observationIDs.map { ["reference": .string("Observation/" + $0), "type": "Observation"] as JSON }
        let authored = authoredText(response)
        let resource = object([
            ("resourceType", "ClinicalImpression"),
            ("id", .string(DerivedID.triage(responseResourceID: response.resourceID).resourceID)),
            ("status", "completed"),
            ("code", impressionCode(byneed: ("triage-result", "Automatisk triage"), fut: ("TriagingResult", "Triageringsresultat"))),
            ("subject", patientReference(patient)),
            ("effectiveDateTime", .string(authored)),
            ("date", .string(authored)),
            ("investigation", [["code": ["text": "Spørgeskemabesvarelse og scorer"], "item": .array(evidence)]]),
            ("summary", .string(summary)),
            ("finding", .array(findings)),
            ("supportingInfo", [responseReference(response)]),
        ])
        return ResourceMeta(versionId: ResourceMeta.firstVersion, lastUpdated: response.authored).applied(to: resource)
    }

    /// A clinician's decision as a ClinicalImpression (FUT: `MeasurementAssessment`).
    ///
    /// The decision kind is a coding in `FHIRSystems.decisionKind` inside the extension
    /// `FHIRSystems.decisionExtension` (sub-extensions `kind`, `visitDate`, `nextDueDate`), and
    /// the `summary`; the note is `note`; `assessor` shows `assessorName` only (nil when the
    /// name is masked for the staff member's safety). `previous` is the decision it corrects,
    /// else the response's triage impression. When `correctedBy` is given, this decision was
    /// superseded: status `entered-in-error`, version 2, last updated at the correction.
    public static func assessmentImpression(decision: Decision, correctedBy: Decision?, response: StoredResponse?,
                                            patient: Patient, assessorName: String?) -> JSON {
        var decisionParts: [JSON] = [["url": "kind", "valueCoding": coding(system: FHIRSystems.decisionKind, code: decision.kind.rawValue,
                                                                          display: decisionName(decision.kind))]]
        if let visit = decision.visitDate { decisionParts.append(["url": "visitDate", "valueDate": .string(visit.description)]) }
        if let next = decision.nextDueDate { decisionParts.append(["url": "nextDueDate", "valueDate": .string(next.description)]) }
        let previous: String? = decision.corrects.map { DerivedID.decision($0).resourceID }
            ?? response.map { DerivedID.triage(responseResourceID: $0.resourceID).resourceID }
        let decided = Timestamp.string(decision.decidedAt)
        let resource = object([
            ("resourceType", "ClinicalImpression"),
            ("id", .string(DerivedID.decision(decision.id).resourceID)),
            ("extension", [["url": .string(FHIRSystems.decisionExtension), "extension": .array(decisionParts)]]),
            ("status", correctedBy == nil ? "completed" : "entered-in-error"),
            ("code", impressionCode(byneed: ("clinician-assessment", "Klinisk vurdering"), fut: ("MeasurementAssessment", "Vurdering af måling"))),
            ("subject", patientReference(patient)),
            ("effectiveDateTime", .string(decided)),
            ("date", .string(decided)),
            ("assessor", assessorName.map { ["display": .string($0)] }),
            ("previous", previous.map { ["reference": .string("ClinicalImpression/" + $0), "type": "ClinicalImpression"] }),
            ("investigation", response.map { [["code": ["text": "Spørgeskemabesvarelse"], "item": [responseReference($0)]]] }),
            ("summary", .string(decisionName(decision.kind))),
            ("supportingInfo", response.map { [responseReference($0)] }),
            ("note", decision.note.map { [["time": .string(decided), "text": .string($0)]] }),
        ])
        let meta = correctedBy.map { ResourceMeta(versionId: "2", lastUpdated: $0.decidedAt) }
            ?? ResourceMeta(versionId: ResourceMeta.firstVersion, lastUpdated: decision.decidedAt)
        return meta.applied(to: resource)
    }

    /// Every decision on a response as ClinicalImpressions, oldest first, each marked
    /// superseded when a later decision in `decisions` corrects it.
    public static func assessmentImpressions(decisions: [Decision], response: StoredResponse?, patient: Patient,
                                             assessorNames: [StaffAccountID: String]) -> [JSON] {
        let correctors = Dictionary(decisions.compactMap { decision in decision.corrects.map { ($0, decision) } },
                                    uniquingKeysWith: { first, _ in first })
        return decisions.map { decision in
            assessmentImpression(decision: decision, correctedBy: correctors[decision.id], response: response,
                                 patient: patient, assessorName: assessorNames[decision.decidedBy])
        }
    }

    // MARK: Codes

    private static func impressionCode(byneed: (String, String), fut: (String, String)) -> JSON {
        ["coding": [coding(system: FHIRSystems.impressionKind, code: byneed.0, display: byneed.1),
                    coding(system: FHIRSystems.futImpression, code: fut.0, display: fut.1)],
         "text": .string(byneed.1)]
    }

    private static func colourConcept(_ colour: TriageColour, text: String? = nil) -> JSON {
        ["coding": [coding(system: FHIRSystems.triageColour, code: colour.rawValue, display: colourName(colour))],
         "text": .string(text ?? colourName(colour))]
    }

    /// The colour in Danish, as clinicians read it.
    static func colourName(_ colour: TriageColour) -> String {
        switch colour {
        case .green: "Grøn"
        case .yellow: "Gul"
        case .red: "Rød"
        }
    }

    /// The decision kind in Danish.
    static func decisionName(_ kind: Decision.Kind) -> String {
        switch kind {
        case .noAction: "Ingen handling"
        case .phoneCall: "Telefonopkald"
        case .visitBooked: "Tid booket"
        case .intervalChanged: "Interval ændret"
        case .referred: "Henvist"
        case .followUpEnded: "Opfølgning afsluttet"
        }
    }
}
