/// An ordered list of header fields with case-insensitive name lookup (RFC 9110 §5.1–5.3).
///
/// Repeated fields are kept as separate entries in arrival order; only list-valued fields are
/// combined, and only when asked through ``listElements(for:)`` (RFC 9110 §5.3).
public struct HTTPHeaders: Sendable, Sequence, ExpressibleByDictionaryLiteral, Equatable {
    /// One field line: its name as received and its value with surrounding whitespace removed.
    public typealias Element = (name: String, value: String)

    fileprivate struct Field: Sendable, Equatable {
        var name: String
        var value: String
    }

    private var fields: [Field]

    /// An empty header list.
    public init() {
        fields = []
    }

    /// Headers in the given order; repeated names stay separate fields.
    public init(_ fields: [(String, String)]) {
        self.fields = fields.map { Field(name: $0.0, value: $0.1) }
    }

    /// Headers from a literal, in the literal's order.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    // MARK: Lookup

    /// The value of the first field with this name (ignoring case), or nil.
    public subscript(_ name: String) -> String? {
        fields.first { $0.name.equalsIgnoringASCIICase(name) }?.value
    }

    /// The values of every field with this name, in order.
    public func values(for name: String) -> [String] {
        fields.filter { $0.name.equalsIgnoringASCIICase(name) }.map(\.value)
    }

    /// Whether at least one field has this name.
    public func contains(_ name: String) -> Bool {
        fields.contains { $0.name.equalsIgnoringASCIICase(name) }
    }

    /// The elements of a list-valued field across all its lines: split on commas, trimmed, empty
    /// elements dropped (RFC 9110 §5.6.1, §5.3).
    public func listElements(for name: String) -> [String] {
        values(for: name).flatMap { value in
            value.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
                .map { String(decoding: trimmingWhitespace($0), as: UTF8.self) }
                .filter { !$0.isEmpty }
        }
    }

    /// Whether a list-valued field contains this token, ignoring case (e.g. `Connection: close`).
    public func containsToken(_ token: String, in name: String) -> Bool {
        listElements(for: name).contains { $0.equalsIgnoringASCIICase(token) }
    }

    /// The number of field lines.
    public var count: Int { fields.count }

    // MARK: Mutation

    /// Appends a field, keeping any existing fields of the same name.
    public mutating func add(_ name: String, _ value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Replaces every field of this name with one field (appended if none existed).
    public mutating func set(_ name: String, _ value: String) {
        guard let first = fields.firstIndex(where: { $0.name.equalsIgnoringASCIICase(name) }) else {
            add(name, value)
            return
        }
        fields[first].value = value
        fields = fields.enumerated()
            .filter { $0.offset == first || !$0.element.name.equalsIgnoringASCIICase(name) }
            .map(\.element)
    }

    /// Removes every field of this name.
    public mutating func remove(_ name: String) {
        fields.removeAll { $0.name.equalsIgnoringASCIICase(name) }
    }

    // MARK: Sequence

    /// Iterates fields in order.
    public func makeIterator() -> Iterator {
        Iterator(base: fields.makeIterator())
    }

    /// Iterates `(name, value)` pairs in order.
    public struct Iterator: IteratorProtocol {
        fileprivate var base: IndexingIterator<[Field]>

        /// The next field, or nil at the end.
        public mutating func next() -> Element? {
            base.next().map { ($0.name, $0.value) }
        }
    }
}
