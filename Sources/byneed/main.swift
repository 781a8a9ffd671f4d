import Foundation

/// `byneed`: the ByNeed server and its administration commands.
let arguments = CommandLine.arguments.dropFirst()
let commands: [String: any Command.Type] = [
    "serve": ServeCommand.self,
    "check": CheckCommand.self,
    "invite": InviteCommand.self,
    "score": ScoreCommand.self,
    "import": ImportCommand.self,
    "triage": TriageCommand.self,
    "threshold": ThresholdCommand.self,
    "fhirpath": FHIRPathCommand.self,
    "department": DepartmentCommand.self,
    "staff": StaffCommand.self,
    "enrol": EnrolCommand.self,
    "enrolment": EnrolmentCommand.self,
    "audit": AuditCommand.self,
    "backup": BackupCommand.self,
    "restore": RestoreCommand.self,
    "research": ResearchCommand.self,
    "client": ClientCommand.self,
]

let name = arguments.first ?? "help"
guard let command = commands[name] else {
    let known = ["help", "--help", "-h"].contains(name)
    FileHandle.standardError.write(Data("""
        \(known ? "" : "byneed: unknown command '\(name)'\n\n")usage: byneed <command> [options]

        commands:
          serve    run the web server (patient pages, static files)
          check    validate Questionnaires/ and Templates/ without starting anything
          invite   create an invitation for a patient and print its link
          score    validate and triage a QuestionnaireResponse, printing JSON
          import   bring a Questionnaire file into the questionnaire folder
          triage   replay stored responses against candidate triage rules (read-only)
          threshold  set, clear or list a patient's own triage thresholds
          fhirpath evaluate FHIRPath expressions over a resource, printing JSON
          department add a department (SOR code, name, phone)
          staff    add a staff account, or give one a TOTP second factor
          enrol    enrol a patient in a follow-up plan
          enrolment  pause, resume, end or change a patient's enrolment
          audit    verify the audit log's hash chain, or print its head
          research register projects, approvals and consents; pseudonymised exports
          client   add, revoke or list FHIR API clients (bearer tokens)
          backup / restore  copy the database while the server runs / verify a copy and put it in place

        Run 'byneed <command> --help' for a command's options.

        """.utf8))
    exit(known ? 0 : 64)
}
exit(await command.main(Array(arguments.dropFirst())))
