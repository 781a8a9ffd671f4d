import FollowUp
import Foundation
import Questionnaire
import Templating
import WebApp

/// `byneed check`: loads and validates the questionnaires and templates exactly as the server
/// does at start, so a broken definition is caught before it reaches a patient.
enum CheckCommand: Command {
    static let valueOptions = CommonOptions.paths
    static let flagOptions: Set<String> = []
    static let help = """
        usage: byneed check [--questionnaires DIR] [--templates DIR] [--public DIR]

        Validates every questionnaire (FHIR R4 JSON), every follow-up plan (DIR/plans, see
        docs/follow-up-plans.md) and every template; prints each problem with its file and place,
        and exits 1 when there is any.
        """

    static func run(_ options: Options) async throws -> Int32 {
        let checks: [(name: String, run: () throws -> String)] = [
            ("questionnaires", {
                let catalogue = try QuestionnaireCatalogue.load(directory: CommonOptions.questionnaires(options))
                return "\(catalogue.all.count) ok (\(catalogue.all.map(\.reference).sorted().joined(separator: ", ")))"
            }),
            ("plans", {
                let plans = try CommonOptions.plans(options)
                return "\(plans.count) ok (\(plans.map(\.reference).sorted().joined(separator: ", ")))"
            }),
            ("templates", { _ = try TemplateLibrary.load(directory: CommonOptions.templates(options)); return "ok" }),
            ("public files", { _ = try StaticAssets.load(directory: CommonOptions.publicFolder(options)); return "ok" }),
        ]
        var failed = false
        for check in checks {
            do {
                say("\(check.name): \(try check.run())")
            } catch {
                printError("\(check.name): \(error)")
                failed = true
            }
        }
        return failed ? 1 : 0
    }
}
