/// The resource types ByNeed serves over FHIR.
public enum ResourceType: String, Sendable, Hashable, CaseIterable {
    case questionnaireResponse = "QuestionnaireResponse"
    case observation = "Observation"
    case clinicalImpression = "ClinicalImpression"
    case patient = "Patient"
    case organization = "Organization"
    case questionnaire = "Questionnaire"
    /// Push (issue 6): an organisation's rest-hook subscription to new results.
    case subscription = "Subscription"
    case consent = "Consent"
    case auditEvent = "AuditEvent"
}

/// A FHIR RESTful interaction (FHIR R4 http.html; CapabilityStatement `TypeRestfulInteraction`).
public enum Interaction: String, Sendable, Hashable, CaseIterable {
    case read
    /// Read of one version (`GET [type]/[id]/_history/[vid]`); ByNeed keeps only the current
    /// version of each resource, so an earlier version number is not found.
    case vread
    case searchType = "search-type"
    case create
    /// Push (issue 6): only Subscription supports it (turns it off).
    case delete
}
