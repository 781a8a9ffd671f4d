// Compiled into every fuzz target (see scripts/fuzz); not part of the package.

/// The bytes libFuzzer hands to `LLVMFuzzerTestOneInput`, with helpers to carve them up.
///
/// Targets take their "shape" decisions (split points, limits, which page) from the input itself,
/// so that every crash reproduces from the saved file alone.
struct FuzzInput {
    /// Every byte of the input.
    let bytes: [UInt8]

    init(_ start: UnsafePointer<UInt8>, _ count: Int) {
        bytes = Array(UnsafeBufferPointer(start: start, count: count))
    }

    /// The first byte (0 for an empty input) and the remaining bytes.
    func splitFirstByte() -> (UInt8, [UInt8]) {
        guard let first = bytes.first else { return (0, []) }
        return (first, Array(bytes.dropFirst()))
    }

    /// The bytes before the first NUL and the bytes after it (empty when there is none).
    func splitAtNUL() -> ([UInt8], [UInt8]) {
        guard let nul = bytes.firstIndex(of: 0) else { return (bytes, []) }
        return (Array(bytes[..<nul]), Array(bytes[(nul + 1)...]))
    }
}

/// A tiny deterministic generator (PCG-style LCG step, the constants of Knuth's MMIX), for split points.
struct FuzzRandom {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    }

    /// A number in `0..<bound` (`bound` > 0).
    mutating func next(below bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }
}

/// Stops the process with `message` when an invariant does not hold; libFuzzer then saves the input.
func fuzzCheck(_ condition: Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) {
    if !condition { fatalError("fuzz invariant violated: \(message())", file: file, line: line) }
}

/// The repository root, found from this file's path at compile time (`<root>/Fuzz/Support/FuzzInput.swift`),
/// so the targets read shipped files without depending on the working directory.
let fuzzRepositoryRoot: String = {
    var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
}()
