import Foundation
import JSON

/// Walks a parsed expression over one input, counting its steps against the budget.
///
/// A class because one evaluation shares a mutable step counter across its recursion; it is
/// created per `evaluate` call and never shared between threads.
final class FHIRPathEvaluator {
    /// What `$this`, `$index` and `$total` mean at a point of the evaluation (N1 §5.2, §7).
    struct Context {
        var this: [FHIRPathValue]
        var index: Int?
        var total: [FHIRPathValue]?
    }

    let environment: FHIRPathEnvironment
    private var steps = 0

    init(environment: FHIRPathEnvironment) {
        self.environment = environment
    }

    /// Counts `count` steps and throws once the budget is spent.
    func charge(_ count: Int = 1) throws(FHIRPathError) {
        steps += count
        if steps > environment.stepBudget { throw .budgetExceeded(steps: environment.stepBudget) }
    }

    /// Bytes of computed string that cost one step. Without this a projection that builds a long
    /// string per item (`toChars().select(…replace…)`) stays within the budget of node visits
    /// while it builds gigabytes (found by fuzzing, see docs/fuzzing.md).
    static let stringBytesPerStep = 100

    /// Counts the strings a function or operator computed against the budget, one step per
    /// `stringBytesPerStep` bytes.
    func chargeStrings(_ values: [FHIRPathValue]) throws(FHIRPathError) {
        var bytes = 0
        for case .string(let text) in values { bytes += text.utf8.count }
        if bytes >= Self.stringBytesPerStep { try charge(bytes / Self.stringBytesPerStep) }
    }

    /// The offset from UTC, in minutes, for date-times written without a zone.
    var defaultOffset: Int { environment.utcOffsetMinutes }

    func evaluate(_ syntax: FHIRPathSyntax, focus: [FHIRPathValue], context: Context) throws(FHIRPathError) -> [FHIRPathValue] {
        try charge()
        let result: [FHIRPathValue]
        switch syntax {
        case .literal(let value):
            result = value.map { [$0] } ?? []
        case .constant(let values):
            result = values
        case .identifier(let name):
            if Self.startsUppercase(name),
               focus.count == 1, case .node(let node) = focus[0], node.json["resourceType"]?.stringValue == name {
                result = focus
            } else {
                result = try children(of: focus, named: name)
            }
        case .member(let base, let name):
            result = try children(of: try evaluate(base, focus: focus, context: context), named: name)
        case .variable(let name, let position):
            result = try variable(name, position: position)
        case .this:
            result = context.this
        case .index:
            result = context.index.map { [.integer($0)] } ?? []
        case .total:
            result = context.total ?? []
        case .call(let receiver, let function, let arguments, _):
            let input = try receiver.map { (syntax) throws(FHIRPathError) in try evaluate(syntax, focus: focus, context: context) } ?? focus
            result = try call(function, input: input, arguments: arguments, context: context)
            try chargeStrings(result)
        case .indexer(let base, let subscriptSyntax, _):
            let collection = try evaluate(base, focus: focus, context: context)
            let position = try evaluate(subscriptSyntax, focus: focus, context: context)
            guard let offset = try integer(position, "indexer") else { return [] }
            result = collection.indices.contains(offset) ? [collection[offset]] : []
        case .negate(let operand, _):
            result = try negate(try evaluate(operand, focus: focus, context: context))
        case .binary(let operation, let left, let right, _):
            result = try binary(operation, try evaluate(left, focus: focus, context: context),
                                try evaluate(right, focus: focus, context: context))
            try chargeStrings(result)
        case .type(let operation, let receiver, let specifier, _):
            let input = try receiver.map { (syntax) throws(FHIRPathError) in try evaluate(syntax, focus: focus, context: context) } ?? focus
            result = try typeOperation(operation, input, specifier)
        }
        try charge(result.count)
        return result
    }

