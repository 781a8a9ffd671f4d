import Foundation
import Questionnaire
import Testing
@testable import FollowUp

@Suite struct WorklistTests {
    typealias F = Fixtures

    static func row(_ id: String, _ name: String, _ cpr: String, plan: String = "epilepsy-standard", _ category: WorklistCategory,
                    answered: String? = nil, deadline: String? = nil, clinician: String? = nil, contact: String? = nil) -> WorklistRow {
        WorklistRow(id: id, patientName: name, cpr: try! CPRNumber(cpr), planID: plan, category: category,
                    answeredAt: answered.map { F.at($0, 10) }, deadline: deadline.map { F.at($0, 10) },
                    assignedClinician: clinician, lastContact: contact.map { F.at($0, 10) })
    }

    /// Input order deliberately mixed.
    static let rows = [
        row("g1", "Åse Holm", "0101901234", .green, answered: "2026-01-02"),
        row("y1", "Bo Jensen", "0202801235", plan: "copd-followup", .yellow, answered: "2026-01-05", deadline: "2026-01-12", clinician: "Anna"),
        row("r1", "Ørsted Lund", "0303701236", .red, answered: "2026-01-06", deadline: "2026-01-07"),
        row("n1", "Carl Ærø", "0404601237", .noAnswer, deadline: "2026-01-09", clinician: "Anna", contact: "2025-12-01"),
        row("r2", "Zacho Berg", "0505501238", plan: "copd-followup", .red, answered: "2026-01-05", deadline: "2026-01-06", clinician: "Bent"),
        row("d1", "élise Dam", "0606401239", .dueSoon),
        row("y2", "Dorte Ebbesen", "0707301230", .yellow, answered: "2026-01-04", deadline: "2026-01-09"),
        row("r3", "Anders And", "0808201231", .red, answered: "2026-01-06"),
    ]

    @Test func triageOrderIsRedYellowNoAnswerDueSoonGreenThenOldestDeadline() {
        #expect(Worklist.triageOrdered(Self.rows).map(\.id) == ["r2", "r1", "r3", "y2", "y1", "n1", "d1", "g1"])
    }

    @Test(arguments: [
        ("no criteria", WorklistFilter(), ["g1", "y1", "r1", "n1", "r2", "d1", "y2", "r3"]),
        ("plan", WorklistFilter(planIDs: ["copd-followup"]), ["y1", "r2"]),
        ("categories", WorklistFilter(categories: [.red, .noAnswer]), ["r1", "n1", "r2", "r3"]),
        ("plan and colour", WorklistFilter(planIDs: ["copd-followup"], categories: [.red]), ["r2"]),
        ("clinician", WorklistFilter(assignment: .clinician("Anna")), ["y1", "n1"]),
        ("unassigned red", WorklistFilter(categories: [.red], assignment: .unassigned), ["r1", "r3"]),
        ("answered in range", WorklistFilter(dateRange: .init(field: .answeredAt, from: F.at("2026-01-05", 0), to: F.at("2026-01-06", 0))), ["y1", "r2"]),
        ("deadline before", WorklistFilter(dateRange: .init(field: .deadline, to: F.at("2026-01-09", 10))), ["r1", "r2"]),
        ("last contact from", WorklistFilter(dateRange: .init(field: .lastContact, from: F.at("2025-01-01", 0))), ["n1"]),
        ("name, any case", WorklistFilter(search: "jENS"), ["y1"]),
        ("name with Danish letter", WorklistFilter(search: "ærø"), ["n1"]),
        ("cpr with hyphen", WorklistFilter(search: "030370-12"), ["r1"]),
        ("cpr digits", WorklistFilter(search: "1238"), ["r2"]),
        ("search and colour", WorklistFilter(categories: [.yellow], search: "e"), ["y1", "y2"]),
        ("blank search", WorklistFilter(search: "  "), ["g1", "y1", "r1", "n1", "r2", "d1", "y2", "r3"]),
        ("no match", WorklistFilter(search: "xyz"), []),
    ] as [(String, WorklistFilter, [String])])
    func filtersCombine(name: String, filter: WorklistFilter, expected: [String]) {
        #expect(Worklist.filtered(Self.rows, by: filter).map(\.id) == expected, "\(name)")
    }

