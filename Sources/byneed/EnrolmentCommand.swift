import Foundation
import Storage

/// `byneed enrolment pause|resume|end|change-plan`: changes a patient's running enrolment.
enum EnrolmentCommand: Command {
    static let valueOptions: Set<String> = CommonOptions.paths.union(["cpr", "plan", "to", "by"])
    static let flagOptions: Set<String> = []
    static let positionalCount = 1...1
    static let help = """
        usage: byneed enrolment pause|resume|end --cpr CPR --plan PLAN [--by NAME] [--data-dir DIR]
               byneed enrolment change-plan --cpr CPR --plan PLAN --to NEWPLAN [--by NAME]

        Pauses (nothing is sent while paused), resumes, ends, or moves to another plan (its newest
        version; the rounds so far are kept) the patient's running enrolment in PLAN. Every change
        is recorded with who made it and when.
        """

    static func run(_ options: Options) async throws -> Int32 {
        guard let cpr = options.optionalString("cpr"), let planID = options.optionalString("plan") else {
            throw Options.UsageError(description: "--cpr and --plan are required")
        }
        let change: Enrolments.Change
        switch options.positional[0] {
        case "pause": change = .pause
        case "resume": change = .resume
        case "end": change = .end
        case "change-plan":
            guard let target = options.optionalString("to") else { throw Options.UsageError(description: "--to is required") }
            guard let plan = try CommonOptions.plans(options).filter({ $0.id == target })
                .max(by: { $0.version.compare($1.version, options: .numeric) == .orderedAscending }) else {
                throw CommandFailure("there is no plan \(target)")
            }
            change = .changePlan(id: plan.id, version: plan.version)
        default:
            throw Options.UsageError(description: "unknown enrolment command '\(options.positional[0])'; use pause, resume, end or change-plan")
        }
        let database = try Database(directory: CommonOptions.dataDirectory(options), createIfMissing: false)
        defer { database.close() }
        let actor = options.string("by", default: "byneed enrolment")
        let now = Date()
        let found = try await database.write { db -> Bool in
            guard let patient = try Patients.find(db, cpr: cpr),
                  let enrolment = try Enrolments.forPatient(db, patient.id).first(where: { $0.planID == planID && $0.schedule.endedAt == nil })
            else { return false }
            try Enrolments.change(db, enrolment.id, change, actor: actor, now: now)
            return true
        }
        guard found else { throw CommandFailure("no running enrolment in \(planID) for that CPR number") }
        say("\(options.positional[0]) done")
        return 0
    }
}
