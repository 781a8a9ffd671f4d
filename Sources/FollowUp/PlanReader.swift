import Foundation
import JSON
import Questionnaire

// MARK: - Reader

/// Walks one plan document, collecting problems with JSON paths.
struct PlanReader {
    let source: String
    private(set) var problems: [PlanProblem] = []

    init(source: String) {
        self.source = source
    }

    static let fields = ["format", "id", "version", "title", "questionnaires", "intervalDays", "remindersAfterDays",
                         "expiresAfterDays", "adaptive", "nonResponse", "responseDeadlineWorkingDays", "nextStep",
                         "fixedIntervalDays", "clinicClosedDays"]

    mutating func read(_ bytes: [UInt8], knownQuestionnaire: (String, String) -> Bool) -> FollowUpPlan? {
        let json: JSON
        do {
            json = try JSON.parse(bytes)
        } catch {
            report("", .invalidJSON(error))
            return nil
        }
        guard let root = json.objectValue else {
            report("", .wrongJSONType(expected: "a JSON object"))
            return nil
        }
        checkFields(root, allowed: Self.fields, path: "")
        if let format = string(root, "format", path: ""), format != PlanLoader.format {
            report("format", .unsupportedFormat(format))
        }
        let id = string(root, "id", path: "")
        let version = string(root, "version", path: "")
        let title = localized(root["title"], path: "title")
        let questionnaires = questionnaireList(root, knownQuestionnaire: knownQuestionnaire)
        let interval = positive(root, "intervalDays", path: "")
        let expiry = positive(root, "expiresAfterDays", path: "")
        let reminders = reminderDays(root, expiry: expiry)
        if let interval, let expiry, expiry > interval {
            report("expiresAfterDays", .expiryLongerThanInterval(expiry: expiry, interval: interval))
        }
        let adaptive = adaptiveRule(root, base: interval)
        let nonResponse = nonResponseColours(root)
        let deadlines = deadlineTable(root)
        let nextStep = nextStepTable(root)
        let fixed = positive(root, "fixedIntervalDays", path: "")
        let clinicClosedDays = bool(root, "clinicClosedDays", path: "") ?? true
        guard let id, let version, let title, let questionnaires, let interval, let expiry, let reminders,
              let nonResponse, let deadlines, let nextStep, let fixed else { return nil }
        return FollowUpPlan(id: id, version: version, title: title, questionnaires: questionnaires,
                            baseIntervalDays: interval, reminderDays: reminders, expiryDays: expiry, adaptive: adaptive,
                            nonResponseColours: nonResponse, responseDeadlineWorkingDays: deadlines, nextStep: nextStep,
                            fixedIntervalDays: fixed, clinicClosedDays: clinicClosedDays, sourceName: source)
    }

    // MARK: Parts

    private mutating func questionnaireList(_ root: JSONObject, knownQuestionnaire: (String, String) -> Bool) -> [FollowUpPlan.QuestionnaireReference]? {
        guard let elements = array(root, "questionnaires", path: "") else { return nil }
        if elements.isEmpty { report("questionnaires", .wrongJSONType(expected: "a non-empty array")) }
        var references: [FollowUpPlan.QuestionnaireReference] = []
        for (index, element) in elements.enumerated() {
            let path = "questionnaires[\(index)]"
            guard let object = element.objectValue else {
                report(path, .wrongJSONType(expected: "an object with url and version"))
                continue
            }
            checkFields(object, allowed: ["url", "version"], path: path)
            guard let url = string(object, "url", path: path), let version = string(object, "version", path: path) else { continue }
            if !knownQuestionnaire(url, version) { report(path, .unknownQuestionnaire(url: url, version: version)) }
            references.append(FollowUpPlan.QuestionnaireReference(url: url, version: version))
        }
        return elements.isEmpty ? nil : references
    }

