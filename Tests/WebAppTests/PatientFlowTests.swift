import Foundation
import HTTPCore
import JSON
import Questionnaire
import Testing
@testable import WebApp

/// Every question a patient answers in a definition, nested ones included (not the
/// calculated, read-only scores).
func questions(_ items: [QuestionnaireItem]) -> [QuestionnaireItem] {
    items.flatMap { [$0] + questions($0.items) }.filter { $0.type.isQuestion && !$0.readOnly }
}

/// The form fields that answer every WHO-5 item with the option at `index`.
func who5Fields(_ definition: QuestionnaireDefinition, option index: Int) -> [(String, String)] {
    questions(definition.items).map { ("a." + $0.linkId, String(index)) }
}

@Suite struct PatientFlowTests {
    @Test func unknownLinkGivesAClearNotFoundPage() async throws {
        let app = try TestApp()
        let response = await app.get("/q/" + String(repeating: "A", count: 43))
        #expect(response.status == .notFound)
        #expect(response.text.contains("Linket virker ikke"))
        #expect(response.headers["Content-Type"]?.hasPrefix("text/html") == true)
    }

    @Test(arguments: ["short", "not%20a%20token", String(repeating: "A", count: 44), String(repeating: "!", count: 43)])
    func malformedLinkGetsTheNotFoundPage(token: String) async throws {
        let app = try TestApp()
        let response = await app.get("/q/" + token)
        #expect(response.status == .notFound)
    }

    @Test func expiredLinkGivesGone() async throws {
        let app = try TestApp()
        let token = try await app.invite(TestApp.who5, validFor: 3600)
        app.clock.advance(by: 3600)
        let response = await app.get("/q/\(token)")
        #expect(response.status == .gone)
        #expect(response.text.contains("Fristen for at svare er udløbet"))
        let english = await app.get("/q/\(token)?lang=en")
        #expect(english.text.contains("The time to answer has run out"))
    }

    @Test func firstPageIsDanishWithProgressAndSafeHeaders() async throws {
        let app = try TestApp()
        let token = try await app.invite(TestApp.who5)
        let response = await app.get("/q/\(token)")
        #expect(response.status == .ok)
        #expect(response.text.contains("<html lang=\"da\">"))
        #expect(response.text.contains("Side 1 af 1"))
        let policy = try #require(response.headers["Content-Security-Policy"])
        #expect(!policy.contains("unsafe-inline"))
        #expect(policy.contains("default-src 'none'"))
        #expect(response.headers["X-Content-Type-Options"] == "nosniff")
        #expect(response.headers["Referrer-Policy"] == "no-referrer")
        #expect(response.headers["Cache-Control"] == "no-store")
    }

    @Test func englishIsChosenWithLang() async throws {
        let app = try TestApp()
        let token = try await app.invite(TestApp.who5)
        let response = await app.get("/q/\(token)?lang=en")
        #expect(response.text.contains("<html lang=\"en\">"))
        #expect(response.text.contains("Page 1 of 1"))
        #expect(response.text.contains("Dansk"))
    }

    @Test func everyChoiceIsAFieldsetWithLabelledRadios() async throws {
        let app = try TestApp()
        let token = try await app.invite(TestApp.who5)
        let html = await app.get("/q/\(token)").text
        let definition = try app.definition(TestApp.who5)
        #expect(html.components(separatedBy: "<fieldset").count - 1 == questions(definition.items).count)
        #expect(html.components(separatedBy: "type=\"radio\"").count - 1 == questions(definition.items).count * 6)
        #expect(html.components(separatedBy: "<label class=\"option__label\" for=").count - 1 == questions(definition.items).count * 6)
    }

    @Test func invalidAnswersShowTheSamePageWithErrorsAndStoreNothing() async throws {
        let app = try TestApp()
        let token = try await app.invite(TestApp.who5)
        let definition = try app.definition(TestApp.who5)
        var fields = Array(who5Fields(definition, option: 0).dropFirst())
        fields += [("page", "1"), ("lang", "da"), ("action", "next")]
        let response = await app.post("/q/\(token)", fields)
        #expect(response.status == .unprocessableContent)
        #expect(response.text.contains("error-summary"))
        #expect(response.text.contains("Vælg"))
        #expect(try app.responseCount() == 0)
        let outOfRange = await app.post("/q/\(token)", who5Fields(definition, option: 99) + [("page", "1"), ("action", "next")])
        #expect(outOfRange.status == .unprocessableContent)
    }

