import Foundation
import Security
import SQLite
import Storage

/// `byneed audit verify|head`: checks the audit log's hash chain, or prints its newest hash to
/// keep outside the database.
enum AuditCommand: Command {
    static let valueOptions: Set<String> = CommonOptions.paths
    static let flagOptions: Set<String> = []
    static let positionalCount = 1...1
    static let help = """
        usage: byneed audit verify [--data-dir DIR]
               byneed audit head   [--data-dir DIR]

        verify walks the hash chain of the audit log (read-only) and names the first row that was
        changed, or the row after one that was removed; exit 1 when the chain is broken.
        head prints the newest row's id and hash: keep it elsewhere (a ticket, another system) to
        detect even a rewrite of the whole chain.
        """

    static func run(_ options: Options) async throws -> Int32 {
        let connection = try Database.openReadOnly(directory: CommonOptions.dataDirectory(options))
        switch options.positional[0] {
        case "verify":
            switch try AuditLog.verify(connection) {
            case .intact(let rows):
                say("audit log intact: \(rows) rows verified")
                return 0
            case .broken(let id, let reason):
                printError("audit log broken at row \(id): \(reason)")
                return 1
            }
        case "head":
            guard let head = try AuditLog.head(connection) else {
                say("the audit log is empty")
                return 0
            }
            say("\(head.id) \(Hex.encode(head.hash))")
            return 0
        default:
            throw Options.UsageError(description: "unknown audit command '\(options.positional[0])'; use verify or head")
        }
    }
}
