import FollowUp
import Foundation
import Storage
import Testing
@testable import WebApp

/// Automatic lists over the population fixture (now = T1 + 2 h = 08.12.2026):
/// - Anna: next round due T1 + 60 d (60 days ahead); latest grade 2 (T1); last answer T1;
///   phone call at now.
/// - Bo: both rounds unanswered (a non-responder, never answered, started 220 days ago); visit
///   booked at now.
/// - Carl: next round due T0 + 60 d (40 days ahead); latest grade 0 (T0); last answer T0
///   (20 days ago); never contacted.
/// - Dorte: enrolment ended, on no list.
@Suite struct ListsTests {
    static let cases: [(String, [String])] = [
        ("", ["Anna Andersen", "Bo Berg", "Carl Clausen"]),
        ("due=45", ["Carl Clausen"]),
        ("due=60", ["Anna Andersen", "Bo Berg", "Carl Clausen"]),
        ("score=grade&op=ge&value=2", ["Anna Andersen"]),
        ("score=grade&op=ge&value=0", ["Anna Andersen", "Carl Clausen"]),
        ("score=grade&op=lt&value=1", ["Carl Clausen"]),
        ("silent=10", ["Bo Berg", "Carl Clausen"]),
        ("silent=30", ["Bo Berg"]),
        ("contact=5", ["Carl Clausen"]),
        ("nonresponders=1", ["Bo Berg"]),
        ("silent=10&contact=5", ["Carl Clausen"]),
        ("silent=10&score=grade&op=ge&value=0", ["Carl Clausen"]),
        ("due=45&silent=30", []),
        ("plan=epilepsy-standard", []),
        ("plan=copd-followup&silent=30", ["Bo Berg"]),
    ]

    static func query(_ text: String) -> [(name: String, value: String)] {
        text.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
    }

    @Test(arguments: cases)
    func criteriaCombineWithAnd(query: String, names: [String]) async throws {
        let fixture = try await PopulationFixture.build()
        let list = PopulationList(facts: try fixture.facts(), plans: fixture.staff.context.plans,
                                  filter: PopulationListFilter(query: Self.query(query)), now: fixture.staff.clock.now,
                                  timeZone: fixture.staff.context.timeZone)
        #expect(list.rows.map(\.patient.name) == names)
    }

    static let filters: [PopulationListFilter] = [
        PopulationListFilter(),
        PopulationListFilter(plan: "copd-followup", dueWithinDays: 30),
        PopulationListFilter(score: .init(code: "phq9-total", comparison: .atLeast, value: Decimal(string: "10.5")!), silentDays: 0),
        PopulationListFilter(contactDays: 90, nonResponders: true),
    ]

    @Test(arguments: filters)
    func aFilterSurvivesItsJSONAndItsQuery(filter: PopulationListFilter) {
        #expect(PopulationListFilter(json: filter.json) == filter)
        #expect(PopulationListFilter(query: filter.queryItems) == filter)
    }

    @Test(arguments: ["due=-1", "due=abc", "silent=99999", "score=grade&op=xx&value=1", "score=grade&op=ge&value=x", "score=&op=ge&value=1"])
    func malformedCriteriaAreIgnored(query: String) {
        #expect(PopulationListFilter(query: Self.query(query)).isEmpty)
    }

    @Test func theListPageShowsTheDateNextToEveryValue() async throws {
        let fixture = try await PopulationFixture.build()
        let browser = try await fixture.staff.signIn()
        let response = await browser.get("/staff/lists?score=grade&op=ge&value=0&silent=10")
        #expect(response.status == .ok)
        let html = String(decoding: response.body, as: UTF8.self)
        #expect(html.contains(">Carl Clausen</a>"))
        #expect(!html.contains(">Anna Andersen</a>"))
        #expect(html.contains("<td>0 <span class=\"muted\">(18.11.2026)</span></td>"))
        #expect(html.contains("<td>17.01.2027</td>"))
    }

    @Test func aListDownloadsAsCSVAuditedPerPatient() async throws {
        let fixture = try await PopulationFixture.build()
        let browser = try await fixture.staff.signIn()
        let response = await browser.get("/staff/lists?silent=10&format=csv")
        #expect(response.status == .ok)
        #expect(response.headers["Content-Type"] == "text/csv; charset=utf-8")
        #expect(response.headers["Content-Disposition"] == "attachment; filename=\"list.csv\"")
        let lines = String(decoding: response.body, as: UTF8.self).components(separatedBy: "\r\n")
        #expect(lines.count == 4)
        #expect(lines[1].hasPrefix("Bo Berg,0101702222,copd-followup,"))
        #expect(lines[2].hasPrefix("Carl Clausen,0101703333,copd-followup,17.01.2027,–,,18.11.2026,–,"))
        let audited = try fixture.staff.context.database.read { db in
            try db.query("SELECT patient_id FROM audit_events WHERE what = 'list-csv' ORDER BY id").map { try $0.optionalInt("patient_id") }
        }
        #expect(audited == [nil, fixture.bo.id.rawValue, fixture.carl.id.rawValue])
    }

    @Test func aSavedListRerunsToTheSameResult() async throws {
        let fixture = try await PopulationFixture.build()
        let browser = try await fixture.staff.signIn()
        let adHoc = await browser.get("/staff/lists?silent=10&contact=5&format=csv")
        let saved = await browser.post("/staff/lists", [("name", "Tavse uden kontakt"), ("silent", "10"), ("contact", "5")])
        #expect(saved.status == .seeOther)
        let location = try #require(saved.headers["Location"])
        #expect(location.hasPrefix("/staff/lists/"))
        let page = String(decoding: await browser.get(location).body, as: UTF8.self)
        #expect(page.contains("Tavse uden kontakt"))
        #expect(page.contains("Karen Nielsen"))
        #expect(page.contains(">Carl Clausen</a>"))
        let rerun = await browser.get(location + "?format=csv")
        #expect(rerun.body == adHoc.body)
        let stored = try fixture.staff.context.database.read { db in try SavedLists.all(db, departmentID: fixture.staff.department.id) }
        #expect(stored.map(\.filterJSON) == ["{\"silent\":10,\"contact\":5}"])
        #expect(stored.map(\.createdBy) == [fixture.staff.nurse.id])
    }

    @Test func aListNeedsANameAndStaysInItsDepartment() async throws {
        let fixture = try await PopulationFixture.build()
        let browser = try await fixture.staff.signIn()
        #expect(await browser.post("/staff/lists", [("name", "  "), ("silent", "10")]).status == .unprocessableContent)
        let saved = await browser.post("/staff/lists", [("name", "Tavse"), ("silent", "10")])
        let location = try #require(saved.headers["Location"])
        let stranger = try await fixture.staff.signIn("fremmed")
        #expect(await stranger.get(location).status == .notFound)
        let strangersList = String(decoding: await stranger.get("/staff/lists").body, as: UTF8.self)
        #expect(!strangersList.contains("Carl"))
        #expect(!strangersList.contains("Tavse"))
    }
}
