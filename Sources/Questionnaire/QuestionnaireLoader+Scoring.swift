import FHIRPath
import Foundation
import JSON

/// Reading the scoring and triage extensions (docs/scoring-and-triage.md) and the SDC
/// expressions they build on.
extension QuestionnaireLoader {
    static let variableURL = "http://hl7.org/fhir/StructureDefinition/variable"
    static let calculatedExpressionURL = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
    static let hiddenURL = "http://hl7.org/fhir/StructureDefinition/questionnaire-hidden"
    static let scoreBandURL = "http://byneed.dk/fhir/StructureDefinition/score-band"
    static let scoreFlagURL = "http://byneed.dk/fhir/StructureDefinition/score-flag"
    static let triageRuleURL = "http://byneed.dk/fhir/StructureDefinition/triage-rule"

    // MARK: Root

    /// The variables, flags and triage rules on the Questionnaire itself.
    mutating func scoringRules(_ root: JSONObject) -> ScoringRules {
        var rules = ScoringRules()
        for (object, path) in extensions(root, path: "") {
            switch object["url"]?.stringValue {
            case Self.variableURL:
                if let variable = variable(object, path: path) { rules.variables.append(variable) }
            case Self.scoreFlagURL:
                let parts = subExtensions(object, path: path)
                let code = required(parts, "code", path: path).flatMap { string($0.0, "valueCode", path: $0.1) }
                let expression = required(parts, "expression", path: path).flatMap { self.expression($0.0, path: $0.1)?.expression }
                let display = required(parts, "display", path: path).flatMap { localized($0.0, "valueString", path: $0.1) }
                if let code, let expression, let display {
                    rules.flags.append(ScoreFlagRule(code: code, expression: expression, display: display))
                }
            case Self.triageRuleURL:
                if let rule = triageRule(object, path: path) { rules.triageRules.append(rule) }
            default:
                continue
            }
        }
        checkUnique(rules.variables.map(\.name), path: "extension")
        checkUnique(rules.flags.map(\.code), path: "extension")
        checkUnique(rules.triageRules.map(\.id), path: "extension")
        return rules
    }

    private mutating func triageRule(_ object: JSONObject, path: String) -> TriageRule? {
        let parts = subExtensions(object, path: path)
        let id = required(parts, "id", path: path).flatMap { string($0.0, "valueId", path: $0.1) }
        let expression = required(parts, "expression", path: path).flatMap { self.expression($0.0, path: $0.1)?.expression }
        let colour = required(parts, "colour", path: path).flatMap { self.colour($0.0, path: $0.1) }
        let reason = required(parts, "reason", path: path).flatMap { localized($0.0, "valueString", path: $0.1) }
        let threshold = parts["threshold"].flatMap { decimal($0.0, path: $0.1) }
        guard let id, let expression, let colour, let reason else { return nil }
        return TriageRule(id: id, expression: expression, threshold: threshold, colour: colour, reason: reason)
    }

    // MARK: Items

    /// Reads one scoring extension of an item; false when `object` is not one.
    mutating func readScoringExtension(_ object: JSONObject, path: String, into item: inout QuestionnaireItem) -> Bool {
        switch object["url"]?.stringValue {
        case Self.calculatedExpressionURL:
            guard item.type == .integer || item.type == .decimal else {
                report(path, .calculatedOnNonNumeric(item.type))
                return true
            }
            item.calculatedExpression = expression(object, path: path)?.expression
        case Self.variableURL:
            if let variable = variable(object, path: path) { item.variables.append(variable) }
        case Self.hiddenURL:
            item.isHidden = object["valueBoolean"]?.boolValue ?? false
        case Self.scoreBandURL:
            let parts = subExtensions(object, path: path)
            let code = required(parts, "code", path: path).flatMap { string($0.0, "valueCode", path: $0.1) }
            let display = required(parts, "display", path: path).flatMap { localized($0.0, "valueString", path: $0.1) }
            let low = parts["low"].flatMap { decimal($0.0, path: $0.1) }
            let high = parts["high"].flatMap { decimal($0.0, path: $0.1) }
            if let low, let high, low > high { report(path, .minGreaterThanMax) }
            if let code, let display { item.bands.append(ScoreBand(low: low, high: high, code: code, display: display)) }
        default:
            return false
        }
        return true
    }

