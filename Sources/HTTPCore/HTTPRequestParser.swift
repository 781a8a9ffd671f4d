/// An incremental HTTP/1.1 request parser: append bytes as they arrive, pull events.
///
/// Targets: origin-form, `*` for OPTIONS, and `http`/`https` absolute-form (RFC 9112 §3.2.2: a server
/// MUST accept it), whose authority then replaces the `Host` value; authority-form is refused (400).
///
/// It implements the message syntax of RFC 9112 strictly, because lenient parsing is what makes
/// request smuggling possible (RFC 9112 §11.2). Every limit of ``HTTPLimits`` is checked while the
/// bytes arrive, so the buffered input never grows beyond the limits plus one read.
/// Errors are sticky: once ``next()`` has thrown, it throws the same error again.
public struct HTTPRequestParser: Sendable {
    /// What the parser can say after being given bytes.
    public enum Event: Sendable {
        /// The buffered bytes do not complete anything yet.
        case needMoreData
        /// The head is complete, carries `Expect: 100-continue`, and a body follows; send `100 Continue`
        /// now, because the body is about to be read (RFC 9110 §10.1.1). Reported once per request.
        case continueExpected
        /// A complete request, body included.
        case request(HTTPRequest)
    }

    /// How far the current request has come, for choosing the right deadline.
    public enum Progress: Sendable, Equatable {
        /// Nothing of a next request is buffered (an optional empty line may have been skipped).
        case idle
        /// Part of a request head is buffered.
        case head
        /// The head is complete and the body is being read.
        case body
    }

    /// The limits checked while parsing.
    public let limits: HTTPLimits
    /// The peer address copied into every request.
    public var remoteAddress: String?

    private var buffer: [UInt8] = []
    private var position = 0
    private var scanFrom = 0
    private var state: State = .startLine(skippedEmptyLine: false)
    private var head: Head?
    private var body: [UInt8] = []
    private var failure: HTTPParseError?

    /// Room for a chunk size's hex digits on its line, besides the extension (16 digits fill an `Int`).
    private static let maxChunkSizeDigits = 16

    private struct Head: Sendable {
        var method: HTTPMethod
        var target: String
        var version: HTTPVersion
        /// The authority of an absolute-form target; it replaces `Host` (RFC 9112 §3.2.2).
        var absoluteFormAuthority: String?
        var headers = HTTPHeaders()
        var fieldBytes = 0
    }

    private enum State: Sendable {
        case startLine(skippedEmptyLine: Bool)
        case fields
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers(bytes: Int)
    }

    private enum Framing {
        case none
        case length(Int)
        case chunked
    }

    /// A parser for one connection.
    public init(limits: HTTPLimits = HTTPLimits(), remoteAddress: String? = nil) {
        self.limits = limits
        self.remoteAddress = remoteAddress
    }

    // MARK: Input

