import Foundation
import JSON

// MARK: - Loading

extension QuestionnaireDefinition {
    /// Validates a FHIR R4 Questionnaire resource and builds the definition.
    ///
    /// Collects every problem before failing, each with `source` and a JSON path. In
    /// `.lenient` mode a missing `url`, `version` or `status` becomes a warning (kept in
    /// `warnings`) so files from other tools can still be scored.
    public static func parse(_ json: JSON, source: String, strictness: Strictness = .catalogue) throws(QuestionnaireLoadError) -> QuestionnaireDefinition {
        var loader = QuestionnaireLoader(source: source, strictness: strictness)
        let definition = loader.load(json)
        guard let definition, !loader.problems.contains(where: { $0.severity == .error }) else {
            throw QuestionnaireLoadError(problems: loader.problems)
        }
        return definition
    }

    /// Parses JSON bytes and then the resource (see `parse(_:source:strictness:)`); invalid
    /// JSON is reported as a problem of `source` with its line and column.
    public static func parse(bytes: [UInt8], source: String, strictness: Strictness = .catalogue) throws(QuestionnaireLoadError) -> QuestionnaireDefinition {
        let json: JSON
        do {
            json = try JSON.parse(bytes)
        } catch {
            throw QuestionnaireLoadError(problems: [QuestionnaireProblem(source: source, path: "", kind: .invalidJSON(error))])
        }
        return try parse(json, source: source, strictness: strictness)
    }
}

// MARK: - Loader

/// Walks one Questionnaire resource, collecting problems with JSON paths.
struct QuestionnaireLoader {
    static let translationURL = "http://hl7.org/fhir/StructureDefinition/translation"
    static let minValueURL = "http://hl7.org/fhir/StructureDefinition/minValue"
    static let maxValueURL = "http://hl7.org/fhir/StructureDefinition/maxValue"
    static let unitURL = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit"
    static let unitOptionURL = "http://hl7.org/fhir/StructureDefinition/questionnaire-unitOption"
    static let ordinalValueURL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
    static let itemWeightURL = "http://hl7.org/fhir/StructureDefinition/itemWeight"
    static let answerSignificanceURL = "http://byneed.dk/fhir/StructureDefinition/answer-significance"

    /// An enableWhen waiting for the whole item tree before its reference can be checked.
    private struct PendingCondition {
        var path: String
        var answerElement: String
        var condition: EnableWhen
    }

    let source: String
    let strictness: QuestionnaireDefinition.Strictness
    private(set) var problems: [QuestionnaireProblem] = []
    private var valueSets: [String: (json: JSONObject, path: String)] = [:]
    private var linkIdPaths: [String: String] = [:]
    private var pending: [PendingCondition] = []

    init(source: String, strictness: QuestionnaireDefinition.Strictness) {
        self.source = source
        self.strictness = strictness
    }

    // MARK: Resource

    mutating func load(_ json: JSON) -> QuestionnaireDefinition? {
        guard let root = json.objectValue else {
            report("", .wrongJSONType(expected: "a JSON object"))
            return nil
        }
        let resourceType = root["resourceType"]?.stringValue
        if resourceType != "Questionnaire" {
            report("resourceType", .notAQuestionnaire(resourceType: resourceType))
            return nil
        }
        checkModifierExtensions(root, path: "")
        let url = metadata(root, "url")
        let version = metadata(root, "version")
        var status = QuestionnaireDefinition.Status.unknown
        if let statusText = metadata(root, "status") {
            if let value = QuestionnaireDefinition.Status(rawValue: statusText) {
                status = value
            } else {
                report("status", .invalidValue(statusText, expected: "one of draft, active, retired, unknown"))
            }
        }
        let name = string(root, "name", path: "")
        let language = string(root, "language", path: "")
        let title = localized(root, "title", path: "") ?? LocalizedText(name ?? source)
        let description = localized(root, "description", path: "")
        let copyright = localized(root, "copyright", path: "")
        collectValueSets(root)
        let items = itemList(root, path: "")
        if items.isEmpty, !problems.contains(where: { $0.path.hasPrefix("item") }) { report("item", .noItems) }
        var definition = QuestionnaireDefinition(
            url: url ?? "", version: version ?? "", name: name, title: title, status: status, language: language,
            description: description, copyright: copyright, items: items, source: json, sourceName: source,
            warnings: [])
        definition.scoring = scoringRules(root)
        checkConditions(definition)
        checkCycles(definition)
        definition.warnings = problems.filter { $0.severity == .warning }
        return definition
    }

