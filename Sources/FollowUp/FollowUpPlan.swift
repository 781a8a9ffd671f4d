import Foundation
import Questionnaire

/// A department's need-based follow-up plan: which questionnaires to send, how often, how to
/// remind, when silence counts as non-response, and what each colour means for the patient and
/// the department. Read from `Questionnaires/plans/*.json` (docs/follow-up-plans.md).
///
/// Every rule is data so a department can change it by publishing a new version; rounds
/// already sent keep the plan version they were sent under (the integrator stores it).
public struct FollowUpPlan: Sendable, Hashable {
    /// The canonical reference of one questionnaire sent in every round.
    public struct QuestionnaireReference: Sendable, Hashable {
        public var url: String
        public var version: String

        public init(url: String, version: String) {
            self.url = url
            self.version = version
        }

        /// `url|version`, the catalogue's key (FHIR canonical reference with version).
        public var reference: String { "\(url)|\(version)" }
    }

    /// Lengthening the interval while the patient stays green.
    public struct AdaptiveRule: Sendable, Hashable {
        /// Every time this many consecutive rounds have been answered green, the interval is
        /// multiplied by `factor` (≥ 1).
        public var consecutiveGreens: Int
        /// ≥ 1; the product is rounded down to whole days.
        public var factor: Decimal
        /// The interval never grows beyond this many days (≥ the base interval).
        public var maxIntervalDays: Int

        public init(consecutiveGreens: Int, factor: Decimal, maxIntervalDays: Int) {
            self.consecutiveGreens = consecutiveGreens
            self.factor = factor
            self.maxIntervalDays = maxIntervalDays
        }
    }

    /// The plan's identifier, stable across versions (`epilepsy-standard`).
    public var id: String
    /// The plan's own version; `id` + `version` is unique.
    public var version: String
    /// Title in Danish (base) with translations.
    public var title: LocalizedText
    /// The questionnaires every round sends, in the order the patient answers them.
    public var questionnaires: [QuestionnaireReference]
    /// Days from one round's due date to the next while nothing lengthens the interval.
    public var baseIntervalDays: Int
    /// Days after the invitation on which reminders go out, increasing, each before expiry.
    public var reminderDays: [Int]
    /// Days after the invitation at which an unanswered round counts as non-response.
    public var expiryDays: Int
    /// Lengthening after consecutive greens; nil keeps the base interval.
    public var adaptive: AdaptiveRule?
    /// Colour of the 1st, 2nd, … consecutive non-response; the last repeats. Yellow or red.
    public var nonResponseColours: [TriageColour]
    /// The department's response deadline per colour in working days (red and yellow; green
    /// has none unless given).
    public var responseDeadlineWorkingDays: [TriageColour: Int]
    /// What the patient is told happens next, per colour; green's text may hold `{nextDate}`.
    public var nextStep: [TriageColour: LocalizedText]
    /// The visit interval the department would use without ByNeed, in days (for counting
    /// visits avoided).
    public var fixedIntervalDays: Int
    /// Whether 5 June, 24 and 31 December are closed days when counting working days.
    public var clinicClosedDays: Bool
    /// The file the plan came from, for messages.
    public var sourceName: String

    public init(id: String, version: String, title: LocalizedText, questionnaires: [QuestionnaireReference],
                baseIntervalDays: Int, reminderDays: [Int] = [], expiryDays: Int, adaptive: AdaptiveRule? = nil,
                nonResponseColours: [TriageColour] = [.yellow], responseDeadlineWorkingDays: [TriageColour: Int],
                nextStep: [TriageColour: LocalizedText], fixedIntervalDays: Int, clinicClosedDays: Bool = true,
                sourceName: String = "") {
        self.id = id
        self.version = version
        self.title = title
        self.questionnaires = questionnaires
        self.baseIntervalDays = baseIntervalDays
        self.reminderDays = reminderDays
        self.expiryDays = expiryDays
        self.adaptive = adaptive
        self.nonResponseColours = nonResponseColours
        self.responseDeadlineWorkingDays = responseDeadlineWorkingDays
        self.nextStep = nextStep
        self.fixedIntervalDays = fixedIntervalDays
        self.clinicClosedDays = clinicClosedDays
        self.sourceName = sourceName
    }

    /// `id|version`.
    public var reference: String { "\(id)|\(version)" }

    /// The placeholder in green's next-step text that becomes the next questionnaire date.
    public static let nextDatePlaceholder = "{nextDate}"
}

// MARK: - Rules

extension FollowUpPlan {
    /// The interval after `intervalDays` when one more lengthening step applies: multiplied by
    /// the factor, rounded down to whole days, capped at the maximum.
    func lengthened(_ intervalDays: Int) -> Int {
        guard let adaptive else { return intervalDays }
        var product = Decimal(intervalDays) * adaptive.factor
        var rounded = Decimal()
        NSDecimalRound(&rounded, &product, 0, .down)
        return min(adaptive.maxIntervalDays, NSDecimalNumber(decimal: rounded).intValue)
    }

    /// The colour of the `level`-th consecutive non-response (1-based); the last colour repeats.
    public func nonResponseColour(level: Int) -> TriageColour {
        nonResponseColours[min(max(level, 1), nonResponseColours.count) - 1]
    }

    /// The department's deadline for a finding of `colour` raised at `instant`; nil when the
    /// plan gives none for that colour.
    public func responseDeadline(for colour: TriageColour, raisedAt instant: Date, in timeZone: TimeZone) -> Date? {
        guard let days = responseDeadlineWorkingDays[colour] else { return nil }
        return DanishWorkingDays(clinicClosedDays: clinicClosedDays).adding(days, workingDaysTo: instant, in: timeZone)
    }

    /// The patient-facing next step for `colour` in `language`, with `{nextDate}` replaced by
    /// `nextDate` written in that language; with no `nextDate` the text is returned as written.
    public func nextStepText(for colour: TriageColour, language: String, nextDate: CalendarDay?) -> String {
        let text = nextStep[colour]?.resolved(language: language) ?? ""
        guard let nextDate else { return text }
        return text.replacingOccurrences(of: Self.nextDatePlaceholder, with: nextDate.formatted(language: language))
    }
}
