/// One SQLite value: the five storage classes of SQLite ("Datatypes In SQLite", §2).
///
/// Text and blobs carry their exact bytes: text may contain NUL characters, and an empty blob
/// is a zero-length blob, not NULL.
public enum SQLValue: Sendable, Hashable {
    /// SQL NULL.
    case null
    /// A signed 64-bit integer.
    case integer(Int64)
    /// An IEEE 754 double. SQLite stores NaN as NULL ("SQLite: sqlite3_bind_double").
    case real(Double)
    /// UTF-8 text.
    case text(String)
    /// Raw bytes.
    case blob([UInt8])
}

// MARK: - Optional-aware initialisers

extension SQLValue {
    /// `.text(value)`, or `.null` when `value` is nil.
    public init(_ value: String?) { self = value.map(SQLValue.text) ?? .null }
    /// `.integer(value)`, or `.null` when `value` is nil.
    public init(_ value: Int64?) { self = value.map(SQLValue.integer) ?? .null }
    /// `.integer(Int64(value))`, or `.null` when `value` is nil.
    public init(_ value: Int?) { self = value.map { .integer(Int64($0)) } ?? .null }
    /// `.real(value)`, or `.null` when `value` is nil.
    public init(_ value: Double?) { self = value.map(SQLValue.real) ?? .null }
    /// `.blob(value)`, or `.null` when `value` is nil.
    public init(_ value: [UInt8]?) { self = value.map(SQLValue.blob) ?? .null }
    /// `.integer(1)` for true, `.integer(0)` for false: SQLite has no boolean storage class.
    public init(_ value: Bool) { self = .integer(value ? 1 : 0) }
}

// MARK: - Typed accessors

extension SQLValue {
    /// True for `.null`.
    public var isNull: Bool { self == .null }

    /// The integer, or nil for any other storage class.
    public var int64: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// The real, or the integer converted to `Double`; nil for other storage classes.
    public var double: Double? {
        switch self {
        case .real(let value): value
        case .integer(let value): Double(value)
        default: nil
        }
    }

    /// The text, or nil for any other storage class.
    public var string: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    /// The blob bytes, or nil for any other storage class.
    public var blob: [UInt8]? {
        if case .blob(let value) = self { return value }
        return nil
    }

    /// The SQLite name of the storage class, for error messages.
    public var storageClassName: String {
        switch self {
        case .null: "NULL"
        case .integer: "INTEGER"
        case .real: "REAL"
        case .text: "TEXT"
        case .blob: "BLOB"
        }
    }
}

// MARK: - Literals

extension SQLValue: ExpressibleByNilLiteral {
    public init(nilLiteral: ()) { self = .null }
}

extension SQLValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) { self = .integer(value) }
}

extension SQLValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .real(value) }
}

extension SQLValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
}
