import FollowUp
import Foundation
import Jobs
import Storage

/// `byneed enrol`: enrols a patient in a follow-up plan, with the same checks as the clinician's form.
enum EnrolCommand: Command {
    static let valueOptions: Set<String> = CommonOptions.paths.union([
        "cpr", "name", "email", "mobile", "language", "gp-sor", "municipality", "plan", "start", "department-sor", "by",
    ])
    static let flagOptions: Set<String> = ["letter"]
    static let help = """
        usage: byneed enrol --cpr CPR --name NAME --plan PLAN --start YYYY-MM-DD --department-sor SOR
                            [--email ADDRESS] [--mobile NUMBER] [--language da|en] [--letter]
                            [--gp-sor SOR] [--municipality CODE] [--by NAME]
                            [--data-dir DIR] [--questionnaires DIR]

        Creates or updates the patient and enrols them in the newest version of PLAN (a plan id from
        QUESTIONNAIRES/plans); the first questionnaire is due on the start date. Invitations go by
        e-mail unless --letter is given (a printed letter, for patients on paper).
        """

    static func run(_ options: Options) async throws -> Int32 {
        guard let cpr = options.optionalString("cpr"), let name = options.optionalString("name"),
              let planID = options.optionalString("plan"), let start = options.optionalString("start"),
              let sor = options.optionalString("department-sor") else {
            throw Options.UsageError(description: "--cpr, --name, --plan, --start and --department-sor are required")
        }
        let request = EnrolmentRequest(cpr: cpr, name: name, email: options.string("email", default: ""),
                                       mobile: options.string("mobile", default: ""), language: options.string("language", default: "da"),
                                       delivery: options.flag("letter") ? "letter" : "email", gpSORCode: options.string("gp-sor", default: ""),
                                       municipalityCode: options.string("municipality", default: ""), planID: planID, startDate: start)
        let valid: EnrolmentRequest.Valid
        switch request.validated(plans: try CommonOptions.plans(options)) {
        case .success(let checked): valid = checked
        case .failure(let problems): throw CommandFailure(problems.description)
        }
        let database = try Database(directory: CommonOptions.dataDirectory(options), createIfMissing: false)
        defer { database.close() }
        let actor = options.string("by", default: "byneed enrol")
        let now = Date()
        let enrolment: StoredEnrolment?
        do {
            enrolment = try await database.write { db -> StoredEnrolment? in
                guard let department = try Departments.find(db, sorCode: sor) else { return nil }
                return try valid.enrol(db, departmentID: department.id, actor: actor, now: now).1
            }
        } catch let refusal as EnrolmentRefusal {
            throw CommandFailure(refusal.message(language: "da"))
        }
        guard let enrolment else { throw CommandFailure("no department with SOR code \(sor)") }
        say("enrolled \(valid.cpr.masked) in \(enrolment.planReference) from \(valid.startDate)")
        return 0
    }
}
