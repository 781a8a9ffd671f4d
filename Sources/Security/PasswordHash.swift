import Foundation

/// A stored staff password verifier: PBKDF2-HMAC-SHA256 with a per-user random salt.
///
/// The encoded form is self-describing, `pbkdf2-sha256$<iterations>$<salt>$<hash>` with salt
/// and hash in unpadded base64url, so the iteration count can rise later: `needsRehash` tells
/// the login path to re-derive with the current policy after a successful `verify`.
/// Defaults follow the OWASP Password Storage Cheat Sheet (2023): 600,000 iterations of
/// PBKDF2-HMAC-SHA256, a 16-byte salt from the CSPRNG, and a 32-byte derived key (one
/// SHA-256 output; more would only multiply the defender's work, RFC 8018 §5.2).
///
/// Passwords are normalised to Unicode NFKC before hashing (NIST SP 800-63B §5.1.1.2), so
/// the same password typed on keyboards that produce different code points still verifies.
public struct PasswordHash: Sendable {
    // MARK: Policy

    /// The iteration count new hashes get (OWASP Password Storage Cheat Sheet, 2023).
    public static let defaultIterations = 600_000
    /// The largest iteration count a stored string may name; a guard against a tampered row
    /// turning one login into minutes of CPU.
    public static let maximumIterations = 10_000_000
    /// Random salt length in bytes for new hashes (16 bytes = 128 bits).
    public static let saltByteCount = 16
    /// Derived key length in bytes (one SHA-256 output).
    public static let derivedKeyByteCount = 32
    /// The algorithm name that opens every encoded string.
    public static let algorithmName = "pbkdf2-sha256"

    // MARK: Stored parts

    /// The iteration count this hash was derived with.
    public let iterations: Int
    /// The per-user random salt.
    public let salt: [UInt8]
    /// The derived key that a correct password reproduces.
    public let derivedKey: [UInt8]

    // MARK: Creating

    /// Hashes `password` with a fresh random salt and `iterations` rounds (default 600,000).
    public init(password: String, iterations: Int = PasswordHash.defaultIterations) {
        self.init(password: password, salt: SecureRandom.bytes(Self.saltByteCount), iterations: iterations)
    }

    /// Hashes `password` with the given salt; for tests and for re-deriving during `verify`.
    public init(password: String, salt: [UInt8], iterations: Int) {
        precondition(iterations >= 1 && iterations <= Self.maximumIterations, "PasswordHash: iterations \(iterations) out of range")
        self.iterations = iterations
        self.salt = salt
        self.derivedKey = PBKDF2.hmacSHA256(password: Self.normalised(password), salt: salt,
                                            iterations: iterations, byteCount: Self.derivedKeyByteCount)
    }

    /// Parses an encoded string; returns nil for anything a current encoder would not write:
    /// another algorithm, an iteration count with a sign or leading zero or outside
    /// 1...`maximumIterations`, a salt shorter than 16 bytes, or a hash that is not 32 bytes.
    public init?(encoded: String) {
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == Self.algorithmName else { return nil }
        let iterationText = parts[1]
        guard let first = iterationText.utf8.first, first != UInt8(ascii: "0"),
              iterationText.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              iterationText.utf8.count <= 9,
              let iterations = Int(iterationText), iterations <= Self.maximumIterations,
              let salt = try? Base64URL.decode(String(parts[2])), salt.count >= Self.saltByteCount,
              let key = try? Base64URL.decode(String(parts[3])), key.count == Self.derivedKeyByteCount
        else { return nil }
        self.iterations = iterations
        self.salt = salt
        self.derivedKey = key
    }

    // MARK: Using

    /// The string to store: `pbkdf2-sha256$<iterations>$<base64url salt>$<base64url hash>`.
    public var encoded: String {
        "\(Self.algorithmName)$\(iterations)$\(Base64URL.encode(salt))$\(Base64URL.encode(derivedKey))"
    }

    /// Returns true when `password` reproduces the stored key; compared in constant time.
    public func verify(password: String) -> Bool {
        let candidate = PBKDF2.hmacSHA256(password: Self.normalised(password), salt: salt,
                                          iterations: iterations, byteCount: derivedKey.count)
        return constantTimeEquals(candidate, derivedKey)
    }

    /// Returns true when this hash was derived with fewer iterations than `policyIterations`
    /// (default: the current policy); re-hash after the next successful `verify`.
    public func needsRehash(policyIterations: Int = PasswordHash.defaultIterations) -> Bool {
        iterations < policyIterations || salt.count < Self.saltByteCount
    }

    /// Verifies `password` against an encoded string; false for a malformed string too.
    public static func verify(password: String, encoded: String) -> Bool {
        PasswordHash(encoded: encoded)?.verify(password: password) ?? false
    }

    /// Spends the time of one verification at the current policy and returns false; call it
    /// when the user name is unknown, so response time does not reveal which names exist
    /// (OWASP Authentication Cheat Sheet, "Authentication Responses").
    public static func verifyUnknownUser(password: String) -> Bool {
        _ = PBKDF2.hmacSHA256(password: normalised(password), salt: [UInt8](repeating: 0, count: saltByteCount),
                              iterations: defaultIterations, byteCount: derivedKeyByteCount)
        return false
    }

    /// The UTF-8 bytes of the NFKC form of `password`.
    static func normalised(_ password: String) -> [UInt8] {
        Array(password.precomposedStringWithCompatibilityMapping.utf8)
    }
}

extension PasswordHash: CustomStringConvertible {
    /// Never prints the salt or key, so a hash cannot leak through logging by accident. (The
    /// type is deliberately not `Equatable`: `==` would compare keys in variable time.)
    public var description: String { "PasswordHash(\(Self.algorithmName), \(iterations) iterations)" }
}
