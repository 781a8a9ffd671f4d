/// The identifier and code systems ByNeed's FHIR resources use, named once.
///
/// CPR and SOR are the Danish national OIDs (MISSION.md); the HL7 systems are from the FHIR R4
/// terminology (terminology.hl7.org); the `byneed.dk` systems are ByNeed's own, documented in
/// docs/scoring-and-triage.md and here.
public enum FHIRSystems {
    /// CPR numbers (the Danish personal identification number).
    public static let cpr = "urn:oid:1.2.208.176.1.2"
    /// SOR codes (the Danish health-care organisation register).
    public static let sor = "urn:oid:1.2.208.176.1.1"
    /// UCUM units (FHIR R4 §2.24.0.6 Quantity: `system` for UCUM codes).
    public static let ucum = "http://unitsofmeasure.org"
    /// FHIR R4 observation categories (`survey` for questionnaire scores).
    public static let observationCategory = "http://terminology.hl7.org/CodeSystem/observation-category"
    /// ByNeed's score codes, for scores whose item carries no code of its own.
    public static let score = "http://byneed.dk/fhir/CodeSystem/score"
    /// ByNeed's score bands (`ScoreBand.code`), used as Observation interpretation.
    public static let scoreBand = "http://byneed.dk/fhir/CodeSystem/score-band"
    /// ByNeed's score flags (`suicide_risk`, …), used as ClinicalImpression findings.
    public static let scoreFlag = "http://byneed.dk/fhir/CodeSystem/score-flag"
    /// Triage colours: `green`, `yellow`, `red`.
    public static let triageColour = "http://byneed.dk/fhir/CodeSystem/triage-colour"
    /// The kinds of clinician decision (`Decision.Kind`).
    public static let decisionKind = "http://byneed.dk/fhir/CodeSystem/decision-kind"
    /// ByNeed's kinds of ClinicalImpression: the automatic triage and the clinician's assessment.
    public static let impressionKind = "http://byneed.dk/fhir/CodeSystem/clinicalimpression-kind"
    /// The Danish telemedicine infrastructure's (FUT) ClinicalImpression codes, so a FUT client
    /// recognises `TriagingResult` and `MeasurementAssessment` (eHealth IG, CodeSystem
    /// "ClinicalImpression Codes").
    public static let futImpression = "http://ehealth.sundhed.dk/cs/clinicalimpression-codes"
    /// ByNeed's extension holding a clinician's decision on a ClinicalImpression, after FUT's
    /// `ehealth-clinicalimpression-decision`.
    public static let decisionExtension = "http://byneed.dk/fhir/StructureDefinition/clinicalimpression-decision"
    /// The legal bases of ByNeed's access policy (`LegalBasis` raw values), used as
    /// AuditEvent purposeOfEvent next to the HL7 purpose of use where one fits.
    public static let legalBasis = "http://byneed.dk/fhir/CodeSystem/legal-basis"
    /// ByNeed's API client ids, identifying the Device agent of an AuditEvent.
    public static let apiClient = "http://byneed.dk/fhir/sid/api-client"
}
