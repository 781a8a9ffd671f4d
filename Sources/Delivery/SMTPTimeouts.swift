/// How long one delivery attempt waits for the relay at each step; every wait is bounded so a
/// stuck relay cannot hold the outbox's thread.
///
/// RFC 5321 §4.5.3.2 suggests minutes for each step, written for relays talking to distant
/// servers. Our relay is on localhost or the LAN, so the defaults are shorter, but still
/// generous enough for a relay that checks content before answering the final `.`.
public struct SMTPTimeouts: Sendable, Hashable {
    /// Longest wait for the TCP connection to be established. Default 10 s.
    public var connect: Duration
    /// Longest wait for each reply, except the one after the message. Default 60 s.
    public var reply: Duration
    /// Longest time a write may make no progress (the relay reads nothing). Default 60 s.
    public var write: Duration
    /// Longest wait for the reply after the message's final `.`, when relays scan the content
    /// (RFC 5321 §4.5.3.2.6 suggests 10 minutes). Default 180 s.
    public var endOfData: Duration

    /// Timeouts with the documented defaults unless given.
    public init(connect: Duration = .seconds(10), reply: Duration = .seconds(60),
                write: Duration = .seconds(60), endOfData: Duration = .seconds(180)) {
        self.connect = connect
        self.reply = reply
        self.write = write
        self.endOfData = endOfData
    }
}
