import Testing
import Security

@Test func secureRandomReturnsRequestedCount() {
    #expect(SecureRandom.bytes(0).isEmpty)
    #expect(SecureRandom.bytes(1).count == 1)
    #expect(SecureRandom.bytes(1000).count == 1000)
}

@Test func secureRandomBytesAreNotConstant() {
    // 64 bytes all zero (or two equal draws) would mean the generator is broken; chance 2^-512.
    let first = SecureRandom.bytes(64)
    let second = SecureRandom.bytes(64)
    #expect(first != second)
    #expect(first.contains { $0 != 0 })
}

@Test(arguments: [(16, 22), (32, 43), (48, 64)])
func secretTokenLengthFollowsByteCount(bytes: Int, characters: Int) throws {
    let token = SecretToken.generate(bytes: bytes)
    #expect(token.utf8.count == characters)
    #expect(try Base64URL.decode(token).count == bytes)
}

@Test func secretTokenDefaultsTo256BitsOfURLSafeText() {
    let token = SecretToken.generate()
    #expect(token.utf8.count == 43)
    let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    #expect(token.utf8.allSatisfy { allowed.contains($0) })
}

@Test func secretTokensAreUniqueAndUseTheWholeAlphabet() {
    let tokens = (0..<3000).map { _ in SecretToken.generate() }
    #expect(Set(tokens).count == tokens.count)
    let seen = Set(tokens.joined().utf8)
    let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    #expect(seen == allowed)
}