    /// Bands belong to a score, and no value may fall in two of them.
    mutating func checkBands(_ item: QuestionnaireItem, path: String) {
        guard !item.bands.isEmpty else { return }
        if item.calculatedExpression == nil { report(path, .bandOnNonScore) }
        for (index, band) in item.bands.enumerated() {
            for other in item.bands[(index + 1)...] where Self.overlap(band, other) {
                report(path, .overlappingBands(band.code, other.code))
            }
        }
        checkUnique(item.bands.map(\.code), path: path)
    }

    private static func overlap(_ first: ScoreBand, _ second: ScoreBand) -> Bool {
        let startsBeforeSecondEnds = first.low.map { low in second.high.map { low <= $0 } ?? true } ?? true
        let secondStartsBeforeFirstEnds = second.low.map { low in first.high.map { low <= $0 } ?? true } ?? true
        return startsBeforeSecondEnds && secondStartsBeforeFirstEnds
    }

    // MARK: Parts

    /// An SDC `variable`: a `valueExpression` with a name usable as `%name`.
    private mutating func variable(_ object: JSONObject, path: String) -> NamedExpression? {
        guard let (name, expression) = expression(object, path: path) else { return nil }
        guard let name else {
            report(join(path, "valueExpression.name"), .missing)
            return nil
        }
        guard Self.isVariableName(name) else {
            report(join(path, "valueExpression.name"), .invalidVariableName(name))
            return nil
        }
        return NamedExpression(name: name, expression: expression)
    }

    /// The FHIRPath `valueExpression` of an extension, with its optional name.
    private mutating func expression(_ object: JSONObject, path: String) -> (name: String?, expression: DefinitionExpression)? {
        let expressionPath = join(path, "valueExpression")
        guard let value = object["valueExpression"]?.objectValue else {
            report(expressionPath, .missing)
            return nil
        }
        if let language = value["language"]?.stringValue, language != "text/fhirpath" {
            report(join(expressionPath, "language"), .unsupportedExpressionLanguage(language))
            return nil
        }
        guard let source = string(value, "expression", path: expressionPath), !source.isEmpty else {
            report(join(expressionPath, "expression"), .missing)
            return nil
        }
        let name = string(value, "name", path: expressionPath)
        let sourcePath = join(expressionPath, "expression")
        do {
            let compiled = try FHIRPathExpression.compile(source)
            return (name, DefinitionExpression(source: source, path: sourcePath, compiled: compiled))
        } catch {
            report(sourcePath, .invalidExpression(source: source, problem: error.description))
            return nil
        }
    }

    /// The sub-extensions of a complex extension by their url.
    mutating func subExtensions(_ object: JSONObject, path: String) -> [String: (JSONObject, String)] {
        var parts: [String: (JSONObject, String)] = [:]
        for (part, partPath) in extensions(object, path: path) {
            if let url = part["url"]?.stringValue { parts[url] = (part, partPath) }
        }
        return parts
    }

    /// A sub-extension that must be there; reported as missing otherwise.
    mutating func required(_ parts: [String: (JSONObject, String)], _ name: String, path: String) -> (JSONObject, String)? {
        if parts[name] == nil { report(join(path, "extension(\(name))"), .missing) }
        return parts[name]
    }

    /// `red` or `yellow` from a `valueCode`.
    mutating func colour(_ object: JSONObject, path: String) -> TriageColour? {
        guard let text = string(object, "valueCode", path: path) else { return nil }
        guard let colour = TriageColour(rawValue: text), colour != .green else {
            report(join(path, "valueCode"), .invalidValue(text, expected: "red or yellow"))
            return nil
        }
        return colour
    }

    private mutating func decimal(_ object: JSONObject, path: String) -> Decimal? {
        guard let value = object["valueDecimal"]?.decimalValue ?? object["valueInteger"]?.decimalValue else {
            report(join(path, "valueDecimal"), .wrongJSONType(expected: "a number"))
            return nil
        }
        return value
    }

    private mutating func checkUnique(_ names: [String], path: String) {
        var seen: Set<String> = []
        for name in names where !seen.insert(name).inserted { report(path, .duplicateName(name)) }
    }

    /// FHIRPath identifiers: a letter or `_`, then letters, digits or `_`.
    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }
}
