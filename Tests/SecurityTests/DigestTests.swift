import Testing
import Security

// MARK: - SHA-256 (FIPS 180-4 / NIST CSRC examples)

struct DigestVector: Sendable, CustomTestStringConvertible {
    let message: String
    let digest: String
    var testDescription: String { "SHA-256 of \(message.count) characters" }
}

@Test(arguments: [
    DigestVector(message: "abc", digest: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    DigestVector(message: "", digest: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    DigestVector(message: "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                 digest: "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
])
func sha256MatchesNISTVectors(vector: DigestVector) {
    #expect(SHA256.hex(vector.message) == vector.digest)
    #expect(Hex.encode(SHA256.hash(Array(vector.message.utf8))) == vector.digest)
}

@Test func sha256AcceptsAnyByteCollection() {
    let slice = Array("xxabcxx".utf8)[2..<5]
    #expect(Hex.encode(SHA256.hash(slice)) == SHA256.hex("abc"))
}

// MARK: - HMAC-SHA256 (RFC 4231 §4)

struct MACVector: Sendable, CustomTestStringConvertible {
    let name: String
    let key: [UInt8]
    let message: [UInt8]
    let code: String
    var testDescription: String { name }
}

@Test(arguments: [
    MACVector(name: "RFC 4231 test case 1", key: [UInt8](repeating: 0x0B, count: 20),
              message: Array("Hi There".utf8),
              code: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
    MACVector(name: "RFC 4231 test case 2", key: Array("Jefe".utf8),
              message: Array("what do ya want for nothing?".utf8),
              code: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
    MACVector(name: "RFC 4231 test case 4", key: Array(1...25),
              message: [UInt8](repeating: 0xCD, count: 50),
              code: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
    MACVector(name: "RFC 4231 test case 6", key: [UInt8](repeating: 0xAA, count: 131),
              message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
              code: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
])
func hmacSHA256MatchesRFC4231(vector: MACVector) {
    #expect(Hex.encode(HMACSHA256.authenticationCode(key: vector.key, message: vector.message)) == vector.code)
}

@Test func hmacWithEmptyKeyAndMessageIsDefined() {
    // Reference: `printf '' | openssl dgst -sha256 -hmac ''`.
    #expect(Hex.encode(HMACSHA256.authenticationCode(key: [UInt8](), message: [UInt8]()))
        == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
}
