import Foundation
import Questionnaire
import Storage

/// `byneed invite`: creates an invitation for an existing patient and prints the link.
enum InviteCommand: Command {
    static let valueOptions: Set<String> = CommonOptions.paths.union(["cpr", "questionnaire", "version", "days", "public-url"])
    static let flagOptions: Set<String> = []
    static let help = """
        usage: byneed invite --cpr CPR --questionnaire URL [--version V] [--days N]
                             [--data-dir DIR] [--questionnaires DIR] [--public-url URL]

        Creates an invitation for the patient with this CPR number to answer the questionnaire
        (its newest version unless --version is given), valid for N days (default 14), and prints
        the link on a line starting with 'Patient link: '.
        """

    static func run(_ options: Options) async throws -> Int32 {
        guard let cpr = options.optionalString("cpr"), let url = options.optionalString("questionnaire") else {
            throw Options.UsageError(description: "--cpr and --questionnaire are required")
        }
        let days = try options.integer("days", default: 14, range: 1...365)
        let catalogue = try QuestionnaireCatalogue.load(directory: CommonOptions.questionnaires(options))
        let found = options.optionalString("version").map { catalogue.definition(url: url, version: $0) } ?? catalogue.latest(url: url)
        guard let definition = found else {
            printError("byneed: no questionnaire \(url) in \(CommonOptions.questionnaires(options)); 'byneed check' lists those there")
            return 1
        }
        let database = try Database(directory: CommonOptions.dataDirectory(options), createIfMissing: false)
        defer { database.close() }
        let now = Date()
        let token = try await database.write { db -> String? in
            guard let patient = try Patients.find(db, cpr: cpr) else { return nil }
            return try Invitations.create(db, patientID: patient.id, questionnaireURL: definition.url,
                                          questionnaireVersion: definition.version, now: now,
                                          validFor: .seconds(days * 86_400)).token
        }
        guard let token else {
            printError("byneed: no patient with that CPR number in \(CommonOptions.dataDirectory(options))")
            return 1
        }
        say("Patient link: \(options.string("public-url", default: "http://127.0.0.1:8080"))/q/\(token)")
        return 0
    }
}