    private mutating func reminderDays(_ root: JSONObject, expiry: Int?) -> [Int]? {
        guard root["remindersAfterDays"] != nil else { return [] }
        guard let elements = array(root, "remindersAfterDays", path: "") else { return nil }
        var days: [Int] = []
        for (index, element) in elements.enumerated() {
            let path = "remindersAfterDays[\(index)]"
            guard let day = positive(element, path: path) else { continue }
            if let last = days.last, day <= last { report(path, .remindersNotIncreasing) }
            if let expiry, day >= expiry { report(path, .reminderNotBeforeExpiry(reminder: day, expiry: expiry)) }
            days.append(day)
        }
        return days
    }

    private mutating func adaptiveRule(_ root: JSONObject, base: Int?) -> FollowUpPlan.AdaptiveRule? {
        guard root["adaptive"] != nil else { return nil }
        guard let object = object(root, "adaptive", path: "") else { return nil }
        checkFields(object, allowed: ["afterConsecutiveGreens", "factor", "maxIntervalDays"], path: "adaptive")
        let greens = positive(object, "afterConsecutiveGreens", path: "adaptive")
        var factor: Decimal?
        if let value = required(object, "factor", path: "adaptive") {
            if let number = value.numberValue, let decimal = number.decimal {
                if decimal < 1 { report("adaptive.factor", .factorBelowOne(number.literal)) } else { factor = decimal }
            } else {
                report("adaptive.factor", .wrongJSONType(expected: "a number"))
            }
        }
        let maximum = positive(object, "maxIntervalDays", path: "adaptive")
        if let maximum, let base, maximum < base {
            report("adaptive.maxIntervalDays", .maximumBelowBase(maximum: maximum, base: base))
        }
        guard let greens, let factor, let maximum else { return nil }
        return FollowUpPlan.AdaptiveRule(consecutiveGreens: greens, factor: factor, maxIntervalDays: maximum)
    }

    private mutating func nonResponseColours(_ root: JSONObject) -> [TriageColour]? {
        guard root["nonResponse"] != nil else { return [.yellow] }
        guard let object = object(root, "nonResponse", path: "") else { return nil }
        checkFields(object, allowed: ["colours"], path: "nonResponse")
        guard let elements = array(object, "colours", path: "nonResponse") else { return nil }
        if elements.isEmpty { report("nonResponse.colours", .wrongJSONType(expected: "a non-empty array")) }
        let colours = elements.enumerated().compactMap { index, element in
            signalColour(element, path: "nonResponse.colours[\(index)]")
        }
        return colours.count == elements.count && !colours.isEmpty ? colours : nil
    }

    private mutating func deadlineTable(_ root: JSONObject) -> [TriageColour: Int]? {
        guard let object = object(root, "responseDeadlineWorkingDays", path: "") else { return nil }
        let path = "responseDeadlineWorkingDays"
        checkFields(object, allowed: TriageColour.allCases.map(\.rawValue), path: path)
        var table: [TriageColour: Int] = [:]
        for colour in TriageColour.allCases where colour != .green || object[colour.rawValue] != nil {
            table[colour] = positive(object, colour.rawValue, path: path)
        }
        return table[.red] != nil && table[.yellow] != nil ? table : nil
    }

    private mutating func nextStepTable(_ root: JSONObject) -> [TriageColour: LocalizedText]? {
        guard let object = object(root, "nextStep", path: "") else { return nil }
        checkFields(object, allowed: TriageColour.allCases.map(\.rawValue), path: "nextStep")
        var table: [TriageColour: LocalizedText] = [:]
        for colour in TriageColour.allCases {
            let path = "nextStep.\(colour.rawValue)"
            guard let text = localized(required(object, colour.rawValue, path: "nextStep"), path: path) else { continue }
            checkPlaceholders(text, path: path, required: colour == .green)
            table[colour] = text
        }
        return table.count == TriageColour.allCases.count ? table : nil
    }

    /// Only `{nextDate}` may appear; green's text must show it in every language.
    private mutating func checkPlaceholders(_ text: LocalizedText, path: String, required: Bool) {
        let languages = [("da", text.base)] + text.translations.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        for (language, value) in languages {
            for placeholder in Self.placeholders(in: value) where placeholder != FollowUpPlan.nextDatePlaceholder {
                report("\(path).\(language)", .unknownPlaceholder(placeholder))
            }
            if required, !value.contains(FollowUpPlan.nextDatePlaceholder) {
                report("\(path).\(language)", .missingPlaceholder(FollowUpPlan.nextDatePlaceholder))
            }
        }
    }

