extension FHIRPathEvaluator {
    /// `is`, `as` and `ofType` (N1 §6.3 "Types", §5.2 `ofType`).
    func typeOperation(_ operation: FHIRPathTypeOperation, _ input: [FHIRPathValue], _ type: FHIRPathTypeSpecifier) throws(FHIRPathError) -> [FHIRPathValue] {
        switch operation {
        case .ofType:
            return input.filter { Self.matches($0, type) }
        case .is:
            guard let item = try single(input, "is") else { return [] }
            return FHIRPathValue.singleton(Self.matches(item, type))
        case .as:
            guard let item = try single(input, "as") else { return [] }
            return Self.matches(item, type) ? [item] : []
        }
    }

    /// Whether an item has the named type. System and FHIR primitive names are both accepted
    /// for primitives (`integer` and `Integer`), because values read from JSON do not keep
    /// which FHIR primitive they were; nodes match their FHIR type name, and `Resource` /
    /// `DomainResource` match any resource.
    static func matches(_ value: FHIRPathValue, _ type: FHIRPathTypeSpecifier) -> Bool {
        let name = type.name
        switch value {
        case .boolean: return name == "Boolean" || name == "boolean"
        case .integer: return name == "Integer" || name == "integer"
        case .decimal: return name == "Decimal" || name == "decimal"
        case .string: return name == "String" || name == "string"
        case .date: return name == "Date" || name == "date"
        case .dateTime: return name == "DateTime" || name == "dateTime"
        case .time: return name == "Time" || name == "time"
        case .quantity: return name == "Quantity"
        case .node(let node):
            guard type.namespace != "System" else { return false }
            if node.typeName == name { return true }
            return (name == "Resource" || name == "DomainResource") && node.json["resourceType"] != nil
        }
    }
}
