import Foundation
import JSON

// MARK: - Reading and writing value[x]

extension AnswerValue {
    /// The result of reading one `<prefix>[x]` choice element from a FHIR object.
    enum Reading {
        case absent
        case value(AnswerValue, element: String)
        /// The element exists but its content is wrong.
        case invalid(element: String, problem: QuestionnaireProblem.Kind)
    }

    /// Reads the single `<prefix>[x]` element of `object` (`value`, `answer`, `initial`).
    ///
    /// FHIR R4 §2.24.0.9 choice elements: at most one `[x]` variant may be present.
    static func read(prefix: String, from object: JSONObject) -> Reading {
        func isChoice(_ key: String) -> Bool {
            key.hasPrefix(prefix) && key.count > prefix.count && key[key.index(key.startIndex, offsetBy: prefix.count)].isUppercase
        }
        // One pass over the members, without an array of keys; the list of every element only
        // for the error.
        var found: String?
        var count = 0
        for (key, _) in object where isChoice(key) {
            count += 1
            if found == nil { found = key }
        }
        guard let element = found else { return .absent }
        guard count == 1 else { return .invalid(element: element, problem: .multipleValues(object.keys.filter(isChoice))) }
        let typeName = String(element.dropFirst(prefix.count))
        guard let json = object[element] else { return .absent }
        switch decode(typeName: typeName, json: json) {
        case .success(let value): return .value(value, element: element)
        case .failure(let problem): return .invalid(element: element, problem: problem)
        }
    }

    private static func decode(typeName: String, json: JSON) -> Result<AnswerValue, QuestionnaireProblem.Kind> {
        switch typeName {
        case "Boolean":
            guard let value = json.boolValue else { return .failure(.wrongJSONType(expected: "true or false")) }
            return .success(.boolean(value))
        case "Decimal":
            guard let value = json.decimalValue else { return .failure(.wrongJSONType(expected: "a number")) }
            return .success(.decimal(value))
        case "Integer":
            guard let value = json.intValue else { return .failure(.wrongJSONType(expected: "a whole number")) }
            return .success(.integer(value))
        case "Date":
            guard let value = json.stringValue else { return .failure(.wrongJSONType(expected: "a string")) }
            guard FHIRDate.isValidDate(value) else { return .failure(.invalidValue(value, expected: "a FHIR date (YYYY, YYYY-MM or YYYY-MM-DD)")) }
            return .success(.date(value))
        case "DateTime":
            guard let value = json.stringValue else { return .failure(.wrongJSONType(expected: "a string")) }
            guard FHIRDate.isValidDateTime(value) else { return .failure(.invalidValue(value, expected: "a FHIR dateTime (YYYY-MM-DDThh:mm:ss+zz:zz)")) }
            return .success(.dateTime(value))
        case "String":
            guard let value = json.stringValue else { return .failure(.wrongJSONType(expected: "a string")) }
            return .success(.string(value))
        case "Coding":
            return codingFrom(json).map { .coding($0) }
        case "Quantity":
            guard let object = json.objectValue else { return .failure(.wrongJSONType(expected: "an object")) }
            guard let value = object["value"]?.decimalValue else { return .failure(.wrongJSONType(expected: "a Quantity with a numeric value")) }
            return .success(.quantity(Quantity(
                value: value, unit: object["unit"]?.stringValue, system: object["system"]?.stringValue, code: object["code"]?.stringValue)))
        default:
            return .failure(.unsupportedValueType(typeName))
        }
    }

    /// Reads a FHIR Coding object; a coding must have a code.
    static func codingFrom(_ json: JSON) -> Result<Coding, QuestionnaireProblem.Kind> {
        guard let object = json.objectValue else { return .failure(.wrongJSONType(expected: "an object")) }
        guard let code = object["code"]?.stringValue, !code.isEmpty else { return .failure(.wrongJSONType(expected: "a Coding with a code")) }
        return .success(Coding(system: object["system"]?.stringValue, code: code, display: object["display"]?.stringValue))
    }

    /// The element name and JSON of this value under `prefix` (`valueCoding`, `answerInteger`, …).
    func fhirElement(prefix: String) -> (String, JSON) {
        (prefix + fhirTypeName, fhirJSON)
    }

    /// The answer object of a QuestionnaireResponse item holding this value: `{"value[x]": …}`.
    var answerJSON: JSON {
        let (element, content) = fhirElement(prefix: "value")
        return .object(JSONObject([(element, content)]))
    }

    /// The value's FHIR JSON (the content of its `value[x]` element).
    var fhirJSON: JSON {
        switch self {
        case .boolean(let value): .bool(value)
        case .decimal(let value): .number(JSONNumber(value))
        case .integer(let value): .number(JSONNumber(value))
        case .date(let value), .dateTime(let value), .string(let value): .string(value)
        case .coding(let coding): .object(coding.fhirJSON)
        case .quantity(let quantity):
            .object(JSONObject([
                ("value", .number(JSONNumber(quantity.value))), ("unit", quantity.unit.map(JSON.string)),
                ("system", quantity.system.map(JSON.string)), ("code", quantity.code.map(JSON.string)),
            ].compactMap { key, value in value.map { (key, $0) } }))
        }
    }
}

extension Coding {
    /// The FHIR JSON object of this coding, members in FHIR order.
    var fhirJSON: JSONObject {
        JSONObject([("system", system.map(JSON.string)), ("code", .string(code)), ("display", display.map(JSON.string))]
            .compactMap { key, value in value.map { (key, $0) } })
    }
}
