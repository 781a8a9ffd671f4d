import Foundation
import Security
import Storage

/// `byneed staff add`: creates a staff account; the password is read from standard input so it
/// never appears in the process list or the shell history.
enum StaffCommand: Command {
    static let valueOptions: Set<String> = CommonOptions.paths.union(["username", "name", "department-sor", "role"])
    static let flagOptions: Set<String> = ["password-stdin"]
    static let positionalCount = 1...1
    static let roles = ["health-professional", "municipal-health-staff", "municipal-non-health-staff", "administrator", "analyst"]
    /// NIST SP 800-63B §5.1.1.2: memorised secrets of at least 8 characters; we ask for 12.
    static let minimumPasswordLength = 12
    static let help = """
        usage: byneed staff add --username USER --name NAME --department-sor SOR --role ROLE
                                --password-stdin [--data-dir DIR]

        Creates a staff account in the department with that SOR code. ROLE is one of
        \(roles.joined(separator: ", ")). The password (at least \(minimumPasswordLength) characters)
        is read from the first line of standard input and stored as a PBKDF2-HMAC-SHA256 hash.
        """

    static func run(_ options: Options) async throws -> Int32 {
        guard options.positional[0] == "add" else { throw Options.UsageError(description: "unknown staff command '\(options.positional[0])'; use add") }
        guard let username = options.optionalString("username"), let name = options.optionalString("name"),
              let sor = options.optionalString("department-sor"), let role = options.optionalString("role") else {
            throw Options.UsageError(description: "--username, --name, --department-sor and --role are required")
        }
        guard roles.contains(role) else { throw Options.UsageError(description: "--role must be one of \(roles.joined(separator: ", "))") }
        guard options.flag("password-stdin") else { throw Options.UsageError(description: "give the password on standard input with --password-stdin") }
        let password = readLine(strippingNewline: true) ?? ""
        guard password.count >= minimumPasswordLength else {
            throw CommandFailure("the password must have at least \(minimumPasswordLength) characters")
        }
        let hash = PasswordHash(password: password).encoded
        let database = try Database(directory: CommonOptions.dataDirectory(options), createIfMissing: false)
        defer { database.close() }
        let now = Date()
        let outcome = try await database.write { db -> String? in
            guard let department = try Departments.find(db, sorCode: sor) else { return "no department with SOR code \(sor)" }
            guard try StaffAccounts.find(db, username: username) == nil else { return "the username \(username) is taken" }
            try StaffAccounts.create(db, username: username, displayName: name, departmentID: department.id, role: role,
                                     passwordHash: hash, now: now)
            return nil
        }
        if let outcome { throw CommandFailure(outcome) }
        say("staff account \(username) added")
        return 0
    }
}
