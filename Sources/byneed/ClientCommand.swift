import Foundation
import SQLite
import Storage

/// `byneed client add|revoke|list`: the bearer tokens sector IT systems use for the FHIR API
/// (`/fhir`). The token is printed once and stored only as its SHA-256 hash.
enum ClientCommand: Command {
    static let valueOptions: Set<String> = CommonOptions.paths.union(["org", "scopes", "expires-days", "id"])
    static let flagOptions: Set<String> = []
    static let positionalCount = 1...1
    /// The longest lifetime `--expires-days` accepts (ten years).
    static let maximumExpiryDays = 3650
    static let help = """
        usage: byneed client add --org SOR --scopes SCOPES [--expires-days N] [--data-dir DIR]
               byneed client revoke --id N [--data-dir DIR]
               byneed client list [--data-dir DIR]
               byneed client deliveries [--data-dir DIR]

        add creates an API client acting for the organisation with that SOR code (a department,
        GP clinic or municipal unit added with 'byneed department add') and prints its bearer
        token once (256 random bits; only its SHA-256 hash is stored). SCOPES is a comma-separated
        list of system/<Type>.read or system/<Type>.write (e.g.
        system/QuestionnaireResponse.read,system/Observation.read; * stands for any type). The
        client sees exactly the patients the access policy lets its organisation see.
        --expires-days N makes the token stop working after N days (default: never).

        revoke stops a client's token at once; list shows every client and its state.
        deliveries lists subscription notifications that are dead or failed at least once
        (id, subscription, state, attempts, endpoint, last error).
        """

    static func run(_ options: Options) async throws -> Int32 {
        let database = try Database(directory: CommonOptions.dataDirectory(options), createIfMissing: false)
        defer { database.close() }
        switch options.positional[0] {
        case "add": try await add(options, database)
        case "revoke": try await revoke(options, database)
        case "list": try list(database)
        case "deliveries": try deliveries(database)
        default: throw Options.UsageError(description: "unknown client command '\(options.positional[0])'; use add, revoke, list or deliveries")
        }
        return 0
    }

    static func add(_ options: Options, _ database: Database) async throws {
        guard let sor = options.optionalString("org"), let scopeList = options.optionalString("scopes") else {
            throw Options.UsageError(description: "--org and --scopes are required")
        }
        let scopes = scopeList.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for scope in scopes where APIScope(scope) == nil {
            throw Options.UsageError(description: "scope '\(scope)' is not system/<Type>.read or system/<Type>.write")
        }
        guard !scopes.isEmpty else { throw Options.UsageError(description: "--scopes names no scope") }
        let days = options.optionalString("expires-days") == nil ? nil
            : try options.integer("expires-days", default: 0, range: 1...maximumExpiryDays)
        let now = Date()
        let created = try await database.write { db -> (StoredAPIClient, String)? in
            guard let department = try Departments.find(db, sorCode: sor) else { return nil }
            let (client, token) = try APIClients.create(db, organisationID: department.id, scopes: scopes, now: now,
                                                        expiresAt: days.map { now.addingTimeInterval(TimeInterval($0) * 86_400) })
            try AuditLog.append(db, AuditEntry(at: now, actorKind: .system, actorID: "byneed client", organisationSOR: sor, patientID: nil,
                                               action: .change, what: "api-client", outcome: "allowed",
                                               detail: "client \(client.id.rawValue) created: \(scopes.joined(separator: " "))"))
            return (client, token)
        }
        guard let (client, token) = created else { throw CommandFailure("no organisation with SOR code \(sor)") }
        say("API client \(client.id.rawValue) added for \(sor); its token (shown once):")
        say(token)
    }

    static func revoke(_ options: Options, _ database: Database) async throws {
        guard let text = options.optionalString("id"), let raw = Int64(text) else { throw Options.UsageError(description: "--id N is required") }
        let now = Date()
        let revoked = try await database.write { db -> Bool in
            guard try APIClients.revoke(db, APIClientID(rawValue: raw), now: now) else { return false }
            try AuditLog.append(db, AuditEntry(at: now, actorKind: .system, actorID: "byneed client", patientID: nil,
                                               action: .change, what: "api-client", outcome: "allowed", detail: "client \(raw) revoked"))
            return true
        }
        guard revoked else { throw CommandFailure("no active API client \(raw)") }
        say("API client \(raw) revoked")
    }

    static func list(_ database: Database) throws {
        let now = Date()
        let rows = try database.read { db in
            try APIClients.all(db).map { client in
                (client, try Departments.find(db, id: client.organisationID)?.sorCode ?? "?")
            }
        }
        for (client, sor) in rows {
            let state = client.revokedAt.map { "revoked \(Timestamp.string($0))" }
                ?? (client.isActive(at: now) ? "active" : "expired")
            let expiry = client.expiresAt.map { " expires \(Timestamp.string($0))" } ?? ""
            say("\(client.id.rawValue)\t\(sor)\t\(state)\(expiry)\t\(client.scopes.joined(separator: ","))")
        }
    }

    /// Push (issue 6): dead and retrying rest-hook notifications, for staff to look at.
    static func deliveries(_ database: Database) throws {
        for item in try database.read(Subscriptions.problems) {
            say("\(item.id.rawValue)\tsubscription \(item.subscriptionID.rawValue)\t\(item.state)\t\(item.attempts) attempts\t\(item.endpoint)\t\(item.lastError ?? "")")
        }
    }
}
