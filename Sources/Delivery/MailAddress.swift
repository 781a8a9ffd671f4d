/// A validated mailbox (`local@domain`) with an optional display name, as used in `From`/`To`
/// and in the SMTP envelope.
///
/// Validation happens once, here, so that the rest of the module can put the address into
/// header fields and SMTP commands without further checks: an address can hold no CR/LF,
/// space, angle bracket or non-ASCII character. See ``AddressProblem`` for the accepted subset of
/// RFC 5321 §4.1.2.
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    /// Longest local part in octets (RFC 5321 §4.5.3.1.1).
    public static let maximumLocalPartOctets = 64
    /// Longest domain in octets (RFC 5321 §4.5.3.1.2).
    public static let maximumDomainOctets = 255
    /// Longest domain label in octets (RFC 1035 §2.3.4).
    public static let maximumLabelOctets = 63
    /// Longest address in octets: a path is at most 256 octets including its angle brackets
    /// (RFC 5321 §4.5.3.1.3).
    public static let maximumAddressOctets = 254

    /// The address itself, `local@domain`.
    public let address: String
    /// The human-readable name shown by mail programs (`"Region Syddanmark" <…>`), if any;
    /// may hold any Unicode text except line breaks.
    public let displayName: String?

    /// Validates `address`; throws ``DeliveryError/invalidAddress(_:_:)`` saying what is wrong,
    /// or ``DeliveryError/lineBreakInHeader(field:)`` when the display name holds CR or LF.
    /// An empty display name counts as none.
    public init(_ address: String, displayName: String? = nil) throws(DeliveryError) {
        if let problem = Self.problem(inAddress: address) {
            throw .invalidAddress(address, problem)
        }
        if let displayName, displayName.containsLineBreak {
            throw .lineBreakInHeader(field: "display name")
        }
        self.address = address
        self.displayName = displayName?.isEmpty == false ? displayName : nil
    }

    /// The part before the `@` (validation guarantees there is one).
    public var localPart: Substring {
        address[..<address.lastIndex(of: "@")!]
    }

    /// The part after the `@`.
    public var domain: Substring {
        address[address.index(after: address.lastIndex(of: "@")!)...]
    }

    public var description: String {
        displayName.map { "\($0) <\(address)>" } ?? address
    }
}

// MARK: - Validation

extension MailAddress {
    /// The characters RFC 5322 §3.2.3 allows in an `atext`, besides letters and digits.
    private static let atextSpecials = Set("!#$%&'*+-/=?^_`{|}~".unicodeScalars)

    /// What is wrong with `address`, or nil when it is an acceptable mailbox.
    static func problem(inAddress address: String) -> AddressProblem? {
        guard !address.isEmpty else { return .empty }
        guard let at = address.lastIndex(of: "@") else { return .missingAt }
        let local = address[..<at]
        let domain = address[address.index(after: at)...]
        guard !local.isEmpty else { return .emptyLocalPart }
        guard !domain.isEmpty else { return .emptyDomain }
        if let problem = problem(inDotString: local, allowing: { isAtext($0) }) { return problem }
        if let problem = problem(inDomain: domain) { return problem }
        guard local.utf8.count <= maximumLocalPartOctets else { return .localPartTooLong(octets: local.utf8.count) }
        guard address.utf8.count <= maximumAddressOctets else { return .addressTooLong(octets: address.utf8.count) }
        return nil
    }

    /// What is wrong with `domain` as a domain name (RFC 5321 §4.1.2 `Domain`), or nil.
    static func problem(inDomain domain: Substring) -> AddressProblem? {
        guard !domain.isEmpty else { return .emptyDomain }
        if let scalar = firstUnacceptable(in: domain, allowing: { isLetterOrDigit($0) || $0 == "-" || $0 == "." }) {
            return classify(scalar)
        }
        guard domain.utf8.count <= maximumDomainOctets else { return .domainTooLong(octets: domain.utf8.count) }
        for label in domain.split(separator: ".", omittingEmptySubsequences: false) {
            guard !label.isEmpty else { return .emptyLabel }
            guard label.utf8.count <= maximumLabelOctets else { return .labelTooLong(String(label)) }
            guard label.first != "-", label.last != "-" else { return .misplacedHyphen(String(label)) }
        }
        return nil
    }

    /// What is wrong with `text` as a dot-string (RFC 5321 §4.1.2) of the characters `allowing` accepts, or nil.
    static func problem(inDotString text: Substring, allowing isAllowed: (Unicode.Scalar) -> Bool) -> AddressProblem? {
        if let scalar = firstUnacceptable(in: text, allowing: { isAllowed($0) || $0 == "." }) {
            return classify(scalar)
        }
        guard text.first != ".", text.last != ".", !text.contains("..") else { return .misplacedDot }
        return nil
    }

    /// A letter or digit in ASCII.
    static func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    /// Whether `scalar` is RFC 5322 §3.2.3 `atext`.
    static func isAtext(_ scalar: Unicode.Scalar) -> Bool {
        isLetterOrDigit(scalar) || atextSpecials.contains(scalar)
    }

    private static func firstUnacceptable(in text: Substring, allowing isAllowed: (Unicode.Scalar) -> Bool) -> Unicode.Scalar? {
        text.unicodeScalars.first { !isAllowed($0) }
    }

    private static func classify(_ scalar: Unicode.Scalar) -> AddressProblem {
        scalar.isASCII ? .forbiddenCharacter(scalar) : .nonASCII(scalar)
    }
}

extension StringProtocol {
    /// Whether the text holds CR or LF, which would end a header line or an SMTP command.
    var containsLineBreak: Bool {
        utf8.contains { $0 == 0x0D || $0 == 0x0A }
    }
}
