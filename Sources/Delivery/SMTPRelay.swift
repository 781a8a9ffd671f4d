/// An SMTP relay (RFC 5321) that takes ByNeed's outgoing mail, and the client that hands it a message.
///
/// The relay is expected on localhost or the LAN, such as a local Postfix that then delivers
/// onwards with TLS: ByNeed itself speaks plain SMTP without STARTTLS or AUTH, because the
/// only C library it may use besides SQLite is OpenSSL's libcrypto, not libssl. Messages
/// are 7-bit (quoted-printable), so neither 8BITMIME nor SMTPUTF8 is needed.
///
/// ``send(_:)`` blocks: call it from a thread of its own (the outbox's worker), never from the
/// cooperative pool. Every connect, read and write is bounded by ``timeouts``.
public struct SMTPRelay: Sendable, Hashable {
    /// The relay's host name or numeric address.
    public let host: String
    /// The relay's TCP port (25, or 587 for a submission port).
    public let port: Int
    /// The name ByNeed gives itself in `EHLO`/`HELO`, a domain name (RFC 5321 §4.1.1.1).
    public let heloName: String
    /// How long each step may take.
    public let timeouts: SMTPTimeouts

    /// A relay at `host:port`; throws ``DeliveryError/invalidRelay(reason:)`` for an empty or
    /// malformed host, a port outside 1…65535, or a HELO name that is not a domain name.
    public init(host: String, port: Int = 25, heloName: String, timeouts: SMTPTimeouts = SMTPTimeouts()) throws(DeliveryError) {
        guard !host.isEmpty, !host.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 }) else {
            throw .invalidRelay(reason: "host '\(host)' is empty or contains spaces or control characters")
        }
        guard (1...65_535).contains(port) else {
            throw .invalidRelay(reason: "port \(port) is not between 1 and 65535")
        }
        if let problem = MailAddress.problem(inDomain: heloName[...]) {
            throw .invalidRelay(reason: "HELO name '\(heloName)' is not a domain name: \(problem)")
        }
        self.host = host
        self.port = port
        self.heloName = heloName
        self.timeouts = timeouts
    }

    /// Hands `message` to the relay in one SMTP transaction and returns the relay's receipt.
    ///
    /// The conversation is greeting, `EHLO` (or `HELO` when `EHLO` gets a 5xx reply), `MAIL FROM`,
    /// `RCPT TO`, `DATA`, the dot-stuffed message, `QUIT` (RFC 5321 §3.3). A failed `QUIT`
    /// after the message was accepted does not fail the send: the message is the relay's
    /// responsibility from its 250 reply on (RFC 5321 §6.1). Throws ``DeliveryError``, whose
    /// ``DeliveryError/isTransient`` says whether to retry.
    public func send(_ message: MailMessage) throws(DeliveryError) -> SMTPReceipt {
        let content = Self.dataSection(message.rendered())
        let connection = try SMTPConnection(host: host, port: port, timeouts: timeouts)
        do {
            try expect(220, from: connection, at: .greeting)
            try greet(connection)
            try command("MAIL FROM:<\(message.from.address)>", expecting: 250, on: connection, at: .mailFrom)
            try command("RCPT TO:<\(message.to.address)>", expecting: 250, 251, on: connection, at: .rcptTo)
            try command("DATA", expecting: 354, on: connection, at: .data)
            try connection.write(content, at: .messageContent)
            let accepted = try expect(250, from: connection, at: .messageContent, timeout: timeouts.endOfData)
            quit(connection)
            return SMTPReceipt(messageID: message.messageID, relay: "\(host):\(port)", reply: accepted)
        } catch {
            // A relay that answered is still listening and gets a polite QUIT; one that timed
            // out or hung up does not, so a failure never waits twice.
            if case .rejected = error { quit(connection) }
            throw error
        }
    }

    // MARK: Steps

    /// `EHLO`, falling back to `HELO` for a relay that does not know `EHLO` (RFC 5321 §3.2).
    private func greet(_ connection: SMTPConnection) throws(DeliveryError) {
        do {
            try command("EHLO \(heloName)", expecting: 250, on: connection, at: .ehlo)
        } catch .rejected(_, let reply) where reply.isPermanentNegative {
            try command("HELO \(heloName)", expecting: 250, on: connection, at: .helo)
        }
    }

    /// `QUIT`, whose failure changes nothing: the transaction has already succeeded or failed.
    private func quit(_ connection: SMTPConnection) {
        _ = try? command("QUIT", expecting: 221, on: connection, at: .quit)
    }

    /// Sends `line` and expects one of `codes` in reply.
    @discardableResult
    private func command(_ line: String, expecting codes: Int..., on connection: SMTPConnection,
                         at stage: SMTPStage) throws(DeliveryError) -> SMTPReply {
        try connection.write(Array((line + "\r\n").utf8), at: stage)
        return try expect(codes, from: connection, at: stage, timeout: timeouts.reply)
    }

    @discardableResult
    private func expect(_ code: Int, from connection: SMTPConnection, at stage: SMTPStage,
                        timeout: Duration? = nil) throws(DeliveryError) -> SMTPReply {
        try expect([code], from: connection, at: stage, timeout: timeout ?? timeouts.reply)
    }

    /// Reads a reply and returns it when its code is one of `codes`; a 4xx or 5xx reply
    /// becomes ``DeliveryError/rejected(_:_:)``, any other code a malformed reply.
    private func expect(_ codes: [Int], from connection: SMTPConnection, at stage: SMTPStage,
                        timeout: Duration) throws(DeliveryError) -> SMTPReply {
        let reply = try connection.reply(at: stage, timeout: timeout)
        if codes.contains(reply.code) { return reply }
        if reply.isTransientNegative || reply.isPermanentNegative { throw .rejected(stage, reply) }
        throw .malformedReply(stage, detail: "expected \(codes.map(String.init).joined(separator: " or ")), got \(reply)")
    }

    // MARK: Data section

    /// The message as sent after `DATA`: CRLF-terminated, every line that starts with `.`
    /// given one more `.` (dot-stuffing, RFC 5321 §4.5.2), and the `.` line that ends it.
    static func dataSection(_ message: [UInt8]) -> [UInt8] {
        var content: [UInt8] = []
        content.reserveCapacity(message.count + 64)
        var atLineStart = true
        for byte in message {
            if atLineStart, byte == UInt8(ascii: ".") { content.append(byte) }
            content.append(byte)
            atLineStart = byte == UInt8(ascii: "\n")
        }
        if !content.isEmpty, !content.ends(with: [0x0D, 0x0A]) { content += [0x0D, 0x0A] }
        content += Array(".\r\n".utf8)
        return content
    }
}

extension Array where Element == UInt8 {
    /// Whether the array ends with `suffix`.
    fileprivate func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix)
    }
}
