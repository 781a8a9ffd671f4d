import JSON

/// One problem in a plan file: where it is and what is wrong.
///
/// `description` reads `epilepsy-standard.json: expiresAfterDays: 120 days is longer than the
/// interval (90 days)`, so the department can fix the file without a debugger.
public struct PlanProblem: Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, with the values needed to say it plainly.
    public enum Kind: Sendable, Hashable {
        case invalidJSON(JSONParseError)
        case unreadableFile(reason: String)
        case missing
        case wrongJSONType(expected: String)
        case unknownField
        case unsupportedFormat(String)
        case invalidValue(String, expected: String)
        case unknownQuestionnaire(url: String, version: String)
        case notPositive(Int)
        case remindersNotIncreasing
        case reminderNotBeforeExpiry(reminder: Int, expiry: Int)
        case expiryLongerThanInterval(expiry: Int, interval: Int)
        case maximumBelowBase(maximum: Int, base: Int)
        case factorBelowOne(String)
        case missingDanish
        case unknownPlaceholder(String)
        case missingPlaceholder(String)
        case duplicatePlan(id: String, version: String, otherSource: String)
    }

    /// The file name or other origin given to the loader.
    public var source: String
    /// The JSON path of the offending element (`adaptive.factor`); empty for the whole file.
    public var path: String
    public var kind: Kind

    public init(source: String, path: String, kind: Kind) {
        self.source = source
        self.path = path
        self.kind = kind
    }

    /// `source: path: message`.
    public var description: String {
        "\(path.isEmpty ? source : "\(source): \(path)"): \(message)"
    }

    /// The problem in plain words, without location.
    public var message: String {
        switch kind {
        case .invalidJSON(let error): "is not valid JSON: \(error)"
        case .unreadableFile(let reason): "cannot be read: \(reason)"
        case .missing: "is missing"
        case .wrongJSONType(let expected): "must be \(expected)"
        case .unknownField: "is not a field of a follow-up plan (misspelt?)"
        case .unsupportedFormat(let format): "format \"\(format)\" is not supported (expected \"\(PlanLoader.format)\")"
        case .invalidValue(let value, let expected): "\"\(value)\" is not \(expected)"
        case .unknownQuestionnaire(let url, let version): "questionnaire \(url) version \(version) is not in the catalogue"
        case .notPositive(let value): "\(value) must be at least 1"
        case .remindersNotIncreasing: "reminder days must increase"
        case .reminderNotBeforeExpiry(let reminder, let expiry): "a reminder after \(reminder) days is not before expiry after \(expiry) days"
        case .expiryLongerThanInterval(let expiry, let interval): "\(expiry) days is longer than the interval (\(interval) days)"
        case .maximumBelowBase(let maximum, let base): "\(maximum) days is below the base interval (\(base) days)"
        case .factorBelowOne(let factor): "\(factor) is below 1 (the interval may only grow)"
        case .missingDanish: "needs a Danish text (\"da\")"
        case .unknownPlaceholder(let name): "placeholder \(name) is unknown (only \(FollowUpPlan.nextDatePlaceholder))"
        case .missingPlaceholder(let name): "must contain \(name) so the patient sees the next date"
        case .duplicatePlan(let id, let version, let other): "plan \(id) version \(version) is also defined in \(other)"
        }
    }
}
