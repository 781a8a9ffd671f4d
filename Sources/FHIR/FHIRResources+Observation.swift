import Foundation
import JSON
import Questionnaire
import Storage

extension FHIRResources {
    /// The score of one stored response as stored: value text (nil when not computed) and band
    /// code, as `ScoreRecords.find` returns them by linkId.
    public typealias StoredScore = (value: String?, band: String?)

    /// One Observation per computed score of a response, in the definition's order (FHIR SDC
    /// "Observation-based extraction": status `final`, category `survey`, `derivedFrom` the
    /// QuestionnaireResponse). A score that could not be computed gives no Observation.
    ///
    /// `code` is the score item's code (e.g. LOINC 44261-6), else a ByNeed code
    /// (`FHIRSystems.score`, `<questionnaire>.<linkId>`). The value is a `valueQuantity` when
    /// the item has a unit (UCUM system when the unit is UCUM), a `valueInteger` for an integer
    /// score, else a `valueQuantity` in the UCUM annotation `{score}` (FHIR R4 Observation has
    /// no `valueDecimal`). The band is the `interpretation`. `performer` is the department.
    public static func observations(response: StoredResponse, scores: [String: StoredScore],
                                    definition: QuestionnaireDefinition, patient: Patient, department: Department) -> [JSON] {
        let authored = authoredText(response)
        return scoreItems(definition).compactMap { item in
            guard let stored = scores[item.linkId], let valueText = stored.value,
                  let number = JSONNumber(literal: valueText) else { return nil }
            return observation(response: response, authored: authored, item: item, value: number, bandCode: stored.band,
                               definition: definition, patient: patient, department: department)
        }
    }

    /// The Observation id of a response's score (see `DerivedID`).
    public static func observationID(response: StoredResponse, linkId: String) -> String {
        DerivedID.observation(responseResourceID: response.resourceID, linkId: linkId).resourceID
    }

    /// The `code` of every score Observation a definition can produce, by the score item's
    /// linkId: what a search's `code` criterion is matched against.
    public static func scoreCodes(_ definition: QuestionnaireDefinition) -> [(linkId: String, code: JSON)] {
        scoreItems(definition).map { ($0.linkId, scoreCode($0, definition: definition)) }
    }

    /// The calculated items of a definition, depth first in document order.
    static func scoreItems(_ definition: QuestionnaireDefinition) -> [QuestionnaireItem] {
        definition.items.flatMap(\.flattened).filter { $0.calculatedExpression != nil }
    }

    private static func observation(response: StoredResponse, authored: String, item: QuestionnaireItem, value: JSONNumber,
                                    bandCode: String?, definition: QuestionnaireDefinition, patient: Patient,
                                    department: Department) -> JSON {
        let band = bandCode.flatMap { code in item.bands.first { $0.code == code } }
        let resource = object([
            ("resourceType", "Observation"),
            ("id", .string(observationID(response: response, linkId: item.linkId))),
            ("status", "final"),
            ("category", [["coding": [coding(system: FHIRSystems.observationCategory, code: "survey", display: "Survey")]]]),
            ("code", scoreCode(item, definition: definition)),
            ("subject", patientReference(patient)),
            ("effectiveDateTime", .string(authored)),
            ("issued", .string(Timestamp.string(response.authored))),
            ("performer", [organizationReference(department)]),
            (valueElement(item, value: value)),
            ("interpretation", band.map { band in
                [["coding": [coding(system: FHIRSystems.scoreBand, code: band.code, display: band.display.base)],
                  "text": .string(band.display.base)]]
            } ?? bandCode.map { code in [["coding": [coding(system: FHIRSystems.scoreBand, code: code, display: nil)]]] }),
            ("derivedFrom", [responseReference(response)]),
        ])
        return ResourceMeta(versionId: ResourceMeta.firstVersion, lastUpdated: response.authored).applied(to: resource)
    }

    private static func scoreCode(_ item: QuestionnaireItem, definition: QuestionnaireDefinition) -> JSON {
        let text = item.text?.base
        guard !item.codes.isEmpty else {
            let name = definition.name ?? String(definition.url.split(separator: "/").last ?? "questionnaire")
            return object([("coding", [coding(system: FHIRSystems.score, code: "\(name).\(item.linkId)", display: text)]),
                           ("text", text.map(JSON.string))])
        }
        return object([("coding", .array(item.codes.map { coding(system: $0.system, code: $0.code, display: $0.display) })),
                       ("text", text.map(JSON.string))])
    }

    /// `valueQuantity` or `valueInteger` (see `observations`); a unit without a system gives
    /// no `code` (FHIR R4 Quantity qty-3: a code needs its system).
    private static func valueElement(_ item: QuestionnaireItem, value: JSONNumber) -> (String, JSON?) {
        if let unit = item.unit {
            return ("valueQuantity", object([("value", .number(value)), ("unit", .string(unit.display ?? unit.code)),
                                             ("system", unit.system.map(JSON.string)), ("code", unit.system.map { _ in .string(unit.code) })]))
        }
        if item.type == .integer, let integer = value.int {
            return ("valueInteger", .number(JSONNumber(integer)))
        }
        return ("valueQuantity", ["value": .number(value), "unit": "{score}", "system": .string(FHIRSystems.ucum), "code": "{score}"])
    }
}