    /// A required metadata string: an error in catalogue mode, a warning in lenient mode.
    private mutating func metadata(_ root: JSONObject, _ key: String) -> String? {
        if let value = string(root, key, path: ""), !value.isEmpty { return value }
        if root[key]?.stringValue == nil, root[key] != nil { return nil }
        report(key, .missing, severity: strictness == .catalogue ? .error : .warning)
        return nil
    }

    private mutating func collectValueSets(_ root: JSONObject) {
        for (index, resource) in (root["contained"]?.arrayValue ?? []).enumerated() {
            guard let object = resource.objectValue, object["resourceType"]?.stringValue == "ValueSet" else { continue }
            let path = "contained[\(index)]"
            if let id = object["id"]?.stringValue { valueSets["#" + id] = (object, path) }
            if let url = object["url"]?.stringValue { valueSets[url] = (object, path) }
        }
    }

    // MARK: Items

    private mutating func itemList(_ object: JSONObject, path: String) -> [QuestionnaireItem] {
        guard let value = object["item"] else { return [] }
        guard let elements = value.arrayValue else {
            report(join(path, "item"), .wrongJSONType(expected: "an array"))
            return []
        }
        return elements.enumerated().compactMap { index, element in
            let itemPath = join(path, "item[\(index)]")
            guard let itemObject = element.objectValue else {
                report(itemPath, .wrongJSONType(expected: "an object"))
                return nil
            }
            return item(itemObject, path: itemPath)
        }
    }

    private mutating func item(_ object: JSONObject, path: String) -> QuestionnaireItem? {
        checkModifierExtensions(object, path: path)
        let linkId = string(object, "linkId", path: path)
        if linkId == nil, object["linkId"] == nil { report(join(path, "linkId"), .missing) }
        if let linkId {
            if linkIdPaths[linkId] != nil {
                report(join(path, "linkId"), .duplicateLinkId(linkId))
            } else {
                linkIdPaths[linkId] = path
            }
        }
        var type: ItemType?
        if let typeText = string(object, "type", path: path) {
            type = ItemType(rawValue: typeText)
            if type == nil { report(join(path, "type"), .unsupportedItemType(typeText)) }
        } else if object["type"] == nil {
            report(join(path, "type"), .missing)
        }
        let children = itemList(object, path: path)
        guard let linkId, let type else { return nil }

        var item = QuestionnaireItem(linkId: linkId, type: type)
        item.text = localized(object, "text", path: path)
        item.prefix = string(object, "prefix", path: path)
        item.required = bool(object, "required", path: path)
        item.repeats = bool(object, "repeats", path: path)
        item.readOnly = bool(object, "readOnly", path: path)
        item.items = children
        checkStructure(object, item: item, path: path)

        item.answerOptions = answerOptions(object, type: type, path: path)
        item.maxLength = maxLength(object, type: type, path: path)
        let explicitInitial = initialValues(object, item: item, path: path)
        item.initial = explicitInitial + item.answerOptions.filter(\.initialSelected).map(\.value)
        if !item.repeats, item.initial.count > 1 { report(join(path, "initial"), .tooManyInitialValues) }
        item.codes = codes(object, path: path)
        readExtensions(object, into: &item, path: path)
        checkBands(item, path: path)
        readConditions(object, into: &item, path: path)
        return item
    }

    /// `Questionnaire.item.code`: a list of Codings.
    private mutating func codes(_ object: JSONObject, path: String) -> [Coding] {
        guard let value = object["code"] else { return [] }
        guard let elements = value.arrayValue else {
            report(join(path, "code"), .wrongJSONType(expected: "an array of Codings"))
            return []
        }
        return elements.enumerated().compactMap { index, element in
            switch AnswerValue.codingFrom(element) {
            case .success(let coding): return coding
            case .failure(let kind):
                report(join(path, "code[\(index)]"), kind)
                return nil
            }
        }
    }

