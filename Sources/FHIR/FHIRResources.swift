import Foundation
import JSON
import Storage

/// Builds FHIR R4 resources from ByNeed's stored records: pure functions from records (and the
/// questionnaire definition) to JSON, each with `meta` and a stable id.
///
/// Ids: a QuestionnaireResponse keeps its stored `resource_id` (a UUID); everything else gets
/// an id derived from what it is built from (`DerivedID`), so reading the same record twice
/// gives the same id, and the id names no CPR number.
public enum FHIRResources {
    /// A reference to the patient: the literal `Patient/<id>` and the CPR identifier, as the
    /// stored responses already carry it (FHIR R4 §2.3.0 References, "logical references").
    static func patientReference(_ patient: Patient) -> JSON {
        ["reference": .string("Patient/" + DerivedID.patient(patient.id).resourceID), "type": "Patient",
         "identifier": ["system": .string(FHIRSystems.cpr), "value": .string(patient.cpr)]]
    }

    /// A reference to the department by SOR code, with its name.
    public static func organizationReference(_ department: Department) -> JSON {
        ["reference": .string("Organization/" + DerivedID.organization(sorCode: department.sorCode).resourceID),
         "type": "Organization", "identifier": ["system": .string(FHIRSystems.sor), "value": .string(department.sorCode)],
         "display": .string(department.name)]
    }

    /// A reference to a stored QuestionnaireResponse.
    static func responseReference(_ response: StoredResponse) -> JSON {
        ["reference": .string("QuestionnaireResponse/" + response.resourceID), "type": "QuestionnaireResponse"]
    }

    /// The `authored` text of a stored response as written in the resource (keeping its
    /// offset), or the stored instant.
    static func authoredText(_ response: StoredResponse) -> String {
        (try? JSON.parse(response.resourceJSON))?["authored"]?.stringValue ?? Timestamp.string(response.authored)
    }

    /// One coding as JSON, leaving out what is absent.
    static func coding(system: String?, code: String, display: String?) -> JSON {
        var object = JSONObject()
        object["system"] = system.map(JSON.string)
        object["code"] = .string(code)
        object["display"] = display.map(JSON.string)
        return .object(object)
    }

    /// Builds an object from members, leaving out nil values, in the order given.
    static func object(_ members: [(String, JSON?)]) -> JSON {
        var object = JSONObject()
        for (key, value) in members { object[key] = value }
        return .object(object)
    }
}
