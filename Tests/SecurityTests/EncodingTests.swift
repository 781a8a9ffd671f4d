import Testing
import Security

// MARK: - Base64url (RFC 4648 §10 vectors, URL alphabet, no padding)

@Test(arguments: [
    ("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"),
    ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy"),
])
func base64URLEncodesRFC4648Vectors(plain: String, encoded: String) throws {
    #expect(Base64URL.encode(Array(plain.utf8)) == encoded)
    #expect(try Base64URL.decode(encoded) == Array(plain.utf8))
}

@Test(arguments: [
    ([0xFB, 0xFF] as [UInt8], "-_8"),
    ([0xFF, 0xFF, 0xFE], "___-"),
    ([0x00], "AA"),
    ([0x00, 0x00, 0x00, 0x00], "AAAAAA"),
])
func base64URLUsesURLSafeAlphabet(bytes: [UInt8], encoded: String) throws {
    #expect(Base64URL.encode(bytes) == encoded)
    #expect(try Base64URL.decode(encoded) == bytes)
}

@Test func base64URLRoundTripsEveryLengthAndByte() throws {
    for length in 0..<70 {
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 37 + length) }
        #expect(try Base64URL.decode(Base64URL.encode(bytes)) == bytes)
    }
    let all = (0...255).map { UInt8($0) }
    #expect(try Base64URL.decode(Base64URL.encode(all)) == all)
}

@Test(arguments: [
    ("Zg==", 2),   // padding is not accepted
    ("Zm9v+A", 4),  // standard alphabet '+' rejected
    ("Zm9/", 3),   // standard alphabet '/' rejected
    ("Zm 9", 2),  // whitespace rejected
    ("Z", 0),      // one dangling character can never be canonical
    ("Zm9vY", 4),  // length 5 ≡ 1 (mod 4)
    ("Zh", 1),     // non-zero unused bits: "Zg" is the canonical spelling of "f"
    ("Zm9", 2),    // non-zero unused bits: "Zm8" is canonical for "fo"
    ("Zg\u{E9}", 2), // non-ASCII
])
func base64URLDecodeIsStrict(text: String, offset: Int) {
    #expect(throws: SecurityError.invalidBase64URL(offset: offset)) { try Base64URL.decode(text) }
}

// MARK: - Hex

@Test(arguments: [
    ([] as [UInt8], ""), ([0x00], "00"), ([0x0F, 0xF0], "0ff0"), ([0xDE, 0xAD, 0xBE, 0xEF], "deadbeef"),
])
func hexEncodesLowercasePairs(bytes: [UInt8], text: String) {
    #expect(Hex.encode(bytes) == text)
}

// MARK: - Constant-time comparison

@Test(arguments: [
    ([] as [UInt8], [] as [UInt8], true),
    ([1, 2, 3], [1, 2, 3], true),
    ([1, 2, 3], [1, 2, 4], false),
    ([9, 2, 3], [1, 2, 3], false),
    ([1, 2, 3], [1, 2], false),
    ([], [0], false),
    ([0], [], false),
])
func constantTimeEqualsComparesContentAndLength(a: [UInt8], b: [UInt8], equal: Bool) {
    #expect(constantTimeEquals(a, b) == equal)
    #expect(constantTimeEquals(b, a) == equal)
}