    /// Rules that depend only on the item's type and which elements are present.
    private mutating func checkStructure(_ object: JSONObject, item: QuestionnaireItem, path: String) {
        switch item.type {
        case .group:
            if item.items.isEmpty { report(join(path, "item"), .groupWithoutItems) }
        case .display:
            for element in ["required", "repeats", "answerOption", "answerValueSet", "initial", "item"]
            where object[element] != nil && object[element] != .bool(false) {
                report(join(path, element), .notAllowedOnDisplay(element: element))
            }
        default:
            if !item.items.isEmpty { report(join(path, "item"), .childrenUnderQuestion) }
        }
    }

    private mutating func maxLength(_ object: JSONObject, type: ItemType, path: String) -> Int? {
        guard let value = object["maxLength"] else { return nil }
        guard let length = value.intValue, length > 0 else {
            report(join(path, "maxLength"), .wrongJSONType(expected: "a positive whole number"))
            return nil
        }
        guard type == .string || type == .text else {
            report(join(path, "maxLength"), .maxLengthOnNonText(type))
            return nil
        }
        return length
    }

    // MARK: Answer options

    private mutating func answerOptions(_ object: JSONObject, type: ItemType, path: String) -> [AnswerOption] {
        let hasOptions = object["answerOption"] != nil
        let valueSet = string(object, "answerValueSet", path: path)
        if (hasOptions || valueSet != nil) && !type.hasOptions {
            if type != .display { report(join(path, hasOptions ? "answerOption" : "answerValueSet"), .optionsOnNonChoiceItem(type)) }
            return []
        }
        guard type.hasOptions else { return [] }
        if hasOptions && valueSet != nil {
            report(path, .optionsAndValueSet)
            return []
        }
        if let valueSet { return expand(valueSet, path: join(path, "answerValueSet")) }
        guard hasOptions else {
            if type == .choice { report(path, .choiceWithoutOptions) }
            return []
        }
        guard let elements = object["answerOption"]?.arrayValue else {
            report(join(path, "answerOption"), .wrongJSONType(expected: "an array"))
            return []
        }
        return elements.enumerated().compactMap { index, element in
            answerOption(element, itemType: type, path: join(path, "answerOption[\(index)]"))
        }
    }

    private mutating func answerOption(_ json: JSON, itemType: ItemType, path: String) -> AnswerOption? {
        guard let object = json.objectValue else {
            report(path, .wrongJSONType(expected: "an object"))
            return nil
        }
        guard let (value, element) = readValue(prefix: "value", from: object, path: path) else {
            if case .absent = AnswerValue.read(prefix: "value", from: object) { report(join(path, "value[x]"), .missing) }
            return nil
        }
        guard Self.optionTypes.contains(value.fhirTypeName) else {
            report(join(path, element), .optionTypeNotAllowed(valueType: value.fhirTypeName, itemType: itemType))
            return nil
        }
        let display: LocalizedText
        switch value {
        case .coding(let coding):
            let codingObject = object["valueCoding"]?.objectValue ?? JSONObject()
            display = LocalizedText(coding.display ?? coding.code, translations: translations(codingObject, "display", path: join(path, "valueCoding")))
        case .string(let text):
            display = LocalizedText(text, translations: translations(object, "valueString", path: path))
        case .integer(let number):
            display = LocalizedText(String(number))
        case .date(let date):
            display = LocalizedText(date)
        default:
            return nil
        }
        return AnswerOption(
            value: value, display: display, initialSelected: bool(object, "initialSelected", path: path),
            ordinalValue: ordinalValue(object, path: path))
    }

    /// The value types a choice answer option may have (FHIR R4 Questionnaire.item.answerOption.value[x]).
    static let optionTypes: Set<String> = ["Coding", "String", "Integer", "Date"]

    private mutating func ordinalValue(_ object: JSONObject, path: String) -> Decimal? {
        for (extensionObject, extensionPath) in extensions(object, path: path)
        where [Self.ordinalValueURL, Self.itemWeightURL].contains(extensionObject["url"]?.stringValue) {
            guard let weight = extensionObject["valueDecimal"]?.decimalValue ?? extensionObject["valueInteger"]?.decimalValue else {
                report(join(extensionPath, "valueDecimal"), .wrongJSONType(expected: "a number"))
                return nil
            }
            return weight
        }
        return nil
    }

