import Foundation

/// The lifecycle of one HTTP/1.1 connection as a pure state machine: events in, actions out.
///
/// The socket layer reports what happened (bytes read, end of input, a response ready, the write
/// buffer drained, a deadline passed, shutdown) and performs the returned actions. It also asks
/// ``wantsToRead`` (to arm or disarm read interest) and ``deadline`` (to arm its timer).
///
/// Rules implemented here:
/// - Persistence (RFC 9112 §9.3): HTTP/1.1 persists unless `Connection: close`; HTTP/1.0 only with
///   `keep-alive`; a handler's `Connection: close` or a shutdown in progress also closes.
/// - Framing errors (RFC 9112 §9.3, §11.2): send the error response, then a lingering close.
/// - Bodies are always read completely (bounded by ``HTTPLimits/maxBodyBytes``) before dispatch, so
///   no unread body can remain before the next request; a body too large is answered 413 and closed.
/// - Pipelining (RFC 9112 §9.3.2): one request at a time; reading stops while a request is handled
///   or its response written, so read-ahead is bounded by one read; responses leave in order.
/// - Timeouts (RFC 9112 §9.5): one deadline for the whole head from its first byte (slowloris), an
///   idle deadline between body reads and one for the whole body from its first byte (a body that
///   trickles in a byte at a time never goes idle), an optional handler deadline (503), a deadline for writing a
///   whole response, and the keep-alive idle deadline. Head and body timeouts answer 408.
/// - `Expect: 100-continue` (RFC 9110 §10.1.1): `100` is written only when the body is about to be
///   read; a request refused from its head (e.g. 413) gets the final status instead.
public struct HTTPConnectionStateMachine: Sendable {
    /// The deadlines of a connection, each a named duration with a documented default.
    public struct Timeouts: Sendable, Equatable {
        /// Time to receive a whole request head, from its first byte (first request: from accept). Default 10 s.
        public var head: Duration
        /// Longest silence while reading a body. Default 30 s.
        public var body: Duration
        /// Time to receive a whole request body, from the end of its head, however steadily it trickles. Default 60 s.
        public var bodyTotal: Duration
        /// Longest idle time between requests on a persistent connection. Default 30 s.
        public var keepAlive: Duration
        /// Time to write one whole response. Default 30 s.
        public var write: Duration
        /// Time a handler may take before the client gets 503 and the connection closes; nil = unlimited (default).
        public var handler: Duration?

        /// Timeouts with the documented defaults.
        public init(head: Duration = .seconds(10), body: Duration = .seconds(30), bodyTotal: Duration = .seconds(60),
                    keepAlive: Duration = .seconds(30), write: Duration = .seconds(30), handler: Duration? = nil) {
            self.head = head
            self.body = body
            self.bodyTotal = bodyTotal
            self.keepAlive = keepAlive
            self.write = write
            self.handler = handler
        }
    }

    /// What the socket layer must do.
    public enum Action: Sendable {
        /// Hand this request to the responder and report its response with ``responseReady(_:now:)``.
        case dispatch(HTTPRequest)
        /// Queue these bytes; report ``writeCompleted(now:)`` once everything queued has been written.
        case write([UInt8])
        /// Close the socket now (peer gone, idle timeout, write timeout).
        case close
        /// Everything is written: `shutdown(SHUT_WR)`, discard input briefly, then close (RFC 9112 §9.6).
        case lingeringClose
    }

    /// Which deadline is armed.
    public enum DeadlineKind: Sendable, Equatable {
        /// Waiting for the first byte of a request.
        case idle
        /// Reading a request head.
        case head
        /// Reading a request body.
        case body
        /// Waiting for the handler.
        case handler
        /// Writing a response.
        case write
    }

    /// The armed deadline: its kind and when it passes.
    public struct Deadline: Sendable, Equatable {
        /// Which timeout this is.
        public let kind: DeadlineKind
        /// When it passes.
        public let instant: ContinuousClock.Instant
    }

    private struct RequestContext: Sendable {
        var method: HTTPMethod
        var version: HTTPVersion
        var keepAlive: Bool

        static let framingError = RequestContext(method: .get, version: .http1_1, keepAlive: false)
    }

    private enum Phase: Sendable {
        case awaitingRequest(until: ContinuousClock.Instant)
        case readingHead(until: ContinuousClock.Instant)
        /// `until` is the idle deadline, `total` the whole-body deadline fixed when the body began.
        case readingBody(until: ContinuousClock.Instant, total: ContinuousClock.Instant)
        case handling(RequestContext, until: ContinuousClock.Instant?)
        case writingResponse(closeAfter: Bool, until: ContinuousClock.Instant)
        case closed
    }

    private var parser: HTTPRequestParser
    private var phase: Phase
    private let timeouts: Timeouts
    private let wallClock: @Sendable () -> Date
    private var interimWriteDeadline: ContinuousClock.Instant?

    /// Whether a graceful shutdown has been requested.
    public private(set) var isShuttingDown = false

    /// A new connection accepted at `now`; the first request head must arrive within `timeouts.head`.
    ///
    /// - Parameter wallClock: the time for `Date` headers, injected so tests are deterministic.
    public init(limits: HTTPLimits = HTTPLimits(), timeouts: Timeouts = Timeouts(), remoteAddress: String? = nil,
                now: ContinuousClock.Instant, wallClock: @escaping @Sendable () -> Date = { Date() }) {
        parser = HTTPRequestParser(limits: limits, remoteAddress: remoteAddress)
        self.timeouts = timeouts
        self.wallClock = wallClock
        phase = .awaitingRequest(until: now + timeouts.head)
    }

