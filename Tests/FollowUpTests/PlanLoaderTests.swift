import Foundation
import JSON
import Questionnaire
import Testing
@testable import FollowUp

@Suite struct PlanLoaderTests {
    typealias F = Fixtures

    static func load(_ json: JSON, source: String = "plan.json") throws(PlanError) -> FollowUpPlan {
        try PlanLoader.load(bytes: json.serializedBytes(), source: source, knownQuestionnaire: F.knownQuestionnaire)
    }

    /// The problems of `json`, as `path: kind`.
    static func problems(_ json: JSON) -> [PlanProblem] {
        do {
            _ = try load(json)
            return []
        } catch {
            return error.problems
        }
    }

    @Test func aValidPlanLoadsEveryField() throws {
        let plan = try Self.load(F.planJSON())
        #expect(plan.id == "p")
        #expect(plan.version == "1.0.0")
        #expect(plan.title.resolved(language: "en") == "Plan")
        #expect(plan.questionnaires == [FollowUpPlan.QuestionnaireReference(url: "http://x/q", version: "1")])
        #expect(plan.baseIntervalDays == 90)
        #expect(plan.reminderDays == [7, 14])
        #expect(plan.expiryDays == 21)
        #expect(plan.adaptive == FollowUpPlan.AdaptiveRule(consecutiveGreens: 2, factor: Decimal(string: "1.5")!, maxIntervalDays: 180))
        #expect(plan.nonResponseColours == [.yellow, .red])
        #expect(plan.responseDeadlineWorkingDays == [.red: 1, .yellow: 5])
        #expect(plan.nextStep[.green]?.base == "Næste skema den {nextDate}")
        #expect(plan.fixedIntervalDays == 180)
        #expect(plan.clinicClosedDays)
        #expect(plan.sourceName == "plan.json")
    }

    @Test func optionalFieldsTakeTheirDocumentedDefaults() throws {
        var json = F.planJSON()
        for key in ["remindersAfterDays", "adaptive", "nonResponse"] { json = F.setting(json, key, nil) }
        json = F.setting(json, "responseDeadlineWorkingDays.green", 20)
        json = F.setting(json, "clinicClosedDays", false)
        let plan = try Self.load(json)
        #expect(plan.reminderDays == [])
        #expect(plan.adaptive == nil)
        #expect(plan.nonResponseColours == [.yellow])
        #expect(plan.responseDeadlineWorkingDays[.green] == 20)
        #expect(!plan.clinicClosedDays)
    }

    /// Each broken field is reported at its own JSON path with the reason.
    @Test(arguments: [
        ("questionnaires", JSON.array([["url": "http://x/unknown", "version": "1"]]), "questionnaires[0]", PlanProblem.Kind.unknownQuestionnaire(url: "http://x/unknown", version: "1")),
        ("questionnaires", [["url": "http://x/q", "version": "2"]], "questionnaires[0]", .unknownQuestionnaire(url: "http://x/q", version: "2")),
        ("questionnaires", [], "questionnaires", .wrongJSONType(expected: "a non-empty array")),
        ("intervalDays", 0, "intervalDays", .notPositive(0)),
        ("intervalDays", -30, "intervalDays", .notPositive(-30)),
        ("intervalDays", 1.5, "intervalDays", .wrongJSONType(expected: "a whole number")),
        ("intervalDays", nil, "intervalDays", .missing),
        ("expiresAfterDays", 100, "expiresAfterDays", .expiryLongerThanInterval(expiry: 100, interval: 90)),
        ("remindersAfterDays", [7, 30], "remindersAfterDays[1]", .reminderNotBeforeExpiry(reminder: 30, expiry: 21)),
        ("remindersAfterDays", [7, 21], "remindersAfterDays[1]", .reminderNotBeforeExpiry(reminder: 21, expiry: 21)),
        ("remindersAfterDays", [14, 7], "remindersAfterDays[1]", .remindersNotIncreasing),
        ("remindersAfterDays", [0], "remindersAfterDays[0]", .notPositive(0)),
        ("adaptive.maxIntervalDays", 60, "adaptive.maxIntervalDays", .maximumBelowBase(maximum: 60, base: 90)),
        ("adaptive.factor", 0.9, "adaptive.factor", .factorBelowOne("0.9")),
        ("adaptive.factor", "1.5", "adaptive.factor", .wrongJSONType(expected: "a number")),
        ("adaptive.afterConsecutiveGreens", 0, "adaptive.afterConsecutiveGreens", .notPositive(0)),
        ("title", ["en": "Plan"], "title", .missingDanish),
        ("title", "Plan", "title", .wrongJSONType(expected: "an object of texts by language, e.g. {\"da\": \"…\", \"en\": \"…\"}")),
        ("nextStep.red", ["en": "We call"], "nextStep.red", .missingDanish),
        ("nextStep.red.da", "", "nextStep.red.da", .wrongJSONType(expected: "a non-empty string")),
        ("nextStep.yellow", nil, "nextStep.yellow", .missing),
        ("nextStep.green.da", "Vi ses", "nextStep.green.da", .missingPlaceholder("{nextDate}")),
        ("nextStep.green.en", "See you", "nextStep.green.en", .missingPlaceholder("{nextDate}")),
        ("nextStep.red.da", "Vi ringer {date}", "nextStep.red.da", .unknownPlaceholder("{date}")),
        ("nonResponse.colours", ["green"], "nonResponse.colours[0]", .invalidValue("green", expected: "yellow or red (non-response is always a signal)")),
        ("nonResponse.colours", [], "nonResponse.colours", .wrongJSONType(expected: "a non-empty array")),
        ("responseDeadlineWorkingDays.red", 0, "responseDeadlineWorkingDays.red", .notPositive(0)),
        ("responseDeadlineWorkingDays.yellow", nil, "responseDeadlineWorkingDays.yellow", .missing),
        ("fixedIntervalDays", 0, "fixedIntervalDays", .notPositive(0)),
        ("intervalDay", 90, "intervalDay", .unknownField),
        ("adaptive.maxDays", 90, "adaptive.maxDays", .unknownField),
        ("format", "byneed-follow-up-plan/2", "format", .unsupportedFormat("byneed-follow-up-plan/2")),
        ("id", "", "id", .wrongJSONType(expected: "a non-empty string")),
        ("clinicClosedDays", "yes", "clinicClosedDays", .wrongJSONType(expected: "true or false")),
    ] as [(String, JSON?, String, PlanProblem.Kind)])
    func impossibleRulesAreRejectedWithTheirPath(field: String, value: JSON?, path: String, kind: PlanProblem.Kind) {
        let problems = Self.problems(F.setting(F.planJSON(), field, value))
        #expect(problems == [PlanProblem(source: "plan.json", path: path, kind: kind)])
    }

