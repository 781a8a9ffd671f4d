import Foundation
import Security
import SQLite
import Storage

/// `byneed staff add` creates a staff account (the password is read from standard input so it
/// never appears in the process list or the shell history); `byneed staff totp` gives an
/// account a new TOTP secret for the second sign-in step (RFC 6238).
enum StaffCommand: Command {
    static let valueOptions: Set<String> = CommonOptions.paths.union(["username", "name", "department-sor", "role"])
    static let flagOptions: Set<String> = ["password-stdin", "totp"]
    static let positionalCount = 1...1
    static let roles = ["health-professional", "municipal-health-staff", "municipal-non-health-staff", "administrator", "analyst"]
    /// NIST SP 800-63B §5.1.1.2: memorised secrets of at least 8 characters; we ask for 12.
    static let minimumPasswordLength = 12
    /// The issuer authenticator apps show next to the account name.
    static let totpIssuer = "ByNeed"
    static let help = """
        usage: byneed staff add --username USER --name NAME --department-sor SOR --role ROLE
                                --password-stdin [--totp] [--data-dir DIR]
               byneed staff totp --username USER [--data-dir DIR]

        add creates a staff account in the department with that SOR code. ROLE is one of
        \(roles.joined(separator: ", ")). The password (at least \(minimumPasswordLength) characters)
        is read from the first line of standard input and stored as a PBKDF2-HMAC-SHA256 hash.
        With --totp the account also gets a TOTP secret, as with totp.

        totp gives the account a new TOTP secret (replacing any earlier one) and prints, once,
        the otpauth:// URI for an authenticator app's QR code and the base32 secret. From then on
        the account signs in with its password and a six-digit code. Accounts without a secret
        sign in with the password alone; give every health professional a secret.
        """

    static func run(_ options: Options) async throws -> Int32 {
        switch options.positional[0] {
        case "add": try await add(options)
        case "totp": try await enrolTOTP(options)
        default: throw Options.UsageError(description: "unknown staff command '\(options.positional[0])'; use add or totp")
        }
        return 0
    }

    static func add(_ options: Options) async throws {
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
        let secret = options.flag("totp") ? TOTP.generateSecret() : nil
        let database = try Database(directory: CommonOptions.dataDirectory(options), createIfMissing: false)
        defer { database.close() }
        let now = Date()
        let outcome = try await database.write { db -> String? in
            guard let department = try Departments.find(db, sorCode: sor) else { return "no department with SOR code \(sor)" }
            guard try StaffAccounts.find(db, username: username) == nil else { return "the username \(username) is taken" }
            let account = try StaffAccounts.create(db, username: username, displayName: name, departmentID: department.id, role: role,
                                                   passwordHash: hash, now: now)
            if let secret { try StaffAccounts.setTOTPSecret(db, account.id, secret) }
            try auditAdministration(db, account, "account created (\(role))", now: now)
            return nil
        }
        if let outcome { throw CommandFailure(outcome) }
        say("staff account \(username) added")
        if let secret { printEnrolment(secret, username: username) }
    }

    static func enrolTOTP(_ options: Options) async throws {
        guard let username = options.optionalString("username") else { throw Options.UsageError(description: "--username is required") }
        let secret = TOTP.generateSecret()
        let database = try Database(directory: CommonOptions.dataDirectory(options), createIfMissing: false)
        defer { database.close() }
        let found = try await database.write { db -> Bool in
            guard let account = try StaffAccounts.find(db, username: username) else { return false }
            try StaffAccounts.setTOTPSecret(db, account.id, secret)
            try auditAdministration(db, account, "TOTP secret replaced", now: Date())
            return true
        }
        guard found else { throw CommandFailure("no staff account \(username)") }
        printEnrolment(secret, username: username)
    }

    /// User administration is in the audit log too (issue 5), made by the operator at the console.
    private static func auditAdministration(_ db: Connection, _ account: StaffAccount, _ detail: String, now: Date) throws {
        let sor = try Departments.find(db, id: account.departmentID)?.sorCode
        try AuditLog.append(db, AuditEntry(at: now, actorKind: .system, actorID: "byneed staff", organisationSOR: sor, patientID: nil,
                                           action: .change, what: "staff-account", outcome: "allowed",
                                           detail: "\(account.username): \(detail)"))
    }

    /// Prints the enrolment once: it is not stored anywhere else in readable form.
    static func printEnrolment(_ secret: [UInt8], username: String) {
        say("TOTP secret for \(username) (shown once; scan the URI as a QR code or type the secret):")
        say(TOTP(secret: secret).provisioningURI(issuer: totpIssuer, account: username))
        say("secret: \(Base32.encode(secret, padding: false))")
    }
}
