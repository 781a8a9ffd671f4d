import Foundation

/// What is wrong with an answer, with the context a message needs (an `Error` so decoding
/// helpers can return `Result`).
public enum ValidationProblem: Error, Sendable, Hashable {
    /// A required item (or, for a group, every item in it) is unanswered.
    case required(ItemType)
    case notABoolean
    case notAnInteger
    case notADecimal
    case invalidDate
    case invalidDateTime
    /// The wall-clock time was skipped by a change to summer time in the patient's time zone.
    case nonexistentLocalTime
    /// A posted option index is not a number or is out of range.
    case unknownOption
    /// A stored value is not one of the item's answer options.
    case notAnOption
    case missingUnit
    case unknownUnit
    case tooLong(maxLength: Int)
    case belowMinimum(AnswerValue)
    case aboveMaximum(AnswerValue)
    /// More than one answer to an item that does not repeat.
    case tooManyAnswers
    /// An answer to a read-only item differs from its initial value.
    case readOnly
    /// The stored value has a type the item does not take.
    case wrongType
}

// MARK: - Messages

extension ValidationProblem {
    /// The message in plain words for a patient: English for `en`/`en-*`, otherwise Danish
    /// (ByNeed's default language).
    public func message(language: String) -> String {
        let english = language.lowercased() == "en" || language.lowercased().hasPrefix("en-")
        let (danish, englishText) = texts
        return english ? englishText : danish
    }

    private var texts: (String, String) {
        switch self {
        case .required(let type):
            switch type {
            case .choice, .openChoice, .boolean: return ("Vælg et svar.", "Choose an answer.")
            case .date: return ("Vælg en dato.", "Choose a date.")
            case .dateTime: return ("Vælg dato og klokkeslæt.", "Choose a date and time.")
            case .group: return ("Besvar mindst ét af spørgsmålene.", "Answer at least one of the questions.")
            default: return ("Skriv et svar.", "Please write an answer.")
            }
        case .notABoolean: return ("Vælg ja eller nej.", "Choose yes or no.")
        case .notAnInteger: return ("Skriv et helt tal, fx 12.", "Enter a whole number, for example 12.")
        case .notADecimal: return ("Skriv et tal, fx 12,5.", "Enter a number, for example 12.5.")
        case .invalidDate: return ("Skriv en gyldig dato.", "Enter a valid date.")
        case .invalidDateTime: return ("Skriv en gyldig dato og et gyldigt klokkeslæt.", "Enter a valid date and time.")
        case .nonexistentLocalTime:
            return ("Det klokkeslæt findes ikke den dag, fordi uret stilles frem til sommertid. Vælg et andet klokkeslæt.",
                    "That time does not exist on that day because the clocks go forward. Choose another time.")
        case .unknownOption, .notAnOption: return ("Vælg et af svarene på listen.", "Choose one of the answers in the list.")
        case .missingUnit: return ("Vælg en enhed.", "Choose a unit.")
        case .unknownUnit: return ("Vælg en af enhederne på listen.", "Choose one of the units in the list.")
        case .tooLong(let maxLength):
            return ("Svaret må højst være \(maxLength) tegn langt.", "The answer can be at most \(maxLength) characters long.")
        case .belowMinimum(let limit):
            if Self.isDate(limit) {
                return ("Datoen må ikke være før \(Self.danish(limit)).", "The date cannot be before \(Self.english(limit)).")
            }
            return ("Tallet skal være mindst \(Self.danish(limit)).", "The number must be at least \(Self.english(limit)).")
        case .aboveMaximum(let limit):
            if Self.isDate(limit) {
                return ("Datoen må ikke være efter \(Self.danish(limit)).", "The date cannot be after \(Self.english(limit)).")
            }
            return ("Tallet må højst være \(Self.danish(limit)).", "The number must be at most \(Self.english(limit)).")
        case .tooManyAnswers: return ("Vælg kun ét svar.", "Choose only one answer.")
        case .readOnly: return ("Dette felt kan ikke ændres.", "This field cannot be changed.")
        case .wrongType: return ("Svaret har ikke den rigtige form.", "The answer is not in the right form.")
        }
    }

    private static func isDate(_ value: AnswerValue) -> Bool {
        switch value {
        case .date, .dateTime: true
        default: false
        }
    }

    /// Danish writing: decimal comma, dates as `31.12.2024`.
    private static func danish(_ value: AnswerValue) -> String {
        switch value {
        case .date(let text), .dateTime(let text):
            let parts = text.prefix(10).split(separator: "-")
            return parts.count == 3 ? "\(parts[2]).\(parts[1]).\(parts[0])" : text
        default:
            return english(value).replacingOccurrences(of: ".", with: ",")
        }
    }

    private static func english(_ value: AnswerValue) -> String {
        switch value {
        case .integer(let number): String(number)
        case .decimal(let number): number.description
        case .quantity(let quantity): [quantity.value.description, quantity.unit].compactMap { $0 }.joined(separator: " ")
        case .date(let text), .dateTime(let text), .string(let text): String(text.prefix(10))
        case .boolean(let flag): flag ? "true" : "false"
        case .coding(let coding): coding.display ?? coding.code
        }
    }
}
