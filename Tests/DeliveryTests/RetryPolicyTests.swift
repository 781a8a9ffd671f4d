import Foundation
import Testing
@testable import Delivery

/// A generator that always returns the same value, to pin the jitter.
struct ConstantGenerator: RandomNumberGenerator {
    let value: UInt64
    mutating func next() -> UInt64 { value }
}

/// SplitMix64, a small seeded generator: the same seed gives the same jitter.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private let failure = Date(timeIntervalSince1970: 1_795_325_111)

@Test("Default schedule without jitter: 1 min doubling to a 1 h cap, dead letter after attempt 10", arguments: [
    (1, 60.0), (2, 120), (3, 240), (4, 480), (5, 960), (6, 1_920), (7, 3_600), (8, 3_600), (9, 3_600),
    (10, nil), (11, nil),
] as [(Int, Double?)])
func defaultSchedule(attempt: Int, seconds: Double?) {
    var generator = ConstantGenerator(value: 0)
    let next = RetryPolicy().nextAttempt(afterFailure: attempt, at: failure, using: &generator)
    #expect(next == seconds.map { failure.addingTimeInterval($0) })
}

@Test("A custom policy grows by its multiplier up to its cap", arguments: [
    (1, 10.0), (2, 30), (3, 90), (4, 100), (5, nil),
] as [(Int, Double?)])
func customSchedule(attempt: Int, seconds: Double?) {
    let policy = RetryPolicy(initialDelay: .seconds(10), multiplier: 3, maximumDelay: .seconds(100), maximumAttempts: 5, jitter: 0.5)
    var generator = ConstantGenerator(value: 0)
    #expect(policy.nextAttempt(afterFailure: attempt, at: failure, using: &generator) == seconds.map { failure.addingTimeInterval($0) })
}

@Test("Jitter only shortens a wait, by at most its fraction", arguments: [
    (UInt64(0), 480.0),
    (UInt64(1) << 63, 480 * 0.95),
    (UInt64.max, 480 * (1 - 0.1 * (1 - 0x1p-53))),
] as [(UInt64, Double)])
func jitterBounds(random: UInt64, seconds: Double) throws {
    var generator = ConstantGenerator(value: random)
    let next = try #require(RetryPolicy().nextAttempt(afterFailure: 4, at: failure, using: &generator))
    #expect(abs(next.timeIntervalSince(failure) - seconds) < 1e-6)
}

@Test("Jitter from a seeded generator is repeatable and spreads retries within the band")
func seededJitter() throws {
    let policy = RetryPolicy()
    var first = SeededGenerator(state: 42)
    var second = SeededGenerator(state: 42)
    let waits = (1...9).compactMap { policy.nextAttempt(afterFailure: $0, at: failure, using: &first)?.timeIntervalSince(failure) }
    let again = (1...9).compactMap { policy.nextAttempt(afterFailure: $0, at: failure, using: &second)?.timeIntervalSince(failure) }
    #expect(waits == again)
    let unjittered: [Double] = [60, 120, 240, 480, 960, 1_920, 3_600, 3_600, 3_600]
    #expect(zip(waits, unjittered).allSatisfy { $0 <= $1 && $0 >= $1 * 0.9 })
    #expect(Set(waits.suffix(3)).count == 3)
}

@Test("The system random source stays within the same band")
func systemRandomJitter() throws {
    let next = try #require(RetryPolicy().nextAttempt(afterFailure: 1, at: failure))
    #expect((54...60).contains(next.timeIntervalSince(failure)))
}
