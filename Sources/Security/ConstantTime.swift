internal import CCrypto

/// Compares two byte strings in time that does not depend on where they differ.
///
/// Use it for every comparison of secrets (token hashes, MACs, CSRF tokens): an ordinary `==`
/// returns at the first differing byte, which leaks, through timing, how much of a guess was
/// right. Lengths are compared first and may return early: the length of a digest or token is
/// public. The content is compared with OpenSSL `CRYPTO_memcmp`, which always reads every byte.
public func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    guard !a.isEmpty else { return true }
    return a.withUnsafeBytes { left in
        b.withUnsafeBytes { right in
            CRYPTO_memcmp(left.baseAddress, right.baseAddress, left.count) == 0
        }
    }
}
