import Foundation
import FollowUp

extension SearchRequest {
    /// Parses decoded query pairs (`HTTPRequest.queryItems()`) of a search on `resourceType`.
    ///
    /// Known parameters are the type's rows in `FHIRCapabilities.resources`, plus `_count`,
    /// `_include`, `_format`, `_pretty` and `_page_token`. Unknown parameters, unknown
    /// modifiers and chains are refused together in one error naming them all, unless
    /// `handling` is lenient (then ignored and left out of `linkQuery`). A known parameter
    /// with a bad value is always an error.
    ///
    /// The patient can be given as `patient:identifier=urn:oid:1.2.208.176.1.2|<CPR>` (R4's
    /// `:identifier` modifier, which matches `Reference.identifier`, exactly how ByNeed's
    /// responses name their subject), as the chain `patient.identifier=…` (or
    /// `patient:Patient.identifier=…`), or as `patient=Patient/<id>`; `subject` is a synonym.
    public static func parse(resourceType: ResourceType, query: [(name: String, value: String)],
                             handling: SearchHandling = .strict) throws(FHIRError) -> SearchRequest {
        var request = SearchRequest(resourceType: resourceType)
        let definitions = FHIRCapabilities.resource(resourceType).searchParameters
        var unknown: [String] = []
        var seen: Set<String> = []
        for (name, value) in query {
            let key = ParameterName(name)
            if let result = try request.applyResultParameter(key: key, name: name, value: value, seen: &seen) {
                if result { request.linkQuery.append(QueryItem(name: name, value: request.linkValue(name: key.base, value: value))) }
                continue
            }
            guard let definition = definitions.first(where: { $0.name == key.base }), key.isAllowed(for: definition) else {
                unknown.append(name)
                continue
            }
            if !definition.repeats {
                guard seen.insert(fieldKey(definition.field)).inserted else { throw .repeatedParameter(definition.name) }
            }
            try request.apply(definition, key: key, name: name, value: value)
            request.linkQuery.append(QueryItem(name: name, value: value))
        }
        if !unknown.isEmpty {
            guard handling == .lenient else { throw .unknownParameters(unknown) }
            request.ignoredParameters = unknown
        }
        return request
    }

    /// One key per field, so `patient` and `subject` count as the same parameter.
    private static func fieldKey(_ field: SearchParameterDefinition.Field) -> String {
        switch field {
        case .status: "status"
        default: String(describing: field)
        }
    }

    // MARK: Result parameters

    /// Handles `_count`, `_include`, `_format`, `_pretty`, `_page_token`: nil when `name` is
    /// none of them; true when the parameter belongs in the links, false when not (the cursor).
    private mutating func applyResultParameter(key: ParameterName, name: String, value: String,
                                               seen: inout Set<String>) throws(FHIRError) -> Bool? {
        let known = ["_count", "_include", "_format", "_pretty", PageCursor.parameterName]
        guard known.contains(key.base), key.modifier == nil, key.chain == nil else { return nil }
        guard seen.insert(key.base).inserted else { throw .repeatedParameter(key.base) }
        switch key.base {
        case "_count":
            guard let number = Int(value), number >= 0 else {
                throw .invalidParameter(name: name, value: value, reason: "must be a whole number, 0 or more")
            }
            count = min(number, Self.maximumCount)
            return true
        case "_include":
            guard FHIRCapabilities.resource(resourceType).includes.contains(value) else {
                let supported = FHIRCapabilities.resource(resourceType).includes
                throw .invalidParameter(name: name, value: value, reason: supported.isEmpty
                    ? "no includes are supported on \(resourceType.rawValue)" : "only \(supported.joined(separator: ", ")) is supported")
            }
            includesQuestionnaire = true
            return true
        case "_format":
            // A `+` in a query is decoded as a space (application/x-www-form-urlencoded); media
            // type parameters (`;charset=utf-8`) do not change the format.
            let format = (value.split(separator: ";").first.map(String.init) ?? "")
                .replacingOccurrences(of: " ", with: "+").trimmingCharacters(in: .whitespaces).lowercased()
            guard ["json", "application/json", "application/fhir+json", "application/json+fhir"].contains(format) else {
                throw .unsupportedFormat(value)
            }
            return true
        case "_pretty":
            guard value == "true" || value == "false" else {
                throw .invalidParameter(name: name, value: value, reason: "must be true or false")
            }
            pretty = value == "true"
            return true
        default:
            guard let parsed = PageCursor(token: value) else { throw .invalidCursor(name) }
            cursor = parsed
            return false
        }
    }

    /// The value as repeated in links: `_count` as the count actually used.
    private func linkValue(name: String, value: String) -> String {
        name == "_count" ? String(count) : value
    }

    // MARK: Criteria

