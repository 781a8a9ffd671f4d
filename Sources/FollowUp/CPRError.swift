/// Why a text is not a CPR number, in Danish and English for the clinician who typed it.
public enum CPRError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not ten digits with an optional hyphen after the sixth.
    case malformed
    /// The first six digits are no calendar date in the century the 7th digit gives.
    case dateDoesNotExist(String, year: Int)

    /// Danish message, e.g. "Ugyldigt CPR-nummer: datoen 310290 findes ikke".
    public var danish: String {
        switch self {
        case .malformed: "Ugyldigt CPR-nummer: skriv 10 cifre som DDMMÅÅ-SSSS eller DDMMÅÅSSSS"
        case .dateDoesNotExist(let date, _): "Ugyldigt CPR-nummer: datoen \(date) findes ikke"
        }
    }

    /// English message.
    public var english: String {
        switch self {
        case .malformed: "Invalid CPR number: enter 10 digits as DDMMYY-SSSS or DDMMYYSSSS"
        case .dateDoesNotExist(let date, let year): "Invalid CPR number: the date \(date) does not exist (year \(year))"
        }
    }

    /// The message in `language` (`en…` gives English, anything else Danish).
    public func message(language: String) -> String {
        language.lowercased().hasPrefix("en") ? english : danish
    }

    public var description: String { english }
}
