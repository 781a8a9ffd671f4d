/// Proof that the relay accepted a message: what an outbox records for a successful attempt.
public struct SMTPReceipt: Sendable, Hashable {
    /// The `Message-ID` of the message sent, with its angle brackets.
    public let messageID: String
    /// The relay as `host:port`.
    public let relay: String
    /// The relay's reply to the end of the message, usually naming its queue id
    /// (`250 2.0.0 Ok: queued as 4Bc1…`).
    public let reply: SMTPReply
}
