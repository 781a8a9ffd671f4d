import Foundation

// MARK: - Field names

extension QuestionnaireDefinition {
    /// The prefix of every answer field, so answer fields never clash with other form fields
    /// (such as a CSRF token or navigation buttons).
    public static let answerFieldPrefix = "a."

    /// The value field of an item: `a.<linkId>`. Choice options post their index ("0", "1", …);
    /// repeating items post the same name several times.
    public func fieldName(for linkId: String) -> String {
        Self.answerFieldPrefix + linkId
    }

    /// The free-text field of an open-choice item: `a.<linkId>.other`.
    public func otherFieldName(for linkId: String) -> String {
        fieldName(for: linkId) + ".other"
    }

    /// The unit field of a quantity item: `a.<linkId>.unit`, posting an index into `allowedUnits`.
    public func unitFieldName(for linkId: String) -> String {
        fieldName(for: linkId) + ".unit"
    }

    /// The form fields that would post `answers` for `linkId`: what the renderer pre-fills or
    /// pre-selects. `decode` reads these back to the same answers.
    public func formFields(for linkId: String, answers: ResponseAnswers, timeZone: TimeZone) -> [(name: String, value: String)] {
        guard let item = item(linkId: linkId) else { return [] }
        let name = fieldName(for: linkId)
        return answers.values(linkId).flatMap { value -> [(name: String, value: String)] in
            if let index = item.answerOptions.firstIndex(where: { $0.value.matches(value) }) {
                return [(name, String(index))]
            }
            switch value {
            case .boolean(let flag): return [(name, flag ? "true" : "false")]
            case .integer(let number): return [(name, String(number))]
            case .decimal(let number): return [(name, number.description)]
            case .date(let text): return [(name, text)]
            case .dateTime(let text): return [(name, Self.localInputValue(text, timeZone: timeZone) ?? "")]
            case .string(let text): return [(item.type == .openChoice ? otherFieldName(for: linkId) : name, text)]
            case .coding(let coding): return [(item.type == .openChoice ? otherFieldName(for: linkId) : name, coding.display ?? coding.code)]
            case .quantity(let quantity):
                let unitIndex = item.allowedUnits.firstIndex { unitMatches($0, quantity) }
                return [(name, quantity.value.description)] + (unitIndex.map { [(unitFieldName(for: linkId), String($0))] } ?? [])
            }
        }
    }

    /// A FHIR dateTime shown in `timeZone` as an HTML `datetime-local` value (`yyyy-MM-ddTHH:mm`).
    static func localInputValue(_ dateTime: String, timeZone: TimeZone) -> String? {
        guard let instant = FHIRDate.instant(dateTime) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        guard let year = parts.year, let month = parts.month, let day = parts.day, let hour = parts.hour, let minute = parts.minute else { return nil }
        func pad(_ value: Int, _ width: Int = 2) -> String {
            String(repeating: "0", count: max(0, width - String(value).count)) + String(value)
        }
        return "\(pad(year, 4))-\(pad(month))-\(pad(day))T\(pad(hour)):\(pad(minute))"
    }

    func unitMatches(_ unit: Coding, _ quantity: Quantity) -> Bool {
        if let code = quantity.code { return unit.code == code && (quantity.system == nil || unit.system == quantity.system) }
        return (unit.display ?? unit.code) == quantity.unit
    }
}

// MARK: - Decoding a posted page

extension QuestionnaireDefinition {
    /// Reads the answers to page `page` from posted form fields.
    ///
    /// Empty values mean "no answer". Decimals accept `,` or `.` as separator (Danish users
    /// type commas); dates come from `<input type=date>` (`yyyy-mm-dd`); date-times from
    /// `<input type=datetime-local>`, interpreted in `timeZone` and stored with its offset.
    /// Read-only items are never taken from the form. Required/min/max checks need the whole
    /// draft (enableWhen may look at other pages): run `validate(page:answers:)` on the
    /// merged draft afterwards. `language` is accepted for symmetry with rendering; messages
    /// are produced later by `ValidationIssue.message(language:)`.
    public func decode(page: Int, fields: [(name: String, value: String)], language: String, timeZone: TimeZone) -> PageDecoding {
        guard pages.indices.contains(page) else { return PageDecoding(answers: ResponseAnswers(), issues: [], decodedLinkIds: []) }
        var posted: [String: [String]] = [:]
        for field in fields {
            let value = field.value.trimmingCharacters(in: .whitespacesAndNewlines)
            if !value.isEmpty { posted[field.name, default: []].append(value) }
        }
        var answers = ResponseAnswers()
        var issues: [ValidationIssue] = []
        var decoded: [String] = []
        for item in pages[page].allItems where item.type.isQuestion {
            let values = posted[fieldName(for: item.linkId)] ?? []
            if item.readOnly {
                let other = (posted[otherFieldName(for: item.linkId)] ?? []) + (posted[unitFieldName(for: item.linkId)] ?? [])
                if !values.isEmpty || !other.isEmpty { issues.append(ValidationIssue(linkId: item.linkId, problem: .readOnly)) }
                continue
            }
            decoded.append(item.linkId)
            var problems: [ValidationProblem] = []
            var itemAnswers = decodeValues(values, item: item, posted: posted, timeZone: timeZone, problems: &problems)
            if !item.repeats, itemAnswers.count > 1 {
                problems.append(.tooManyAnswers)
                itemAnswers = []
            }
            answers.set(item.linkId, itemAnswers)
            issues += problems.map { ValidationIssue(linkId: item.linkId, problem: $0) }
        }
        return PageDecoding(answers: answers, issues: issues, decodedLinkIds: decoded)
    }

