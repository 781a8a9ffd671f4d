import Foundation
import SQLite

/// The demo department and patient that `byneed serve --demo` creates on first start.
///
/// The patient is Nancy Berggren, CPR 251248-9996: the fictitious test person used across
/// Danish health IT test systems, so the demo never holds a real person's number.
public enum DemoData {
    public static let departmentSOR = "999999999999999"
    public static let departmentName = "Demo-epilepsiklinikken"
    public static let departmentPhone = "70 10 20 30"
    public static let patientCPR = "2512489996"
    public static let patientName = "Nancy Berggren"

    /// Creates the demo department and patient unless they exist; returns the patient.
    public static func ensure(_ db: Connection) throws -> Patient {
        if let patient = try Patients.find(db, cpr: patientCPR) { return patient }
        let department = try Departments.find(db, sorCode: departmentSOR)
            ?? Departments.insert(db, sorCode: departmentSOR, name: departmentName, phone: departmentPhone)
        return try Patients.insert(db, cpr: patientCPR, name: patientName, language: "da", departmentID: department.id)
    }
}
