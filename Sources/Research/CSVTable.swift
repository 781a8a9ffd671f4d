/// A table written as CSV (RFC 4180): CRLF line ends, fields with a comma, quote or line break
/// quoted with inner quotes doubled.
///
/// A field that starts with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'`, so a
/// spreadsheet opening the file never runs it as a formula (OWASP "CSV Injection"); numbers
/// are written plainly, since a negative number is data, not a formula.
public struct CSVTable: Sendable, Hashable {
    public var header: [String]
    public var rows: [[String]]

    public init(header: [String], rows: [[String]] = []) {
        self.header = header
        self.rows = rows
    }

    /// The file's text.
    public var text: String {
        ([header] + rows).map { $0.map(Self.field).joined(separator: ",") + "\r\n" }.joined()
    }

    static func field(_ value: String) -> String {
        var text = value
        // Unicode scalars, not Characters: "\r\n" is one Character and equals neither "\r" nor "\n".
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), Double(text) == nil { text = "'" + text }
        guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
