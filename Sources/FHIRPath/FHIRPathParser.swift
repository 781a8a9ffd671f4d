import Foundation

/// A recursive-descent parser for FHIRPath N1 Appendix "Grammar" with its operator precedence
/// (N1 §"Operator precedence", loosest first): `implies`; `or xor`; `and`; `in contains`;
/// `= ~ != !~`; `< > <= >=`; `|`; `is as`; `+ - &`; `* / div mod`; unary `+ -`; `.` and `[]`.
struct FHIRPathParser {
    private let tokens: [FHIRPathToken]
    private var index = 0

    /// The maximum nesting of parenthesised expressions, arguments, indexers and unary signs,
    /// so that no expression can overflow the stack of the parser or the evaluator, even on a
    /// thread with a 1 MiB stack in a debug build (tested; Linux threads get 8 MiB by default).
    static let maxDepth = 64
    private var depth = 0
    /// The maximum depth of the parsed tree (a chain `a.b.c` or a sum `a + b + c` grows it by
    /// one per step); the evaluator recurses once per level.
    static let maxTreeDepth = 128

    private static let levels: [[String]] = [
        ["implies"], ["or", "xor"], ["and"], ["in", "contains"], ["=", "~", "!=", "!~"], ["<", ">", "<=", ">="],
        ["|"], ["is", "as"], ["+", "-", "&"], ["*", "/", "div", "mod"],
    ]
    private static let typeLevel = 7
    private static let calendarUnits: Set<String> = [
        "year", "years", "month", "months", "week", "weeks", "day", "days", "hour", "hours",
        "minute", "minutes", "second", "seconds", "millisecond", "milliseconds",
    ]

    /// Parses a whole expression; anything left over is a syntax error.
    static func parse(_ source: String) throws(FHIRPathError) -> FHIRPathSyntax {
        var parser = FHIRPathParser(tokens: try FHIRPathLexer.tokens(source))
        let syntax = try parser.expression(level: 0)
        guard parser.current.kind == .end else {
            throw .syntax(position: parser.current.position, message: "unexpected \(parser.describe(parser.current))")
        }
        guard syntax.depth <= maxTreeDepth else {
            throw .syntax(position: 0, message: "expression is more than \(maxTreeDepth) operations deep; split it into variables")
        }
        return syntax
    }

    private init(tokens: [FHIRPathToken]) {
        self.tokens = tokens
    }

    private var current: FHIRPathToken { tokens[index] }

    /// The operator word or symbol of the current token, if it is one.
    private var operatorText: String? {
        switch current.kind {
        case .symbol(let symbol): return symbol
        case .identifier(let word): return word
        default: return nil
        }
    }

    private func describe(_ token: FHIRPathToken) -> String {
        switch token.kind {
        case .end: return "end of expression"
        case .identifier(let name), .delimitedIdentifier(let name): return "'\(name)'"
        case .symbol(let symbol): return "'\(symbol)'"
        case .string(let text): return "string '\(text)'"
        case .number(let text): return "number \(text)"
        case .temporal(let value): return "'@\(value)'"
        case .variable(let name): return "'%\(name)'"
        case .special(let name): return "'$\(name)'"
        }
    }

    private mutating func expect(_ symbol: String) throws(FHIRPathError) {
        guard current.kind == .symbol(symbol) else {
            throw .syntax(position: current.position, message: "expected '\(symbol)' but found \(describe(current))")
        }
        index += 1
    }

    private mutating func nested<T>(_ body: (inout FHIRPathParser) throws(FHIRPathError) -> T) throws(FHIRPathError) -> T {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else {
            throw .syntax(position: current.position, message: "expression nests deeper than \(Self.maxDepth) levels")
        }
        return try body(&self)
    }

    // MARK: - Operators

    /// One precedence level; a whole expression (level 0) counts one step of nesting depth.
    private mutating func expression(level: Int) throws(FHIRPathError) -> FHIRPathSyntax {
        guard level > 0 else {
            return try nested { (parser: inout FHIRPathParser) throws(FHIRPathError) in try parser.operators(level: 0) }
        }
        return try operators(level: level)
    }

    private mutating func operators(level: Int) throws(FHIRPathError) -> FHIRPathSyntax {
        guard level < Self.levels.count else { return try unary() }
        var left = try expression(level: level + 1)
        while let text = operatorText, Self.levels[level].contains(text) {
            let position = current.position
            index += 1
            if level == Self.typeLevel {
                let specifier = try typeSpecifier()
                left = .type(text == "is" ? .is : .as, receiver: left, specifier, position: position)
            } else {
                let right = try expression(level: level + 1)
                left = .binary(FHIRPathBinaryOperator(rawValue: text)!, left, right, position: position)
            }
        }
        return left
    }

    private mutating func unary() throws(FHIRPathError) -> FHIRPathSyntax {
        let position = current.position
        if current.kind == .symbol("-") || current.kind == .symbol("+") {
            let minus = current.kind == .symbol("-")
            index += 1
            let operand = try nested { (parser: inout FHIRPathParser) throws(FHIRPathError) in try parser.unary() }
            return minus ? .negate(operand, position: position) : operand
        }
        return try postfix()
    }

