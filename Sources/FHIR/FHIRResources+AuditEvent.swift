import Foundation
import JSON
import Storage

extension FHIRResources {
    /// Who an audit row names, as far as the reader may learn it.
    public enum AuditActor: Sendable, Hashable {
        /// A staff member shown by name.
        case staff(displayName: String)
        /// A staff member whose identity is protected: the organisation stands for them.
        case protectedStaff
        /// An API client (a Device), by its ByNeed client id.
        case apiClient(id: String)
    }

    /// The R4 AuditEvent of one audit row about `patient` (FHIR R4 auditevent.html).
    ///
    /// `type`: DICOM 110110 "Patient Record" for staff pages, `rest` with the RESTful
    /// interaction as subtype for API calls; `action` R for reads and refused attempts, U for
    /// changes (ByNeed's audit does not tell a create from an update); `outcome` 0 when allowed,
    /// 4 (minor failure) when the policy refused; the requesting agent with the organisation
    /// beside it (or alone, for protected staff); ByNeed as the observer; the patient and what
    /// was read as entities; the legal basis as `purposeOfEvent`. The refusal's reason is not
    /// shown, as everywhere outside the patient's own view.
    public static func auditEvent(_ event: StoredAuditEvent, patient: Patient, organisation: Department?,
                                  actor: AuditActor) -> JSON {
        let entry = event.entry
        let resource = object([
            ("resourceType", "AuditEvent"),
            ("id", .string(DerivedID.auditEvent(row: event.id).resourceID)),
            ("type", AuditTerms.type(entry)),
            ("subtype", AuditTerms.subtype(entry).map { [$0] }),
            ("action", .string(entry.action == .change ? "U" : "R")),
            ("recorded", .string(Timestamp.string(entry.at))),
            ("outcome", .string(entry.action == .denied ? "4" : "0")),
            ("purposeOfEvent", entry.legalBasis.map { [AuditTerms.purpose($0)] }),
            ("agent", .array(agents(actor, organisation: organisation))),
            ("source", [
                "observer": ["display": "ByNeed"],
                "type": [coding(system: AuditTerms.sourceType, code: "4", display: "Application Server")],
            ]),
            ("entity", .array(entities(entry, patient: patient))),
        ])
        return ResourceMeta(versionId: ResourceMeta.firstVersion, lastUpdated: entry.at).applied(to: resource)
    }

    private static func agents(_ actor: AuditActor, organisation: Department?) -> [JSON] {
        let organisationWho: JSON = organisation.map(organizationReference) ?? ["display": "Unknown organisation"]
        switch actor {
        case .protectedStaff:
            return [["who": organisationWho, "requestor": true]]
        case .staff(let name):
            return [["type": AuditTerms.agentType(AuditTerms.securityRoleType, "humanuser", "human user"), "who": ["display": .string(name)], "requestor": true],
                    ["who": organisationWho, "requestor": false]]
        case .apiClient(let id):
            let device: JSON = ["type": "Device", "identifier": ["system": .string(FHIRSystems.apiClient), "value": .string(id)],
                                "display": .string("API client \(id)")]
            return [["type": AuditTerms.agentType(AuditTerms.dicom, "110150", "Application"), "who": device, "requestor": true],
                    ["who": organisationWho, "requestor": false]]
        }
    }

    /// The patient, and the resource read when `what` names one other than the patient
    /// (`Type/id`); otherwise the page, search or data kind by name.
    private static func entities(_ entry: AuditEntry, patient: Patient) -> [JSON] {
        let patientEntity: JSON = ["what": patientReference(patient), "type": AuditTerms.entityType("1", "Person"),
                                   "role": AuditTerms.entityRole("1", "Patient")]
        let isReference = entry.what.split(separator: "/").count == 2 && !entry.what.contains(" ")
        if isReference && entry.what == patientReference(patient)["reference"]?.stringValue { return [patientEntity] }
        let named: JSON = isReference
            ? ["what": ["reference": .string(entry.what)], "type": AuditTerms.entityType("2", "System Object")]
            : ["name": .string(entry.what), "type": AuditTerms.entityType("2", "System Object")]
        return [patientEntity, named]
    }
}
