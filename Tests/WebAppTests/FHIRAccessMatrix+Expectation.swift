import Sharing

extension FHIRAccessMatrix {
    // MARK: - Who asks

    /// The organisations whose API clients ask: the responsible hospital department A, another
    /// hospital department B, the GP clinic and the municipality's health and social-services units.
    enum Client: String, CaseIterable, Sendable, Hashable {
        case departmentA = "department-A"
        case departmentB = "department-B"
        case gp
        case municipalHealth = "municipal-health"
        case socialServices = "social-services"

        /// The role docs/access-policy.md ("How API clients map to roles") says the client is
        /// treated as, as written to its audit rows.
        var role: StaffUser.Role {
            switch self {
            case .departmentA, .departmentB, .gp: .healthProfessional
            case .municipalHealth: .municipalHealthStaff
            case .socialServices: .municipalNonHealthStaff
            }
        }
    }

    // MARK: - About whom

    /// One kind of patient: enrolled by department A (with the GP clinic as GP and living in the
    /// municipality) or by department B (no GP, no municipality given), and the patient's own
    /// sharing choices.
    struct PatientKind: Sendable, Hashable, CustomStringConvertible {
        enum Department: String, Sendable, Hashable { case a = "A", b = "B" }
        enum ConsentState: String, CaseIterable, Sendable, Hashable { case none, active, withdrawn }

        var department: Department = .a
        var gpBlocked = false
        var healthBlocked = false
        /// Consent to the social-services unit.
        var consent: ConsentState = .none
        var socialBlocked = false
        var departmentBlocked = false

        /// The thirteen kinds of the staff matrix (another department's patient, then GP block ×
        /// municipal-health block × social consent none/active/withdrawn) and two for judgement
        /// calls 1 and 6: a block against the responsible department, and a block against the
        /// social-services unit the patient also consented to.
        static let all: [PatientKind] = [PatientKind(department: .b)]
            + [false, true].flatMap { gp in
                [false, true].flatMap { health in
                    ConsentState.allCases.map { PatientKind(gpBlocked: gp, healthBlocked: health, consent: $0) }
                }
            }
            + [PatientKind(consent: .active, socialBlocked: true), PatientKind(departmentBlocked: true)]

        var description: String {
            var parts = ["dept \(department.rawValue)", "consent \(consent.rawValue)"]
            if gpBlocked { parts.append("GP blocked") }
            if healthBlocked { parts.append("health blocked") }
            if socialBlocked { parts.append("social blocked") }
            if departmentBlocked { parts.append("dept A blocked") }
            return "[" + parts.joined(separator: ", ") + "]"
        }
    }

    // MARK: - What the policy says

    /// Which kinds of data a client may read about a patient.
    struct Rule: Sendable {
        let name: String
        let mayRead: @Sendable (Client, PatientKind, DataKind) -> Bool

        /// The expectation, restated from docs/access-policy.md (the matrix rows for API
        /// clients and judgement calls 1, 5 and 6), not from `AccessPolicy`'s code:
        /// - hospital department: rel, and a block does not bind the department that holds the
        ///   responsible relation;
        /// - GP clinic, municipal health unit: rel ∧ ¬blk, for results, identity and decisions;
        /// - social-services unit: cons ∧ ¬blk, for results and identity only, never decisions;
        /// - no API client reads a patient's access log (or anything else about one patient).
        static let policy = Rule(name: "policy") { client, patient, data in
            guard [.results, .identity, .decisions].contains(data) else { return false }
            let ofA = patient.department == .a
            return switch client {
            case .departmentA: ofA
            case .departmentB: patient.department == .b
            case .gp: ofA && !patient.gpBlocked
            case .municipalHealth: ofA && !patient.healthBlocked
            case .socialServices: ofA && data != .decisions && patient.consent == .active && !patient.socialBlocked
            }
        }

        /// This rule with one cell of the matrix turned around: what a mistake in the
        /// expectation (or in the server) would look like.
        func flipping(_ client: Client, _ patient: PatientKind) -> Rule {
            Rule(name: "\(name) with \(client.rawValue) × \(patient) flipped") { asking, about, data in
                asking == client && about == patient ? !mayRead(asking, about, data) : mayRead(asking, about, data)
            }
        }

        /// This rule once every consent has lapsed: an active consent counts as none.
        func lapsingConsents() -> Rule {
            Rule(name: "\(name) after consents lapsed") { client, patient, data in
                var lapsed = patient
                if lapsed.consent == .active { lapsed.consent = .none }
                return mayRead(client, lapsed, data)
            }
        }
    }
}
