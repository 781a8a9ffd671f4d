import FollowUp
import Foundation
import HTTPCore
import Storage
import Templating

/// Automatic lists (`/staff/lists`): the department's patients who are due, crossed a score
/// threshold, have not answered or have not been contacted for a while; criteria combine (AND),
/// lists can be saved, re-run and downloaded as CSV, and every value is shown with its date.
///
/// Person-level data: only the department's health professionals (`seesPersonLevel`); anyone
/// else gets 404, as for another department's patient. A CSV download is audited, one row for
/// the export and one per patient on it.
extension StaffPages {
    /// The longest list name, in characters.
    static let listNameMaximumLength = 100

    /// `GET /staff/lists[?criteria][&format=csv]`.
    func listsPage(_ request: HTTPRequest, _ signedIn: SignedIn) async throws -> HTTPResponse {
        guard Self.seesPersonLevel(signedIn) else { throw Failure.notFound }
        let query = request.queryItems()
        return try await listResponse(PopulationListFilter(query: query), saved: nil, csv: query.contains { $0.name == "format" && $0.value == "csv" },
                                      signedIn: signedIn)
    }

    /// `GET /staff/lists/:id[?format=csv]`: a saved list, run again now.
    func savedListPage(_ request: HTTPRequest, _ signedIn: SignedIn, id: String?) async throws -> HTTPResponse {
        guard Self.seesPersonLevel(signedIn), let number = id.flatMap(Int64.init) else { throw Failure.notFound }
        let departmentID = signedIn.account.departmentID
        guard let saved = try context.database.read({ db in try SavedLists.find(db, id: number, departmentID: departmentID) }),
              let filter = PopulationListFilter(json: saved.filterJSON) else { throw Failure.notFound }
        return try await listResponse(filter, saved: saved, csv: request.queryItems().contains { $0.name == "format" && $0.value == "csv" },
                                      signedIn: signedIn)
    }

