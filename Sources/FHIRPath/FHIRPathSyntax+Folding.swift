extension FHIRPathSyntax {
    /// The same expression with every operator whose operands are all literals replaced by its
    /// result, computed once at compile time.
    ///
    /// Scoring expressions are full of such parts (`linkId in ('item1' | 'item2' | …)`): without
    /// folding, the union and its duplicate check run again for every item of every response.
    /// Only operators are folded, never function calls, so nothing that reads the focus, a
    /// variable or the clock moves to compile time. Date and time literals stay unfolded too:
    /// comparing them can depend on the evaluation's time zone. An operator that fails on its
    /// literals is left as written, so the error still appears at evaluation, as before.
    func folded() -> FHIRPathSyntax {
        switch self {
        case .binary(let operation, let left, let right, let position):
            let folded = FHIRPathSyntax.binary(operation, left.folded(), right.folded(), position: position)
            return folded.constantValue().map(FHIRPathSyntax.constant) ?? folded
        case .negate(let operand, let position):
            let folded = FHIRPathSyntax.negate(operand.folded(), position: position)
            return folded.constantValue().map(FHIRPathSyntax.constant) ?? folded
        case .member(let base, let name):
            return .member(base.folded(), name)
        case .call(let receiver, let function, let arguments, let position):
            return .call(receiver: receiver?.folded(), function: function, arguments: arguments.map { $0.folded() }, position: position)
        case .indexer(let base, let subscriptSyntax, let position):
            return .indexer(base.folded(), subscriptSyntax.folded(), position: position)
        case .type(let operation, let receiver, let specifier, let position):
            return .type(operation, receiver: receiver?.folded(), specifier, position: position)
        case .literal, .constant, .identifier, .variable, .this, .index, .total:
            return self
        }
    }

    /// The value of an operator over constant operands without dates or times, or nil.
    private func constantValue() -> [FHIRPathValue]? {
        guard operands.allSatisfy(\.isTimeFreeConstant) else { return nil }
        return try? FHIRPathEvaluator(environment: FHIRPathEnvironment())
            .evaluate(self, focus: [], context: FHIRPathEvaluator.Context(this: []))
    }

    private var isTimeFreeConstant: Bool {
        let values: [FHIRPathValue]
        switch self {
        case .literal(let value): values = value.map { [$0] } ?? []
        case .constant(let collection): values = collection
        default: return false
        }
        return values.allSatisfy { value in
            switch value {
            case .date, .dateTime, .time: false
            default: true
            }
        }
    }
}
