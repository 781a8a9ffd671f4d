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

        Validates every questionnaire (FHIR R4 JSON) and every template; prints each problem with
        its file and place, and exits 1 when there is any.
        """

    static func run(_ options: Options) async throws -> Int32 {
        var failed = false
        do {
            let catalogue = try QuestionnaireCatalogue.load(directory: CommonOptions.questionnaires(options))
            say("questionnaires: \(catalogue.all.count) ok (\(catalogue.all.map(\.reference).sorted().joined(separator: ", ")))")
        } catch {
            printError("questionnaires: \(error)")
            failed = true
        }
        do {
            _ = try TemplateLibrary.load(directory: CommonOptions.templates(options))
            say("templates: ok")
        } catch {
            printError("templates: \(error)")
            failed = true
        }
        do {
            _ = try StaticAssets.load(directory: CommonOptions.publicFolder(options))
            say("public files: ok")
        } catch {
            printError("public files: \(error)")
            failed = true
        }
        return failed ? 1 : 0
    }
}
