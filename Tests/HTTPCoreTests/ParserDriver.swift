@testable import HTTPCore

/// What a parser produced from a whole input: the test-side view of ``HTTPConformanceCorpus/Outcome``.
struct ParseResult: Equatable {
    var outcome: HTTPConformanceCorpus.Outcome
    var continueEvents: Int
}

/// Drives a parser over `bytes`, either all at once or one byte at a time, until the first request or error.
enum ParserDriver {
    static func run(_ bytes: [UInt8], byteByByte: Bool, limits: HTTPLimits = HTTPConformanceCorpus.limits) -> ParseResult {
        var parser = HTTPRequestParser(limits: limits)
        var continues = 0
        let pieces: [[UInt8]] = byteByByte ? bytes.map { [$0] } : [bytes]
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
