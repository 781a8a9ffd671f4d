import Foundation
import Security
import Sharing
import Storage
import Testing
@testable import WebApp

/// Aggregate-only viewers (analysts) get every count table suppressed once and sliced, never
/// suppressed per query, and never person-level data.
@Suite struct PopulationSuppressionTests {
    /// Three plans' rounds: plan c's 2 answered rounds are a small cell (docs/access-policy.md's
    /// differencing example, with plans for departments).
    static let table = PopulationTable(id: "rounds-by-number", rowLabels: ["a", "b", "c"], rowPlans: ["a", "b", "c"],
                                       columnLabels: ["answered", "no-answer"], counts: [[10, 12], [9, 14], [2, 30]], hasTotals: true)
    static let hidden = CellKey(row: "c", column: "answered")

    @Test func suppressingEachPlanViewOnItsOwnWouldLeakTheSmallCellByDifference() throws {
        // The attack the design prevents, shown so this test can fail: each view suppressed alone.
        var pooled = try SmallCellSuppression.suppress(CountTable(rowLabels: Self.table.rowLabels, columnLabels: Self.table.columnLabels,
                                                                  counts: Self.table.counts)).facts
        for (index, label) in Self.table.rowLabels.enumerated() {
            pooled += try SmallCellSuppression.suppress(CountTable(rowLabels: [label], columnLabels: Self.table.columnLabels,
                                                                   counts: [Self.table.counts[index]])).facts
        }
        #expect(Disclosure(facts: pooled).isDisclosed([Self.hidden]))
    }

    @Test func everyPlanViewIsASliceOfOneSuppressedTableSoNoCombinationRevealsTheCell() throws {
        let views = try [nil, "a", "b", "c"].map { try Self.table.published(threshold: 5, plan: $0) }
        #expect(views[0].cells[2][0] == .suppressed)
        #expect(views[3].cells[0][0] == .suppressed)
        let disclosure = Disclosure(facts: views.flatMap(\.facts))
        #expect(!disclosure.isDisclosed([Self.hidden]))
        for (row, label) in Self.table.rowLabels.enumerated() {
            for (column, name) in Self.table.columnLabels.enumerated() where views[0].cells[row][column] == .suppressed {
                #expect(!disclosure.isDisclosed([CellKey(row: label, column: name)]))
            }
        }
    }

    @Test func exactViewersSeeEveryNumber() throws {
        let view = try Self.table.published(threshold: 1, plan: nil)
        #expect(view.cells.map { $0.map(\.value) } == Self.table.counts.map { $0.map(Optional.some) })
        #expect(view.grandTotal == .value(77))
    }

    @Test func rowsWithoutAPlanAppearInEveryPlansView() throws {
        let table = PopulationTable(id: "time-to-decision", rowLabels: ["contact-requests", "a", "b"], rowPlans: ["", "a", "b"],
                                    columnLabels: ["in-time", "late", "open"], counts: [[6, 0, 0], [7, 0, 5], [8, 1, 0]], hasTotals: true)
        #expect(try table.published(threshold: 1, plan: "b").rowLabels == ["contact-requests", "b"])
        #expect(try table.published(threshold: 1, plan: nil).rowLabels == ["contact-requests", "a", "b"])
    }

    @Test func theGridWritesHiddenNumbersAsDashesAndDerivesOnlyFromShownOnes() throws {
        let grid = StaffPages.populationGrid(Self.table, try Self.table.published(threshold: 5, plan: nil), language: .english)
        #expect(grid[0] == ["Group", "Answered", "No answer", "Total", "Response rate"])
        #expect(grid[3][1] == "–")
        #expect(grid[3].last == "–")
        let exact = StaffPages.populationGrid(Self.table, try Self.table.published(threshold: 1, plan: nil), language: .english)
        #expect(exact[1] == ["a", "10", "12", "22", "45 %"])
        #expect(exact[4] == ["Total", "21", "56", "77", "27 %"])
    }

    // MARK: Through the pages

    /// The fixture with an analyst of the same department, signed in.
    static func analyst(_ fixture: PopulationFixture) async throws -> StaffBrowser {
        let staff = fixture.staff
        let hash = PasswordHash(password: StaffApp.password, iterations: 1_000).encoded
        let (department, now) = (staff.department.id, staff.clock.now)
        try await staff.context.database.write { db in
            _ = try StaffAccounts.create(db, username: "analytiker", displayName: "Ana Lytiker", departmentID: department, role: "analyst",
                                         passwordHash: hash, now: now)
        }
        return try await staff.signIn("analytiker")
    }

    @Test func analystsSeeSuppressedAggregatesWithAnExplanationAndNoPersonLevelLinks() async throws {
        let fixture = try await PopulationFixture.build()
        let browser = try await Self.analyst(fixture)
        let response = await browser.get("/staff/population")
        #expect(response.status == .ok)
        let html = String(decoding: response.body, as: UTF8.self)
        #expect(html.contains("id=\"suppression-note\""))
        #expect(html.contains("<th scope=\"row\">copd-followup · 2026-11</th><td>0</td><td>–</td><td>–</td><td>–</td><td>–</td>"))
        #expect(!html.contains("/staff/lists"))
        #expect(!html.contains("/staff/patients/"))
        #expect(!html.contains("Anna"))
        // Two decided findings, fewer than k = 5: no median.
        #expect(html.contains("<strong>Median tid til beslutning (timer):</strong> ikke vist (for få)"))
        let csv = String(decoding: await browser.get("/staff/population.csv?table=enrolled").body, as: UTF8.self)
        #expect(csv.contains("copd-followup,–,0,–,–"))
    }

    @Test func analystsGetNotFoundForListsAndPatients() async throws {
        let fixture = try await PopulationFixture.build()
        let browser = try await Self.analyst(fixture)
        #expect(await browser.get("/staff/lists").status == .notFound)
        #expect(await browser.get("/staff/lists?due=30&format=csv").status == .notFound)
        #expect(await browser.get("/staff/lists/1").status == .notFound)
        #expect(await browser.post("/staff/lists", [("name", "x"), ("due", "30")]).status == .notFound)
    }
}