    /// Expands an `answerValueSet` naming a contained ValueSet (`#id`, or the contained
    /// ValueSet's own `url`) from `expansion.contains`, else `compose.include.concept`.
    private mutating func expand(_ reference: String, path: String) -> [AnswerOption] {
        guard let (valueSet, valueSetPath) = valueSets[reference] else {
            report(path, .valueSetNotContained(reference))
            return []
        }
        var options: [AnswerOption] = []
        if let contains = valueSet["expansion"]?["contains"]?.arrayValue {
            appendExpansion(contains, path: join(valueSetPath, "expansion.contains"), into: &options)
        } else {
            for (includeIndex, include) in (valueSet["compose"]?["include"]?.arrayValue ?? []).enumerated() {
                let system = include["system"]?.stringValue
                for (index, concept) in (include["concept"]?.arrayValue ?? []).enumerated() {
                    let conceptPath = join(valueSetPath, "compose.include[\(includeIndex)].concept[\(index)]")
                    if let option = conceptOption(concept, system: system, path: conceptPath) { options.append(option) }
                }
            }
        }
        if options.isEmpty { report(path, .valueSetNotExpandable(reference)) }
        return options
    }

    private mutating func appendExpansion(_ contains: [JSON], path: String, into options: inout [AnswerOption]) {
        for (index, entry) in contains.enumerated() {
            let entryPath = "\(path)[\(index)]"
            if entry["code"] != nil, let option = conceptOption(entry, system: entry["system"]?.stringValue, path: entryPath) {
                options.append(option)
            }
            if let nested = entry["contains"]?.arrayValue {
                appendExpansion(nested, path: join(entryPath, "contains"), into: &options)
            }
        }
    }

    private mutating func conceptOption(_ concept: JSON, system: String?, path: String) -> AnswerOption? {
        guard let object = concept.objectValue, let code = object["code"]?.stringValue else {
            report(join(path, "code"), .missing)
            return nil
        }
        let display = object["display"]?.stringValue
        var translations = translations(object, "display", path: path)
        for designation in object["designation"]?.arrayValue ?? [] {
            if let language = designation["language"]?.stringValue, let value = designation["value"]?.stringValue {
                translations[language] = value
            }
        }
        return AnswerOption(
            value: .coding(Coding(system: system, code: code, display: display)),
            display: LocalizedText(display ?? code, translations: translations),
            ordinalValue: ordinalValue(object, path: path))
    }

    // MARK: Initial values and limits

    /// The `value[x]` types an answer to an item of `type` may have.
    static func answerTypes(for type: ItemType) -> Set<String> {
        switch type {
        case .group, .display: []
        case .boolean: ["Boolean"]
        case .decimal: ["Decimal"]
        case .integer: ["Integer"]
        case .date: ["Date"]
        case .dateTime: ["DateTime"]
        case .string, .text: ["String"]
        case .choice, .openChoice: optionTypes
        case .quantity: ["Quantity"]
        }
    }

    private mutating func initialValues(_ object: JSONObject, item: QuestionnaireItem, path: String) -> [AnswerValue] {
        guard let value = object["initial"], item.type != .display else { return [] }
        guard let elements = value.arrayValue else {
            report(join(path, "initial"), .wrongJSONType(expected: "an array"))
            return []
        }
        return elements.enumerated().compactMap { index, element in
            let initialPath = join(path, "initial[\(index)]")
            guard let initialObject = element.objectValue else {
                report(initialPath, .wrongJSONType(expected: "an object"))
                return nil
            }
            guard let (value, name) = readValue(prefix: "value", from: initialObject, path: initialPath) else { return nil }
            guard Self.answerTypes(for: item.type).contains(value.fhirTypeName) else {
                report(join(initialPath, name), .initialTypeMismatch(valueType: value.fhirTypeName, itemType: item.type))
                return nil
            }
            if item.type == .choice, !item.answerOptions.isEmpty, !item.answerOptions.contains(where: { $0.value.matches(value) }) {
                report(join(initialPath, name), .initialNotAnOption)
            }
            return value
        }
    }