    private func decodeValues(
        _ values: [String], item: QuestionnaireItem, posted: [String: [String]], timeZone: TimeZone,
        problems: inout [ValidationProblem]
    ) -> [AnswerValue] {
        func each(_ read: (String) -> Result<AnswerValue, ValidationProblem>) -> [AnswerValue] {
            values.compactMap { text in
                switch read(text) {
                case .success(let value): return value
                case .failure(let problem):
                    if !problems.contains(problem) { problems.append(problem) }
                    return nil
                }
            }
        }
        switch item.type {
        case .group, .display:
            return []
        case .boolean:
            return each { text in
                switch text {
                case "true": .success(.boolean(true))
                case "false": .success(.boolean(false))
                default: .failure(.notABoolean)
                }
            }
        case .integer:
            return each { text in Self.parseInteger(text).map { .success(.integer($0)) } ?? .failure(.notAnInteger) }
        case .decimal:
            return each { text in Self.parseDecimal(text).map { .success(.decimal($0)) } ?? .failure(.notADecimal) }
        case .date:
            return each { text in text.utf8.count == 10 && FHIRDate.isValidDate(text) ? .success(.date(text)) : .failure(.invalidDate) }
        case .dateTime:
            return each { text in
                switch FHIRDate.fromLocal(text, timeZone: timeZone) {
                case .success(let value): .success(.dateTime(value))
                case .failure(.nonexistent): .failure(.nonexistentLocalTime)
                case .failure(.malformed): .failure(.invalidDateTime)
                }
            }
        case .string:
            return values.map { .string($0) }
        case .text:
            return values.map { .string($0.replacingOccurrences(of: "\r\n", with: "\n")) }
        case .choice, .openChoice:
            let chosen = each { text in
                guard let index = Int(text), item.answerOptions.indices.contains(index) else { return .failure(.unknownOption) }
                return .success(item.answerOptions[index].value)
            }
            guard item.type == .openChoice else { return chosen }
            return chosen + (posted[otherFieldName(for: item.linkId)] ?? []).map { .string($0) }
        case .quantity:
            return decodeQuantities(values, item: item, posted: posted, problems: &problems)
        }
    }

    private func decodeQuantities(
        _ values: [String], item: QuestionnaireItem, posted: [String: [String]], problems: inout [ValidationProblem]
    ) -> [AnswerValue] {
        guard !values.isEmpty else { return [] }
        let units = item.allowedUnits
        let unitTexts = posted[unitFieldName(for: item.linkId)] ?? []
        var unit: Coding?
        if let unitText = unitTexts.first {
            guard let index = Int(unitText), units.indices.contains(index) else {
                problems.append(.unknownUnit)
                return []
            }
            unit = units[index]
        } else if units.count == 1 {
            unit = units[0]
        }
        guard let unit else {
            problems.append(.missingUnit)
            return []
        }
        return values.compactMap { text in
            guard let number = Self.parseDecimal(text) else {
                if !problems.contains(.notADecimal) { problems.append(.notADecimal) }
                return nil
            }
            return .quantity(Quantity(value: number, unit: unit.display ?? unit.code, system: unit.system, code: unit.code))
        }
    }

    // MARK: Numbers as typed

    /// An optionally signed whole number of ASCII digits.
    static func parseInteger(_ text: String) -> Int? {
        let digits = text.hasPrefix("-") || text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text.hasPrefix("+") ? String(digits) : text)
    }

    /// An optionally signed decimal with `,` or `.` as separator (at most one), digits on at
    /// least one side, no thousands separators or exponents.
    static func parseDecimal(_ text: String) -> Decimal? {
        let normalised = text.replacingOccurrences(of: ",", with: ".")
        let unsigned = normalised.hasPrefix("-") || normalised.hasPrefix("+") ? normalised.dropFirst() : Substring(normalised)
        let parts = unsigned.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.contains(where: { !$0.isEmpty }),
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
        let canonical = (normalised.hasPrefix("-") ? "-" : "") + (parts[0].isEmpty ? "0" : String(parts[0]))
            + (parts.count == 2 && !parts[1].isEmpty ? "." + parts[1] : "")
        return Decimal(string: canonical, locale: Locale(identifier: "en_US_POSIX"))
    }
}
