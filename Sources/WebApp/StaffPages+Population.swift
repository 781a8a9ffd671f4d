import Foundation
import HTTPCore
import Sharing
import SQLite
import Storage
import Templating

/// The population overview (`/staff/population`): the department's outcome figures per plan,
/// as tables with inline SVG charts, every table downloadable as CSV.
///
/// The department's health professionals see exact counts. Every other role sees aggregates
/// only: each table is suppressed once over all its rows (`SmallCellSuppression`, threshold
/// `populationThreshold`) and the plan filter slices that one table, so two views cannot be
/// subtracted to reveal a hidden cell (docs/access-policy.md). Medians are shown to them only
/// over at least k findings. Person-level links (the non-responder list) are only for those who
/// may see the lists.
extension StaffPages {
    /// The threshold k for aggregate-only viewers: `BYNEED_SMALL_CELL_K` when it is a whole
    /// number of at least 2, else `SmallCellSuppression.defaultThreshold` (5).
    static let populationThreshold: Int = {
        guard let text = ProcessInfo.processInfo.environment["BYNEED_SMALL_CELL_K"], let k = Int(text), k >= 2 else {
            return SmallCellSuppression.defaultThreshold
        }
        return k
    }()

    /// Whether the signed-in staff member sees exact counts and person-level lists: a health
    /// professional of the department (everyone else sees suppressed aggregates only).
    static func seesPersonLevel(_ signedIn: SignedIn) -> Bool {
        signedIn.account.role == "health-professional"
    }

    /// `GET /staff/population[?plan=…][&format=csv&table=…]` and `GET /staff/population.csv?table=…`.
    func populationPage(_ request: HTTPRequest, _ signedIn: SignedIn, csv: Bool) async throws -> HTTPResponse {
        let query = request.queryItems()
        func value(_ name: String) -> String? { query.first { $0.name == name }.map(\.value).flatMap { $0.isEmpty ? nil : $0 } }
        let now = context.clock()
        let departmentID = signedIn.account.departmentID
        let facts = try context.database.read { db in try PopulationQuery.facts(db, departmentID: departmentID) }
        let overview = PopulationOverview(facts: facts, plans: context.plans, now: now, timeZone: context.timeZone)
        let planIDs = Array(Set(facts.enrolments.map(\.enrolment.planID))).sorted()
        let plan = value("plan").flatMap { planIDs.contains($0) ? $0 : nil }
        let exact = Self.seesPersonLevel(signedIn)
        let threshold = exact ? 1 : Self.populationThreshold
        let language = signedIn.language
        if csv || value("format") == "csv" {
            guard let table = overview.tables.first(where: { $0.id == value("table") }) else { throw Failure.notFound }
            let grid = Self.populationGrid(table, try table.published(threshold: threshold, plan: plan), language: language)
            try await auditExport(signedIn, what: "population-csv", legalBasis: "aggregate",
                                  detail: "table=\(table.id) plan=\(plan ?? "all") k=\(threshold)", patients: [], now: now)
            return PopulationCSV.response(grid, filename: "population-\(table.id)\(plan.map { "-\($0)" } ?? "")")
        }
        var sections: [TemplateValue] = []
        var anySuppressed = false
        for table in overview.tables {
            let published = try table.published(threshold: threshold, plan: plan)
            anySuppressed = anySuppressed || published.suppressedCellCount > 0
            sections.append(populationSection(table, published, overview: overview, plan: plan, threshold: threshold, exact: exact,
                                              language: language))
        }
        let planOptions: [TemplateValue] = planIDs.map { id in
            let title = context.latestPlan(id: id)?.title.resolved(language: language.rawValue) ?? id
            return .object(["value": .string(id), "label": .string(title), "selected": .bool(id == plan)])
        }
        let content: TemplateValue = .object([
            "t": StaffText.labels(language), "p": PopulationText.labels(language), "plans": .array(planOptions),
            "sections": .array(sections), "exact": .bool(exact), "suppressed": .bool(anySuppressed),
        ])
        return try render("staff/population", title: PopulationText.populationTitle.text(language), content: content,
                          language: language, signedIn: signedIn, current: "/staff/population")
    }

