/// A JSON object whose members keep their order.
///
/// Order matters for readable round trips and deterministic output; lookups go through an
/// index so large FHIR resources stay cheap to read.
public struct JSONObject: Sendable, Hashable, Sequence {
    /// One member: a key and its value.
    public typealias Element = (key: String, value: JSON)

    private var orderedKeys: [String] = []
    private var values: [String: JSON] = [:]

    /// An empty object.
    public init() {}

    /// An object with `members` in the given order; a repeated key keeps its first position
    /// and its last value.
    public init(_ members: [(String, JSON)]) {
        for (key, value) in members { self[key] = value }
    }

    /// The value for `key`; setting `nil` removes the member, setting a new key appends it.
    public subscript(key: String) -> JSON? {
        get { values[key] }
        set {
            if let newValue {
                if values.updateValue(newValue, forKey: key) == nil { orderedKeys.append(key) }
            } else if values.removeValue(forKey: key) != nil {
                orderedKeys.removeAll { $0 == key }
            }
        }
    }

    /// The keys in document (insertion) order.
    public var keys: [String] { orderedKeys }

    /// The number of members.
    public var count: Int { orderedKeys.count }

    /// `true` when the object has no members.
    public var isEmpty: Bool { orderedKeys.isEmpty }

    public func makeIterator() -> AnyIterator<Element> {
        var keyIterator = orderedKeys.makeIterator()
        let values = self.values
        return AnyIterator {
            guard let key = keyIterator.next(), let value = values[key] else { return nil }
            return (key: key, value: value)
        }
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.orderedKeys == rhs.orderedKeys && lhs.values == rhs.values
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(orderedKeys)
        for key in orderedKeys { hasher.combine(values[key]) }
    }
}
