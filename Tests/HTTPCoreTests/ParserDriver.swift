@testable import HTTPCore

/// What a parser produced from a whole input: the test-side view of ``HTTPConformanceCorpus/Outcome``.
struct ParseResult: Equatable {
    var outcome: HTTPConformanceCorpus.Outcome
    var continueEvents: Int
}

/// Drives a parser over `bytes`, either all at once or one byte at a time, until the first request or error.
enum ParserDriver {
    static func run(_ bytes: [UInt8], byteByByte: Bool, limits: HTTPLimits = HTTPConformanceCorpus.limits) -> ParseResult {
        run(pieces: byteByByte ? bytes.map { [$0] } : [bytes], limits: limits)
    }

    /// Splits `bytes` at pseudo-random points derived from `seed` (deterministic, so failures reproduce).
    static func split(_ bytes: [UInt8], seed: UInt64) -> [[UInt8]] {
        var state = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        var pieces: [[UInt8]] = []
        var start = 0
        while start < bytes.count {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let length = 1 + Int((state >> 33) % 64)
            pieces.append(Array(bytes[start..<min(bytes.count, start + length)]))
            start += length
        }
        return pieces
    }

    static func run(pieces: [[UInt8]], limits: HTTPLimits = HTTPConformanceCorpus.limits) -> ParseResult {
        var parser = HTTPRequestParser(limits: limits)
        var continues = 0
        for piece in pieces {
            parser.append(piece)
            while true {
                do {
                    switch try parser.next() {
                    case .needMoreData:
                        break
                    case .continueExpected:
                        continues += 1
                        continue
                    case .request(let request):
                        let outcome = HTTPConformanceCorpus.Outcome.accepted(
                            method: request.method.rawValue, target: request.target,
                            body: request.body, keepAlive: request.wantsKeepAlive)
                        return ParseResult(outcome: outcome, continueEvents: continues)
                    }
                } catch {
                    return ParseResult(outcome: .rejected(status: error.status.code), continueEvents: continues)
                }
                break
            }
        }
        return ParseResult(outcome: .incomplete, continueEvents: continues)
    }

    /// Every request in `bytes`, in order, all at once; stops at the first error.
    static func requests(_ bytes: [UInt8], limits: HTTPLimits = HTTPLimits()) -> (requests: [HTTPRequest], error: HTTPParseError?) {
        var parser = HTTPRequestParser(limits: limits)
        parser.append(bytes)
        var requests: [HTTPRequest] = []
        while true {
            do {
                switch try parser.next() {
                case .needMoreData: return (requests, nil)
                case .continueExpected: continue
                case .request(let request): requests.append(request)
                }
            } catch {
                return (requests, error)
            }
        }
    }
}

extension Array where Element == UInt8 {
    /// The bytes of a string literal, for fixtures.
    init(_ string: String) {
        self = Array(string.utf8)
    }
}
