import FHIR
import Foundation
import SQLite
import Storage

extension FHIRAPI {
    /// The Organization search candidates: the departments, clinics and units ByNeed knows,
    /// narrowed by SOR code and by the start of the name (R4 string search: case and accents
    /// ignored). Not patient data, so no policy applies.
    func organizationRows(_ db: Connection, _ search: SearchRequest, now: Date) throws -> [FHIRSearchRow] {
        var departments: [Department]
        if search.organizationIdentifiers.isEmpty {
            departments = try db.query("SELECT id FROM departments").compactMap { try Departments.find(db, id: DepartmentID(rawValue: try $0.int("id"))) }
        } else {
            departments = try Set(search.organizationIdentifiers).compactMap { try Departments.find(db, sorCode: $0) }
        }
        if let name = search.organizationName {
            let wanted = Self.folded(name)
            departments = departments.filter { Self.folded($0.name).hasPrefix(wanted) }
        }
        return try departments.map { department in
            let resource = try stableMeta(db, FHIRResources.organization(department, lastUpdated: now), now: now)
            return FHIRSearchRow(sortKey: department.sorCode, id: resource["id"]?.stringValue ?? "", patientID: nil,
                                 resource: resource, instant: nil)
        }
    }

    /// A name for string search: lower case without accents.
    private static func folded(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }
}
