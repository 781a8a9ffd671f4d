/// A JSON object whose members keep their order.
///
/// Order matters for readable round trips and deterministic output. Members live in one array:
/// FHIR elements have a handful of members, and a linear scan over a few short keys is faster
/// than hashing them (and building a hash table for every parsed object). Objects that grow
/// past `indexedMemberCount` members get an index as well, so large ones stay cheap to read.
public struct JSONObject: Sendable, Hashable, Sequence {
    /// One member: a key and its value.
    public typealias Element = (key: String, value: JSON)

    /// The member count above which lookups go through a hash index instead of a scan.
    static let indexedMemberCount = 16

    private var members: [Element] = []
    /// Member positions by key; only for objects with more than `indexedMemberCount` members.
    private var index: [String: Int]?

    /// An empty object.
    public init() {}

    /// An object with `members` in the given order; a repeated key keeps its first position
    /// and its last value.
    public init(_ members: [(String, JSON)]) {
        self.members.reserveCapacity(members.count)
        for (key, value) in members { self[key] = value }
    }

    /// The value for `key`; setting `nil` removes the member, setting a new key appends it.
    public subscript(key: String) -> JSON? {
        get { position(of: key).map { members[$0].value } }
        set {
            switch (position(of: key), newValue) {
            case (let position?, let newValue?):
                members[position].value = newValue
            case (let position?, nil):
                members.remove(at: position)
                reindex()
            case (nil, let newValue?):
                members.append((key: key, value: newValue))
                if index != nil { index?[key] = members.count - 1 } else { reindex() }
            case (nil, nil):
                break
            }
        }
    }

    /// The keys in document (insertion) order.
    public var keys: [String] { members.map(\.key) }

    /// The number of members.
    public var count: Int { members.count }

    /// `true` when the object has no members.
    public var isEmpty: Bool { members.isEmpty }

    public func makeIterator() -> IndexingIterator<[Element]> {
        members.makeIterator()
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members.count == rhs.members.count
            && zip(lhs.members, rhs.members).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(members.count)
        for member in members {
            hasher.combine(member.key)
            hasher.combine(member.value)
        }
    }

    private func position(of key: String) -> Int? {
        if let index { return index[key] }
        return members.firstIndex { $0.key == key }
    }

    /// Builds the index once the object is large enough, and keeps it true after a removal.
    private mutating func reindex() {
        guard members.count > Self.indexedMemberCount else {
            index = nil
            return
        }
        var positions: [String: Int] = [:]
        positions.reserveCapacity(members.count)
        for (position, member) in members.enumerated() { positions[member.key] = position }
        index = positions
    }
}