    private mutating func typeSpecifier() throws(FHIRPathError) -> FHIRPathTypeSpecifier {
        let first = try identifierName()
        guard current.kind == .symbol(".") else { return FHIRPathTypeSpecifier(namespace: nil, name: first) }
        index += 1
        return FHIRPathTypeSpecifier(namespace: first, name: try identifierName())
    }

    private mutating func identifierName() throws(FHIRPathError) -> String {
        switch current.kind {
        case .identifier(let name), .delimitedIdentifier(let name):
            index += 1
            return name
        default:
            throw .syntax(position: current.position, message: "expected a name but found \(describe(current))")
        }
    }

    // MARK: - Terms

    private mutating func postfix() throws(FHIRPathError) -> FHIRPathSyntax {
        var syntax = try term()
        while true {
            if current.kind == .symbol(".") {
                index += 1
                let position = current.position
                let name = try identifierName()
                if current.kind == .symbol("(") {
                    syntax = try call(name, receiver: syntax, position: position)
                } else {
                    syntax = .member(syntax, name)
                }
            } else if current.kind == .symbol("[") {
                let position = current.position
                index += 1
                let subscriptSyntax = try expression(level: 0)
                try expect("]")
                syntax = .indexer(syntax, subscriptSyntax, position: position)
            } else {
                return syntax
            }
        }
    }

    private mutating func term() throws(FHIRPathError) -> FHIRPathSyntax {
        let token = current
        switch token.kind {
        case .number(let text):
            index += 1
            return .literal(try number(text, position: token.position))
        case .string(let text):
            index += 1
            return .literal(.string(text))
        case .temporal(let value):
            index += 1
            return .literal(FHIRPathValue(value))
        case .variable(let name):
            index += 1
            return .variable(name, position: token.position)
        case .special(let name):
            index += 1
            return name == "this" ? .this : name == "index" ? .index : .total
        case .symbol("("):
            index += 1
            let inner = try expression(level: 0)
            try expect(")")
            return inner
        case .symbol("{"):
            index += 1
            try expect("}")
            return .literal(nil)
        case .identifier("true"), .identifier("false"):
            index += 1
            return .literal(.boolean(token.kind == .identifier("true")))
        case .identifier(let name), .delimitedIdentifier(let name):
            index += 1
            if current.kind == .symbol("(") { return try call(name, receiver: nil, position: token.position) }
            return .identifier(name)
        default:
            throw .syntax(position: token.position, message: "expected a value, path or '(' but found \(describe(token))")
        }
    }

    /// A number literal, or a quantity when a unit string or calendar keyword follows.
    private mutating func number(_ text: String, position: Int) throws(FHIRPathError) -> FHIRPathValue {
        let unit: String?
        switch current.kind {
        case .string(let code): unit = code
        case .identifier(let word) where Self.calendarUnits.contains(word): unit = word
        default: unit = nil
        }
        if let unit {
            index += 1
            return .quantity(value: Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))!, unit: unit)
        }
        if text.contains(".") {
            return .decimal(Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))!)
        }
        guard let integer = Int(text) else {
            throw .syntax(position: position, message: "integer \(text) is too large")
        }
        return .integer(integer)
    }

    private mutating func call(_ name: String, receiver: FHIRPathSyntax?, position: Int) throws(FHIRPathError) -> FHIRPathSyntax {
        try expect("(")
        var arguments: [FHIRPathSyntax] = []
        if current.kind != .symbol(")") {
            repeat {
                if !arguments.isEmpty { index += 1 }
                arguments.append(try expression(level: 0))
            } while current.kind == .symbol(",")
        }
        try expect(")")
        let typeOperations: [String: FHIRPathTypeOperation] = ["is": .is, "as": .as, "ofType": .ofType]
        if let operation = typeOperations[name] {
            guard arguments.count == 1 else {
                throw .arity(name: name, position: position, expected: 1...1, actual: arguments.count)
            }
            return .type(operation, receiver: receiver, try Self.typeSpecifier(arguments[0], position: position), position: position)
        }
        guard let function = FHIRPathFunction(rawValue: name) else {
            throw .unknownFunction(name: name, position: position)
        }
        guard function.arity.contains(arguments.count) else {
            throw .arity(name: name, position: position, expected: function.arity, actual: arguments.count)
        }
        return .call(receiver: receiver, function: function, arguments: arguments, position: position)
    }

    /// The type named by a function argument (`ofType(Coding)`, `is(System.Integer)`).
    private static func typeSpecifier(_ syntax: FHIRPathSyntax, position: Int) throws(FHIRPathError) -> FHIRPathTypeSpecifier {
        switch syntax {
        case .identifier(let name):
            return FHIRPathTypeSpecifier(namespace: nil, name: name)
        case .member(.identifier(let namespace), let name):
            return FHIRPathTypeSpecifier(namespace: namespace, name: name)
        default:
            throw .syntax(position: position, message: "expected a type name such as Coding or System.Integer")
        }
    }
}