    /// `POST /staff/lists`: saves the posted criteria under a name, then shows the saved list.
    func saveList(_ request: HTTPRequest, _ signedIn: SignedIn) async throws -> HTTPResponse {
        guard Self.seesPersonLevel(signedIn) else { throw Failure.notFound }
        let fields = FormData.decode(request.body)
        let filter = PopulationListFilter(query: fields)
        let name = (fields.first { $0.name == "name" }?.value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= Self.listNameMaximumLength else {
            return try await listResponse(filter, saved: nil, csv: false, signedIn: signedIn, nameError: true)
        }
        let account = signedIn.account
        let now = context.clock()
        let saved = try await context.database.write { db in
            try SavedLists.save(db, departmentID: account.departmentID, name: name, filterJSON: filter.json, createdBy: account.id, now: now)
        }
        return .redirect(to: "/staff/lists/\(saved.id)")
    }

    private func listResponse(_ filter: PopulationListFilter, saved: SavedList?, csv: Bool, signedIn: SignedIn,
                              nameError: Bool = false) async throws -> HTTPResponse {
        let departmentID = signedIn.account.departmentID
        let now = context.clock()
        let (facts, savedLists, savedBy) = try context.database.read { db in
            (try PopulationQuery.facts(db, departmentID: departmentID), try SavedLists.all(db, departmentID: departmentID),
             try saved.flatMap { try StaffAccounts.find(db, id: $0.createdBy) })
        }
        let list = PopulationList(facts: facts, plans: context.plans, filter: filter, now: now, timeZone: context.timeZone)
        let language = signedIn.language
        let grid = listGrid(list, filter: filter, language: language)
        if csv {
            try await auditExport(signedIn, what: "list-csv", legalBasis: "treatment-relation",
                                  detail: (saved.map { "saved=\($0.id) " } ?? "") + filter.json, patients: list.rows.map(\.patient.id), now: now)
            return PopulationCSV.response(grid.csv,
                                          filename: saved.map { "list-\($0.id)" } ?? "list")
        }
        let planIDs = Array(Set(facts.enrolments.map(\.enrolment.planID))).sorted()
        let score = filter.score
        let query = filter.queryItems.map { "\($0.name)=\(Self.formEncode($0.value))" }.joined(separator: "&")
        let csvLink = saved.map { "/staff/lists/\($0.id)?format=csv" } ?? "/staff/lists?" + (query.isEmpty ? "" : query + "&") + "format=csv"
        let format = format(language)
        let content: TemplateValue = .object([
            "t": StaffText.labels(language), "p": PopulationText.labels(language),
            "csrf": .string(signedIn.session.csrfToken),
            "plans": .array(planIDs.map { id in
                .object(["value": .string(id), "label": .string(context.latestPlan(id: id)?.title.resolved(language: language.rawValue) ?? id),
                         "selected": .bool(id == filter.plan)])
            }),
            "due": .string(filter.dueWithinDays.map(String.init) ?? ""),
            "scoreCode": .string(score?.code ?? ""), "scoreValue": .string(score.map { "\($0.value)" } ?? ""),
            "ops": .array(PopulationListFilter.Comparison.allCases.map { comparison in
                .object(["value": .string(comparison.rawValue), "label": .string(comparison.symbol),
                         "selected": .bool(comparison == (score?.comparison ?? .atLeast))])
            }),
            "silent": .string(filter.silentDays.map(String.init) ?? ""),
            "contact": .string(filter.contactDays.map(String.init) ?? ""),
            "nonResponders": .bool(filter.nonResponders),
            "nameError": .bool(nameError),
            "saved": saved.map { list in
                .object(["name": .string(list.name), "by": .string(savedBy?.displayName ?? "–"), "at": .string(format.dateTime(list.createdAt))])
            } ?? .bool(false),
            "savedLists": .array(savedLists.map { .object(["href": .string("/staff/lists/\($0.id)"), "name": .string($0.name),
                                                          "at": .string(format.date($0.createdAt))]) }),
            "count": .string("\(PopulationText.listCount.text(language)): \(list.rows.count)"),
            "header": .array(grid.header.dropFirst().map { .object(["text": .string($0)]) }),
            "rows": .array(zip(list.rows, grid.rows).map { row, cells in
                .object(["href": .string("/staff/patients/\(row.patient.id.rawValue)"), "name": .string(row.patient.name),
                         "cells": .array(cells.dropFirst().map { .object(["value": .string($0.value), "date": .string($0.date)]) })])
            }),
            "empty": .bool(list.rows.isEmpty), "csv": .string(csvLink),
        ])
        let title = saved?.name ?? PopulationText.listsTitle.text(language)
        return try render("staff/lists", title: title, content: content, language: language, signedIn: signedIn,
                          status: nameError ? .unprocessableContent : .ok, current: "/staff/lists")
    }

    /// One cell of a list: a value and the date it is from (empty when the value is a date).
    private struct ListCell {
        var value: String
        var date: String = ""
    }

    /// The list as shown (header; per row: patient, CPR, plans, next questionnaire, latest
    /// score, last answer, last contact, each value with its date) and as CSV (value and date
    /// in columns of their own).
    private func listGrid(_ list: PopulationList, filter: PopulationListFilter,
                          language: Language) -> (header: [String], rows: [[ListCell]], csv: [[String]]) {
        let format = format(language)
        let when = StaffText.when.text(language)
        let scoreTitle = filter.score.map { "\(PopulationText.latestScore.text(language)) (\($0.code))" } ?? PopulationText.latestScore.text(language)
        let header = [PopulationText.patient.text(language), StaffText.columnCPR.text(language), PopulationText.plan.text(language),
                      PopulationText.nextDue.text(language), scoreTitle, PopulationText.lastAnswer.text(language),
                      PopulationText.lastContact.text(language)]
        let rows = list.rows.map { row -> [ListCell] in
            [ListCell(value: row.patient.name), ListCell(value: row.patient.cpr), ListCell(value: row.plans.joined(separator: ", ")),
             ListCell(value: row.nextDue.map(format.day) ?? "–"),
             ListCell(value: row.latestScore.map { format.number($0.value) } ?? "–", date: row.latestScore.map { format.date($0.at) } ?? ""),
             ListCell(value: row.lastAnswer.map(format.date) ?? "–"),
             ListCell(value: row.lastContact.map { PopulationText.label($0.kind.rawValue, language) } ?? "–",
                      date: row.lastContact.map { format.date($0.at) } ?? "")]
        }
        let csvHeader = Array(header[0...4]) + ["\(scoreTitle) – \(when)"] + [header[5], header[6], "\(header[6]) – \(when)"]
        let csv = rows.map { cells in
            cells[0...3].map(\.value) + [cells[4].value, cells[4].date, cells[5].value, cells[6].value, cells[6].date]
        }
        return (header, rows, [csvHeader] + csv)
    }
}
