/// Character classes of the HTTP grammar, shared by the parser, the encoder and the router.
enum HTTPSyntax {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A
    static let semicolon: UInt8 = 0x3B
    static let percent: UInt8 = 0x25

    /// `tchar` (RFC 9110 §5.6.2).
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// `token = 1*tchar` (RFC 9110 §5.6.2).
    static func isToken(_ bytes: some Collection<UInt8>) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy(isTokenByte)
    }

    /// Bytes allowed inside a field value: VCHAR, obs-text, SP and HTAB (RFC 9110 §5.5).
    static func isFieldValueByte(_ byte: UInt8) -> Bool {
        byte == tab || (byte >= 0x20 && byte != 0x7F)
    }

    /// Optional whitespace, `OWS = *( SP / HTAB )` (RFC 9110 §5.6.3).
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == space || byte == tab
    }

    /// The value of one hexadecimal digit, or nil (RFC 5234 HEXDIG, case-insensitive).
    static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// `unreserved / sub-delims / ":" / "@"`, the literal bytes of a `pchar` (RFC 3986 §3.3).
    static func isPathByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"),
             UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("),
             UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"),
             UInt8(ascii: "="), UInt8(ascii: ":"), UInt8(ascii: "@"):
            true
        default:
            false
        }
    }

    /// Whether `bytes` is `absolute-path [ "?" query ]` with well-formed percent-encoding (RFC 9112 §3.2.1, RFC 3986 §3.3–3.4).
    static func isOriginForm(_ bytes: some Collection<UInt8>) -> Bool {
        guard bytes.first == UInt8(ascii: "/") else { return false }
        var pendingHexDigits = 0
        for byte in bytes {
            if pendingHexDigits > 0 {
                guard hexValue(byte) != nil else { return false }
                pendingHexDigits -= 1
            } else if byte == percent {
                pendingHexDigits = 2
            } else if !(isPathByte(byte) || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "?")) {
                return false
            }
        }
        return pendingHexDigits == 0
    }

    /// Splits an `absolute-form` target with scheme `http` or `https` (RFC 9112 §3.2.2) into its
    /// authority and the rest; nil if the target is not of that form or the rest is not a valid
    /// `[ path-abempty ] [ "?" query ]`. The authority is not validated here.
    static func splitAbsoluteForm(_ bytes: ArraySlice<UInt8>) -> (authority: ArraySlice<UInt8>, rest: ArraySlice<UInt8>)? {
        let lowered = bytes.prefix(8).map(asciiLowercased)
        let schemeLength: Int
        if lowered.starts(with: Array("http://".utf8)) {
            schemeLength = 7
        } else if lowered.starts(with: Array("https://".utf8)) {
            schemeLength = 8
        } else {
            return nil
        }
        let afterScheme = bytes.dropFirst(schemeLength)
        let end = afterScheme.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? afterScheme.endIndex
        let rest = afterScheme[end...]
        let origin = rest.first == UInt8(ascii: "/") ? Array(rest) : [UInt8(ascii: "/")] + rest
        guard isOriginForm(origin) else { return nil }
        return (afterScheme[..<end], rest)
    }
}

// MARK: - ASCII case-insensitivity

extension StringProtocol {
    /// Compares two strings ignoring ASCII case only, as HTTP field names and tokens require (RFC 9110 §5.1).
    func equalsIgnoringASCIICase(_ other: some StringProtocol) -> Bool {
        let lhs = utf8, rhs = other.utf8
        guard lhs.count == rhs.count else { return false }
        return zip(lhs, rhs).allSatisfy { asciiLowercased($0) == asciiLowercased($1) }
    }
}

/// The ASCII lowercase of a byte; other bytes unchanged.
func asciiLowercased(_ byte: UInt8) -> UInt8 {
    (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) ? byte + 32 : byte
}

/// Removes leading and trailing SP/HTAB (RFC 9110 §5.6.3 OWS).
func trimmingWhitespace<C: BidirectionalCollection>(_ bytes: C) -> C.SubSequence where C.Element == UInt8 {
    var slice = bytes[...]
    while let first = slice.first, HTTPSyntax.isWhitespace(first) { slice.removeFirst() }
    while let last = slice.last, HTTPSyntax.isWhitespace(last) { slice.removeLast() }
    return slice
}