    private mutating func readExtensions(_ object: JSONObject, into item: inout QuestionnaireItem, path: String) {
        for (extensionObject, extensionPath) in extensions(object, path: path) {
            switch extensionObject["url"]?.stringValue {
            case Self.minValueURL:
                item.minValue = limit(extensionObject, type: item.type, path: extensionPath)
            case Self.maxValueURL:
                item.maxValue = limit(extensionObject, type: item.type, path: extensionPath)
            case Self.unitURL where item.type == .quantity:
                item.unit = unitCoding(extensionObject, path: extensionPath)
            case Self.unitURL where item.type == .decimal || item.type == .integer:
                // Only a label here (answers carry no unit), so a display-only coding such as
                // LHC-Forms' `{"display": "{score}"}` is tolerated and simply not kept.
                if case .success(let coding) = AnswerValue.codingFrom(extensionObject["valueCoding"] ?? .null) { item.unit = coding }
            case Self.unitURL:
                report(extensionPath, .unitNotApplicable(item.type))
            case Self.unitOptionURL:
                guard item.type == .quantity else {
                    report(extensionPath, .unitNotApplicable(item.type))
                    continue
                }
                if let coding = unitCoding(extensionObject, path: extensionPath) { item.unitOptions.append(coding) }
            case Self.answerSignificanceURL:
                if let significance = answerSignificance(extensionObject, item: item, path: extensionPath) {
                    item.significance.append(significance)
                }
            default:
                _ = readScoringExtension(extensionObject, path: extensionPath, into: &item)
            }
        }
        if item.type == .quantity, item.allowedUnits.isEmpty { report(path, .quantityWithoutUnit) }
        if let minValue = item.minValue, let maxValue = item.maxValue, minValue.compare(maxValue) == .orderedDescending {
            report(path, .minGreaterThanMax)
        }
    }

    /// One answer-significance rule (docs/scoring-and-triage.md): operator, answer, colour and a
    /// reason, checked against the item it sits on as an enableWhen on that item would be.
    private mutating func answerSignificance(_ object: JSONObject, item: QuestionnaireItem, path: String) -> AnswerSignificance? {
        guard item.type.isQuestion else {
            report(path, .notAllowedOnDisplay(element: "answer significance"))
            return nil
        }
        let parts = subExtensions(object, path: path)
        var op: EnableWhenOperator?
        if let (part, partPath) = required(parts, "operator", path: path), let text = string(part, "valueCode", path: partPath) {
            op = EnableWhenOperator(rawValue: text)
            if op == nil { report(join(partPath, "valueCode"), .invalidValue(text, expected: "one of exists, =, !=, >, <, >=, <=")) }
        }
        let colour = required(parts, "colour", path: path).flatMap { self.colour($0.0, path: $0.1) }
        let reason = required(parts, "reason", path: path).flatMap { localized($0.0, "valueString", path: $0.1) }
        if let (_, partPath) = parts["reason"], reason == nil { report(join(partPath, "valueString"), .missing) }
        let answer = required(parts, "answer", path: path).flatMap { readValue(prefix: "value", from: $0.0, path: $0.1) }
        guard let op, let colour, let reason, let (value, element) = answer else { return nil }
        let condition = EnableWhen(question: item.linkId, operator: op, answer: value)
        let answerPath = join(parts["answer"]?.1 ?? path, element)
        if op == .exists {
            if value.fhirTypeName != "Boolean" { report(answerPath, .existsNeedsBoolean) }
        } else if !Self.answerTypes(for: item.type).contains(value.fhirTypeName) {
            report(answerPath, .enableWhenAnswerTypeMismatch(answerType: value.fhirTypeName, itemType: item.type))
        } else if op.isOrdering, value.fhirTypeName == "Coding" || value.fhirTypeName == "Boolean" {
            report(answerPath, .orderingNotAllowed(operator: op.rawValue, valueType: value.fhirTypeName))
        }
        return AnswerSignificance(condition: condition, colour: colour, reason: reason)
    }

    private mutating func limit(_ object: JSONObject, type: ItemType, path: String) -> AnswerValue? {
        let allowed: Set<String> = switch type {
        case .integer: ["Integer"]
        case .decimal: ["Decimal", "Integer"]
        case .date: ["Date"]
        case .dateTime: ["DateTime"]
        case .quantity: ["Decimal", "Integer", "Quantity"]
        default: []
        }
        guard !allowed.isEmpty else {
            report(path, .limitNotApplicable(type))
            return nil
        }
        guard let (value, name) = readValue(prefix: "value", from: object, path: path) else { return nil }
        guard allowed.contains(value.fhirTypeName) else {
            report(join(path, name), .limitTypeMismatch(valueType: value.fhirTypeName, itemType: type))
            return nil
        }
        return value
    }

