import Testing
@testable import FollowUp

@Suite struct CPRNumberTests {
    typealias F = Fixtures

    /// Century from the 7th digit (CPR-kontoret's table), birth date and sex.
    @Test(arguments: [
        ("010190-1234", "1990-01-01", CPRNumber.Sex.female),
        ("0101901235", "1990-01-01", .male),
        (" 010190-1235 ", "1990-01-01", .male),
        ("010103-3001", "1903-01-01", .male), // 0–3: 1900s
        ("010136-4002", "2036-01-01", .female), // 4: YY ≤ 36 → 2000s
        ("010137-4002", "1937-01-01", .female), // 4: YY > 36 → 1900s
        ("010157-5003", "2057-01-01", .male), // 5–8: YY ≤ 57 → 2000s
        ("010158-8003", "1858-01-01", .male), // 5–8: YY > 57 → 1800s
        ("010100-9004", "2000-01-01", .female), // 9: YY ≤ 36 → 2000s
        ("311299-9004", "1999-12-31", .female), // 9: YY > 36 → 1900s
        ("290200-4000", "2000-02-29", .female), // a leap day that exists only in 2000
        ("010165-1234", "1965-01-01", .female), // fails modulus 11, valid since 2007
    ])
    func parsesBirthDateCenturyAndSex(text: String, birthDate: String, sex: CPRNumber.Sex) throws {
        let cpr = try CPRNumber(text)
        #expect(cpr.birthDate == F.day(birthDate))
        #expect(cpr.sex == sex)
        #expect(cpr.digits.count == 10)
    }

    @Test(arguments: [
        ("310290-1234", CPRError.dateDoesNotExist("310290", year: 1990)),
        ("290200-0000", .dateDoesNotExist("290200", year: 1900)),
        ("001390-1234", .dateDoesNotExist("001390", year: 1990)),
        ("12345", .malformed),
        ("010190-123", .malformed),
        ("010190 1234", .malformed),
        ("01019O-1234", .malformed),
        ("01-0190-1234", .malformed),
        ("010190--1234", .malformed),
        ("", .malformed),
    ])
    func rejectsWithTheReason(text: String, error: CPRError) {
        #expect(throws: error) { try CPRNumber(text) }
    }

    @Test func messagesNameTheImpossibleDateInDanishAndEnglish() {
        let error = CPRError.dateDoesNotExist("310290", year: 1990)
        #expect(error.message(language: "da") == "Ugyldigt CPR-nummer: datoen 310290 findes ikke")
        #expect(error.message(language: "en-GB") == "Invalid CPR number: the date 310290 does not exist (year 1990)")
        #expect(CPRError.malformed.danish.hasPrefix("Ugyldigt CPR-nummer"))
    }

    @Test func displayFormsHideTheSerialNumberByDefault() throws {
        let cpr = try CPRNumber("0101901235")
        #expect(cpr.formatted == "010190-1235")
        #expect(cpr.masked == "010190-xxxx")
        #expect("\(cpr)" == "010190-xxxx")
        #expect(try CPRNumber("010190-1235") == cpr)
    }
}
