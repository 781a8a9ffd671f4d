import HTTPCore

/// CSV text for downloads: RFC 4180 (CRLF line ends; a field with a comma, quote, CR or LF is
/// quoted and its quotes doubled) with a guard against formula injection.
///
/// A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and tab or CR, which some
/// read the same way) as a formula, so such a cell gets a leading `'` (OWASP, "CSV Injection").
enum PopulationCSV {
    /// The characters that make a spreadsheet read a cell as a formula.
    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// One field, guarded and quoted as needed.
    static func field(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, formulaStarts.contains(Character(first)) { text = "'" + text }
        // Scalars, not Characters: "\r\n" is one Character in Swift and equals neither "\r" nor "\n".
        guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Rows of fields as a CSV document, every record ended by CRLF.
    static func document(_ rows: [[String]]) -> String {
        rows.map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()
    }

    /// A download response: `text/csv; charset=utf-8` as an attachment named `filename`
    /// (letters, digits and `-` only, so the header needs no quoting rules).
    static func response(_ rows: [[String]], filename: String) -> HTTPResponse {
        let safe = String(filename.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
        return HTTPResponse(status: .ok, headers: ["Content-Type": "text/csv; charset=utf-8",
                                                   "Content-Disposition": "attachment; filename=\"\(safe).csv\"",
                                                   "Cache-Control": "no-store"],
                            body: Array(document(rows).utf8))
    }
}
