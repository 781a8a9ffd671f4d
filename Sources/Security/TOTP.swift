import Foundation

/// Time-based one-time passwords for staff second-factor login (RFC 6238, HMAC-SHA1).
///
/// A code is the HOTP code (RFC 4226) of the time step `floor(unixTime / 30)`. `verify`
/// accepts the current step and one step either side (RFC 6238 §5.2 recommends at most one
/// step of allowed network/clock delay) and returns the matched step, so the caller stores
/// it and passes it back as `lastAcceptedStep`: a code whose step is not later than the last
/// accepted one is refused, so each code is accepted once (RFC 6238 §5.2, "the verifier
/// MUST NOT accept the second attempt of the OTP after the successful validation").
public struct TOTP: Sendable {
    // MARK: Policy

    /// Seconds per time step (RFC 6238 §5.2 recommends 30).
    public static let defaultStepSeconds = 30
    /// Code length in digits; authenticator apps show 6.
    public static let defaultDigits = 6
    /// Steps accepted either side of the current one.
    public static let defaultWindowSteps = 1
    /// Length in bytes of a newly generated secret: 160 bits, RFC 4226 §4 requirement R6's
    /// recommendation and the HMAC-SHA1 output size.
    public static let secretByteCount = 20

    // MARK: Parameters

    /// The shared secret (store it encrypted or at least access-controlled; it is a password).
    public let secret: [UInt8]
    /// Digits per code.
    public let digits: Int
    /// Seconds per time step.
    public let stepSeconds: Int

    /// Creates a generator/verifier for `secret` with the given digits and step length.
    public init(secret: [UInt8], digits: Int = TOTP.defaultDigits, stepSeconds: Int = TOTP.defaultStepSeconds) {
        precondition((HOTP.minimumDigits...HOTP.maximumDigits).contains(digits), "TOTP: \(digits) digits out of range")
        precondition(stepSeconds > 0, "TOTP: step of \(stepSeconds) seconds")
        self.secret = secret
        self.digits = digits
        self.stepSeconds = stepSeconds
    }

    /// Returns a new random 20-byte secret for enrolment.
    public static func generateSecret() -> [UInt8] {
        SecureRandom.bytes(secretByteCount)
    }

    // MARK: Codes

    /// The time step containing `date` (RFC 6238 §4.2, T0 = the Unix epoch); negative before 1970.
    public func step(at date: Date) -> Int {
        Int((date.timeIntervalSince1970 / Double(stepSeconds)).rounded(.down))
    }

    /// The code for time step `step`; steps before the epoch have no code.
    public func code(step: Int) -> String? {
        guard step >= 0 else { return nil }
        return HOTP.code(secret: secret, counter: UInt64(step), digits: digits)
    }

    /// The code valid at `date`, or nil before the epoch.
    public func code(at date: Date) -> String? {
        code(step: step(at: date))
    }

    /// Checks `code` at `date` within ±`windowSteps` steps and returns the matched step, or
    /// nil when nothing matches or the match is not later than `lastAcceptedStep`.
    ///
    /// ASCII spaces in `code` are ignored (apps display "123 456"); any other non-digit, or a
    /// wrong number of digits, fails. Every candidate is compared in constant time.
    public func verify(code: String, at date: Date, lastAcceptedStep: Int?,
                       windowSteps: Int = TOTP.defaultWindowSteps) -> Int? {
        let typed = Array(code.utf8.filter { $0 != UInt8(ascii: " ") })
        guard typed.count == digits,
              typed.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        let current = step(at: date)
        var matched: Int?
        for candidate in (current - windowSteps)...(current + windowSteps) {
            guard let expected = self.code(step: candidate) else { continue }
            if constantTimeEquals(Array(expected.utf8), typed), candidate > (lastAcceptedStep ?? Int.min) {
                matched = candidate
            }
        }
        return matched
    }

    // MARK: Enrolment

    /// The `otpauth://totp/` URI an authenticator app reads from a QR code (Google
    /// Authenticator "Key Uri Format"): label `issuer:account`, unpadded base32 secret, and the
    /// algorithm, digits and period spelled out. Issuer and account are percent-encoded
    /// (RFC 3986 unreserved characters pass), so a colon in either cannot split the label.
    public func provisioningURI(issuer: String, account: String) -> String {
        let encodedIssuer = Self.percentEncoded(issuer)
        return "otpauth://totp/\(encodedIssuer):\(Self.percentEncoded(account))"
            + "?secret=\(Base32.encode(secret, padding: false))&issuer=\(encodedIssuer)"
            + "&algorithm=SHA1&digits=\(digits)&period=\(stepSeconds)"
    }

    /// Percent-encodes every UTF-8 byte outside RFC 3986 §2.3 unreserved characters.
    static func percentEncoded(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            let isUnreserved = (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~")
            if isUnreserved {
                output.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                output += "%" + Hex.encode([byte]).uppercased()
            }
        }
        return output
    }
}