    private mutating func unitCoding(_ object: JSONObject, path: String) -> Coding? {
        guard let coding = object["valueCoding"] else {
            report(join(path, "valueCoding"), .missing)
            return nil
        }
        switch AnswerValue.codingFrom(coding) {
        case .success(let value): return value
        case .failure(let kind):
            report(join(path, "valueCoding"), kind)
            return nil
        }
    }

    // MARK: enableWhen

    private mutating func readConditions(_ object: JSONObject, into item: inout QuestionnaireItem, path: String) {
        if let behaviour = string(object, "enableBehavior", path: path) {
            if let value = EnableBehavior(rawValue: behaviour) {
                item.enableBehavior = value
            } else {
                report(join(path, "enableBehavior"), .invalidValue(behaviour, expected: "all or any"))
            }
        }
        guard let value = object["enableWhen"] else { return }
        guard let elements = value.arrayValue else {
            report(join(path, "enableWhen"), .wrongJSONType(expected: "an array"))
            return
        }
        if elements.count > 1, object["enableBehavior"] == nil { report(join(path, "enableBehavior"), .enableBehaviorRequired) }
        for (index, element) in elements.enumerated() {
            let conditionPath = join(path, "enableWhen[\(index)]")
            guard let conditionObject = element.objectValue else {
                report(conditionPath, .wrongJSONType(expected: "an object"))
                continue
            }
            let question = string(conditionObject, "question", path: conditionPath)
            if conditionObject["question"] == nil { report(join(conditionPath, "question"), .missing) }
            var op: EnableWhenOperator?
            if let operatorText = string(conditionObject, "operator", path: conditionPath) {
                op = EnableWhenOperator(rawValue: operatorText)
                if op == nil { report(join(conditionPath, "operator"), .invalidValue(operatorText, expected: "one of exists, =, !=, >, <, >=, <=")) }
            } else if conditionObject["operator"] == nil {
                report(join(conditionPath, "operator"), .missing)
            }
            let answer = readValue(prefix: "answer", from: conditionObject, path: conditionPath)
            if case .absent = AnswerValue.read(prefix: "answer", from: conditionObject) { report(join(conditionPath, "answer[x]"), .missing) }
            guard let question, let op, let (answerValue, answerElement) = answer else { continue }
            let condition = EnableWhen(question: question, operator: op, answer: answerValue)
            item.enableWhen.append(condition)
            pending.append(PendingCondition(path: conditionPath, answerElement: answerElement, condition: condition))
        }
    }

    /// Checks enableWhen references once every linkId is known (conditions may point forward).
    private mutating func checkConditions(_ definition: QuestionnaireDefinition) {
        for entry in pending {
            let condition = entry.condition
            guard let target = definition.item(linkId: condition.question) else {
                report(join(entry.path, "question"), .unknownLinkId(condition.question))
                continue
            }
            guard target.type.isQuestion else {
                report(join(entry.path, "question"), .enableWhenOnNonQuestion(linkId: target.linkId, type: target.type))
                continue
            }
            let answerType = condition.answer.fhirTypeName
            if condition.operator == .exists {
                if answerType != "Boolean" { report(join(entry.path, entry.answerElement), .existsNeedsBoolean) }
                continue
            }
            if !Self.answerTypes(for: target.type).contains(answerType) {
                report(join(entry.path, entry.answerElement), .enableWhenAnswerTypeMismatch(answerType: answerType, itemType: target.type))
            } else if condition.operator.isOrdering, answerType == "Coding" || answerType == "Boolean" {
                report(join(entry.path, "operator"), .orderingNotAllowed(operator: condition.operator.rawValue, valueType: answerType))
            }
        }
    }

    /// Rejects enableWhen chains that loop (an item depends on its parent and on the items its
    /// conditions test), so enabled-ness has exactly one answer and evaluation terminates.
    private mutating func checkCycles(_ definition: QuestionnaireDefinition) {
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        var stack: [String] = []
        var reported = false
        func visit(_ linkId: String) {
            guard !reported, marks[linkId] != .done else { return }
            if marks[linkId] == .visiting {
                let cycle = Array(stack.drop(while: { $0 != linkId })) + [linkId]
                report(join(linkIdPaths[cycle[0]] ?? "", "enableWhen"), .enableWhenCycle(cycle))
                reported = true
                return
            }
            marks[linkId] = .visiting
            stack.append(linkId)
            for dependency in definition.dependencies(of: linkId) { visit(dependency) }
            stack.removeLast()
            marks[linkId] = .done
        }
        for linkId in definition.orderedLinkIds { visit(linkId) }
    }

