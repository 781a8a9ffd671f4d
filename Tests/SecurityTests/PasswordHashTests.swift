import Testing
import Security

// MARK: - PBKDF2-HMAC-SHA256 (RFC 7914 §11)

struct PBKDF2Vector: Sendable, CustomTestStringConvertible {
    let password: String
    let salt: String
    let iterations: Int
    let derived: String
    var testDescription: String { "RFC 7914 §11: P=\(password) S=\(salt) c=\(iterations)" }
}

@Test(arguments: [
    PBKDF2Vector(password: "passwd", salt: "salt", iterations: 1,
                 derived: "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
                     + "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"),
    PBKDF2Vector(password: "Password", salt: "NaCl", iterations: 80_000,
                 derived: "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
                     + "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d"),
])
func pbkdf2MatchesRFC7914(vector: PBKDF2Vector) {
    let derived = PBKDF2.hmacSHA256(password: Array(vector.password.utf8), salt: Array(vector.salt.utf8),
                                    iterations: vector.iterations, byteCount: 64)
    #expect(Hex.encode(derived) == vector.derived)
}

@Test func passwordHashUsesPBKDF2OfTheNormalisedPassword() {
    let hash = PasswordHash(password: "passwd", salt: Array("salt".utf8), iterations: 1)
    #expect(Hex.encode(hash.derivedKey) == "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc")
}

// MARK: - Encoded form

@Test func newHashesFollowTheCurrentPolicy() throws {
    let hash = PasswordHash(password: "korrekt hest batteri hæfteklamme")
    #expect(hash.iterations == 600_000)
    #expect(hash.salt.count == 16)
    #expect(hash.derivedKey.count == 32)
    #expect(hash.encoded.hasPrefix("pbkdf2-sha256$600000$"))
    #expect(!hash.needsRehash())
    let parsed = try #require(PasswordHash(encoded: hash.encoded))
    #expect(parsed.encoded == hash.encoded)
    #expect(parsed.verify(password: "korrekt hest batteri hæfteklamme"))
    #expect(!parsed.verify(password: "korrekt hest batteri hæfteklamm"))
}

@Test func saltsDifferPerHash() {
    let first = PasswordHash(password: "same", iterations: 1)
    let second = PasswordHash(password: "same", iterations: 1)
    #expect(first.salt != second.salt)
    #expect(first.encoded != second.encoded)
}

@Test func encodedStringRoundTripsExactly() throws {
    let salt: [UInt8] = Array(0..<16)
    let hash = PasswordHash(password: "pw", salt: salt, iterations: 1_000)
    #expect(hash.encoded == "pbkdf2-sha256$1000$AAECAwQFBgcICQoLDA0ODw$" + Base64URL.encode(hash.derivedKey))
    let parsed = try #require(PasswordHash(encoded: hash.encoded))
    #expect(parsed.iterations == 1_000 && parsed.salt == salt && parsed.derivedKey == hash.derivedKey)
    #expect(PasswordHash.verify(password: "pw", encoded: hash.encoded))
    #expect(!PasswordHash.verify(password: "PW", encoded: hash.encoded))
}

@Test func lowerStoredIterationsNeedRehash() {
    let old = PasswordHash(password: "pw", salt: Array(0..<16), iterations: 310_000)
    #expect(old.needsRehash())
    #expect(!old.needsRehash(policyIterations: 310_000))
    #expect(old.verify(password: "pw"))
}

private let validKey = Base64URL.encode([UInt8](repeating: 7, count: 32))
private let validSalt = Base64URL.encode([UInt8](repeating: 9, count: 16))

@Test(arguments: [
    "",
    "pbkdf2-sha256$1000$\(validSalt)",
    "pbkdf2-sha1$1000$\(validSalt)$\(validKey)",
    "PBKDF2-SHA256$1000$\(validSalt)$\(validKey)",
    "pbkdf2-sha256$01000$\(validSalt)$\(validKey)",
    "pbkdf2-sha256$0$\(validSalt)$\(validKey)",
    "pbkdf2-sha256$-5$\(validSalt)$\(validKey)",
    "pbkdf2-sha256$+5$\(validSalt)$\(validKey)",
    "pbkdf2-sha256$10000001$\(validSalt)$\(validKey)",
    "pbkdf2-sha256$99999999999999999999$\(validSalt)$\(validKey)",
    "pbkdf2-sha256$1000$\(Base64URL.encode([UInt8](repeating: 9, count: 15)))$\(validKey)",
    "pbkdf2-sha256$1000$\(validSalt)$\(Base64URL.encode([UInt8](repeating: 7, count: 31)))",
    "pbkdf2-sha256$1000$\(validSalt)=$\(validKey)",
    "pbkdf2-sha256$1000$\(validSalt)$\(validKey)$",
])
func malformedEncodingsAreRejected(encoded: String) {
    #expect(PasswordHash(encoded: encoded) == nil)
    #expect(!PasswordHash.verify(password: "anything", encoded: encoded))
}

@Test func wellFormedBoundaryEncodingParses() {
    #expect(PasswordHash(encoded: "pbkdf2-sha256$10000000$\(validSalt)$\(validKey)") != nil)
    #expect(PasswordHash(encoded: "pbkdf2-sha256$1$\(validSalt)$\(validKey)") != nil)
}

@Test func canonicallyEquivalentPasswordsVerify() {
    let composed = "S\u{F8}ren \u{E9}"            // "Søren é" with a precomposed é
    let decomposed = "S\u{F8}ren e\u{301}"        // the same text with e + combining acute
    let hash = PasswordHash(password: composed, salt: Array(0..<16), iterations: 1)
    #expect(hash.verify(password: decomposed))
    #expect(!hash.verify(password: "S\u{F8}ren e"))
}

@Test func descriptionHidesSaltAndKey() {
    let hash = PasswordHash(password: "pw", salt: Array(0..<16), iterations: 1)
    #expect(String(describing: hash) == "PasswordHash(pbkdf2-sha256, 1 iterations)")
}

@Test func unknownUserNeverVerifies() {
    #expect(!PasswordHash.verifyUnknownUser(password: "anything"))
    #expect(!PasswordHash.verifyUnknownUser(password: ""))
}
