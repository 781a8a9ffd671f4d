/// The outcome of `AccessPolicy.decide`: granted on a legal basis, granted as an emergency,
/// or "not found".
///
/// A denial has exactly one outward form, `notFound`, whatever the reason and whether or not
/// the patient exists, so the HTTP layer answers 404 and a caller cannot probe which CPR
/// numbers are patients or who has blocked whom. The reason is for the audit row only.
public enum AccessDecision: Sendable, Hashable {
    /// Access granted on `basis`.
    case allowed(LegalBasis)
    /// Emergency access granted without a relation (basis: vital interest), flagged for
    /// follow-up review, with the reason the staff member gave.
    case emergency(reason: String)
    /// Access refused; show "not found". The reason goes to the audit log, never to the caller.
    case notFound(Denial)

    /// Why access was refused (audit only).
    public enum Denial: String, Sendable, Hashable, CaseIterable {
        /// No such patient (or none given for patient-level data).
        case unknownPatient
        /// A patient asked for someone else's data.
        case notOwnData
        /// The actor's role never sees this kind of data.
        case roleNotPermitted
        /// The data kind is not shared on the actor's basis (e.g. decisions with a GP).
        case notShared
        /// A health professional without a current treatment relation.
        case noTreatmentRelation
        /// The patient has blocked the actor's organisation.
        case blocked
        /// A non-health actor without an active, unexpired, unwithdrawn consent.
        case noConsent
        /// Emergency access with a blank reason.
        case emergencyReasonMissing
        /// Emergency access asked for by an actor who may not break the glass.
        case emergencyNotPermitted
    }

    /// True for `allowed` and `emergency`.
    public var isAllowed: Bool {
        if case .notFound = self { false } else { true }
    }

    /// True for emergency access, which must be flagged for review.
    public var isEmergency: Bool {
        if case .emergency = self { true } else { false }
    }

    /// The legal basis of a granted access (`vitalInterest` for emergencies); nil for a denial.
    public var legalBasis: LegalBasis? {
        switch self {
        case .allowed(let basis): basis
        case .emergency: .vitalInterest
        case .notFound: nil
        }
    }

    /// A stable code for the audit row, e.g. `allowed:treatmentRelation`,
    /// `emergency:vitalInterest`, `denied:blocked`.
    public var auditCode: String {
        switch self {
        case .allowed(let basis): "allowed:\(basis.rawValue)"
        case .emergency: "emergency:\(LegalBasis.vitalInterest.rawValue)"
        case .notFound(let denial): "denied:\(denial.rawValue)"
        }
    }
}