    /// One table's section: title, explanation, chart, table, CSV link, and the figures
    /// derived from its published numbers.
    private func populationSection(_ table: PopulationTable, _ published: SuppressedTable, overview: PopulationOverview, plan: String?,
                                   threshold: Int, exact: Bool, language: Language) -> TemplateValue {
        let grid = Self.populationGrid(table, published, language: language)
        let title = PopulationText.label(table.id, language)
        var csvQuery = [("table", table.id)]
        if let plan { csvQuery.insert(("plan", plan), at: 0) }
        var section: [String: TemplateValue] = [
            "id": .string("population-\(table.id)"), "title": .string(title),
            "help": .string(Self.populationHelp(table.id, language)),
            "header": .array(grid[0].map { .object(["text": .string($0)]) }),
            "rows": .array(grid.dropFirst().map { row in
                .object(["label": .string(row[0]), "cells": .array(row.dropFirst().map { .object(["text": .string($0)]) })])
            }),
            "csv": .string("/staff/population.csv?" + csvQuery.map { "\($0.0)=\(Self.formEncode($0.1))" }.joined(separator: "&")),
        ]
        if table.id != "visits", !published.rowLabels.isEmpty {
            section["chart"] = populationChart(published, title: title, id: "population-\(table.id)", language: language)
        }
        if table.id == "time-to-decision" {
            let hours = overview.decisionHours.filter { plan == nil || $0.plan == plan || $0.plan.isEmpty }.map(\.hours)
            let median = hours.count >= max(threshold, 1) ? PopulationOverview.median(hours) : nil
            let text = median.map { format(language).number(String(format: "%.1f", $0)) }
                ?? (hours.isEmpty ? "–" : PopulationText.notShown.text(language))
            section["extra"] = .object(["label": .string(PopulationText.medianHours.text(language)), "value": .string(text)])
        }
        if table.id == "non-responders", exact {
            var target = "/staff/lists?nonresponders=1"
            if let plan { target += "&plan=\(Self.formEncode(plan))" }
            section["listLink"] = .string(target)
        }
        return .object(section)
    }

    /// The explanation under a table's title.
    private static func populationHelp(_ id: String, _ language: Language) -> String {
        PopulationText.label(id + "-help", language)
    }

    /// A published table as rows of text, header first: each row's cells, its total (when the
    /// table has totals) and the figure derived from its published numbers; then the column
    /// totals. A hidden number is written `–`.
    static func populationGrid(_ table: PopulationTable, _ published: SuppressedTable, language: Language) -> [[String]] {
        let derived: (label: String, compute: ([PublishedCount]) -> String?)? = switch table.id {
        case "rounds-by-number", "rounds-by-month": (PopulationText.responseRate.text(language), { percent($0[0], of: [$0[0], $0[1]]) })
        case "time-to-decision": (PopulationText.shareInTime.text(language), { percent($0[0], of: [$0[0], $0[1]]) })
        case "visits": (PopulationText.visitsAvoided.text(language), { cells in
            guard let fixed = cells[0].value, let contacts = cells[1].value else { return nil }
            return String(max(0, fixed - contacts))
        })
        default: nil
        }
        func text(_ count: PublishedCount) -> String { count.value.map(String.init) ?? "–" }
        var header = [PopulationText.group.text(language)] + published.columnLabels.map { PopulationText.label($0, language) }
        if table.hasTotals { header.append(PopulationText.total.text(language)) }
        if let derived { header.append(derived.label) }
        var grid = [header]
        for (index, label) in published.rowLabels.enumerated() {
            var row = [rowLabel(label, language)] + published.cells[index].map(text)
            if table.hasTotals { row.append(text(published.rowTotals[index])) }
            if let derived { row.append(derived.compute(published.cells[index]) ?? "–") }
            grid.append(row)
        }
        if table.hasTotals {
            var row = [PopulationText.total.text(language)] + published.columnTotals.map(text) + [text(published.grandTotal)]
            if let derived { row.append(derived.compute(published.columnTotals) ?? "–") }
            grid.append(row)
        }
        return grid
    }

