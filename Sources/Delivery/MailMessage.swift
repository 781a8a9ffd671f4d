import Foundation
import Security

/// One outgoing mail (an invitation or a reminder), validated so that it can always be
/// rendered: addresses are mailboxes, and no header value can hold a line break.
///
/// Everything that goes into the rendered bytes is stored here, including the date and the
/// Message-ID: rendering is a pure function of the message, so an outbox that keeps these
/// fields sends the same bytes, with the same Message-ID, on every retry, and a recipient's
/// mail program can recognise a duplicate.
public struct MailMessage: Sendable, Hashable {
    /// Longest Message-ID local part, in octets, so that the `Message-ID` field stays short.
    public static let maximumMessageIDLocalPartOctets = 64

    /// The sender, in `From` and `MAIL FROM`.
    public let from: MailAddress
    /// The recipient, in `To` and `RCPT TO`.
    public let to: MailAddress
    /// The subject line; any Unicode text without line breaks.
    public let subject: String
    /// The plain-text body; line breaks of any kind become CRLF.
    public let textBody: String
    /// An HTML alternative to the text body, if any (then the message is `multipart/alternative`).
    public let htmlBody: String?
    /// The `Date` of the message: the instant it was created, not the instant it was sent.
    public let date: Date
    /// The right part of the Message-ID, a domain ByNeed controls (RFC 5322 §3.6.4).
    public let messageIDDomain: String
    /// The left part of the Message-ID: random unless restored from storage.
    public let messageIDLocalPart: String

    /// Validates and creates a message.
    ///
    /// `messageIDLocalPart` defaults to ``randomMessageIDLocalPart()``; pass the stored one to
    /// rebuild a message from an outbox. Throws ``DeliveryError/lineBreakInHeader(field:)``
    /// for a subject with CR or LF, and ``DeliveryError/invalidMessageID(_:_:)`` when the
    /// domain is not a domain name or the local part holds anything but ASCII letters,
    /// digits, hyphens and single inner dots.
    public init(from: MailAddress, to: MailAddress, subject: String, textBody: String, htmlBody: String? = nil,
                date: Date, messageIDDomain: String,
                messageIDLocalPart: String = MailMessage.randomMessageIDLocalPart()) throws(DeliveryError) {
        guard !subject.containsLineBreak else { throw .lineBreakInHeader(field: "subject") }
        if let problem = MailAddress.problem(inDomain: messageIDDomain[...]) {
            throw .invalidMessageID(messageIDDomain, problem)
        }
        if let problem = Self.problem(inMessageIDLocalPart: messageIDLocalPart) {
            throw .invalidMessageID(messageIDLocalPart, problem)
        }
        self.from = from
        self.to = to
        self.subject = subject
        self.textBody = textBody
        self.htmlBody = htmlBody
        self.date = date
        self.messageIDDomain = messageIDDomain
        self.messageIDLocalPart = messageIDLocalPart
    }

    /// The `Message-ID` with its angle brackets, `<left@right>`.
    public var messageID: String {
        "<\(messageIDLocalPart)@\(messageIDDomain)>"
    }

    /// 128 random bits from ``SecureRandom`` as 32 hex digits: unique without coordination.
    public static func randomMessageIDLocalPart() -> String {
        Hex.encode(SecureRandom.bytes(16))
    }

    private static func problem(inMessageIDLocalPart text: String) -> AddressProblem? {
        guard !text.isEmpty else { return .empty }
        guard text.utf8.count <= maximumMessageIDLocalPartOctets else { return .localPartTooLong(octets: text.utf8.count) }
        return MailAddress.problem(inDotString: text[...]) { MailAddress.isLetterOrDigit($0) || $0 == "-" }
    }
}