    /// Buffers bytes received from the peer.
    public mutating func append(_ bytes: some Collection<UInt8>) {
        if position > 0 && (position == buffer.count || position >= 4096) {
            buffer.removeSubrange(..<position)
            scanFrom -= position
            position = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Where the current request stands.
    public var progress: Progress {
        switch state {
        case .startLine: position == buffer.count ? .idle : .head
        case .fields: .head
        case .fixedBody, .chunkSize, .chunkData, .chunkDataEnd, .trailers: .body
        }
    }

    // MARK: Events

    /// Parses as far as the buffered bytes allow.
    public mutating func next() throws(HTTPParseError) -> Event {
        if let failure { throw failure }
        do throws(HTTPParseError) {
            return try step()
        } catch {
            failure = error
            throw error
        }
    }

    private mutating func step() throws(HTTPParseError) -> Event {
        while true {
            switch state {
            case .startLine(let skipped):
                let limit = limits.maxRequestLineBytes
                guard let line = try nextLine(limit: limit, tooLong: .requestLineTooLong(limit: limit)) else {
                    return .needMoreData
                }
                if line.isEmpty {
                    // RFC 9112 §2.2: ignore at least one empty line before the request line; we ignore exactly one.
                    guard !skipped else { throw .malformedRequestLine(reason: "more than one empty line before the request") }
                    state = .startLine(skippedEmptyLine: true)
                    continue
                }
                head = try Self.parseRequestLine(line)
                state = .fields
            case .fields:
                let limit = limits.maxHeaderLineBytes
                guard let line = try nextLine(limit: limit, tooLong: .fieldLineTooLong(limit: limit)) else {
                    return .needMoreData
                }
                if line.isEmpty {
                    if let event = try finishHead() { return event }
                } else {
                    try addField(line)
                }
            case .fixedBody(let remaining):
                let taken = takeBody(upTo: remaining)
                guard taken == remaining else {
                    state = .fixedBody(remaining: remaining - taken)
                    return .needMoreData
                }
                return .request(complete())
            case .chunkSize:
                let limit = Self.maxChunkSizeDigits + limits.maxChunkExtensionBytes
                guard let line = try nextLine(limit: limit, tooLong: .invalidChunkExtension(limit: limits.maxChunkExtensionBytes)) else {
                    return .needMoreData
                }
                let size = try parseChunkSizeLine(line)
                state = size == 0 ? .trailers(bytes: 0) : .chunkData(remaining: size)
            case .chunkData(let remaining):
                let taken = takeBody(upTo: remaining)
                guard taken == remaining else {
                    state = .chunkData(remaining: remaining - taken)
                    return .needMoreData
                }
                state = .chunkDataEnd
            case .chunkDataEnd:
                guard let line = try nextLine(limit: 0, tooLong: .missingChunkDataTerminator) else { return .needMoreData }
                guard line.isEmpty else { throw .missingChunkDataTerminator }
                state = .chunkSize
            case .trailers(let bytes):
                let limit = limits.maxTrailerBytes
                guard let line = try nextLine(limit: max(0, limit - bytes), tooLong: .trailerSectionTooLarge(limit: limit)) else {
                    return .needMoreData
                }
                if line.isEmpty { return .request(complete()) }
                // RFC 9112 §7.1.2: trailers are checked for syntax, then discarded.
                _ = try Self.parseField(line)
                state = .trailers(bytes: bytes + line.count + 2)
            }
        }
    }

    // MARK: Lines

    /// The next line without its ending (CRLF or bare LF), or nil if it is not complete yet.
    ///
    /// A CR anywhere but right before the LF is refused (RFC 9112 §2.2). A partial line longer than
    /// `limit` fails at once, so a peer cannot make the buffer grow without an end of line.
    private mutating func nextLine(limit: Int, tooLong: HTTPParseError) throws(HTTPParseError) -> ArraySlice<UInt8>? {
        guard let lf = buffer[scanFrom...].firstIndex(of: HTTPSyntax.lf) else {
            scanFrom = buffer.count
            if buffer.count - position > limit + 1 { throw tooLong }
            return nil
        }
        var end = lf
        if end > position && buffer[end - 1] == HTTPSyntax.cr { end -= 1 }
        let line = buffer[position..<end]
        if line.contains(HTTPSyntax.cr) { throw .bareCarriageReturn }
        if line.count > limit { throw tooLong }
        position = lf + 1
        scanFrom = position
        return line
    }

    private mutating func takeBody(upTo count: Int) -> Int {
        let taken = min(count, buffer.count - position)
        body.append(contentsOf: buffer[position..<(position + taken)])
        position += taken
        scanFrom = position
        return taken
    }

    private mutating func complete() -> HTTPRequest {
        guard let head else { preconditionFailure("complete() without a parsed head") }
        let request = HTTPRequest(method: head.method, target: head.target, version: head.version,
                                  headers: head.headers, body: body, remoteAddress: remoteAddress)
        self.head = nil
        body = []
        state = .startLine(skippedEmptyLine: false)
        return request
    }

    // MARK: Head

    /// `request-line = method SP request-target SP HTTP-version` (RFC 9112 §3).
    private static func parseRequestLine(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> Head {
        guard let firstSpace = line.firstIndex(of: HTTPSyntax.space) else {
            throw .malformedRequestLine(reason: "no space in request line")
        }
        let methodBytes = line[..<firstSpace]
        guard HTTPSyntax.isToken(methodBytes) else { throw .invalidMethod }
        let rest = line[(firstSpace + 1)...]
        guard let secondSpace = rest.firstIndex(of: HTTPSyntax.space) else {
            throw .malformedRequestLine(reason: "missing HTTP version")
        }
        let targetBytes = rest[..<secondSpace]
        guard !targetBytes.isEmpty else { throw .malformedRequestLine(reason: "empty target or repeated space") }
        let version = try parseVersion(rest[(secondSpace + 1)...])
        let method = HTTPMethod(rawValue: String(decoding: methodBytes, as: UTF8.self))
        var authority: String?
        if targetBytes.elementsEqual([UInt8(ascii: "*")]) {
            guard method == .options else { throw .invalidTarget(reason: "asterisk-form is only allowed for OPTIONS") }
        } else if let parts = HTTPSyntax.splitAbsoluteForm(targetBytes) {
            guard !parts.authority.isEmpty, isValidHost(Array(parts.authority)) else {
                throw .invalidTarget(reason: "absolute-form with an invalid authority")
            }
            authority = String(decoding: parts.authority, as: UTF8.self)
        } else if !HTTPSyntax.isOriginForm(targetBytes) {
            throw .invalidTarget(reason: "target is neither origin-form nor http(s) absolute-form")
        }
        return Head(method: method, target: String(decoding: targetBytes, as: UTF8.self), version: version,
                    absoluteFormAuthority: authority)
    }

    /// `HTTP-version = "HTTP" "/" DIGIT "." DIGIT`, case-sensitive (RFC 9112 §2.3).
    private static func parseVersion(_ bytes: ArraySlice<UInt8>) throws(HTTPParseError) -> HTTPVersion {
        let text = String(decoding: bytes, as: UTF8.self)
        switch text {
        case "HTTP/1.1": return .http1_1
        case "HTTP/1.0": return .http1_0
        default:
            let raw = Array(bytes)
            let wellFormed = raw.count == 8 && raw.starts(with: Array("HTTP/".utf8))
                && HTTPSyntax.isDigit(raw[5]) && raw[6] == UInt8(ascii: ".") && HTTPSyntax.isDigit(raw[7])
            if wellFormed { throw .unsupportedVersion(text) }
            throw .malformedRequestLine(reason: "invalid HTTP version")
        }
    }

    private mutating func addField(_ line: ArraySlice<UInt8>) throws(HTTPParseError) {
        guard var current = head else { preconditionFailure("field line without a request line") }
        guard current.headers.count < limits.maxHeaderCount else { throw .tooManyFields(limit: limits.maxHeaderCount) }
        current.fieldBytes += line.count + 2
        guard current.fieldBytes <= limits.maxHeaderBytes else { throw .headerSectionTooLarge(limit: limits.maxHeaderBytes) }
        let field = try Self.parseField(line)
        current.headers.add(field.name, field.value)
        head = current
    }

    /// `field-line = field-name ":" OWS field-value OWS` (RFC 9112 §5.1, RFC 9110 §5.5).
    private static func parseField(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> (name: String, value: String) {
        if let first = line.first, HTTPSyntax.isWhitespace(first) { throw .obsoleteLineFolding }
        guard let colon = line.firstIndex(of: HTTPSyntax.colon) else { throw .malformedField(reason: "missing colon") }
        let name = line[..<colon]
        if let last = name.last, HTTPSyntax.isWhitespace(last) {
            throw .malformedField(reason: "whitespace before colon")
        }
        guard HTTPSyntax.isToken(name) else { throw .malformedField(reason: "field name is not a token") }
        let value = trimmingWhitespace(line[(colon + 1)...])
        guard value.allSatisfy(HTTPSyntax.isFieldValueByte) else {
            throw .malformedField(reason: "control character in field value")
        }
        return (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
    }

    /// Applies the Host, framing and Expect rules once the field section has ended.
    private mutating func finishHead() throws(HTTPParseError) -> Event? {
        guard var head else { preconditionFailure("end of head without a request line") }
        try Self.validateHost(head.headers, version: head.version)
        if let authority = head.absoluteFormAuthority {
            head.headers.set("Host", authority)
            self.head = head
        }
        let framing = try framing(of: head)
        let expectsContinue = try Self.expectsContinue(head)
        switch framing {
        case .none:
            return .request(complete())
        case .length(let length):
            state = .fixedBody(remaining: length)
        case .chunked:
            state = .chunkSize
        }
        return expectsContinue ? .continueExpected : nil
    }

    /// Exactly one valid `Host` in HTTP/1.1, at most one in HTTP/1.0 (RFC 9112 §3.2).
    private static func validateHost(_ headers: HTTPHeaders, version: HTTPVersion) throws(HTTPParseError) {
        let hosts = headers.values(for: "Host")
        guard hosts.count <= 1 else { throw .multipleHosts }
        guard let host = hosts.first else {
            if version == .http1_1 { throw .missingHost }
            return
        }
        guard isValidHost(Array(host.utf8)) else { throw .invalidHost(host) }
    }

    /// `Host = uri-host [ ":" port ]` with `uri-host` an IP-literal or reg-name (RFC 9110 §7.2, RFC 3986 §3.2.2).
    static func isValidHost(_ bytes: [UInt8]) -> Bool {
        var rest = bytes[...]
        if rest.first == UInt8(ascii: "[") {
            guard let close = rest.firstIndex(of: UInt8(ascii: "]")) else { return false }
            let literal = rest[(rest.startIndex + 1)..<close]
            let isAddressByte = { (byte: UInt8) in
                HTTPSyntax.hexValue(byte) != nil || byte == HTTPSyntax.colon || byte == UInt8(ascii: ".")
            }
            guard !literal.isEmpty, literal.allSatisfy(isAddressByte) else { return false }
            rest = rest[(close + 1)...]
        } else {
            let end = rest.firstIndex(of: HTTPSyntax.colon) ?? rest.endIndex
            let name = rest[..<end]
            guard name.allSatisfy({ HTTPSyntax.isPathByte($0) && $0 != HTTPSyntax.colon && $0 != UInt8(ascii: "@") }) else {
                return false
            }
            rest = rest[end...]
        }
        guard let colon = rest.first else { return true }
        return colon == HTTPSyntax.colon && rest.dropFirst().allSatisfy(HTTPSyntax.isDigit)
    }

    /// The message body length rules of RFC 9112 §6.1–6.3, strict against smuggling (§11.2).
    private func framing(of head: Head) throws(HTTPParseError) -> Framing {
        let transferEncodings = head.headers.values(for: "Transfer-Encoding")
        let contentLengths = head.headers.values(for: "Content-Length")
        if !transferEncodings.isEmpty {
            guard head.version == .http1_1 else { throw .transferEncodingInHTTP10 }
            guard contentLengths.isEmpty else { throw .contentLengthWithTransferEncoding }
            let codings = head.headers.listElements(for: "Transfer-Encoding")
            let description = codings.joined(separator: ", ")
            guard let last = codings.last, last.equalsIgnoringASCIICase("chunked"),
                  !codings.dropLast().contains(where: { $0.equalsIgnoringASCIICase("chunked") }) else {
                throw .chunkedNotFinal(description)
            }
            guard codings.count == 1 else { throw .unsupportedTransferCoding(description) }
            return .chunked
        }
        guard let text = contentLengths.first else { return .none }
        guard contentLengths.count == 1 else { throw .multipleContentLengths }
        let length = try Self.parseContentLength(text)
        guard length <= limits.maxBodyBytes else { throw .bodyTooLarge(limit: limits.maxBodyBytes) }
        return length == 0 ? .none : .length(length)
    }

    /// `Content-Length = 1*DIGIT`, overflow-checked (RFC 9110 §8.6).
    private static func parseContentLength(_ text: String) throws(HTTPParseError) -> Int {
        guard !text.isEmpty else { throw .invalidContentLength(text) }
        var value = 0
        for byte in text.utf8 {
            guard HTTPSyntax.isDigit(byte) else { throw .invalidContentLength(text) }
            let (product, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = product.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            guard !overflowA && !overflowB else { throw .invalidContentLength(text) }
            value = sum
        }
        return value
    }

    /// Whether to report ``Event/continueExpected``; HTTP/1.0 ignores `Expect` (RFC 9110 §10.1.1).
    private static func expectsContinue(_ head: Head) throws(HTTPParseError) -> Bool {
        guard head.version == .http1_1 else { return false }
        let expectations = head.headers.listElements(for: "Expect")
        guard !expectations.isEmpty else { return false }
        guard expectations.allSatisfy({ $0.equalsIgnoringASCIICase("100-continue") }) else {
            throw .unsupportedExpectation(expectations.joined(separator: ", "))
        }
        return true
    }

    // MARK: Chunked

    /// `chunk-size [ chunk-ext ]` (RFC 9112 §7.1, §7.1.1); the size counts against the body cap.
    private func parseChunkSizeLine(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> Int {
        var index = line.startIndex
        var size = 0
        while index < line.endIndex, let digit = HTTPSyntax.hexValue(line[index]) {
            guard size <= (Int.max - digit) / 16 else { throw .invalidChunkSize(reason: "chunk size overflows") }
            size = size * 16 + digit
            index += 1
        }
        guard index > line.startIndex else { throw .invalidChunkSize(reason: "missing hexadecimal size") }
        let chunkExtension = line[index...].drop(while: HTTPSyntax.isWhitespace)
        if let first = chunkExtension.first {
            guard first == HTTPSyntax.semicolon, chunkExtension.count <= limits.maxChunkExtensionBytes,
                  chunkExtension.allSatisfy(HTTPSyntax.isFieldValueByte) else {
                throw .invalidChunkExtension(limit: limits.maxChunkExtensionBytes)
            }
        }
        guard size <= limits.maxBodyBytes - body.count else { throw .bodyTooLarge(limit: limits.maxBodyBytes) }
        return size
    }
}
