/// What a research project can ask for. Every export starts with the pseudonym; nothing that
/// names the person (CPR number, name, contact, free text) can be asked for at all.
public enum ResearchField: String, Sendable, Hashable, CaseIterable {
    case birthYear = "birth-year"
    case sex
    case questionnaire
    case answeredDate = "answered-date"
    case respondent
    case scores
    case bands
    case colour
    case flags
    /// Coded, numeric, boolean and date answers, one column per item. Free-text answers are
    /// never exported: patients write names and places in them.
    case answers

    /// What the column (or columns) hold, for the data dictionary.
    public var description: String {
        switch self {
        case .birthYear: "Year of birth, from the CPR number."
        case .sex: "Sex from the CPR number's last digit (female/male)."
        case .questionnaire: "The questionnaire's canonical url|version."
        case .answeredDate: "The day the answers were given (Europe/Copenhagen), without the time."
        case .respondent: "Who answered: patient, proxy (a relative) or paper (typed in by staff)."
        case .scores: "One column per score (score:<linkId>): the value computed by the questionnaire's own rules; empty when not computed."
        case .bands: "One column per score (band:<linkId>): the score's band code."
        case .colour: "The automatic triage colour: green, yellow or red."
        case .flags: "The score flags raised (e.g. suicide-risk), separated by semicolons."
        case .answers: "One column per answered item (answer:<linkId>): the code of a coded answer, else the value; free text is left out."
        }
    }
}
