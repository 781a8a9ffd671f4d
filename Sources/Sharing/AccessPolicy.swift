import Foundation

/// The one access policy: every read path asks `decide` before it reads.
///
/// Pure: no I/O, no clock; the caller passes the patient's current sharing state and `now`.
/// The rules and every judgement call behind them are in docs/access-policy.md; in short:
/// - the responsible hospital department's health staff see results, identity and decisions
///   of the patients they enrolled while the relation is active; a block does not apply to
///   the department that collects the data;
/// - GP and municipal health staff with an active relation see results, identity and the
///   department's decisions unless the patient blocked their organisation;
/// - municipal non-health staff see results and identity only with an active explicit
///   consent (and no block), otherwise aggregates only;
/// - administrators see configuration and aggregates, analysts aggregates, never patient data;
/// - a health professional without a relation may break the glass with a reason: granted as
///   `.emergency`, but never against the patient's block;
/// - the patient sees all their own data, including the access log; no staff member does.
public enum AccessPolicy {
    /// Decides whether `actor` may read `data` about `patient` at `now`.
    ///
    /// Pass `patient: nil` when no patient was found for the request: the result is the same
    /// `notFound` as any other refusal. For `aggregates` and `configuration` the patient is
    /// ignored.
    public static func decide(actor: Actor, patient: PatientSharingState?, data: DataKind,
                              purpose: Purpose = .routine, now: Date) -> AccessDecision {
        switch data {
        case .aggregates:
            return aggregateDecision(actor: actor)
        case .configuration:
            return configurationDecision(actor: actor)
        case .results, .identity, .decisions, .accessLog:
            guard let patient else { return .notFound(.unknownPatient) }
            switch actor {
            case .patient(let id):
                return id == patient.patient ? .allowed(.ownData) : .notFound(.notOwnData)
            case .staff(let staff):
                return organisationDecision(role: staff.role, organisation: staff.organisation, mayBreakGlass: true,
                                            patient: patient, data: data, purpose: purpose, now: now)
            case .apiClient(let client):
                return organisationDecision(role: client.role, organisation: client.organisation, mayBreakGlass: false,
                                            patient: patient, data: data, purpose: purpose, now: now)
            }
        }
    }

    // MARK: - Data that is not about one patient

    /// Aggregates go to every staff role and API client; patients get none.
    private static func aggregateDecision(actor: Actor) -> AccessDecision {
        if case .patient = actor { return .notFound(.roleNotPermitted) }
        return .allowed(.aggregate)
    }

    /// Configuration goes to administrators only.
    private static func configurationDecision(actor: Actor) -> AccessDecision {
        if case .staff(let staff) = actor, staff.role == .administrator { return .allowed(.noPersonalData) }
        return .notFound(.roleNotPermitted)
    }

    // MARK: - Patient-level data for staff and API clients

    /// The kinds each relation shares: everything clinical, to the responsible department and to
    /// the GP and the municipal health unit (who see the department's decisions, issue 5: "the
    /// last clinician decision"); only the responsible department may record them (WebApp).
    private static func sharedKinds(_ kind: TreatmentRelation.Kind) -> Set<DataKind> {
        switch kind {
        case .responsibleDepartment: [.results, .identity, .decisions]
        case .generalPractitioner, .municipalHealthUnit: [.results, .identity, .decisions]
        }
    }

    /// Kinds a consent to a non-health unit shares.
    private static let consentKinds: Set<DataKind> = [.results, .identity]

    /// Patient-level data for a role at an organisation: a staff user's own role, or an API
    /// client's mapped role (`mayBreakGlass` false). Staff never read a patient's access log,
    /// so emergency access opens results, identity and decisions.
    private static func organisationDecision(role: StaffUser.Role, organisation: Organisation, mayBreakGlass: Bool,
                                             patient: PatientSharingState, data: DataKind, purpose: Purpose,
                                             now: Date) -> AccessDecision {
        guard data != .accessLog else { return .notFound(.roleNotPermitted) }
        let blocked = patient.isBlocked(organisation.sor, at: now)
        switch role {
        case .administrator, .analyst:
            return .notFound(.roleNotPermitted)
        case .municipalNonHealthStaff:
            guard !blocked else { return .notFound(.blocked) }
            guard patient.hasConsent(for: organisation.sor, at: now) else { return .notFound(.noConsent) }
            return consentKinds.contains(data) ? .allowed(.consent) : .notFound(.notShared)
        case .healthProfessional, .municipalHealthStaff:
            if let relation = patient.activeRelation(of: organisation, at: now) {
                guard relation.kind == .responsibleDepartment || !blocked else { return .notFound(.blocked) }
                return sharedKinds(relation.kind).contains(data)
                    ? .allowed(.treatmentRelation) : .notFound(.notShared)
            }
            guard case .emergency(let reason) = purpose else { return .notFound(.noTreatmentRelation) }
            guard mayBreakGlass, role == .healthProfessional else { return .notFound(.emergencyNotPermitted) }
            let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { return .notFound(.emergencyReasonMissing) }
            guard !blocked else { return .notFound(.blocked) }
            return .emergency(reason: trimmed)
        }
    }
}
