internal import CCrypto

/// Cryptographically secure random bytes from OpenSSL's CSPRNG, seeded by the operating system.
///
/// Tokens that grant access to a patient's questionnaire are only as strong as this source.
/// If OpenSSL cannot produce bytes (the OS entropy source failed), the process stops with a
/// `fatalError`: there is no fallback to a weaker generator, because a predictable token is a
/// silent breach, while a crash is loud and gets fixed. Source: OpenSSL `RAND_bytes(3)`.
public enum SecureRandom {
    /// Returns `count` bytes from `RAND_bytes`; `count` must not be negative.
    public static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0, "SecureRandom.bytes: negative count \(count)")
        guard count > 0 else { return [] }
        precondition(count <= Int(Int32.max), "SecureRandom.bytes: count \(count) too large")
        var bytes = [UInt8](repeating: 0, count: count)
        let status = bytes.withUnsafeMutableBufferPointer { buffer in
            RAND_bytes(buffer.baseAddress, Int32(buffer.count))
        }
        guard status == 1 else {
            fatalError("SecureRandom: RAND_bytes failed (status \(status)); refusing to continue without a secure random source")
        }
        return bytes
    }
}
