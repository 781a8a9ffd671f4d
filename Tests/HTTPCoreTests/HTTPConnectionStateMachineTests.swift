import Foundation
import Testing
@testable import HTTPCore

/// The connection lifecycle without sockets (checklist 10, 17–20, 24).
@Suite struct HTTPConnectionStateMachineTests {
    typealias Machine = HTTPConnectionStateMachine
    static let start = ContinuousClock.now
    static let timeouts = Machine.Timeouts(head: .seconds(10), body: .seconds(5), keepAlive: .seconds(30),
                                           write: .seconds(7), handler: .seconds(20))

    static func machine(limits: HTTPLimits = HTTPLimits()) -> Machine {
        Machine(limits: limits, timeouts: timeouts, now: start, wallClock: { Date(timeIntervalSince1970: 0) })
    }

    static func at(_ seconds: Int) -> ContinuousClock.Instant {
        start + .seconds(seconds)
    }

    static func read(_ machine: inout Machine, _ text: String, at seconds: Int = 0) -> [Machine.Action] {
        machine.bytesRead(Array(text.utf8), now: at(seconds))
    }

    static func dispatched(_ actions: [Machine.Action]) -> [String] {
        actions.compactMap { if case .dispatch(let request) = $0 { request.target } else { nil } }
    }

    static func written(_ actions: [Machine.Action]) -> [String] {
        actions.compactMap { if case .write(let bytes) = $0 { String(decoding: bytes, as: UTF8.self) } else { nil } }
    }

    static func closesLingering(_ actions: [Machine.Action]) -> Bool {
        actions.contains { if case .lingeringClose = $0 { true } else { false } }
    }

    static func closesAtOnce(_ actions: [Machine.Action]) -> Bool {
        actions.contains { if case .close = $0 { true } else { false } }
    }

    static let get = "GET /a HTTP/1.1\r\nHost: h\r\n\r\n"

    // MARK: Persistence