    private mutating func apply(_ definition: SearchParameterDefinition, key: ParameterName, name: String,
                                value: String) throws(FHIRError) {
        func invalid(_ reason: String) -> FHIRError { .invalidParameter(name: name, value: value, reason: reason) }
        guard !value.isEmpty else { throw invalid("a value is required") }
        switch definition.field {
        case .id:
            let list = Self.split(value)
            guard list.allSatisfy(FHIRID.isValid) else { throw invalid("not a FHIR id ([A-Za-z0-9-.], at most 64)") }
            ids = list
        case .patient:
            patient = try Self.patientCriterion(key: key, value: value, invalid: invalid)
        case .questionnaire:
            questionnaires = try Self.split(value).map { text throws(FHIRError) in
                if text.hasPrefix("Questionnaire/") {
                    let id = String(text.dropFirst("Questionnaire/".count))
                    guard FHIRID.isValid(id) else { throw invalid("not a Questionnaire id") }
                    return .resourceID(id)
                }
                let parts = text.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                guard Self.isAbsoluteURI(parts[0]) else { throw invalid("not a canonical URL (url or url|version) or Questionnaire/<id>") }
                return .canonical(url: parts[0], version: parts.count > 1 && !parts[1].isEmpty ? parts[1] : nil)
            }
        case .date, .lastUpdated:
            let criterion: DateCriterion
            do {
                criterion = try DateCriterion.parse(value)
            } catch {
                throw invalid(error.reason)
            }
            if case .date = definition.field { dates.append(criterion) } else { lastUpdated.append(criterion) }
        case .status(let allowed):
            let list = Self.split(value)
            if let wrong = list.first(where: { !allowed.contains($0) }) {
                throw invalid("\"\(wrong)\" is not one of \(allowed.joined(separator: ", "))")
            }
            statuses = list
        case .code:
            codes = try Self.split(value).map { text throws(FHIRError) in
                guard let token = TokenCriterion.parse(text) else { throw invalid("not a token (system|code, |code or code)") }
                return token
            }
        case .url:
            guard Self.isAbsoluteURI(value) else { throw invalid("not an absolute URL") }
            url = value
        case .version:
            version = value
        case .identifier:
            identifier = try Self.cpr(fromToken: value, invalid: invalid)
        case .organizationIdentifier:
            organizationIdentifiers = try Self.split(value).map { text throws(FHIRError) in
                guard let token = TokenCriterion.parse(text), let code = token.code else { throw invalid("needs \(FHIRSystems.sor)|<SOR code>") }
                switch token.system {
                case .any: return code
                case .exactly(let system) where system == FHIRSystems.sor: return code
                default: throw invalid("only SOR codes (system \(FHIRSystems.sor)) identify organisations here")
                }
            }
        case .name:
            organizationName = value
        case .responseIdentifier:
            responseIdentifiers = try Self.split(value).map { text throws(FHIRError) in
                guard let token = TokenCriterion.parse(text) else { throw invalid("not a token (system|value, |value or value)") }
                return token
            }
        }
    }

    private static func patientCriterion(key: ParameterName, value: String,
                                         invalid: (String) -> FHIRError) throws(FHIRError) -> PatientCriterion {
        if key.modifier == "identifier" || key.chain == "identifier" {
            return .cpr(try cpr(fromToken: value, invalid: invalid))
        }
        let id = value.hasPrefix("Patient/") ? String(value.dropFirst("Patient/".count)) : value
        guard FHIRID.isValid(id) else { throw invalid("not a Patient reference (Patient/<id>)") }
        return .resourceID(id)
    }

    /// The CPR number of a token `urn:oid:1.2.208.176.1.2|<CPR>` (or the number alone, ByNeed
    /// having no other identifiers).
    private static func cpr(fromToken value: String, invalid: (String) -> FHIRError) throws(FHIRError) -> String {
        guard let token = TokenCriterion.parse(value), let code = token.code else {
            throw invalid("needs \(FHIRSystems.cpr)|<CPR number>")
        }
        switch token.system {
        case .any: break
        case .exactly(let system) where system == FHIRSystems.cpr: break
        default: throw invalid("only CPR numbers (system \(FHIRSystems.cpr)) identify patients here")
        }
        guard let number = try? CPRNumber(code) else { throw invalid("not a CPR number (ten digits, a real birth date)") }
        return number.digits
    }

    /// A comma-separated list (FHIR R4 search §3.1.1.4.4: OR), `\,` being a literal comma.
    static func split(_ value: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var escaped = false
        for character in value {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "," {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts
    }

    /// `scheme:rest` with an RFC 3986 scheme (the canonical URLs and URNs FHIR uses).
    static func isAbsoluteURI(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex, text.index(after: colon) != text.endIndex,
              !text.contains(where: { $0.isWhitespace }) else { return false }
        let scheme = text[..<colon]
        return scheme.first!.isASCII && scheme.first!.isLetter
            && scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") }
    }
}

/// A parameter name split into its base name, `:modifier` and `.chain` (FHIR R4 search
/// §3.1.1.5 modifiers, §3.1.1.4.10 chained parameters).
struct ParameterName {
    let base: String
    let modifier: String?
    let chain: String?

    init(_ name: String) {
        let dot = name.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        chain = dot.count > 1 ? String(dot[1]) : nil
        let colon = dot[0].split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        base = String(colon[0])
        modifier = colon.count > 1 ? String(colon[1]) : nil
    }

    /// Whether ByNeed supports this modifier and chain on `definition`: on the patient
    /// reference `:identifier`, `:Patient`, `.identifier` and `:Patient.identifier`; nothing
    /// on any other parameter.
    func isAllowed(for definition: SearchParameterDefinition) -> Bool {
        guard case .patient = definition.field else { return modifier == nil && chain == nil }
        switch (modifier, chain) {
        case (nil, nil), ("Patient", nil), ("identifier", nil), (nil, "identifier"), ("Patient", "identifier"): return true
        default: return false
        }
    }
}
