import FollowUp
import Foundation
import HTTPCore
import Questionnaire
import Templating

/// The department's follow-up plans as they are loaded (`Questionnaires/plans`): what each
/// sends, how often, and what happens when a patient does not answer.
extension StaffPages {
    func plansPage(_ request: HTTPRequest, _ signedIn: SignedIn) throws -> HTTPResponse {
        let language = signedIn.language
        let code = language.rawValue
        let days = StaffText.days.text(language)
        let plans = context.plans.sorted { ($0.id, $0.version) < ($1.id, $1.version) }.map { plan -> TemplateValue in
            let questionnaires = plan.questionnaires.map { reference in
                context.catalogue.definition(reference: reference.reference)?.title.resolved(language: code) ?? reference.reference
            }
            let adaptive = plan.adaptive.map { rule in
                language == .english
                    ? "×\(rule.factor) after \(rule.consecutiveGreens) greens in a row, at most \(rule.maxIntervalDays) \(days)"
                    : "×\(rule.factor) efter \(rule.consecutiveGreens) grønne i træk, højst \(rule.maxIntervalDays) \(days)"
            } ?? "–"
            let deadlines = TriageColour.allCases.reversed().compactMap { colour in
                plan.responseDeadlineWorkingDays[colour].map { "\(Self.colourName(colour).resolved(language: code)): \($0) \(StaffText.workingDays.text(language))" }
            }
            let facts: [(StaffText, String)] = [
                (.planQuestionnaires, questionnaires.joined(separator: ", ")),
                (.planInterval, "\(plan.baseIntervalDays) \(days)"),
                (.planReminders, plan.reminderDays.isEmpty ? "–" : plan.reminderDays.map(String.init).joined(separator: ", ") + " \(days)"),
                (.planExpiry, "\(plan.expiryDays) \(days)"),
                (.planAdaptive, adaptive),
                (.planNonResponse, plan.nonResponseColours.map { Self.colourName($0).resolved(language: code) }.joined(separator: ", ")),
                (.planDeadlines, deadlines.isEmpty ? "–" : deadlines.joined(separator: "; ")),
                (.planFixedInterval, "\(plan.fixedIntervalDays) \(days)"),
            ]
            let steps = TriageColour.allCases.reversed().compactMap { colour -> TemplateValue? in
                plan.nextStep[colour].map { .object(["colour": .string(Self.colourName(colour).resolved(language: code)),
                                                     "text": .string($0.resolved(language: code))]) }
            }
            return .object(["title": .string(plan.title.resolved(language: code)), "reference": .string(plan.reference),
                            "anchor": .string("plan-\(plan.id)-\(plan.version)"),
                            "facts": .array(facts.map { .object(["label": .string($0.0.text(language)), "value": .string($0.1)]) }),
                            "steps": .array(steps)])
        }
        let content: TemplateValue = .object(["t": StaffText.labels(language), "plans": .array(plans)])
        return try render("staff/plans", title: StaffText.plansTitle.text(language), content: content, language: language,
                          signedIn: signedIn, current: "/staff/plans")
    }

    /// A triage colour in words, as the worklist names it.
    static func colourName(_ colour: TriageColour) -> LocalizedText {
        switch colour {
        case .red: WorklistCategory.red.label
        case .yellow: WorklistCategory.yellow.label
        case .green: WorklistCategory.green.label
        }
    }
}
