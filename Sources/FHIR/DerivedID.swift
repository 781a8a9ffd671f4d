import Storage

/// The id of a resource ByNeed builds from stored records, and the way back from an id in a
/// request (`GET Observation/<id>`) to the records it names.
///
/// Formats: `obs-<response UUID>-<score linkId>`, `ci-triage-<response UUID>`,
/// `ci-decision-<decision row>`, `patient-<patient row>`, `sor-<SOR code>`,
/// `consent-<sharing choice row>` (the choice that began the episode), `audit-<audit row>`;
/// each made valid
/// by `FHIRID.make`. A linkId that needs sanitising gets a hash suffix, so an Observation id is
/// resolved by loading the response and comparing each score's id (`matches`), never by
/// cutting the linkId back out.
public enum DerivedID: Sendable, Hashable {
    /// Length of a stored response id (a lower-case UUID).
    static let responseIDLength = 36

    case observation(responseResourceID: String, linkId: String)
    case triage(responseResourceID: String)
    case decision(DecisionID)
    case patient(PatientID)
    case organization(sorCode: String)
    case consent(choiceRow: Int64)
    case auditEvent(row: Int64)

    /// The FHIR id.
    public var resourceID: String {
        switch self {
        case .observation(let response, let linkId): FHIRID.make("obs", response, linkId)
        case .triage(let response): FHIRID.make("ci-triage", response)
        case .decision(let id): FHIRID.make("ci-decision", String(id.rawValue))
        case .patient(let id): FHIRID.make("patient", String(id.rawValue))
        case .organization(let sorCode): FHIRID.make("sor", sorCode)
        case .consent(let row): FHIRID.make("consent", String(row))
        case .auditEvent(let row): FHIRID.make("audit", String(row))
        }
    }

    /// What an id in a request names, as far as the id itself tells: for an Observation only
    /// the response (compare `resourceID` of each of its scores to find the one).
    public enum Target: Sendable, Hashable {
        case observationOfResponse(responseResourceID: String)
        case triage(responseResourceID: String)
        case decision(DecisionID)
        case patient(PatientID)
        case organization(sorCode: String)
        case consent(choiceRow: Int64)
        case auditEvent(row: Int64)
    }

    /// Reads an id of `resourceType` back; nil when ByNeed never issues such an id.
    public static func target(resourceType: String, id: String) -> Target? {
        switch resourceType {
        case "Observation":
            guard id.hasPrefix("obs-") else { return nil }
            let rest = id.dropFirst(4)
            guard rest.count > responseIDLength + 1 else { return nil }
            let response = String(rest.prefix(responseIDLength))
            guard rest.dropFirst(responseIDLength).first == "-" else { return nil }
            return .observationOfResponse(responseResourceID: response)
        case "ClinicalImpression":
            if id.hasPrefix("ci-triage-") { return .triage(responseResourceID: String(id.dropFirst(10))) }
            if id.hasPrefix("ci-decision-"), let row = Int64(id.dropFirst(12)) { return .decision(DecisionID(rawValue: row)) }
            return nil
        case "Patient":
            guard id.hasPrefix("patient-"), let row = Int64(id.dropFirst(8)) else { return nil }
            return .patient(PatientID(rawValue: row))
        case "Organization":
            guard id.hasPrefix("sor-"), id.count > 4 else { return nil }
            return .organization(sorCode: String(id.dropFirst(4)))
        case "Consent":
            guard id.hasPrefix("consent-"), let row = Int64(id.dropFirst(8)) else { return nil }
            return .consent(choiceRow: row)
        case "AuditEvent":
            guard id.hasPrefix("audit-"), let row = Int64(id.dropFirst(6)) else { return nil }
            return .auditEvent(row: row)
        default:
            return nil
        }
    }
}
