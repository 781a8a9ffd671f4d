import Foundation
import Questionnaire

/// Where a patient stands on the clinician's worklist, in the order the clinic works through it.
///
/// The nurse "starts the day with the questionnaires sorted by colour" (AmbuFlex, MISSION.md):
/// red first, then yellow, then those who did not answer, then those with a questionnaire out
/// or due soon, then green.
public enum WorklistCategory: Int, Sendable, Hashable, Comparable, CaseIterable {
    case red = 0, yellow, noAnswer, dueSoon, green

    public static func < (lhs: WorklistCategory, rhs: WorklistCategory) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// The stored word: `red`, `yellow`, `no-answer`, `due-soon`, `green`.
    public var code: String {
        switch self {
        case .red: "red"
        case .yellow: "yellow"
        case .noAnswer: "no-answer"
        case .dueSoon: "due-soon"
        case .green: "green"
        }
    }

    /// For clinicians, in Danish with English.
    public var label: LocalizedText {
        switch self {
        case .red: LocalizedText("Rød", translations: ["en": "Red"])
        case .yellow: LocalizedText("Gul", translations: ["en": "Yellow"])
        case .noAnswer: LocalizedText("Intet svar", translations: ["en": "No answer"])
        case .dueSoon: LocalizedText("Skema udsendt eller snart", translations: ["en": "Questionnaire out or due soon"])
        case .green: LocalizedText("Grøn", translations: ["en": "Green"])
        }
    }
}
