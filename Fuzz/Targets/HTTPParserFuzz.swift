// libFuzzer target: the incremental HTTP/1.1 request parser (HTTPCore.HTTPRequestParser).
//
// Input layout: byte 0 picks the split points (a seed), byte 1 picks the limits (small limits
// for odd values, so the limit paths are reachable with short inputs), the rest is the stream.
// Invariants, besides "never crashes":
// - the same bytes give the same requests whether they arrive at once or in pieces, and fail
//   in both cases or in neither;
// - a delivered request has a body of exactly its Content-Length, within the body cap;
// - path and query put together give the origin-form target back;
// - an accepted request, written out again in canonical form, parses to the same request.
import HTTPCore

/// What one parser produced from a whole stream.
private struct Transcript {
    var requests: [HTTPRequest] = []
    var continues = 0
    var failed = false
}

private func drain(_ parser: inout HTTPRequestParser, into transcript: inout Transcript) {
    while !transcript.failed {
        do {
            switch try parser.next() {
            case .needMoreData: return
            case .continueExpected: transcript.continues += 1
            case .request(let request): transcript.requests.append(request)
            }
        } catch {
            transcript.failed = true
        }
    }
}

private func parse(_ pieces: [ArraySlice<UInt8>], limits: HTTPLimits) -> Transcript {
    var parser = HTTPRequestParser(limits: limits)
    var transcript = Transcript()
    for piece in pieces where !transcript.failed {
        parser.append(piece)
        drain(&parser, into: &transcript)
    }
    return transcript
}

private func pieces(of stream: [UInt8], seed: UInt8) -> [ArraySlice<UInt8>] {
    var random = FuzzRandom(seed: UInt64(seed))
    var result: [ArraySlice<UInt8>] = []
    var start = 0
    while start < stream.count {
        let end = min(stream.count, start + 1 + random.next(below: seed % 4 == 0 ? 4 : 64))
        result.append(stream[start..<end])
        start = end
    }
    return result
}

private func limits(for selector: UInt8) -> HTTPLimits {
    guard selector & 1 == 1 else { return HTTPLimits() }
    let small = Int(selector >> 1)
    return HTTPLimits(maxRequestLineBytes: 16 + small, maxHeaderLineBytes: 8 + small, maxHeaderBytes: 32 + 2 * small,
                      maxHeaderCount: 1 + small % 8, maxBodyBytes: small, maxChunkExtensionBytes: small % 16,
                      maxTrailerBytes: small)
}

/// The fields compared between two parses (HTTPRequest itself is not Equatable).
private func summary(_ request: HTTPRequest) -> String {
    let headers = request.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
    return "\(request.method) \(request.target) \(request.version)\n\(headers)\n\(request.body)"
}

/// The request in canonical wire form: CRLF endings, one space after colons, the body framed by
/// Content-Length (the original framing fields are dropped, because chunking has been undone).
private func serialise(_ request: HTTPRequest) -> [UInt8] {
    var text = "\(request.method) \(request.target) \(request.version)\r\n"
    for (name, value) in request.headers
    where !["content-length", "transfer-encoding"].contains(name.lowercased()) {
        text += "\(name): \(value)\r\n"
    }
    if !request.body.isEmpty { text += "Content-Length: \(request.body.count)\r\n" }
    return Array((text + "\r\n").utf8) + request.body
}

private func framingFree(_ request: HTTPRequest) -> String {
    var copy = request
    copy.headers.remove("Content-Length")
    copy.headers.remove("Transfer-Encoding")
    return summary(copy)
}

private func checkRequest(_ request: HTTPRequest, limits: HTTPLimits) {
    fuzzCheck(request.body.count <= limits.maxBodyBytes, "body of \(request.body.count) bytes over the cap")
    let lengths = request.headers.values(for: "Content-Length")
    if let length = lengths.first {
        fuzzCheck(lengths.count == 1 && Int(length) == request.body.count,
                  "Content-Length \(lengths) but a body of \(request.body.count) bytes")
        fuzzCheck(!request.headers.contains("Transfer-Encoding"), "both Content-Length and Transfer-Encoding")
    }
    if request.target.hasPrefix("/") {
        fuzzCheck(request.path + (request.query.map { "?" + $0 } ?? "") == request.target,
                  "path \(request.path) and query \(String(describing: request.query)) do not give back \(request.target)")
    }
    _ = request.queryItems()
    _ = request.wantsKeepAlive

    // Canonical bytes may be longer (invalid UTF-8 became U+FFFD, Host may have been added).
    let roomy = HTTPLimits(maxRequestLineBytes: 4 * limits.maxRequestLineBytes, maxHeaderLineBytes: 4 * limits.maxHeaderLineBytes + 16,
                           maxHeaderBytes: 4 * limits.maxHeaderBytes + 64, maxHeaderCount: limits.maxHeaderCount + 2,
                           maxBodyBytes: limits.maxBodyBytes)
    let again = parse([serialise(request)[...]], limits: roomy)
    fuzzCheck(!again.failed && again.requests.count == 1,
              "canonical form of an accepted request is refused: \(summary(request))")
    fuzzCheck(framingFree(again.requests[0]) == framingFree(request),
              "canonical form parses differently:\n\(summary(request))\n---\n\(summary(again.requests[0]))")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPParser(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let (seed, rest) = FuzzInput(start, count).splitFirstByte()
    let selector = rest.first ?? 0
    let stream = Array(rest.dropFirst())
    let chosen = limits(for: selector)

    let whole = parse([stream[...]], limits: chosen)
    let split = parse(pieces(of: stream, seed: seed), limits: chosen)
    fuzzCheck(whole.failed == split.failed, "failed at once: \(whole.failed), failed in pieces: \(split.failed)")
    fuzzCheck(whole.requests.map(summary) == split.requests.map(summary), "requests differ between whole and split input")
    fuzzCheck(whole.continues == split.continues, "100-continue reported \(whole.continues) vs \(split.continues) times")
    for request in whole.requests { checkRequest(request, limits: chosen) }
    return 0
}
