import Foundation
import JSON
import Questionnaire
import Storage

extension FHIRResources {
    /// A minimal Patient: the CPR identifier and the name as one text, nothing more (data
    /// minimisation). No change time is stored, so the version is a hash of the content and
    /// `lastUpdated` is the caller's (e.g. the request time).
    public static func patient(_ patient: Patient, lastUpdated: Date) -> JSON {
        let resource = object([
            ("resourceType", "Patient"),
            ("id", .string(DerivedID.patient(patient.id).resourceID)),
            ("identifier", [["system": .string(FHIRSystems.cpr), "value": .string(patient.cpr)]]),
            ("name", [["text": .string(patient.name)]]),
        ])
        return ResourceMeta(contentOf: resource, lastUpdated: lastUpdated).applied(to: resource)
    }

    /// A department as an Organization: SOR identifier, name and phone; versioned by content.
    public static func organization(_ department: Department, lastUpdated: Date) -> JSON {
        let resource = object([
            ("resourceType", "Organization"),
            ("id", .string(DerivedID.organization(sorCode: department.sorCode).resourceID)),
            ("identifier", [["system": .string(FHIRSystems.sor), "value": .string(department.sorCode)]]),
            ("active", true),
            ("name", .string(department.name)),
            ("telecom", department.phone.isEmpty ? nil : [["system": "phone", "value": .string(department.phone), "use": "work"]]),
        ])
        return ResourceMeta(contentOf: resource, lastUpdated: lastUpdated).applied(to: resource)
    }

    /// The definition's own JSON with a ByNeed id (`questionnaireID`) and meta; versioned by
    /// content, `lastUpdated` the caller's (e.g. when the catalogue was loaded).
    public static func questionnaire(_ definition: QuestionnaireDefinition, lastUpdated: Date) -> JSON {
        guard var object = definition.source.objectValue else { return definition.source }
        object["meta"] = nil
        var resource = JSONObject()
        resource["resourceType"] = "Questionnaire"
        resource["id"] = .string(questionnaireID(definition))
        for (key, value) in object where key != "resourceType" && key != "id" { resource[key] = value }
        return ResourceMeta(contentOf: .object(resource), lastUpdated: lastUpdated).applied(to: .object(resource))
    }

    /// `<source id or last URL segment>-<version>`: one id per `url|version`, since the
    /// catalogue holds several versions of one questionnaire.
    public static func questionnaireID(_ definition: QuestionnaireDefinition) -> String {
        let base = definition.source["id"]?.stringValue
            ?? definition.url.split(separator: "/").last.map(String.init) ?? definition.name ?? "questionnaire"
        return FHIRID.make(definition.version.isEmpty ? base : "\(base)-\(definition.version)")
    }
}
