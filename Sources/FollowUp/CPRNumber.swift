/// A Danish personal identification number (personnummer, "CPR-nummer"): birth date DDMMYY
/// and a four-digit serial number whose first digit fixes the century and whose last digit
/// gives the sex.
///
/// The century rule is CPR-kontoret's table ("Personnummeret i CPR-systemet", cpr.dk,
/// "Opbygning af CPR-nummeret"). The modulus 11 check is deliberately not applied: since
/// 1 October 2007 CPR-kontoret issues valid numbers that fail it and asks every IT system to
/// accept them (cpr.dk, "Personnumre uden kontrolciffer (modulus 11 kontrol)").
///
/// `description` is the masked form, so a number that ends up in a log or an interpolated
/// string shows no serial number (ARCHITECTURE.md: logs never carry CPR numbers).
public struct CPRNumber: Sendable, Hashable, CustomStringConvertible {
    /// FHIR identifier system for CPR numbers (MISSION.md).
    public static let identifierSystem = "urn:oid:1.2.208.176.1.2"

    /// The sex recorded in the number: the last digit is odd for men, even for women.
    public enum Sex: String, Sendable, Hashable {
        case female, male
    }

    /// The ten digits without separator.
    public let digits: String
    /// The birth date, century included.
    public let birthDate: CalendarDay

    /// Parses `DDMMYY-SSSS` or `DDMMYYSSSS` (surrounding white space ignored).
    public init(_ text: String) throws(CPRError) {
        let trimmed = text.trimmingWhiteSpace()
        var characters = Array(trimmed)
        if characters.count == 11, characters[6] == "-" { characters.remove(at: 6) }
        guard characters.count == 10, characters.allSatisfy({ ("0"..."9").contains($0) }) else { throw .malformed }
        let values = characters.map { Int(String($0))! }
        let day = values[0] * 10 + values[1]
        let month = values[2] * 10 + values[3]
        let yearInCentury = values[4] * 10 + values[5]
        let year = Self.century(yearInCentury: yearInCentury, seventhDigit: values[6]) + yearInCentury
        guard let birthDate = CalendarDay(year: year, month: month, day: day) else {
            throw .dateDoesNotExist(String(characters[0..<6]), year: year)
        }
        self.digits = String(characters)
        self.birthDate = birthDate
    }

    /// The first year of the century of birth, from the year digits and the 7th digit
    /// (CPR-kontoret: 0–3 → 1900s; 4 and 9 → 2000s for YY ≤ 36, else 1900s; 5–8 → 2000s for
    /// YY ≤ 57, else 1800s).
    static func century(yearInCentury: Int, seventhDigit: Int) -> Int {
        switch seventhDigit {
        case 0...3: 1900
        case 4, 9: yearInCentury <= 36 ? 2000 : 1900
        default: yearInCentury <= 57 ? 2000 : 1800
        }
    }

    // MARK: Derived

    public var sex: Sex {
        Int(String(digits.last!))! % 2 == 1 ? .male : .female
    }

    /// `DDMMYY-SSSS`, the usual written form.
    public var formatted: String {
        "\(digits.prefix(6))-\(digits.suffix(4))"
    }

    /// `DDMMYY-xxxx`, for screens and lists where the serial number is not needed.
    public var masked: String {
        "\(digits.prefix(6))-xxxx"
    }

    /// The masked form.
    public var description: String { masked }
}
