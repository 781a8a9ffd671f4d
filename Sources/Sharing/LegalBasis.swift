/// The legal ground a granted access rests on, recorded in the audit row of every read.
///
/// Sources: sundhedsloven (LBK, chapter 9 "Tavshedspligt, videregivelse og indhentning af
/// helbredsoplysninger m.v."), the GDPR (databeskyttelsesforordningen) art. 9(2) for special
/// categories of data, art. 15 for the data subject's right of access.
public enum LegalBasis: String, Sendable, Hashable, CaseIterable {
    /// Look-up within a current treatment relation: sundhedsloven §42a stk. 1; GDPR art. 9(2)(h).
    case treatmentRelation
    /// The patient's explicit consent: sundhedsloven §43 stk. 1 (non-treatment purposes); GDPR art. 9(2)(a).
    case consent
    /// Emergency look-up without a relation to protect the patient's vital interests:
    /// sundhedsloven §42a stk. 2 ("væsentlige hensyn til patienten"); GDPR art. 9(2)(c).
    case vitalInterest
    /// The patient reading their own data: GDPR art. 15; sundhedsloven §37 (aktindsigt).
    case ownData
    /// Counts after small-cell suppression, not personal data (GDPR recital 26).
    case aggregate
    /// Configuration, which holds no personal data; granted to administrators by role.
    case noPersonalData

    /// A short citation for audit views and documentation.
    public var citation: String {
        switch self {
        case .treatmentRelation: "sundhedsloven §42a stk. 1; GDPR art. 9(2)(h)"
        case .consent: "samtykke, sundhedsloven §43 stk. 1; GDPR art. 9(2)(a)"
        case .vitalInterest: "sundhedsloven §42a stk. 2; GDPR art. 9(2)(c)"
        case .ownData: "GDPR art. 15; sundhedsloven §37"
        case .aggregate: "anonymised aggregate; GDPR recital 26"
        case .noPersonalData: "no personal data"
        }
    }
}