    private func variable(_ name: String, position: Int) throws(FHIRPathError) -> [FHIRPathValue] {
        if let value = environment.variables[name] { return value }
        switch name {
        case "ucum": return [.string("http://unitsofmeasure.org")]
        case "sct": return [.string("http://snomed.info/sct")]
        case "loinc": return [.string("http://loinc.org")]
        default: throw .unknownVariable(name: name, position: position)
        }
    }

    // MARK: - Navigation

    /// The members `name` of every node in `collection`, arrays flattened; `value` also finds a
    /// FHIR choice element such as `valueCoding` (FHIR R4 §2.1.9.1.4 "Choice types").
    func children(of collection: [FHIRPathValue], named name: String) throws(FHIRPathError) -> [FHIRPathValue] {
        var result: [FHIRPathValue] = []
        /// Appends, or takes `values` as they are when nothing came before (one input node,
        /// the usual case): no second array per step.
        func add(_ values: [FHIRPathValue]) {
            if result.isEmpty { result = values } else { result += values }
        }
        for item in collection {
            guard case .node(let node) = item, let object = node.json.objectValue else { continue }
            if let json = object[name] {
                let (element, choiceType) = Self.splitChoice(name)
                add(Self.values(of: json, fhirType: choiceType ?? Self.knownType(of: name, in: json), name: element, parent: node))
            } else {
                // A choice element: `value` finds `valueCoding`. The members are scanned in place
                // (no array of keys per step); a key equal to `name` leaves an empty suffix,
                // which is no type name.
                for (key, json) in object where key.hasPrefix(name) {
                    let suffix = String(key.dropFirst(name.count))
                    guard Self.choiceSuffixes.contains(suffix) else { continue }
                    add(Self.values(of: json, fhirType: Self.typeName(choiceSuffix: suffix), name: name, parent: node))
                }
            }
            try charge()
        }
        return result
    }

    /// Every child of every node (N1 §5.8 `children()`), in document order.
    func allChildren(of collection: [FHIRPathValue]) throws(FHIRPathError) -> [FHIRPathValue] {
        var result: [FHIRPathValue] = []
        for item in collection {
            guard case .node(let node) = item, let object = node.json.objectValue else { continue }
            for (key, json) in object where !key.hasPrefix("_") && key != "resourceType" {
                let (name, type) = Self.splitChoice(key)
                result += Self.values(of: json, fhirType: type ?? Self.knownType(of: key, in: json), name: name, parent: node)
            }
            try charge()
        }
        return result
    }

