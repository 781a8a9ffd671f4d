import Synchronization

/// A latch handlers wait on until the test opens it; counts how many are waiting.
final class Gate: Sendable {
    private struct State {
        var isOpen = false
        var waiting: [CheckedContinuation<Void, Never>] = []
        var arrivals = 0
    }

    private let state = Mutex(State())

    /// How many handlers have reached the gate.
    var arrivals: Int { state.withLock { $0.arrivals } }

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state in
                state.arrivals += 1
                if state.isOpen { return true }
                state.waiting.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    func open() {
        let waiting = state.withLock { state in
            state.isOpen = true
            defer { state.waiting = [] }
            return state.waiting
        }
        waiting.forEach { $0.resume() }
    }

    /// Polls until `count` handlers arrived (bounded, so a broken server fails instead of hanging).
    func waitForArrivals(_ count: Int) async -> Bool {
        for _ in 0..<500 where arrivals < count {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return arrivals >= count
    }
}
