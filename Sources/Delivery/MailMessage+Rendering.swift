/// The message as RFC 5322 bytes, in MIME (RFC 2045, RFC 2046).
extension MailMessage {
    /// The complete message: header fields, a blank line, the body; CRLF line endings, 7-bit
    /// only (text is UTF-8 quoted-printable), every line at most 76 characters unless one
    /// address or the Message-ID alone is longer, and a final CRLF.
    ///
    /// A message with ``htmlBody`` is `multipart/alternative` with the text part first, so
    /// that programs showing plain text pick it and others pick the last, richer one
    /// (RFC 2046 §5.1.4).
    public func rendered() -> [UInt8] {
        var lines = [
            "Date: \(MailDate.format(date))",
            HeaderField.mailbox("From", from),
            HeaderField.mailbox("To", to),
            HeaderField.unstructured("Subject", subject),
            "Message-ID: \(messageID)",
            // Marks the mail as sent by a program, so vacation responders stay silent (RFC 3834 §5).
            "Auto-Submitted: auto-generated",
            "MIME-Version: 1.0",
        ]
        if let htmlBody {
            lines += [
                "Content-Type: multipart/alternative; boundary=\"\(Self.boundary)\"",
                "",
                "--\(Self.boundary)",
            ]
            lines += Self.textPart("plain", textBody)
            lines.append("--\(Self.boundary)")
            lines += Self.textPart("html", htmlBody)
            lines.append("--\(Self.boundary)--")
        } else {
            lines += Self.textPart("plain", textBody)
        }
        return Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    /// The multipart boundary. It may be the same in every message: it starts with `=_`, which
    /// cannot occur in quoted-printable text (every `=` there is `=3D` or a soft break at the
    /// end of a line, RFC 2045 §6.7), and the part headers are ours, so no part can contain it
    /// (RFC 2046 §5.1.1).
    static let boundary = "=_ByNeed_alternative"

    /// The header fields, blank line and quoted-printable body of a `text/<subtype>` entity.
    private static func textPart(_ subtype: String, _ text: String) -> [String] {
        [
            "Content-Type: text/\(subtype); charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            QuotedPrintable.encode(text),
        ]
    }
}