    /// Whether an identifier starts with an upper-case letter (a resource type name such as
    /// `QuestionnaireResponse` matches the root). An ASCII first character, the usual case, is
    /// tested directly: `Character.isUppercase` looks up Unicode properties, and that lookup
    /// was 2 % of the scoring benchmark's samples (Benchmarks/README.md, "Scoring").
    static func startsUppercase(_ name: String) -> Bool {
        let utf8 = name.utf8
        guard let first = utf8.first else { return false }
        // A second byte below 0x80 cannot be a combining mark, so the first Character is the
        // first byte alone (or CR LF, which is no letter either way).
        if first < 0x80, utf8.dropFirst().first.map({ $0 < 0x80 }) ?? true {
            return (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(first)
        }
        return name.first?.isUppercase == true
    }

    static func values(of json: JSON, fhirType: String?, name: String, parent: FHIRPathNode) -> [FHIRPathValue] {
        if case .array(let elements) = json {
            return elements.compactMap { FHIRPathValue.from($0, fhirType: fhirType ?? $0["resourceType"]?.stringValue, name: name, parent: parent) }
        }
        return FHIRPathValue.from(json, fhirType: fhirType, name: name, parent: parent).map { [$0] } ?? []
    }

    private static let primitiveTypes: Set<String> = [
        "boolean", "integer", "decimal", "string", "date", "dateTime", "time", "instant", "uri", "url", "canonical",
        "code", "oid", "id", "markdown", "base64Binary", "unsignedInt", "positiveInt", "uuid",
    ]

    /// The type names a FHIR R4 choice element `[x]` can end in (R4 §2.24.0.1 "Open type
    /// element"), so that `answer` does not pick up a Questionnaire's `answerOption`.
    static let choiceSuffixes: Set<String> = [
        "Base64Binary", "Boolean", "Canonical", "Code", "Date", "DateTime", "Decimal", "Id", "Instant", "Integer",
        "Markdown", "Oid", "PositiveInt", "String", "Time", "UnsignedInt", "Uri", "Url", "Uuid",
        "Address", "Age", "Annotation", "Attachment", "CodeableConcept", "Coding", "ContactPoint", "Count", "Distance",
        "Duration", "HumanName", "Identifier", "Money", "Period", "Quantity", "Range", "Ratio", "Reference",
        "SampledData", "Signature", "Timing", "ContactDetail", "Contributor", "DataRequirement", "Expression",
        "ParameterDefinition", "RelatedArtifact", "TriggerDefinition", "UsageContext", "Dosage", "Meta",
    ]

    /// The FHIR type named by a choice suffix: `Integer` → `integer`, `Coding` → `Coding`.
    static func typeName(choiceSuffix suffix: String) -> String {
        let lowered = suffix.prefix(1).lowercased() + suffix.dropFirst()
        return primitiveTypes.contains(lowered) ? lowered : suffix
    }

    /// `valueCoding` → (`value`, `Coding`) when the key ends in a known type name.
    static func splitChoice(_ key: String) -> (String, String?) {
        let suffix = String(key.dropFirst(5))
        guard key.hasPrefix("value"), choiceSuffixes.contains(suffix) else { return (key, nil) }
        return ("value", typeName(choiceSuffix: suffix))
    }

    /// Types that follow from a member name in FHIR R4 resources (`name` when it is complex).
    /// Without the R4 model these are the only element types known besides choice suffixes.
    private static func knownType(of name: String, in json: JSON) -> String? {
        switch name {
        case "extension", "modifierExtension": return "Extension"
        case "coding": return "Coding"
        case "meta": return "Meta"
        case "name" where json.objectValue != nil || json.arrayValue?.first?.objectValue != nil: return "HumanName"
        case "address": return "Address"
        case "telecom": return "ContactPoint"
        case "identifier": return "Identifier"
        case "period": return "Period"
        default: return json["resourceType"]?.stringValue
        }
    }

    // MARK: - Singletons

    /// The single item of a collection, `nil` when empty; more than one is an error (N1 §4.4).
    func single(_ collection: [FHIRPathValue], _ operation: String) throws(FHIRPathError) -> FHIRPathValue? {
        guard collection.count <= 1 else { throw .singletonExpected(operation: operation, count: collection.count) }
        return collection.first
    }

    /// The collection as a boolean (N1 §4.4 "Singleton evaluation of collections"): empty is
    /// `nil`, one boolean is itself, any other single item is `true`.
    func boolean(_ collection: [FHIRPathValue], _ operation: String) throws(FHIRPathError) -> Bool? {
        guard let item = try single(collection, operation) else { return nil }
        if case .boolean(let value) = item { return value }
        return true
    }

    func integer(_ collection: [FHIRPathValue], _ operation: String) throws(FHIRPathError) -> Int? {
        guard let item = try single(collection, operation) else { return nil }
        guard case .integer(let value) = item else { throw .type("\(operation) needs an integer, not \(item.typeName)") }
        return value
    }

    func string(_ collection: [FHIRPathValue], _ operation: String) throws(FHIRPathError) -> String? {
        guard let item = try single(collection, operation) else { return nil }
        guard case .string(let value) = item else { throw .type("\(operation) needs a string, not \(item.typeName)") }
        return value
    }

    func checkLength(_ text: String) throws(FHIRPathError) -> [FHIRPathValue] {
        guard text.utf8.count <= environment.maxStringLength else {
            throw .tooLarge("a string longer than \(environment.maxStringLength) characters")
        }
        return [.string(text)]
    }
}
