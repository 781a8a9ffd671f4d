import JSON

/// A place in the JSON tree being evaluated: an object (or other complex element) with the
/// FHIR type it is known to have and a link to the node that holds it.
///
/// A class because the parent link makes the tree recursive and because SDC `weight()` walks
/// from an answer up to the item that holds it (SDC §"weight()"); every property is a `let`,
/// so sharing instances across threads is safe.
public final class FHIRPathNode: Sendable, Hashable, CustomStringConvertible {
    /// The JSON of this element.
    public let json: JSON
    /// The FHIR type name when known (`QuestionnaireResponse`, `Coding`, `Extension` …).
    public let typeName: String?
    /// The member name under which the parent holds this node (`nil` at the root).
    public let name: String?
    /// The node that holds this one (`nil` at the root).
    public let parent: FHIRPathNode?
    /// The answer weights of a Questionnaire made with `init(questionnaire:)`; `weight()`
    /// searches the JSON when this is nil.
    let answerWeights: FHIRPathAnswerWeights?

    /// A node; the type of a resource root is its `resourceType` when not given.
    public init(json: JSON, typeName: String? = nil, name: String? = nil, parent: FHIRPathNode? = nil) {
        self.json = json
        self.typeName = typeName ?? json["resourceType"]?.stringValue
        self.name = name
        self.parent = parent
        answerWeights = nil
    }

    /// A Questionnaire root for use as `%questionnaire` many times over: its answer weights are
    /// indexed once, here, so `weight()` does not search the JSON for every answer. Worth it
    /// when one Questionnaire scores many responses (make it once per definition).
    public init(questionnaire json: JSON) {
        self.json = json
        typeName = "Questionnaire"
        name = nil
        parent = nil
        answerWeights = FHIRPathAnswerWeights(questionnaire: json)
    }

    /// Nodes are equal when their JSON is equal, member order aside (N1 §6.1.1 "Equals": complex
    /// types are equal when all child properties are equal).
    public static func == (lhs: FHIRPathNode, rhs: FHIRPathNode) -> Bool {
        lhs === rhs || JSONComparison.equal(lhs.json, rhs.json)
    }

    public func hash(into hasher: inout Hasher) {
        if let object = json.objectValue {
            hasher.combine(Set(object.keys))
        } else {
            hasher.combine(json)
        }
    }

    public var description: String { json.serialized() }
}

/// JSON equality that ignores member order, as FHIR resources do.
enum JSONComparison {
    /// A hash that JSON values equal by `equal(_:_:)` always share, so that unequal values can
    /// mostly be told apart without walking both.
    ///
    /// Shallow, to stay cheap: the kind and size, and for an object the sum (order does not
    /// count) of its members' values, for an array its elements in order, each value by its
    /// kind, its text when it is a string, its truth when a boolean, its size when an object or
    /// array. Keys are left out (equal objects have the same keys; hashing a string means
    /// normalising it, the main cost here), numbers count by kind only (`equal` takes `1.0`
    /// and `1.00` as equal).
    static func fingerprint(_ json: JSON) -> Int {
        var hasher = Hasher()
        switch json {
        case .object(let object):
            hasher.combine(object.count)
            var members = 0
            for (_, value) in object { members &+= shallowHash(value) }
            hasher.combine(members)
        case .array(let elements):
            hasher.combine(elements.count)
            for element in elements { hasher.combine(shallowHash(element)) }
        default:
            hasher.combine(shallowHash(json))
        }
        return hasher.finalize()
    }

    private static func shallowHash(_ json: JSON) -> Int {
        switch json {
        case .null: 1
        case .bool(let value): value ? 2 : 3
        case .number: 4
        case .string(let text): text.hashValue
        case .array(let elements): 5 &+ 8 &* elements.count
        case .object(let object): 6 &+ 8 &* object.count
        }
    }

    static func equal(_ left: JSON, _ right: JSON) -> Bool {
        switch (left, right) {
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            // Members in the same order (the usual case) compare pairwise, without lookups.
            if zip(a, b).allSatisfy({ $0.key == $1.key }) {
                return zip(a, b).allSatisfy { equal($0.value, $1.value) }
            }
            return a.allSatisfy { member in b[member.key].map { equal(member.value, $0) } ?? false }
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { equal($0, $1) }
        case (.number(let a), .number(let b)):
            return a.literal == b.literal || a.decimal == b.decimal
        default:
            return left == right
        }
    }
}
