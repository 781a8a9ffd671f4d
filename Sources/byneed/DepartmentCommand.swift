import Foundation
import Storage

/// `byneed department add`: registers a hospital department by its SOR code.
enum DepartmentCommand: Command {
    static let valueOptions: Set<String> = CommonOptions.paths.union(["sor", "name", "phone"])
    static let flagOptions: Set<String> = []
    static let positionalCount = 1...1
    static let help = """
        usage: byneed department add --sor SOR --name NAME --phone PHONE [--data-dir DIR]

        Registers a department (SOR code, urn:oid:1.2.208.176.1.1) with the name and phone number
        patients see in their messages and on the receipt.
        """

    static func run(_ options: Options) async throws -> Int32 {
        guard options.positional[0] == "add" else { throw Options.UsageError(description: "unknown department command '\(options.positional[0])'; use add") }
        guard let sor = options.optionalString("sor"), let name = options.optionalString("name"),
              let phone = options.optionalString("phone") else {
            throw Options.UsageError(description: "--sor, --name and --phone are required")
        }
        guard !sor.isEmpty, sor.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw CommandFailure("the SOR code must be digits only") }
        let database = try Database(directory: CommonOptions.dataDirectory(options))
        defer { database.close() }
        let created = try await database.write { db -> Bool in
            guard try Departments.find(db, sorCode: sor) == nil else { return false }
            _ = try Departments.insert(db, sorCode: sor, name: name, phone: phone)
            return true
        }
        guard created else { throw CommandFailure("a department with SOR code \(sor) exists already") }
        say("department \(sor) added")
        return 0
    }
}
