import Foundation

/// What an evaluation may see besides its input: variables, the clock, and its limits.
///
/// Time is injected so `today()`/`now()` are deterministic in tests; the limits keep any
/// expression from hanging or exhausting the server.
public struct FHIRPathEnvironment: Sendable {
    /// The default `stepBudget`: node visits plus items produced, plus one per 100 bytes of
    /// string computed by functions and operators, per evaluation.
    public static let defaultStepBudget = 100_000
    /// The default `maxStringLength`, in characters.
    public static let defaultMaxStringLength = 1_000_000

    /// `%name` variables (FHIRPath N1 §"Environment variables"; SDC sets `%resource`,
    /// `%context`, `%questionnaire`). `%ucum`, `%sct`, `%loinc` are predefined when absent.
    public var variables: [String: [FHIRPathValue]]
    /// The instant `now()` and `today()` report.
    public var now: Date { didSet { utcOffsetMinutes = Self.offsetMinutes(timeZone, at: now) } }
    /// The zone for `now()`/`today()` and for comparing date-times without a zone.
    public var timeZone: TimeZone { didSet { utcOffsetMinutes = Self.offsetMinutes(timeZone, at: now) } }
    /// `timeZone`'s offset from UTC at `now`, in minutes: the offset of date-times written
    /// without a zone. Kept up to date here because the zone lookup goes through ICU and costs
    /// more than the comparison that needs it.
    private(set) var utcOffsetMinutes: Int
    /// The most steps one evaluation may take before it throws `.budgetExceeded`.
    public var stepBudget: Int
    /// The longest string an operation may build, in characters.
    public var maxStringLength: Int

    /// An environment; `timeZone` defaults to Europe/Copenhagen, where ByNeed's patients live.
    public init(variables: [String: [FHIRPathValue]] = [:], now: Date = Date(),
                timeZone: TimeZone = TimeZone(identifier: "Europe/Copenhagen") ?? .gmt,
                stepBudget: Int = FHIRPathEnvironment.defaultStepBudget,
                maxStringLength: Int = FHIRPathEnvironment.defaultMaxStringLength) {
        self.variables = variables
        self.now = now
        self.timeZone = timeZone
        utcOffsetMinutes = Self.offsetMinutes(timeZone, at: now)
        self.stepBudget = stepBudget
        self.maxStringLength = maxStringLength
    }

    private static func offsetMinutes(_ timeZone: TimeZone, at instant: Date) -> Int {
        timeZone.secondsFromGMT(for: instant) / 60
    }

    /// Sets `%resource` and `%context` to `resource`, and `%questionnaire` when given, as SDC
    /// does for a QuestionnaireResponse being scored.
    public mutating func setResource(_ resource: FHIRPathNode, questionnaire: FHIRPathNode? = nil) {
        variables["resource"] = [.node(resource)]
        variables["context"] = [.node(resource)]
        if let questionnaire { variables["questionnaire"] = [.node(questionnaire)] }
    }
}
