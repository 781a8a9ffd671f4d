import Glibc

/// Everything that can go wrong building or sending a message, with the context staff need.
///
/// ``isTransient`` splits the cases the way an outbox must: transient failures (a 4xx reply,
/// a refused connection, a timeout) are retried later with ``RetryPolicy``; permanent ones
/// (a 5xx reply, an invalid address) will fail again unchanged, so they go straight to staff.
public enum DeliveryError: Error, Sendable, Hashable, CustomStringConvertible {
    // MARK: The message

    /// An address that is not a mailbox ByNeed can send to; the problem says why.
    case invalidAddress(String, AddressProblem)
    /// A header value (subject, display name) holding CR or LF, which would let it add header
    /// fields of its own (header injection); `field` names the value.
    case lineBreakInHeader(field: String)
    /// A Message-ID part that is not acceptable: the domain must be a domain name, the local
    /// part letters, digits, dots and hyphens.
    case invalidMessageID(String, AddressProblem)

    // MARK: The relay

    /// An unusable relay configuration (host, port or HELO name); `reason` says which and why.
    case invalidRelay(reason: String)
    /// The relay's host name could not be resolved (`getaddrinfo`); `detail` is the resolver's message.
    case unresolvableHost(String, detail: String)
    /// No connection could be made to the relay (for example `ECONNREFUSED`).
    case connectionFailed(host: String, port: Int, errno: Int32)
    /// The relay did not answer, accept bytes or connect within the configured timeout.
    case timedOut(SMTPStage, after: Duration)
    /// The relay closed the connection before the conversation was over.
    case connectionClosed(SMTPStage)
    /// The relay answered with a negative reply (4xx transient, 5xx permanent; RFC 5321 §4.2.1).
    case rejected(SMTPStage, SMTPReply)
    /// The relay's reply did not follow RFC 5321 §4.2, or was not a reply the stage allows.
    case malformedReply(SMTPStage, detail: String)
    /// A socket call failed in a way not covered above.
    case systemCall(name: String, errno: Int32)

    /// Whether sending the same message again later may succeed, so the outbox should retry.
    ///
    /// Only a 5xx reply and a message or configuration that can never be sent are permanent.
    /// Anything about the connection is transient: the relay may be restarting. A connection
    /// lost after the final `.` was sent is retried too, although the relay may already have
    /// taken the message (RFC 5321 §6.1 warns of this): a possible duplicate reminder is
    /// better than a lost one.
    public var isTransient: Bool {
        switch self {
        case .invalidAddress, .lineBreakInHeader, .invalidMessageID, .invalidRelay: false
        case .rejected(_, let reply): reply.isTransientNegative
        case .unresolvableHost, .connectionFailed, .timedOut, .connectionClosed, .malformedReply, .systemCall: true
        }
    }

    public var description: String {
        switch self {
        case .invalidAddress(let address, let problem):
            "invalid mail address '\(address)': \(problem)"
        case .lineBreakInHeader(let field):
            "the \(field) contains a line break, which is not allowed in a mail header"
        case .invalidMessageID(let part, let problem):
            "invalid Message-ID part '\(part)': \(problem)"
        case .invalidRelay(let reason):
            "invalid SMTP relay configuration: \(reason)"
        case .unresolvableHost(let host, let detail):
            "cannot resolve SMTP relay host '\(host)': \(detail)"
        case .connectionFailed(let host, let port, let code):
            "cannot connect to SMTP relay \(host):\(port): \(Self.message(for: code))"
        case .timedOut(let stage, let timeout):
            "SMTP relay did not respond within \(timeout) while \(stage)"
        case .connectionClosed(let stage):
            "SMTP relay closed the connection while \(stage)"
        case .rejected(let stage, let reply):
            "SMTP relay refused while \(stage): \(reply)"
        case .malformedReply(let stage, let detail):
            "SMTP relay sent an unexpected reply while \(stage): \(detail)"
        case .systemCall(let name, let code):
            "\(name) failed: \(Self.message(for: code))"
        }
    }

    private static func message(for code: Int32) -> String {
        "\(String(cString: strerror(code))) (errno \(code))"
    }
}
