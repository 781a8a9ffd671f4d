/// What is being read; the policy grants per kind.
public enum DataKind: String, Sendable, Hashable, CaseIterable {
    /// Answers, scores and triage colours of a patient's questionnaires.
    case results
    /// Name and CPR number.
    case identity
    /// Clinicians' recorded decisions on a patient's responses (worklist outcomes).
    case decisions
    /// Who looked at a patient's data (the citizen's access log).
    case accessLog
    /// Counts over groups of patients, served only after small-cell suppression.
    case aggregates
    /// Questionnaire definitions, thresholds, users: no patient data.
    case configuration

    /// True for kinds that are about one patient, so a decision needs the patient's state.
    public var isPatientLevel: Bool {
        switch self {
        case .results, .identity, .decisions, .accessLog: true
        case .aggregates, .configuration: false
        }
    }
}
