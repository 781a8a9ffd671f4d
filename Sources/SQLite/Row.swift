/// One result row: values by position and by column name.
///
/// A value type detached from the statement, so rows can be kept, returned and sent across
/// threads after the statement moves on.
public struct Row: Sendable, Hashable {
    /// The column names, in result order.
    public let columnNames: [String]
    /// The values, in result order.
    public let values: [SQLValue]

    /// The value at column `index`; traps when out of range, like an array.
    public subscript(_ index: Int) -> SQLValue { values[index] }

    /// The value of the first column called `name`, or nil when there is no such column.
    public subscript(_ name: String) -> SQLValue? {
        columnNames.firstIndex(of: name).map { values[$0] }
    }
}

// MARK: - Typed accessors

extension Row {
    /// The integer in column `name`; throws (naming the column) when it is missing or not an integer.
    public func int(_ name: String) throws(SQLiteError) -> Int64 {
        try required(name, "INTEGER") { $0.int64 }
    }

    /// The real (or integer) in column `name` as a `Double`; throws when missing or of another type.
    public func double(_ name: String) throws(SQLiteError) -> Double {
        try required(name, "REAL") { $0.double }
    }

    /// The text in column `name`; throws when missing or not text.
    public func string(_ name: String) throws(SQLiteError) -> String {
        try required(name, "TEXT") { $0.string }
    }

    /// The blob in column `name`; throws when missing or not a blob.
    public func blob(_ name: String) throws(SQLiteError) -> [UInt8] {
        try required(name, "BLOB") { $0.blob }
    }

    /// The integer in column `name`, nil for NULL; throws when missing or of another type.
    public func optionalInt(_ name: String) throws(SQLiteError) -> Int64? {
        try optional(name, "INTEGER") { $0.int64 }
    }

    /// The real (or integer) in column `name`, nil for NULL; throws when missing or of another type.
    public func optionalDouble(_ name: String) throws(SQLiteError) -> Double? {
        try optional(name, "REAL") { $0.double }
    }

    /// The text in column `name`, nil for NULL; throws when missing or of another type.
    public func optionalString(_ name: String) throws(SQLiteError) -> String? {
        try optional(name, "TEXT") { $0.string }
    }

    /// The blob in column `name`, nil for NULL; throws when missing or of another type.
    public func optionalBlob(_ name: String) throws(SQLiteError) -> [UInt8]? {
        try optional(name, "BLOB") { $0.blob }
    }

    private func value(_ name: String) throws(SQLiteError) -> SQLValue {
        guard let value = self[name] else {
            throw .mismatch("no column \"\(name)\" in row (columns: \(columnNames.joined(separator: ", ")))")
        }
        return value
    }

    private func required<T>(_ name: String, _ expected: String, _ extract: (SQLValue) -> T?) throws(SQLiteError) -> T {
        let value = try value(name)
        guard let result = extract(value) else {
            throw .mismatch("column \"\(name)\" is \(value.storageClassName), expected \(expected)")
        }
        return result
    }

    private func optional<T>(_ name: String, _ expected: String, _ extract: (SQLValue) -> T?) throws(SQLiteError) -> T? {
        let value = try value(name)
        if value.isNull { return nil }
        return try required(name, expected, extract)
    }
}
