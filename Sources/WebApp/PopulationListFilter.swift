import Foundation
import JSON

/// The criteria of an automatic patient list; every criterion that is set must hold (AND).
///
/// Read from the list form's query (`plan`, `due`, `score`, `op`, `value`, `silent`,
/// `contact`) and saved as JSON in `saved_lists.filter_json`, so a saved list re-runs exactly.
struct PopulationListFilter: Sendable, Hashable {
    /// A comparison of a patient's latest score with a value.
    enum Comparison: String, Sendable, Hashable, CaseIterable {
        case atLeast = "ge", greaterThan = "gt", atMost = "le", lessThan = "lt", equal = "eq"

        func holds(_ left: Decimal, _ right: Decimal) -> Bool {
            switch self {
            case .atLeast: left >= right
            case .greaterThan: left > right
            case .atMost: left <= right
            case .lessThan: left < right
            case .equal: left == right
            }
        }

        var symbol: String {
            switch self {
            case .atLeast: "≥"
            case .greaterThan: ">"
            case .atMost: "≤"
            case .lessThan: "<"
            case .equal: "="
            }
        }
    }

    /// The patient's latest score with `code` compared with `value`.
    struct ScoreCriterion: Sendable, Hashable {
        var code: String
        var comparison: Comparison
        var value: Decimal
    }

    /// Only enrolments in this plan (id); nil: every plan.
    var plan: String?
    /// Next questionnaire due from today up to this many days ahead.
    var dueWithinDays: Int?
    var score: ScoreCriterion?
    /// No answer for more than this many days (counted from the enrolment's start when never answered).
    var silentDays: Int?
    /// Last contact (phone call or booked visit) more than this many days ago, or never.
    var contactDays: Int?
    /// Only patients whose latest closed round expired unanswered (the overview's non-responders).
    var nonResponders = false

    /// The largest number of days a criterion accepts (about 27 years).
    static let maximumDays = 10_000

    var isEmpty: Bool { self == PopulationListFilter() }

    /// The filter a list form's query describes; malformed or out-of-range values are ignored.
    init(query: [(name: String, value: String)]) {
        func value(_ name: String) -> String? {
            query.first { $0.name == name }?.value.trimmingCharacters(in: .whitespaces).nilIfEmpty
        }
        func days(_ name: String) -> Int? {
            value(name).flatMap(Int.init).flatMap { (0...Self.maximumDays).contains($0) ? $0 : nil }
        }
        plan = value("plan")
        dueWithinDays = days("due")
        silentDays = days("silent")
        contactDays = days("contact")
        nonResponders = value("nonresponders") == "1"
        if let code = value("score"), let comparison = value("op").flatMap(Comparison.init(rawValue:)),
           let number = value("value").flatMap({ Decimal(string: $0.replacingOccurrences(of: ",", with: "."), locale: Locale(identifier: "en_US_POSIX")) }) {
            score = ScoreCriterion(code: code, comparison: comparison, value: number)
        }
    }

    init(plan: String? = nil, dueWithinDays: Int? = nil, score: ScoreCriterion? = nil, silentDays: Int? = nil, contactDays: Int? = nil,
         nonResponders: Bool = false) {
        self.nonResponders = nonResponders
        self.plan = plan
        self.dueWithinDays = dueWithinDays
        self.score = score
        self.silentDays = silentDays
        self.contactDays = contactDays
    }

    /// The filter as query items, in the form's names (for links and the saved-list form).
    var queryItems: [(name: String, value: String)] {
        var items: [(name: String, value: String)] = []
        if let plan { items.append(("plan", plan)) }
        if let dueWithinDays { items.append(("due", String(dueWithinDays))) }
        if let score { items += [("score", score.code), ("op", score.comparison.rawValue), ("value", "\(score.value)")] }
        if let silentDays { items.append(("silent", String(silentDays))) }
        if let contactDays { items.append(("contact", String(contactDays))) }
        if nonResponders { items.append(("nonresponders", "1")) }
        return items
    }

    // MARK: JSON

    /// `{"plan": "...", "due": 30, "score": {"code": "...", "op": "ge", "value": "10"}, "silent": 60, "contact": 90,
    /// "nonresponders": true}`.
    var json: String {
        var members: [(String, JSON)] = []
        if let plan { members.append(("plan", .string(plan))) }
        if let dueWithinDays { members.append(("due", .number(JSONNumber(dueWithinDays)))) }
        if let score {
            members.append(("score", .object(JSONObject([("code", .string(score.code)), ("op", .string(score.comparison.rawValue)),
                                                         ("value", .string("\(score.value)"))]))))
        }
        if let silentDays { members.append(("silent", .number(JSONNumber(silentDays)))) }
        if let contactDays { members.append(("contact", .number(JSONNumber(contactDays)))) }
        if nonResponders { members.append(("nonresponders", .bool(true))) }
        return JSON.object(JSONObject(members)).serialized()
    }

    /// The filter a saved list's JSON describes; nil when it is not one.
    init?(json text: String) {
        guard let json = try? JSON.parse(text), json.objectValue != nil else { return nil }
        var query: [(name: String, value: String)] = []
        if let plan = json["plan"]?.stringValue { query.append(("plan", plan)) }
        for name in ["due", "silent", "contact"] {
            if let days = json[name]?.intValue { query.append((name, String(days))) }
        }
        if json["nonresponders"]?.boolValue == true { query.append(("nonresponders", "1")) }
        if let score = json["score"] {
            query += [("score", score["code"]?.stringValue ?? ""), ("op", score["op"]?.stringValue ?? ""),
                      ("value", score["value"]?.stringValue ?? "")]
        }
        self.init(query: query)
    }
}

private extension String {
    /// Nil for the empty string.
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