    // MARK: Elements

    mutating func readValue(prefix: String, from object: JSONObject, path: String) -> (AnswerValue, String)? {
        switch AnswerValue.read(prefix: prefix, from: object) {
        case .absent: return nil
        case .value(let value, let element): return (value, element)
        case .invalid(let element, let kind):
            report(join(path, element), kind)
            return nil
        }
    }

    mutating func string(_ object: JSONObject, _ key: String, path: String) -> String? {
        guard let value = object[key] else { return nil }
        guard let text = value.stringValue else {
            report(join(path, key), .wrongJSONType(expected: "a string"))
            return nil
        }
        return text
    }

    mutating func bool(_ object: JSONObject, _ key: String, path: String) -> Bool {
        guard let value = object[key] else { return false }
        guard let flag = value.boolValue else {
            report(join(path, key), .wrongJSONType(expected: "true or false"))
            return false
        }
        return flag
    }

    mutating func localized(_ object: JSONObject, _ key: String, path: String) -> LocalizedText? {
        guard let text = string(object, key, path: path) else { return nil }
        return LocalizedText(text, translations: translations(object, key, path: path))
    }

    /// Translations of `object[key]` from the `translation` extension on `_key`.
    private mutating func translations(_ object: JSONObject, _ key: String, path: String) -> [String: String] {
        guard let element = object["_" + key]?.objectValue else { return [:] }
        var result: [String: String] = [:]
        for (extensionObject, extensionPath) in extensions(element, path: join(path, "_" + key))
        where extensionObject["url"]?.stringValue == Self.translationURL {
            var language: String?
            var content: String?
            for part in extensionObject["extension"]?.arrayValue ?? [] {
                switch part["url"]?.stringValue {
                case "lang": language = part["valueCode"]?.stringValue
                case "content": content = part["valueString"]?.stringValue ?? part["valueMarkdown"]?.stringValue
                default: continue
                }
            }
            guard let language, let content else {
                report(extensionPath, .wrongJSONType(expected: "a translation with lang (valueCode) and content (valueString)"))
                continue
            }
            result[language] = content
        }
        return result
    }

    /// The `extension` entries of `object` with their paths.
    mutating func extensions(_ object: JSONObject, path: String) -> [(JSONObject, String)] {
        guard let value = object["extension"] else { return [] }
        guard let elements = value.arrayValue else {
            report(join(path, "extension"), .wrongJSONType(expected: "an array"))
            return []
        }
        return elements.enumerated().compactMap { index, element in
            guard let extensionObject = element.objectValue, extensionObject["url"]?.stringValue != nil else {
                report(join(path, "extension[\(index)]"), .wrongJSONType(expected: "an extension object with a url"))
                return nil
            }
            return (extensionObject, join(path, "extension[\(index)]"))
        }
    }

    /// FHIR R4 §2.4.1.1: a modifier extension that is not understood must not be ignored.
    private mutating func checkModifierExtensions(_ object: JSONObject, path: String) {
        for (index, element) in (object["modifierExtension"]?.arrayValue ?? []).enumerated() {
            report(join(path, "modifierExtension[\(index)]"), .unsupportedModifierExtension(element["url"]?.stringValue ?? "?"))
        }
    }

    mutating func report(_ path: String, _ kind: QuestionnaireProblem.Kind, severity: QuestionnaireProblem.Severity = .error) {
        problems.append(QuestionnaireProblem(source: source, path: path, severity: severity, kind: kind))
    }

    func join(_ path: String, _ element: String) -> String {
        path.isEmpty ? element : "\(path).\(element)"
    }
}

extension QuestionnaireDefinition {
    /// The linkIds whose enabled state decides this item's: its parent and the questions its
    /// enableWhen conditions test.
    func dependencies(of linkId: String) -> [String] {
        let parent = parentByLinkId[linkId].map { [$0] } ?? []
        let questions = itemsByLinkId[linkId]?.enableWhen.map(\.question).filter { itemsByLinkId[$0] != nil } ?? []
        return parent + questions
    }
}
