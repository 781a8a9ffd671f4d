import Storage

/// A finding named in a form field or URL: `response-12`, `round-3`, `contact-request-5`.
enum SubjectCode {
    static func code(_ subject: Decision.Subject) -> String {
        switch subject {
        case .response(let id): "response-\(id.rawValue)"
        case .round(let id): "round-\(id.rawValue)"
        case .contactRequest(let id): "contact-request-\(id.rawValue)"
        }
    }

    /// The subject a code names, or nil when it names none.
    static func subject(_ code: String?) -> Decision.Subject? {
        guard let code else { return nil }
        for (prefix, make) in [("response-", { Decision.Subject.response(ResponseID(rawValue: $0)) }),
                               ("round-", { Decision.Subject.round(RoundID(rawValue: $0)) }),
                               ("contact-request-", { Decision.Subject.contactRequest(ContactRequestID(rawValue: $0)) })]
        where code.hasPrefix(prefix) {
            let digits = code.dropFirst(prefix.count)
            guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy(\.isASCII), let number = Int64(digits), number > 0 else { return nil }
            return make(number)
        }
        return nil
    }
}
