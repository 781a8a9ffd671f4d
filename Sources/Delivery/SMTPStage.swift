/// The step of an SMTP conversation (RFC 5321 §3.3, §4.1.1) at which something happened,
/// so that an error tells staff how far delivery got. The raw value is a stable name an outbox
/// may store.
public enum SMTPStage: String, Sendable, Hashable, CustomStringConvertible {
    /// Opening the TCP connection.
    case connect
    /// Waiting for the relay's `220` greeting (RFC 5321 §4.3.1).
    case greeting
    /// `EHLO` (RFC 5321 §4.1.1.1).
    case ehlo
    /// `HELO`, sent when the relay refuses `EHLO` with a 5xx reply.
    case helo
    /// `MAIL FROM` (RFC 5321 §4.1.1.2).
    case mailFrom
    /// `RCPT TO` (RFC 5321 §4.1.1.3).
    case rcptTo
    /// `DATA`, up to the `354` go-ahead (RFC 5321 §4.1.1.4).
    case data
    /// Sending the message and waiting for the reply to its final `.`.
    case messageContent
    /// `QUIT` (RFC 5321 §4.1.1.10).
    case quit

    public var description: String {
        switch self {
        case .connect: "connecting"
        case .greeting: "waiting for the greeting"
        case .ehlo: "sending EHLO"
        case .helo: "sending HELO"
        case .mailFrom: "sending MAIL FROM"
        case .rcptTo: "sending RCPT TO"
        case .data: "sending DATA"
        case .messageContent: "sending the message"
        case .quit: "sending QUIT"
        }
    }
}