    /// `part` as a whole percentage of the sum of `counts`; nil when any is hidden or the sum is 0.
    private static func percent(_ part: PublishedCount, of counts: [PublishedCount]) -> String? {
        guard let part = part.value else { return nil }
        let values = counts.compactMap(\.value)
        guard values.count == counts.count, values.reduce(0, +) > 0 else { return nil }
        return "\(Int((Double(part) * 100 / Double(values.reduce(0, +))).rounded())) %"
    }

    /// A row label with its translatable part in words (`contact-requests`).
    private static func rowLabel(_ label: String, _ language: Language) -> String {
        label == "contact-requests" ? PopulationText.contactRequests.text(language) : label
    }

    /// The chart of a published table: a stacked bar per row, hidden numbers left out.
    private func populationChart(_ published: SuppressedTable, title: String, id: String, language: Language) -> TemplateValue {
        let chart = PopulationBarChart(rows: published.rowLabels.enumerated().map { index, label in
            (label.components(separatedBy: " · ").last ?? label, published.cells[index].map(\.value))
        }, series: published.columnLabels)
        let colours = Dictionary(uniqueKeysWithValues: published.columnLabels.enumerated().map { ($0.element, Self.seriesColour($0.element, $0.offset)) })
        let text = ScoreChart.text
        return .object([
            "id": .string(id), "title": .string(title), "description": .string(PopulationText.chartDescription.text(language)),
            "width": .string(text(chart.width)), "height": .string(text(chart.height)),
            "plotLeft": .string(text(chart.plot.x)), "plotRight": .string(text(chart.plot.right)),
            "plotTop": .string(text(chart.plot.y)), "plotBottom": .string(text(chart.plot.bottom)),
            "yTicks": .array(chart.yTicks.map { .object(["y": .string(text($0.position)), "labelY": .string(text($0.position + 4)),
                                                         "tickX": .string(text(chart.plot.x - 6)), "label": .string($0.label)]) }),
            "bars": .array(chart.bars.map { bar in
                .object(["labelX": .string(text(bar.x + bar.width / 2)), "labelY": .string(text(chart.plot.bottom + 16)),
                         "label": .string(bar.label + (bar.incomplete ? " (–)" : "")),
                         "segments": .array(bar.segments.map { segment in
                             .object(["x": .string(text(bar.x)), "y": .string(text(segment.y)), "width": .string(text(bar.width)),
                                      "height": .string(text(segment.height)), "fill": .string(colours[segment.series] ?? "#777"),
                                      "name": .string(PopulationText.label(segment.series, language)),
                                      "value": .string(String(segment.value))])
                         })])
            }),
            "legend": .array(published.columnLabels.map { .object(["fill": .string(colours[$0] ?? "#777"),
                                                                   "name": .string(PopulationText.label($0, language))]) }),
        ])
    }

    /// A fill for a series: the triage colours for colour columns, else from a fixed palette
    /// that stays distinguishable in greyscale.
    private static func seriesColour(_ key: String, _ index: Int) -> String {
        switch key {
        case "red": "#b3261e"
        case "yellow": "#d9a400"
        case "green", "answered", "in-time", "active": "#2e7d32"
        case "no-answer", "late": "#6d4c41"
        default: ["#1f4e79", "#7fa7d1", "#4a4a4a", "#b0b0b0", "#8e44ad", "#16a085"][index % 6]
        }
    }

    /// Writes the audit rows of a CSV export in one transaction before the file is sent: one
    /// row for the export, and one per patient whose data it carries (so each patient's access
    /// log shows it).
    func auditExport(_ signedIn: SignedIn, what: String, legalBasis: String, detail: String, patients: [Storage.PatientID],
                     now: Date) async throws {
        let account = signedIn.account
        try await context.database.write { db in
            let sor = try Departments.find(db, id: account.departmentID)?.sorCode
            func entry(_ patientID: Storage.PatientID?) -> AuditEntry {
                AuditEntry(at: now, actorKind: .staff, actorID: String(account.id.rawValue), actorRole: account.role,
                           organisationSOR: sor, patientID: patientID, action: .read, what: what, legalBasis: legalBasis,
                           outcome: "allowed", detail: detail)
            }
            try AuditLog.append(db, entry(nil))
            for patientID in patients { try AuditLog.append(db, entry(patientID)) }
        }
    }
}