    @Test func fullPathStoresOneResponseAndShowsTheReceiptAfterCommit() async throws {
        let app = try TestApp()
        let token = try await app.invite(TestApp.who5)
        let definition = try app.definition(TestApp.who5)
        let saved = await app.post("/q/\(token)", who5Fields(definition, option: 1) + [("page", "1"), ("lang", "da"), ("action", "next")])
        #expect(saved.status == .seeOther)
        #expect(saved.location == "/q/\(token)?p=review&lang=da")
        let review = await app.get(try #require(saved.location))
        #expect(review.status == .ok)
        #expect(review.text.contains("Tjek dine svar"))
        #expect(try app.responseCount() == 0)

        let submitted = await app.post("/q/\(token)/submit", [("lang", "da")])
        #expect(submitted.status == .seeOther)
        #expect(submitted.location == "/q/\(token)/receipt?lang=da")
        #expect(try app.responseCount() == 1)
        let receipt = await app.get(try #require(submitted.location))
        #expect(receipt.status == .ok)
        #expect(receipt.text.contains("Tak – dine svar er modtaget"))
        #expect(receipt.text.contains("70 10 20 30"))

        let resource = try JSON.parse(try #require(try app.storedResources().first))
        #expect(resource["questionnaire"]?.stringValue == definition.reference)
        #expect(resource["status"] == "completed")
        let answered = resource.serialized()
        let secondOption = try #require(questions(definition.items).first?.answerOptions[1].value)
        guard case .coding(let coding) = secondOption else { Issue.record("WHO-5 options are codings"); return }
        #expect(answered.components(separatedBy: "\"code\":\"\(coding.code)\"").count - 1 == 5)
    }

    @Test func doubleSubmitStoresOneResponseAndShowsTheSameReceipt() async throws {
        let app = try TestApp()
        let token = try await app.invite(TestApp.who5)
        let definition = try app.definition(TestApp.who5)
        _ = await app.post("/q/\(token)", who5Fields(definition, option: 2) + [("page", "1"), ("action", "next")])
        async let first = app.post("/q/\(token)/submit", [("lang", "da")])
        async let second = app.post("/q/\(token)/submit", [("lang", "da")])
        let (a, b) = await (first, second)
        #expect(a.status == .seeOther && b.status == .seeOther)
        #expect(a.location == b.location)
        let replay = await app.post("/q/\(token)/submit", [("lang", "da")])
        #expect(replay.location == a.location)
        #expect(try app.responseCount() == 1)
        let reopened = await app.get("/q/\(token)")
        #expect(reopened.status == .seeOther)
        #expect(reopened.location?.hasPrefix("/q/\(token)/receipt") == true)
    }

    @Test func submitWithMissingAnswersShowsTheReviewWithErrors() async throws {
        let app = try TestApp()
        let token = try await app.invite(TestApp.who5)
        let response = await app.post("/q/\(token)/submit", [("lang", "en")])
        #expect(response.status == .unprocessableContent)
        #expect(response.text.contains("error-summary"))
        #expect(try app.responseCount() == 0)
    }

    @Test func aReturningPatientResumesWithTheirDraft() async throws {
        let app = try TestApp()
        let token = try await app.invite(TestApp.allTypes)
        let definition = try app.definition(TestApp.allTypes)
        #expect(definition.pages.count > 1)
        let first = await app.get("/q/\(token)")
        #expect(first.text.contains("Side 1 af"))
        let fields = [("a.diary-date", "2026-11-20"), ("a.had-symptoms", "false"), ("page", "1")]
        let saved = await app.post("/q/\(token)", fields + [("action", "back")])
        #expect(saved.status == .seeOther)
        let shown = await app.get("/q/\(token)?p=1")
        #expect(shown.text.contains("value=\"2026-11-20\""))
        #expect(shown.text.contains("value=\"false\" checked"))

        let next = await app.post("/q/\(token)", fields + [("action", "next")])
        #expect(next.status == .seeOther)
        let resumed = await app.get("/q/\(token)")
        #expect(resumed.text.contains("Side 2 af"))
    }

    @Test func submissionIsAcknowledgedOnlyAfterCommit() async throws {
        let app = try TestApp()
        let token = try await app.invite(TestApp.who5)
        let definition = try app.definition(TestApp.who5)
        _ = await app.post("/q/\(token)", who5Fields(definition, option: 2) + [("page", "1"), ("action", "next")])
        app.context.database.close()
        let response = await app.post("/q/\(token)/submit", [("lang", "da")])
        #expect(response.status == .internalServerError)
        #expect(response.location == nil)
        #expect(response.text.contains("Fejlnummer"))
        let incident = try #require(app.logs.lines.first { $0.contains("\"incident\"") })
        #expect(!incident.contains(token))
    }

    @Test(arguments: [[("action", "next")], [("page", "0")], [("page", "x")], [("page", "99")],
                      [("page", "-9223372036854775808")], [("page", "9223372036854775807")], [("page", "01")]])
    func aPostWithoutAValidPageNumberIsRefusedAndStoresNothing(fields: [(String, String)]) async throws {
        let app = try TestApp()
        let token = try await app.invite(TestApp.who5)
        let response = await app.post("/q/\(token)", fields)
        #expect(response.status == .badRequest)
        #expect(response.text.contains("Siden kunne ikke læses"))
        #expect(try app.context.database.read { db in try db.query("SELECT * FROM drafts") }.isEmpty)
    }

    @Test func anInvitationKeepsItsQuestionnaireVersionWhenANewerOneArrives() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("byneed-versions-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let original = try String(contentsOfFile: Repository.path("Questionnaires/who5.json"), encoding: .utf8)
        try original.write(to: folder.appendingPathComponent("who5.json"), atomically: true, encoding: .utf8)
        let app = try TestApp(questionnaires: folder.path)
        let token = try await app.invite(TestApp.who5)
        let newer = original.replacingOccurrences(of: "\"version\": \"1.0.0\"", with: "\"version\": \"2.0.0\"")
            .replacingOccurrences(of: "WHO-5", with: "WHO-FEM")
        #expect(newer != original)
        try newer.write(to: folder.appendingPathComponent("who5-v2.json"), atomically: true, encoding: .utf8)
        let reloaded = try TestApp(questionnaires: folder.path, database: app.context.database)
        #expect(reloaded.context.catalogue.latest(url: TestApp.who5)?.version == "2.0.0")
        let page = await reloaded.get("/q/\(token)")
        #expect(page.status == .ok)
        #expect(page.text.contains("WHO-5"))
        #expect(!page.text.contains("WHO-FEM"))
    }

    @Test(arguments: ["-9223372036854775808", "9223372036854775807", "0", "2", "x", "review2"])
    func anOddPageNumberInTheLinkShowsWhereThePatientLeftOff(page: String) async throws {
        let app = try TestApp()
        let token = try await app.invite(TestApp.who5)
        let response = await app.get("/q/\(token)?p=\(page)")
        #expect(response.status == .ok)
        #expect(response.text.contains("Side 1 af 1"))
    }

    @Test func answersToQuestionsThatDoNotApplyAreNotStored() async throws {
        let app = try TestApp()
        let token = try await app.invite(TestApp.allTypes)
        let pages: [[(String, String)]] = [
            [("a.diary-date", "2026-11-20"), ("a.had-symptoms", "false"), ("a.symptoms", "1"), ("a.pain-score", "9")],
            [("a.steps", "5000"), ("a.low-activity-reason", "0")],
            [("a.doses", "0"), ("a.medicine-name", "Ipren")],
            [("a.contact-me", "true")],
        ]
        for (index, fields) in pages.enumerated() {
            let saved = await app.post("/q/\(token)", fields + [("page", String(index + 1)), ("action", "next")])
            #expect(saved.status == .seeOther, "page \(index + 1): \(saved.text)")
        }
        let submitted = await app.post("/q/\(token)/submit", [])
        #expect(submitted.status == .seeOther)
        let resource = try JSON.parse(try #require(try app.storedResources().first)).serialized()
        for dropped in ["\"symptoms\"", "\"pain-score\"", "\"low-activity-reason\"", "\"medicine-name\""] {
            #expect(!resource.contains(dropped), "\(dropped) does not apply and must not be stored")
        }
        for kept in ["\"had-symptoms\"", "\"steps\"", "\"doses\"", "\"contact-me\"", "Reumatologisk ambulatorium"] {
            #expect(resource.contains(kept))
        }
    }

    /// KRAM's BMI is an SDC calculatedExpression on a read-only item: the patient sees the value
    /// computed from their own height and weight, on the page and in the review.
    @Test func aCalculatedItemShowsItsValueOnThePageAndInTheReview() async throws {
        let app = try TestApp()
        let token = try await app.invite("http://byneed.dk/fhir/Questionnaire/kram")
        let saved = await app.post("/q/\(token)", [("a.height", "180"), ("a.weight", "80"), ("page", "1"), ("action", "next")])
        #expect(saved.status == .seeOther, "\(saved.text)")
        let page = await app.get("/q/\(token)?p=1")
        let review = await app.get("/q/\(token)?p=review")
        for response in [page, review] {
            #expect(response.text.contains("24,7"), "80 kg at 180 cm is a BMI of 24.69, shown to one decimal: \(response.text)")
        }
    }

    @Test func anUnreadableValueKeepsTheAnswerSavedBefore() async throws {
        let app = try TestApp()
        let token = try await app.invite(TestApp.allTypes)
        _ = await app.post("/q/\(token)", [("page", "2"), ("a.weight", "70,5"), ("action", "back")])
        let invalid = await app.post("/q/\(token)", [("page", "2"), ("a.weight", "70.5.1"), ("action", "next")])
        #expect(invalid.status == .unprocessableContent)
        #expect(invalid.text.contains("value=\"70.5.1\""))
        _ = await app.post("/q/\(token)", [("page", "2"), ("a.weight", "abc"), ("action", "back")])
        let shown = await app.get("/q/\(token)?p=2")
        #expect(shown.text.contains("value=\"70,5\""))
    }

    @Test func aPagePostedAfterTheSubmissionDoesNotRecreateADraft() async throws {
        let app = try TestApp()
        let token = try await app.invite(TestApp.who5)
        let definition = try app.definition(TestApp.who5)
        let page = who5Fields(definition, option: 2) + [("page", "1"), ("action", "next")]
        _ = await app.post("/q/\(token)", page)
        _ = await app.post("/q/\(token)/submit", [])
        let late = await app.post("/q/\(token)", page)
        #expect(late.status == .seeOther)
        #expect(late.location?.hasPrefix("/q/\(token)/receipt") == true)
        #expect(try app.context.database.read { db in try db.query("SELECT * FROM drafts") }.isEmpty)
    }

    @Test func concurrentPageSavesKeepEveryPagesAnswers() async throws {
        let app = try TestApp()
        let token = try await app.invite(TestApp.allTypes)
        async let first = app.post("/q/\(token)", [("page", "2"), ("a.weight", "70"), ("action", "back")])
        async let second = app.post("/q/\(token)", [("page", "3"), ("a.doses", "1"), ("action", "back")])
        _ = await (first, second)
        let draft = try #require(try app.context.database.read { db in try db.queryOne("SELECT answers_json FROM drafts") })
        let answers = try draft.string("answers_json")
        #expect(answers.contains("weight") && answers.contains("doses"))
    }

    @Test func aRequiredSectionLeftEmptyIsNamedOnThePage() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("byneed-group-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var source = try JSON.parse(try String(contentsOfFile: Repository.path("Questionnaires/who5.json"), encoding: .utf8))
        guard case .object(var root) = source, case .array(var items)? = root["item"], case .object(var group) = items[0],
              case .array(var questions)? = group["item"] else { Issue.record("unexpected WHO-5 shape"); return }
        group["required"] = true
        questions = questions.map { question in
            guard case .object(var object) = question else { return question }
            object["required"] = false
            return .object(object)
        }
        group["item"] = .array(questions)
        items[0] = .object(group)
        root["item"] = .array(items)
        source = .object(root)
        try source.serialized().write(to: folder.appendingPathComponent("who5.json"), atomically: true, encoding: .utf8)
        let app = try TestApp(questionnaires: folder.path)
        let token = try await app.invite(TestApp.who5)
        let response = await app.post("/q/\(token)", [("page", "1"), ("action", "next")])
        #expect(response.status == .unprocessableContent)
        #expect(response.text.contains("id=\"page-error\""))
        #expect(response.text.contains("Besvar mindst ét af spørgsmålene."))
        let link = try #require(response.text.components(separatedBy: "<li><a href=\"#").dropFirst().first?
            .components(separatedBy: "\"").first)
        #expect(response.text.contains("id=\"\(link)\" name=\"a."), "the summary links to the first question's input")
    }

    @Test func requestsAreLoggedByRouteTemplateNeverByToken() async throws {
        let app = try TestApp()
        let token = try await app.invite(TestApp.who5)
        _ = await app.get("/q/\(token)")
        let lines = app.logs.lines
        #expect(lines.contains { $0.contains("/q/:token") })
        #expect(!lines.contains { $0.contains(token) })
    }
}

@Suite struct StaticFileTests {
    @Test func stylesheetIsServedWithValidatorAndCaching() async throws {
        let app = try TestApp()
        let url = app.context.assets.url("app.css")
        let response = await app.get(url)
        #expect(response.status == .ok)
        #expect(response.headers["Content-Type"] == "text/css; charset=utf-8")
        #expect(response.headers["Cache-Control"]?.contains("immutable") == true)
        let etag = try #require(response.headers["ETag"])
        let again = await app.get("/static/app.css", headers: ["If-None-Match": etag])
        #expect(again.status == .notModified)
        #expect(again.body.isEmpty)
    }

    @Test(arguments: [
        ("/static/../Package.swift", HTTPStatus.badRequest),
        ("/static/..%2fPackage.swift", .badRequest),
        ("/static/%2e%2e/Package.swift", .badRequest),
        ("/static/app.css%00.png", .badRequest),
        ("/static/./app.css", .badRequest),
        ("/static//app.css", .badRequest),
        ("/static/nothing.css", .notFound),
    ])
    func pathsThatTryToEscapeAreRefused(target: String, expected: HTTPStatus) async throws {
        let app = try TestApp()
        #expect(await app.get(target).status == expected)
    }
}
