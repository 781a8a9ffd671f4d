/// One reply from an SMTP server: a three-digit code and its text lines (RFC 5321 §4.2).
public struct SMTPReply: Sendable, Hashable, CustomStringConvertible {
    /// Most lines one reply may have before it is treated as malformed; real servers send a
    /// dozen at most (an `EHLO` reply lists one extension per line).
    public static let maximumLines = 100
    /// Longest reply line accepted, in octets. RFC 5321 §4.5.3.1.5 sets 512 including CRLF;
    /// we accept more, to be lenient, but not without bound.
    public static let maximumLineOctets = 2_048
    /// Longest reply text quoted in ``description`` (and so in error messages and logs).
    public static let maximumDescribedCharacters = 300

    /// The reply code, 200…599 for a well-formed reply.
    public let code: Int
    /// The text of each line after the code and its separator, possibly empty.
    public let lines: [String]

    /// A reply with `code` and text `lines`.
    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    /// 4xx: the command failed but may succeed if repeated later (RFC 5321 §4.2.1).
    public var isTransientNegative: Bool {
        (400..<500).contains(code)
    }

    /// 5xx: the command failed and will fail again unchanged (RFC 5321 §4.2.1).
    public var isPermanentNegative: Bool {
        (500..<600).contains(code)
    }

    /// The code and the text lines joined by " / ", cut to ``maximumDescribedCharacters``.
    public var description: String {
        let text = "\(code) " + lines.joined(separator: " / ")
        guard text.count > Self.maximumDescribedCharacters else { return text }
        return text.prefix(Self.maximumDescribedCharacters) + "…"
    }
}

// MARK: - Parsing

extension SMTPReply {
    /// Reads one possibly multi-line reply, taking lines (without their CRLF) from `nextLine`.
    ///
    /// Each line is `code` followed by `-` (more lines follow), a space, or nothing (the last
    /// line); every line of one reply must carry the same code (RFC 5321 §4.2.1).
    static func read(at stage: SMTPStage, nextLine: () throws(DeliveryError) -> [UInt8]) throws(DeliveryError) -> SMTPReply {
        var code: Int?
        var lines: [String] = []
        while lines.count < maximumLines {
            let line = try nextLine()
            guard let parsed = parseLine(line) else {
                throw .malformedReply(stage, detail: "not a reply line: '\(String(decoding: line.prefix(80), as: UTF8.self))'")
            }
            if let code, code != parsed.code {
                throw .malformedReply(stage, detail: "reply code changed from \(code) to \(parsed.code) within one reply")
            }
            code = parsed.code
            lines.append(parsed.text)
            if parsed.isLast {
                return SMTPReply(code: parsed.code, lines: lines)
            }
        }
        throw .malformedReply(stage, detail: "reply has more than \(maximumLines) lines")
    }

    /// Splits a reply line into its code (200…599), whether it is the last line, and its text.
    static func parseLine(_ line: [UInt8]) -> (code: Int, isLast: Bool, text: String)? {
        guard line.count >= 3, line[0] >= UInt8(ascii: "2"), line[0] <= UInt8(ascii: "5"),
              line[1...2].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        let code = line[0...2].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        guard line.count > 3 else { return (code, true, "") }
        switch line[3] {
        case UInt8(ascii: " "): return (code, true, String(decoding: line[4...], as: UTF8.self))
        case UInt8(ascii: "-"): return (code, false, String(decoding: line[4...], as: UTF8.self))
        default: return nil
        }
    }
}
