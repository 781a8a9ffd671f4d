import JSON
import Sharing
import Storage

/// The code systems of ByNeed's AuditEvents (FHIR R4 auditevent.html bindings).
enum AuditTerms {
    static let dicom = "http://dicom.nema.org/resources/ontology/DCM"
    static let eventType = "http://terminology.hl7.org/CodeSystem/audit-event-type"
    static let restfulInteraction = "http://hl7.org/fhir/restful-interaction"
    static let sourceType = "http://terminology.hl7.org/CodeSystem/security-source-type"
    static let entityTypes = "http://terminology.hl7.org/CodeSystem/audit-entity-type"
    static let objectRole = "http://terminology.hl7.org/CodeSystem/object-role"
    static let purposeOfUse = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
    static let securityRoleType = "http://terminology.hl7.org/CodeSystem/extra-security-role-type"

    /// API calls are RESTful operations; everything else is a look-up in the patient record.
    static func type(_ entry: AuditEntry) -> JSON {
        entry.actorKind == .apiClient
            ? FHIRResources.coding(system: eventType, code: "rest", display: "RESTful Operation")
            : FHIRResources.coding(system: dicom, code: "110110", display: "Patient Record")
    }

    /// The RESTful interaction of an API call: a search (`<Type> search`) or a read.
    static func subtype(_ entry: AuditEntry) -> JSON? {
        guard entry.actorKind == .apiClient else { return nil }
        if entry.action == .change { return FHIRResources.coding(system: restfulInteraction, code: "create", display: "create") }
        return entry.what.hasSuffix(" search")
            ? FHIRResources.coding(system: restfulInteraction, code: "search-type", display: "search type")
            : FHIRResources.coding(system: restfulInteraction, code: "read", display: "read")
    }

    /// The legal basis as ByNeed codes it, with the HL7 purpose of use where one fits
    /// (treatment for a treatment relation, emergency treatment for break-glass) and the
    /// citation (`LegalBasis.citation`) as text.
    static func purpose(_ basis: String) -> JSON {
        var codings: [JSON] = []
        switch basis {
        case "treatmentRelation": codings.append(FHIRResources.coding(system: purposeOfUse, code: "TREAT", display: "treatment"))
        case "vitalInterest": codings.append(FHIRResources.coding(system: purposeOfUse, code: "ETREAT", display: "Emergency Treatment"))
        default: break
        }
        codings.append(FHIRResources.coding(system: FHIRSystems.legalBasis, code: basis, display: nil))
        return FHIRResources.object([("coding", .array(codings)), ("text", LegalBasis(rawValue: basis).map { .string($0.citation) })])
    }

    static func agentType(_ system: String, _ code: String, _ display: String) -> JSON {
        ["coding": [FHIRResources.coding(system: system, code: code, display: display)]]
    }

    static func entityType(_ code: String, _ display: String) -> JSON {
        FHIRResources.coding(system: entityTypes, code: code, display: display)
    }

    static func entityRole(_ code: String, _ display: String) -> JSON {
        FHIRResources.coding(system: objectRole, code: code, display: display)
    }
}