    @Test func keepAliveConnectionReturnsToIdleAfterTheResponse() {
        var machine = Self.machine()
        #expect(Self.dispatched(Self.read(&machine, Self.get)) == ["/a"])
        #expect(!machine.wantsToRead)
        let writes = Self.written(machine.responseReady(.text("ok"), now: Self.at(1)))
        #expect(writes.count == 1 && !writes[0].contains("Connection: close"))
        #expect(machine.writeCompleted(now: Self.at(2)).isEmpty)
        #expect(machine.wantsToRead)
        #expect(machine.deadline == Machine.Deadline(kind: .idle, instant: Self.at(32)))
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", true),
        ("GET / HTTP/1.0\r\n\r\n", true),
        ("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", false),
        ("GET / HTTP/1.1\r\nHost: h\r\n\r\n", false),
    ])
    func persistenceFollowsTheRequest(_ request: String, _ closes: Bool) {
        var machine = Self.machine()
        _ = Self.read(&machine, request)
        let response = Self.written(machine.responseReady(.text("ok"), now: Self.at(0)))[0]
        #expect(response.contains("Connection: close") == closes)
        #expect(Self.closesLingering(machine.writeCompleted(now: Self.at(0))) == closes)
    }

    @Test func handlerConnectionCloseClosesTheConnection() {
        var machine = Self.machine()
        _ = Self.read(&machine, Self.get)
        _ = machine.responseReady(HTTPResponse(headers: ["Connection": "close"]), now: Self.at(0))
        #expect(Self.closesLingering(machine.writeCompleted(now: Self.at(0))))
    }

    @Test func headResponseCarriesNoBody() {
        var machine = Self.machine()
        _ = Self.read(&machine, "HEAD /a HTTP/1.1\r\nHost: h\r\n\r\n")
        let response = Self.written(machine.responseReady(.text("hello"), now: Self.at(0)))[0]
        #expect(response.hasSuffix("Content-Length: 5\r\n\r\n"))
    }

    // MARK: Pipelining

    @Test func pipelinedRequestsAreHandledOneAtATimeInOrder() {
        var machine = Self.machine()
        let first = Self.read(&machine, Self.get + "GET /b HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(Self.dispatched(first) == ["/a"])
        #expect(!machine.wantsToRead)
        _ = machine.responseReady(.text("A"), now: Self.at(0))
        #expect(Self.dispatched(machine.writeCompleted(now: Self.at(0))) == ["/b"])
        _ = machine.responseReady(.text("B"), now: Self.at(0))
        #expect(machine.writeCompleted(now: Self.at(0)).isEmpty)
        #expect(machine.wantsToRead)
    }

    @Test func nothingIsReadWhileAResponseIsPending() {
        var machine = Self.machine()
        _ = Self.read(&machine, Self.get)
        #expect(Self.read(&machine, "GET /b HTTP/1.1\r\nHost: h\r\n\r\n").isEmpty)
    }

    // MARK: Errors

    @Test func framingErrorSendsTheStatusThenClosesLingering() {
        var machine = Self.machine()
        let actions = Self.read(&machine, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n")
        #expect(Self.dispatched(actions).isEmpty)
        let response = Self.written(actions)[0]
        #expect(response.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        #expect(response.contains("Connection: close\r\n"))
        #expect(!machine.wantsToRead)
        #expect(Self.closesLingering(machine.writeCompleted(now: Self.at(0))))
    }

    @Test func endOfInputMidRequestClosesWithoutDispatch() {
        var machine = Self.machine()
        _ = Self.read(&machine, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 9\r\n\r\nabc")
        let actions = machine.endOfInput(now: Self.at(0))
        #expect(Self.closesAtOnce(actions))
        #expect(Self.dispatched(actions).isEmpty)
        #expect(machine.isClosed)
    }

    // MARK: 100-continue

    @Test func continueIsSentWhenTheBodyIsAboutToBeRead() {
        var machine = Self.machine()
        let actions = Self.read(&machine, "POST /u HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n")
        #expect(Self.written(actions) == ["HTTP/1.1 100 Continue\r\n\r\n"])
        #expect(machine.wantsToRead)
        _ = machine.writeCompleted(now: Self.at(0))
        #expect(Self.dispatched(Self.read(&machine, "hi")) == ["/u"])
    }

    @Test func refusedExpectationGetsTheFinalStatusWithoutContinue() {
        var machine = Self.machine(limits: HTTPLimits(maxBodyBytes: 10))
        let actions = Self.read(&machine, "POST /u HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 11\r\n\r\n")
        let writes = Self.written(actions)
        #expect(writes.count == 1)
        #expect(writes[0].hasPrefix("HTTP/1.1 413 "))
    }

    // MARK: Deadlines

    @Test func headDeadlineCountsFromTheFirstByteAndIsNotExtendedByTrickling() {
        var machine = Self.machine()
        _ = Self.read(&machine, "GET / HT", at: 3)
        #expect(machine.deadline == Machine.Deadline(kind: .head, instant: Self.at(13)))
        _ = Self.read(&machine, "TP/1.1\r\n", at: 8)
        _ = Self.read(&machine, "Host: h\r\n", at: 12)
        #expect(machine.deadline == Machine.Deadline(kind: .head, instant: Self.at(13)))
        #expect(machine.deadlinePassed(now: Self.at(12)).isEmpty)
        let response = Self.written(machine.deadlinePassed(now: Self.at(13)))
        #expect(response.first?.hasPrefix("HTTP/1.1 408 ") == true)
    }

    @Test func bodyDeadlineIsRefreshedByEachRead() {
        var machine = Self.machine()
        _ = Self.read(&machine, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 9\r\n\r\nab", at: 1)
        #expect(machine.deadline == Machine.Deadline(kind: .body, instant: Self.at(6)))
        _ = Self.read(&machine, "cd", at: 4)
        #expect(machine.deadline == Machine.Deadline(kind: .body, instant: Self.at(9)))
    }

    @Test func idleKeepAliveDeadlineClosesSilently() {
        var machine = Self.machine()
        _ = Self.read(&machine, Self.get)
        _ = machine.responseReady(.text("ok"), now: Self.at(0))
        _ = machine.writeCompleted(now: Self.at(0))
        #expect(machine.deadlinePassed(now: Self.at(29)).isEmpty)
        let actions = machine.deadlinePassed(now: Self.at(30))
        #expect(Self.closesAtOnce(actions) && Self.written(actions).isEmpty)
    }

    @Test func firstRequestMustStartBeforeTheHeadTimeout() {
        var machine = Self.machine()
        #expect(machine.deadline == Machine.Deadline(kind: .idle, instant: Self.at(10)))
        #expect(Self.closesAtOnce(machine.deadlinePassed(now: Self.at(10))))
    }

    @Test func slowHandlerGets503AndItsLateResponseIsIgnored() {
        var machine = Self.machine()
        _ = Self.read(&machine, Self.get)
        #expect(machine.deadline == Machine.Deadline(kind: .handler, instant: Self.at(20)))
        let response = Self.written(machine.deadlinePassed(now: Self.at(20)))
        #expect(response.first?.hasPrefix("HTTP/1.1 503 ") == true)
        #expect(machine.responseReady(.text("late"), now: Self.at(21)).isEmpty)
    }

    @Test func stalledWriteClosesAtTheWriteDeadline() {
        var machine = Self.machine()
        _ = Self.read(&machine, Self.get)
        _ = machine.responseReady(.text("ok"), now: Self.at(1))
        #expect(machine.deadline == Machine.Deadline(kind: .write, instant: Self.at(8)))
        #expect(Self.closesAtOnce(machine.deadlinePassed(now: Self.at(8))))
    }

    // MARK: Shutdown

    @Test func shutdownClosesAnIdleConnectionAtOnce() {
        var machine = Self.machine()
        #expect(Self.closesAtOnce(machine.shutdownRequested(now: Self.at(0))))
    }

    @Test func shutdownLetsTheInFlightRequestFinishWithConnectionClose() {
        var machine = Self.machine()
        _ = Self.read(&machine, Self.get)
        #expect(machine.shutdownRequested(now: Self.at(0)).isEmpty)
        let response = Self.written(machine.responseReady(.text("ok"), now: Self.at(0)))[0]
        #expect(response.contains("Connection: close\r\n"))
        #expect(Self.closesLingering(machine.writeCompleted(now: Self.at(0))))
    }
}