    // MARK: State for the socket layer

    /// Whether the socket layer should read (and keep read interest armed).
    public var wantsToRead: Bool {
        switch phase {
        case .awaitingRequest, .readingHead, .readingBody: true
        case .handling, .writingResponse, .closed: false
        }
    }

    /// Whether the connection is finished; the socket layer has been told to close.
    public var isClosed: Bool {
        if case .closed = phase { return true }
        return false
    }

    /// The earliest armed deadline, or nil when none is armed.
    public var deadline: Deadline? {
        let phaseDeadline: Deadline? = switch phase {
        case .awaitingRequest(let until): Deadline(kind: .idle, instant: until)
        case .readingHead(let until): Deadline(kind: .head, instant: until)
        case .readingBody(let until, let total): Deadline(kind: .body, instant: min(until, total))
        case .handling(_, let until): until.map { Deadline(kind: .handler, instant: $0) }
        case .writingResponse(_, let until): Deadline(kind: .write, instant: until)
        case .closed: nil
        }
        guard !isClosed, let interim = interimWriteDeadline else { return phaseDeadline }
        guard let phaseDeadline, phaseDeadline.instant <= interim else { return Deadline(kind: .write, instant: interim) }
        return phaseDeadline
    }

    // MARK: Events

    /// Bytes arrived from the peer.
    public mutating func bytesRead(_ bytes: some Collection<UInt8>, now: ContinuousClock.Instant) -> [Action] {
        guard wantsToRead else { return [] }
        parser.append(bytes)
        if case .readingBody(_, let total) = phase { phase = .readingBody(until: now + timeouts.body, total: total) }
        return advance(now: now)
    }

    /// The peer closed its side. A partial request is dropped, never processed (RFC 9112 §8).
    public mutating func endOfInput(now: ContinuousClock.Instant) -> [Action] {
        guard !isClosed else { return [] }
        phase = .closed
        return [.close]
    }

    /// The responder answered the dispatched request; late answers (after a handler timeout) are ignored.
    public mutating func responseReady(_ response: HTTPResponse, now: ContinuousClock.Instant) -> [Action] {
        guard case .handling(let context, _) = phase else { return [] }
        let keepAlive = context.keepAlive && !isShuttingDown && !response.headers.containsToken("close", in: "Connection")
        return write(response, for: context, keepAlive: keepAlive, now: now)
    }

    /// Everything queued so far has been written.
    public mutating func writeCompleted(now: ContinuousClock.Instant) -> [Action] {
        interimWriteDeadline = nil
        guard case .writingResponse(let closeAfter, _) = phase else { return [] }
        if closeAfter || isShuttingDown {
            phase = .closed
            return [.lingeringClose]
        }
        phase = .awaitingRequest(until: now + timeouts.keepAlive)
        return advance(now: now)
    }

    /// Time has passed; acts only if the armed deadline is due.
    public mutating func deadlinePassed(now: ContinuousClock.Instant) -> [Action] {
        guard let deadline, now >= deadline.instant else { return [] }
        switch deadline.kind {
        case .idle, .write:
            phase = .closed
            return [.close]
        case .head, .body:
            return write(.text("Request Timeout\n", status: .requestTimeout), for: .framingError, keepAlive: false, now: now)
        case .handler:
            guard case .handling(let context, _) = phase else { return [] }
            return write(.text("Service Unavailable\n", status: .serviceUnavailable), for: context, keepAlive: false, now: now)
        }
    }

    /// Graceful shutdown: an idle connection closes now; a request in progress finishes with `Connection: close`.
    public mutating func shutdownRequested(now: ContinuousClock.Instant) -> [Action] {
        isShuttingDown = true
        guard case .awaitingRequest = phase else { return [] }
        phase = .closed
        return [.close]
    }

    // MARK: Internals

    private mutating func advance(now: ContinuousClock.Instant) -> [Action] {
        var actions: [Action] = []
        while true {
            let event: HTTPRequestParser.Event
            do throws(HTTPParseError) {
                event = try parser.next()
            } catch {
                return actions + write(.text("\(error.status.reasonPhrase)\n", status: error.status),
                                       for: .framingError, keepAlive: false, now: now)
            }
            switch event {
            case .needMoreData:
                switch parser.progress {
                case .idle:
                    break
                case .head:
                    if case .readingHead = phase {} else { phase = .readingHead(until: now + timeouts.head) }
                case .body:
                    if case .readingBody = phase {} else { phase = startBody(now: now) }
                }
                return actions
            case .continueExpected:
                actions.append(.write(HTTPResponseEncoder.continueResponse()))
                interimWriteDeadline = now + timeouts.write
                phase = startBody(now: now)
            case .request(let request):
                let context = RequestContext(method: request.method, version: request.version,
                                             keepAlive: request.wantsKeepAlive)
                phase = .handling(context, until: timeouts.handler.map { now + $0 })
                return actions + [.dispatch(request)]
            }
        }
    }

    /// The phase of a body whose reading starts (or, after `100 Continue`, restarts) at `now`.
    private func startBody(now: ContinuousClock.Instant) -> Phase {
        .readingBody(until: now + timeouts.body, total: now + timeouts.bodyTotal)
    }

    private mutating func write(_ response: HTTPResponse, for context: RequestContext, keepAlive: Bool,
                                now: ContinuousClock.Instant) -> [Action] {
        let bytes = HTTPResponseEncoder.encode(response, requestMethod: context.method, version: context.version,
                                               keepAlive: keepAlive, date: wallClock())
        phase = .writingResponse(closeAfter: !keepAlive, until: now + timeouts.write)
        return [.write(bytes)]
    }
}
