/// What is wrong with a mail address or a domain name, for ``DeliveryError``.
///
/// The checks are a pragmatic subset of the RFC 5321 §4.1.2 `Mailbox` syntax: a dot-string
/// local part (no quoted strings), `@`, and a domain of letter-digit-hyphen labels (no address
/// literals), in ASCII only, because ByNeed does not use SMTPUTF8 (RFC 6531).
public enum AddressProblem: Sendable, Hashable, CustomStringConvertible {
    /// The text is empty.
    case empty
    /// There is no `@` between a local part and a domain.
    case missingAt
    /// Nothing before the `@`.
    case emptyLocalPart
    /// Nothing after the `@`.
    case emptyDomain
    /// The local part is longer than ``MailAddress/maximumLocalPartOctets``.
    case localPartTooLong(octets: Int)
    /// The domain is longer than ``MailAddress/maximumDomainOctets``.
    case domainTooLong(octets: Int)
    /// The whole address is longer than ``MailAddress/maximumAddressOctets``.
    case addressTooLong(octets: Int)
    /// A character that may not appear here: a space, a control character, or a special such as `"`, `,`, `<`, `[`.
    case forbiddenCharacter(Unicode.Scalar)
    /// A non-ASCII character; sending it would need SMTPUTF8 (RFC 6531), which ByNeed does not use.
    case nonASCII(Unicode.Scalar)
    /// A dot at the start or end of the local part, or two dots in a row.
    case misplacedDot
    /// An empty domain label: a dot at the start or end of the domain, or two dots in a row.
    case emptyLabel
    /// A domain label longer than ``MailAddress/maximumLabelOctets``.
    case labelTooLong(String)
    /// A domain label that starts or ends with a hyphen (RFC 5321 §4.1.2 `sub-domain`).
    case misplacedHyphen(String)

    public var description: String {
        switch self {
        case .empty: "the address is empty"
        case .missingAt: "there is no @ between the name and the domain"
        case .emptyLocalPart: "there is nothing before the @"
        case .emptyDomain: "there is nothing after the @"
        case .localPartTooLong(let octets):
            "the part before the @ is \(octets) characters long; at most \(MailAddress.maximumLocalPartOctets) are allowed"
        case .domainTooLong(let octets):
            "the domain is \(octets) characters long; at most \(MailAddress.maximumDomainOctets) are allowed"
        case .addressTooLong(let octets):
            "the address is \(octets) characters long; at most \(MailAddress.maximumAddressOctets) are allowed"
        case .forbiddenCharacter(let scalar): "it contains \(Self.describe(scalar)), which is not allowed here"
        case .nonASCII(let scalar): "it contains \(Self.describe(scalar)); only ASCII letters are supported in addresses"
        case .misplacedDot: "a dot is at the start or end of the name, or two dots are in a row"
        case .emptyLabel: "the domain has a dot at its start or end, or two dots in a row"
        case .labelTooLong(let label):
            "the domain part '\(label)' is longer than \(MailAddress.maximumLabelOctets) characters"
        case .misplacedHyphen(let label): "the domain part '\(label)' starts or ends with a hyphen"
        }
    }

    /// A readable name for a character: printable ones quoted, the others as `U+XXXX`.
    private static func describe(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case " ": "a space"
        case _ where scalar.value < 0x20 || scalar.value == 0x7F:
            "the control character U+\(String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4))"
        default: "'\(scalar)'"
        }
    }
}

extension String {
    /// The string with leading zeros up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: Swift.max(0, width - count)) + self
    }
}