    @Test(arguments: [
        (Worklist.Column.patientName, true, ["r3", "y1", "n1", "y2", "d1", "r2", "r1", "g1"]),
        (.patientName, false, ["g1", "r1", "r2", "d1", "y2", "n1", "y1", "r3"]),
        (.cpr, true, ["g1", "y1", "r1", "n1", "r2", "d1", "y2", "r3"]),
        (.plan, true, ["y1", "r2", "g1", "r1", "n1", "d1", "y2", "r3"]),
        (.category, true, ["r1", "r2", "r3", "y1", "y2", "n1", "d1", "g1"]),
        (.category, false, ["g1", "d1", "n1", "y1", "y2", "r1", "r2", "r3"]),
        (.answeredAt, true, ["g1", "y2", "y1", "r2", "r1", "r3", "n1", "d1"]),
        (.answeredAt, false, ["r1", "r3", "y1", "r2", "y2", "g1", "n1", "d1"]),
        (.deadline, true, ["r2", "r1", "n1", "y2", "y1", "g1", "d1", "r3"]),
        (.assignedClinician, true, ["y1", "n1", "r2", "g1", "r1", "d1", "y2", "r3"]),
        (.assignedClinician, false, ["r2", "y1", "n1", "g1", "r1", "d1", "y2", "r3"]),
        (.lastContact, false, ["n1", "g1", "y1", "r1", "r2", "d1", "y2", "r3"]),
    ] as [(Worklist.Column, Bool, [String])])
    func sortingIsStableWithMissingValuesLast(column: Worklist.Column, ascending: Bool, expected: [String]) {
        #expect(Worklist.sorted(Self.rows, by: column, ascending: ascending).map(\.id) == expected)
    }

    @Test func sortingByPlanAfterTriageKeepsTriageOrderWithinEachPlan() {
        let ordered = Worklist.sorted(Worklist.triageOrdered(Self.rows), by: .plan)
        #expect(ordered.map(\.id) == ["r2", "y1", "r1", "r3", "y2", "n1", "d1", "g1"])
    }

    @Test func categoriesHaveStoredCodesAndLabelsInTriageOrder() {
        #expect(WorklistCategory.allCases.sorted().map(\.code) == ["red", "yellow", "no-answer", "due-soon", "green"])
        #expect(WorklistCategory.noAnswer.label.resolved(language: "da") == "Intet svar")
        #expect(WorklistCategory.noAnswer.label.resolved(language: "en") == "No answer")
    }

    // MARK: Status from rounds

    @Test(arguments: [
        ("no rounds, start far ahead", [], "2025-12-01", WorklistCategory.green, nil as String?),
        ("no rounds, start in 4 days", [], "2026-01-01", .dueSoon, nil),
        ("open round", [F.open(1, due: "2026-01-05")], "2026-01-06", .dueSoon, nil),
        ("green, next far ahead", [F.answered(1, due: "2026-01-05", colour: .green)], "2026-01-10", .green, nil),
        ("green, next within a week", [F.answered(1, due: "2026-01-05", colour: .green)], "2026-01-30", .dueSoon, nil),
        ("yellow on Monday: 5 working days", [F.answered(1, due: "2026-01-05", colour: .yellow)], "2026-01-06", .yellow, "2026-01-12"),
        ("red on Friday: next working day", [F.answered(1, due: "2026-01-09", colour: .red)], "2026-01-10", .red, "2026-01-12"),
        ("first silence", [F.expired(1, due: "2026-01-05")], "2026-01-06", .noAnswer, "2026-01-12"),
        ("silence escalated to red", [FollowUpRound(number: 1, dueDate: F.day("2026-01-05"), state: .sent(at: F.at("2026-01-05", 8), remindersSent: 2, outcome: .expired(at: F.at("2026-01-05", 12), colour: .red, level: 2)))], "2026-01-06", .red, "2026-01-06"),
        ("skipped rounds are passed over", [F.answered(1, due: "2026-01-05", colour: .yellow), F.skipped(2, due: "2026-02-04")], "2026-02-05", .yellow, "2026-01-12"),
    ] as [(String, [FollowUpRound], String, WorklistCategory, String?)])
    func statusFollowsTheLatestRound(name: String, rounds: [FollowUpRound], today: String, category: WorklistCategory, deadline: String?) {
        let status = F.scheduler().worklistStatus(for: F.enrolment(), rounds: rounds, now: F.at(today, 9))
        #expect(status.category == category, "\(name)")
        #expect(status.deadline == deadline.map { F.at($0, 12) }, "\(name)")
    }
}