    @Test func everyProblemIsReportedAtOnceWithTheFileName() {
        var json = F.setting(F.planJSON(), "intervalDays", 0)
        json = F.setting(json, "adaptive.factor", 0.5)
        json = F.setting(json, "title", ["en": "x"])
        let problems = Self.problems(json)
        #expect(problems.map(\.path) == ["title", "intervalDays", "adaptive.factor"])
        #expect(problems.map(\.description) == [
            "plan.json: title: needs a Danish text (\"da\")",
            "plan.json: intervalDays: 0 must be at least 1",
            "plan.json: adaptive.factor: 0.5 is below 1 (the interval may only grow)",
        ])
    }

    @Test(arguments: [("{", "line 1"), ("[]", "must be a JSON object")])
    func aFileThatIsNotAPlanObjectIsRejected(text: String, messagePart: String) {
        #expect {
            try PlanLoader.load(bytes: Array(text.utf8), source: "broken.json", knownQuestionnaire: F.knownQuestionnaire)
        } throws: { error in
            guard let error = error as? PlanError, let problem = error.problems.first else { return false }
            return problem.source == "broken.json" && problem.description.contains(messagePart)
        }
    }

    @Test func duplicateIdAndVersionAcrossFilesNamesBothFiles() {
        let bytes = F.planJSON().serializedBytes()
        let other = F.setting(F.planJSON(), "version", "2.0.0").serializedBytes()
        #expect {
            try PlanLoader.load(files: [("a.json", bytes), ("b.json", other), ("c.json", bytes)], knownQuestionnaire: F.knownQuestionnaire)
        } throws: { error in
            (error as? PlanError)?.problems == [PlanProblem(source: "c.json", path: "version", kind: .duplicatePlan(id: "p", version: "1.0.0", otherSource: "a.json"))]
        }
        #expect((try? PlanLoader.load(files: [("b.json", other), ("a.json", bytes)], knownQuestionnaire: F.knownQuestionnaire).map(\.sourceName)) == ["a.json", "b.json"])
    }

    // MARK: Shipped plans

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test func shippedPlansLoadAgainstTheShippedQuestionnaires() throws {
        let catalogue = try QuestionnaireCatalogue.load(directory: Self.repository + "/Questionnaires")
        let plans = try PlanLoader.load(directory: Self.repository + "/Questionnaires/plans") { url, version in
            catalogue.definition(url: url, version: version) != nil
        }
        #expect(plans.map(\.reference) == ["copd-followup|1.0.0", "epilepsy-standard|1.0.0"])
        let epilepsy = try #require(plans.last)
        #expect(epilepsy.questionnaires.map(\.reference) == ["http://byneed.dk/fhir/Questionnaire/epilepsy-followup|1.0.0"])
        #expect(plans.first?.questionnaires.count == 2)
        #expect(epilepsy.nextStepText(for: .green, language: "da", nextDate: F.day("2026-07-04")).hasSuffix("den 4. juli 2026."))
        #expect(epilepsy.nextStepText(for: .red, language: "en", nextDate: nil).contains("within 1 working day"))
    }

    @Test func shippedPlansFailWithoutTheirQuestionnaires() {
        #expect {
            try PlanLoader.load(directory: Self.repository + "/Questionnaires/plans") { _, _ in false }
        } throws: { error in
            let problems = (error as? PlanError)?.problems ?? []
            return problems.count == 3 && problems.allSatisfy { if case .unknownQuestionnaire = $0.kind { true } else { false } }
        }
    }

    @Test func aMissingDirectoryIsReported() {
        #expect(throws: PlanError.self) {
            try PlanLoader.load(directory: "/nonexistent/plans") { _, _ in true }
        }
    }
}