    static func placeholders(in text: String) -> [String] {
        var found: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            found.append(String(rest[open...close]))
            rest = rest[rest.index(after: close)...]
        }
        return found
    }

    // MARK: Values

    /// `{"da": "...", "en": "..."}`: Danish required, other BCP 47 tags become translations.
    private mutating func localized(_ value: JSON?, path: String) -> LocalizedText? {
        guard let value else { return nil }
        guard let object = value.objectValue else {
            report(path, .wrongJSONType(expected: "an object of texts by language, e.g. {\"da\": \"…\", \"en\": \"…\"}"))
            return nil
        }
        var translations: [String: String] = [:]
        for (language, text) in object {
            guard let string = text.stringValue, !string.trimmingWhiteSpace().isEmpty else {
                report("\(path).\(language)", .wrongJSONType(expected: "a non-empty string"))
                continue
            }
            translations[language] = string
        }
        guard let danish = translations.removeValue(forKey: "da") else {
            if object["da"] == nil { report(path, .missingDanish) }
            return nil
        }
        return LocalizedText(danish, translations: translations)
    }

    private mutating func signalColour(_ value: JSON, path: String) -> TriageColour? {
        guard let text = value.stringValue else {
            report(path, .wrongJSONType(expected: "a string"))
            return nil
        }
        guard let colour = TriageColour(rawValue: text), colour != .green else {
            report(path, .invalidValue(text, expected: "yellow or red (non-response is always a signal)"))
            return nil
        }
        return colour
    }

    private mutating func positive(_ object: JSONObject, _ key: String, path: String) -> Int? {
        required(object, key, path: path).flatMap { positive($0, path: join(path, key)) }
    }

    private mutating func positive(_ value: JSON, path: String) -> Int? {
        guard let number = value.intValue else {
            report(path, .wrongJSONType(expected: "a whole number"))
            return nil
        }
        guard number >= 1 else {
            report(path, .notPositive(number))
            return nil
        }
        return number
    }

    private mutating func string(_ object: JSONObject, _ key: String, path: String) -> String? {
        guard let value = required(object, key, path: path) else { return nil }
        guard let string = value.stringValue, !string.isEmpty else {
            report(join(path, key), .wrongJSONType(expected: "a non-empty string"))
            return nil
        }
        return string
    }

    private mutating func bool(_ object: JSONObject, _ key: String, path: String) -> Bool? {
        guard let value = object[key] else { return nil }
        guard let bool = value.boolValue else {
            report(join(path, key), .wrongJSONType(expected: "true or false"))
            return nil
        }
        return bool
    }

    private mutating func array(_ object: JSONObject, _ key: String, path: String) -> [JSON]? {
        guard let value = required(object, key, path: path) else { return nil }
        guard let elements = value.arrayValue else {
            report(join(path, key), .wrongJSONType(expected: "an array"))
            return nil
        }
        return elements
    }

    private mutating func object(_ object: JSONObject, _ key: String, path: String) -> JSONObject? {
        guard let value = required(object, key, path: path) else { return nil }
        guard let members = value.objectValue else {
            report(join(path, key), .wrongJSONType(expected: "an object"))
            return nil
        }
        return members
    }

    private mutating func required(_ object: JSONObject, _ key: String, path: String) -> JSON? {
        guard let value = object[key] else {
            report(join(path, key), .missing)
            return nil
        }
        return value
    }

    private mutating func checkFields(_ object: JSONObject, allowed: [String], path: String) {
        for key in object.keys where !allowed.contains(key) { report(join(path, key), .unknownField) }
    }

    private mutating func report(_ path: String, _ kind: PlanProblem.Kind) {
        problems.append(PlanProblem(source: source, path: path, kind: kind))
    }

    private func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }
}
