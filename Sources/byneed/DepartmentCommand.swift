import Foundation
import Sharing
import Storage

/// `byneed department add`: registers a hospital department by its SOR code.
enum DepartmentCommand: Command {
    static let valueOptions: Set<String> = CommonOptions.paths.union(["sor", "name", "phone", "kind", "municipality"])
    static let flagOptions: Set<String> = []
    static let positionalCount = 1...1
    static let help = """
        usage: byneed department add --sor SOR --name NAME --phone PHONE [--kind KIND]
                                     [--municipality CODE] [--data-dir DIR]

        Registers an organisation (SOR code, urn:oid:1.2.208.176.1.1) with the name and phone number
        patients see. KIND is hospital-department (default), gp-clinic, municipal-health-unit or
        municipal-social-services-unit; municipal units name the municipality they serve (e.g. 0101).
        Patients enrolled with that GP SOR code or municipality get a treatment relation to them.
        """

    static func run(_ options: Options) async throws -> Int32 {
        guard options.positional[0] == "add" else { throw Options.UsageError(description: "unknown department command '\(options.positional[0])'; use add") }
        guard let sor = options.optionalString("sor"), let name = options.optionalString("name"),
              let phone = options.optionalString("phone") else {
            throw Options.UsageError(description: "--sor, --name and --phone are required")
        }
        guard !sor.isEmpty, sor.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw CommandFailure("the SOR code must be digits only") }
        let kinds: [String: Organisation.Kind] = ["hospital-department": .hospitalDepartment, "gp-clinic": .gpClinic,
                                                  "municipal-health-unit": .municipalHealthUnit,
                                                  "municipal-social-services-unit": .municipalSocialServicesUnit]
        guard let kind = kinds[options.string("kind", default: "hospital-department")] else {
            throw Options.UsageError(description: "--kind must be one of \(kinds.keys.sorted().joined(separator: ", "))")
        }
        let municipality = options.optionalString("municipality")
        let database = try Database(directory: CommonOptions.dataDirectory(options))
        defer { database.close() }
        let created = try await database.write { db -> Bool in
            guard try Departments.find(db, sorCode: sor) == nil else { return false }
            _ = try Departments.insert(db, sorCode: sor, name: name, phone: phone, kind: kind, municipalityCode: municipality)
            return true
        }
        guard created else { throw CommandFailure("a department with SOR code \(sor) exists already") }
        say("department \(sor) added")
        return 0
    }
}
