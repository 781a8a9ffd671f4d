import Foundation
import Questionnaire
import Research
import Storage

/// `byneed research`: registers research projects, their approval and consents, and writes
/// pseudonymised exports with a data dictionary.
enum ResearchCommand: Command {
    static let valueOptions: Set<String> = CommonOptions.paths.union(["name", "fields", "approval", "cpr", "out", "by"])
    static let flagOptions: Set<String> = ["requires-consent", "withdraw"]
    static let positionalCount = 1...1
    static let help = """
        usage: byneed research register --name NAME --fields F1,F2,… [--requires-consent] --by NAME
               byneed research approve  --name NAME --approval REFERENCE --by NAME
               byneed research consent  --name NAME --cpr CPR [--withdraw]
               byneed research export   --name NAME --out DIR --by NAME
                                        [--data-dir DIR] [--questionnaires DIR]

        A project gets pseudonymised data only after its approval reference (ethics committee or
        data controller case number) is registered. Fields: \(ResearchField.allCases.map(\.rawValue).joined(separator: ", ")).
        The export writes NAME-data.csv and NAME-dictionary.csv into DIR (never overwriting), with
        each person under a keyed pseudonym of the project, and records the export in the audit log.
        """

    static func run(_ options: Options) async throws -> Int32 {
        guard let name = options.optionalString("name") else { throw Options.UsageError(description: "--name is required") }
        let database = try Database(directory: CommonOptions.dataDirectory(options), createIfMissing: false)
        defer { database.close() }
        let now = Date()
        let actor = options.string("by", default: "byneed research")
        switch options.positional[0] {
        case "register":
            guard let list = options.optionalString("fields") else { throw Options.UsageError(description: "--fields is required") }
            let fields = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let unknown = fields.filter { ResearchField(rawValue: $0) == nil }
            guard unknown.isEmpty, !fields.isEmpty else {
                throw CommandFailure("unknown fields \(unknown.joined(separator: ", ")); known: \(ResearchField.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            _ = try await database.write { db in
                try ResearchProjects.register(db, name: name, fields: fields, requiresConsent: options.flag("requires-consent"),
                                              by: actor, now: now)
            }
            say("project \(name) registered; it needs an approval reference before any export")
        case "approve":
            guard let reference = options.optionalString("approval"), !reference.isEmpty else {
                throw Options.UsageError(description: "--approval is required")
            }
            try await database.write { db in
                guard let project = try ResearchProjects.find(db, name: name) else { throw CommandFailure("no project \(name)") }
                try ResearchProjects.approve(db, project.id, reference: reference, by: actor, now: now)
            }
            say("project \(name) approved under \(reference)")
        case "consent":
            guard let cpr = options.optionalString("cpr") else { throw Options.UsageError(description: "--cpr is required") }
            try await database.write { db in
                guard let project = try ResearchProjects.find(db, name: name) else { throw CommandFailure("no project \(name)") }
                guard let patient = try Patients.find(db, cpr: cpr) else { throw CommandFailure("no patient with that CPR number") }
                try ResearchProjects.recordConsent(db, project.id, patientID: patient.id, given: !options.flag("withdraw"), now: now)
            }
            say(options.flag("withdraw") ? "consent withdrawn" : "consent recorded")
        case "export":
            return try await export(name: name, options: options, database: database, actor: actor, now: now)
        default:
            throw Options.UsageError(description: "unknown research command '\(options.positional[0])'; use register, approve, consent or export")
        }
        return 0
    }

    private static func export(name: String, options: Options, database: Database, actor: String, now: Date) async throws -> Int32 {
        guard let out = options.optionalString("out") else { throw Options.UsageError(description: "--out is required") }
        let catalogue = try QuestionnaireCatalogue.load(directory: CommonOptions.questionnaires(options))
        let dataPath = (out as NSString).appendingPathComponent("\(name)-data.csv")
        let dictionaryPath = (out as NSString).appendingPathComponent("\(name)-dictionary.csv")
        for path in [dataPath, dictionaryPath] where FileManager.default.fileExists(atPath: path) {
            throw CommandFailure("\(path) exists already; choose another --out folder")
        }
        let timeZone = TimeZone(identifier: "Europe/Copenhagen") ?? .gmt
        let export: ResearchExport
        do {
            export = try await database.write { db in
                guard let project = try ResearchProjects.find(db, name: name) else { throw CommandFailure("no project \(name)") }
                let made = try ResearchExport.make(db, project: project, catalogue: catalogue, timeZone: timeZone)
                try AuditLog.append(db, AuditEntry(at: now, actorKind: .system, actorID: actor, patientID: nil, action: .read,
                                                   what: "research-export", legalBasis: "research-approval:\(project.approvalReference ?? "")",
                                                   outcome: "allowed", detail: "\(name): \(made.people) people, \(made.data.rows.count) rows"))
                return made
            }
        } catch let refusal as ResearchExport.Refusal {
            throw CommandFailure(refusal.description)
        }
        try write(export.dictionary.text, to: dictionaryPath)
        try write(export.data.text, to: dataPath)
        say("exported \(export.data.rows.count) rows about \(export.people) people to \(dataPath), dictionary in \(dictionaryPath)")
        return 0
    }

    /// Writes through a temporary file and a rename, so a failed write leaves no half file.
    private static func write(_ text: String, to path: String) throws {
        let temporary = path + ".partial"
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
            try FileManager.default.moveItem(atPath: temporary, toPath: path)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw CommandFailure("could not write \(path): \(error.localizedDescription)")
        }
    }
}
