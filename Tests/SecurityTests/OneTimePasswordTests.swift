import Foundation
import Testing
import Security

private let rfcSecret = Array("12345678901234567890".utf8)

// MARK: - HMAC-SHA1 (RFC 2202 §3)

@Test func hmacSHA1MatchesRFC2202() {
    #expect(Hex.encode(HMACSHA1.authenticationCode(key: [UInt8](repeating: 0x0B, count: 20), message: Array("Hi There".utf8)))
        == "b617318655057264e28bc0b6fb378c8ef146be00")
    #expect(Hex.encode(HMACSHA1.authenticationCode(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)))
        == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
}

// MARK: - HOTP (RFC 4226 Appendix D)

@Test(arguments: zip(0..<10, ["755224", "287082", "359152", "969429", "338314",
                              "254676", "287922", "162583", "399871", "520489"]))
func hotpMatchesRFC4226AppendixD(counter: Int, expected: String) {
    #expect(HOTP.code(secret: rfcSecret, counter: UInt64(counter)) == expected)
}

// MARK: - TOTP (RFC 6238 Appendix B, SHA-1 rows)

@Test(arguments: [
    (59, "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"),
    (1_234_567_890, "89005924"), (2_000_000_000, "69279037"), (20_000_000_000, "65353130"),
])
func totpMatchesRFC6238AppendixB(unixTime: Int, expected: String) {
    let totp = TOTP(secret: rfcSecret, digits: 8)
    #expect(totp.code(at: Date(timeIntervalSince1970: TimeInterval(unixTime))) == expected)
}

@Test func sixDigitCodeIsTheLastSixOfTheEightDigitOne() {
    let date = Date(timeIntervalSince1970: 1_111_111_109)
    #expect(TOTP(secret: rfcSecret).code(at: date) == "081804")
}

@Test func stepsStartAtTheEpochAndFloor() {
    let totp = TOTP(secret: rfcSecret)
    #expect(totp.step(at: Date(timeIntervalSince1970: 0)) == 0)
    #expect(totp.step(at: Date(timeIntervalSince1970: 29.999)) == 0)
    #expect(totp.step(at: Date(timeIntervalSince1970: 30)) == 1)
    #expect(totp.step(at: Date(timeIntervalSince1970: -1)) == -1)
    #expect(totp.code(at: Date(timeIntervalSince1970: -1)) == nil)
}

// MARK: - Verification window and replay

private let totp = TOTP(secret: rfcSecret)
private let now = Date(timeIntervalSince1970: 1_234_567_890)   // step 41152263

struct WindowCase: Sendable, CustomTestStringConvertible {
    let name: String
    let codeStepOffset: Int
    let lastAccepted: Int?
    let expectedOffset: Int?
    var testDescription: String { name }
}

@Test(arguments: [
    WindowCase(name: "current step accepted", codeStepOffset: 0, lastAccepted: nil, expectedOffset: 0),
    WindowCase(name: "previous step accepted (clock skew)", codeStepOffset: -1, lastAccepted: nil, expectedOffset: -1),
    WindowCase(name: "next step accepted (clock skew)", codeStepOffset: 1, lastAccepted: nil, expectedOffset: 1),
    WindowCase(name: "two steps old refused", codeStepOffset: -2, lastAccepted: nil, expectedOffset: nil),
    WindowCase(name: "two steps ahead refused", codeStepOffset: 2, lastAccepted: nil, expectedOffset: nil),
    WindowCase(name: "same code again refused", codeStepOffset: 0, lastAccepted: 41_152_263, expectedOffset: nil),
    WindowCase(name: "older code after newer refused", codeStepOffset: -1, lastAccepted: 41_152_263, expectedOffset: nil),
    WindowCase(name: "newer code after older accepted", codeStepOffset: 1, lastAccepted: 41_152_263, expectedOffset: 1),
    WindowCase(name: "code after an earlier login accepted", codeStepOffset: 0, lastAccepted: 41_152_262, expectedOffset: 0),
])
func verifyAcceptsOneStepEitherSideOnce(testCase: WindowCase) throws {
    let current = totp.step(at: now)
    #expect(current == 41_152_263)
    let code = try #require(totp.code(step: current + testCase.codeStepOffset))
    let matched = totp.verify(code: code, at: now, lastAcceptedStep: testCase.lastAccepted)
    #expect(matched == testCase.expectedOffset.map { current + $0 })
}

@Test(arguments: ["", "12345", "1234567", "12345a", "１２３４５６", "-12345", "12345\n"])
func malformedCodesAreRefused(code: String) {
    #expect(totp.verify(code: code, at: now, lastAcceptedStep: nil) == nil)
}

@Test func wrongCodeIsRefusedAndSpacesAreIgnored() throws {
    let code = try #require(totp.code(at: now))
    let wrong = String(code.dropLast()) + (code.last == "0" ? "1" : "0")
    #expect(totp.verify(code: wrong, at: now, lastAcceptedStep: nil) == nil)
    let spaced = String(code.prefix(3)) + " " + String(code.suffix(3))
    #expect(totp.verify(code: spaced, at: now, lastAcceptedStep: nil) == totp.step(at: now))
}

@Test func generatedSecretsAreTwentyRandomBytes() {
    let first = TOTP.generateSecret()
    #expect(first.count == 20)
    #expect(first != TOTP.generateSecret())
}

// MARK: - Enrolment URI (Key Uri Format)

@Test func provisioningURICarriesUnpaddedSecretAndParameters() {
    let uri = totp.provisioningURI(issuer: "ByNeed Odense", account: "anne@example.dk")
    #expect(uri == "otpauth://totp/ByNeed%20Odense:anne%40example.dk?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        + "&issuer=ByNeed%20Odense&algorithm=SHA1&digits=6&period=30")
}

@Test func provisioningURIEncodesColonsAndNonASCII() {
    let uri = TOTP(secret: [0xFF]).provisioningURI(issuer: "A:B", account: "Søren")
    #expect(uri.hasPrefix("otpauth://totp/A%3AB:S%C3%B8ren?secret=74&issuer=A%3AB&"))
}

// MARK: - Base32 (RFC 4648 §10)

@Test(arguments: [
    ("", "", ""), ("f", "MY======", "MY"), ("fo", "MZXQ====", "MZXQ"), ("foo", "MZXW6===", "MZXW6"),
    ("foob", "MZXW6YQ=", "MZXW6YQ"), ("fooba", "MZXW6YTB", "MZXW6YTB"),
    ("foobar", "MZXW6YTBOI======", "MZXW6YTBOI"),
])
func base32MatchesRFC4648(plain: String, padded: String, unpadded: String) {
    #expect(Base32.encode(Array(plain.utf8)) == padded)
    #expect(Base32.encode(Array(plain.utf8), padding: false) == unpadded)
    #expect(Base32.decode(padded) == Array(plain.utf8))
    #expect(Base32.decode(unpadded) == Array(plain.utf8))
    #expect(Base32.decode(unpadded.lowercased()) == Array(plain.utf8))
}

@Test(arguments: ["M", "MZX", "MZXW6Y", "MY=====", "MY=======", "M=======", "MZ======", "MY==A===",
                  "MZXW6YTB========", "MZXW6YT1", "MZXW6YT8", "MZXW 6YTB", "MZ", "MZXR"])
func base32RejectsNonCanonicalText(text: String) {
    #expect(Base32.decode(text) == nil)
}

@Test func base32RoundTripsEveryLength() {
    for length in 0...41 {
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        #expect(Base32.decode(Base32.encode(bytes)) == bytes)
        #expect(Base32.decode(Base32.encode(bytes, padding: false)) == bytes)
    }
}
