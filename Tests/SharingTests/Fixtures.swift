import Foundation
@testable import Sharing

/// Shared organisations, people and instants for the access-policy tests.
enum Fixture {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
    static let day: TimeInterval = 24 * 60 * 60
    static let yesterday = now.addingTimeInterval(-day)
    static let tomorrow = now.addingTimeInterval(day)
    static let lastYear = now.addingTimeInterval(-300 * day)
    static let nextMonth = now.addingTimeInterval(30 * day)

    static let hospital = Organisation(sor: SORCode("hosp-neuro-1"), kind: .hospitalDepartment)
    static let gp = Organisation(sor: SORCode("gp-clinic-7"), kind: .gpClinic)
    static let municipalHealth = Organisation(sor: SORCode("kommune-hjemmepleje-3"), kind: .municipalHealthUnit)
    static let socialServices = Organisation(sor: SORCode("kommune-borgerservice-4"), kind: .municipalSocialServicesUnit)
    static let otherHospital = Organisation(sor: SORCode("hosp-ortho-2"), kind: .hospitalDepartment)

    static let patientID = PatientReference("p-1")
    static let otherPatientID = PatientReference("p-2")

    static func staff(_ role: StaffUser.Role, at organisation: Organisation, protected: Bool = false) -> Actor {
        .staff(StaffUser(id: "staff-\(role.rawValue)", organisation: organisation, role: role, isProtected: protected))
    }

    static func state(relations: [TreatmentRelation] = [], blocks: [SharingBlock] = [],
                      consents: [Consent] = []) -> PatientSharingState {
        PatientSharingState(patient: patientID, relations: relations, blocks: blocks, consents: consents)
    }

    static func relation(_ organisation: Organisation, _ kind: TreatmentRelation.Kind,
                         start: Date = lastYear, end: Date? = nil) -> TreatmentRelation {
        TreatmentRelation(organisation: organisation.sor, kind: kind, start: start, end: end)
    }

    static func consent(_ organisation: Organisation, givenAt: Date = lastYear, expiresAt: Date = nextMonth,
                        withdrawnAt: Date? = nil) -> Consent {
        Consent(organisation: organisation.sor, givenAt: givenAt, expiresAt: expiresAt, withdrawnAt: withdrawnAt)
    }

    static func block(_ organisation: Organisation, from: Date = lastYear, until: Date? = nil) -> SharingBlock {
        SharingBlock(organisation: organisation.sor, from: from, until: until)
    }
}
