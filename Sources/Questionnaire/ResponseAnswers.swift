import JSON

/// The answers of one response in progress or submitted: the values per item linkId.
///
/// A plain value so drafts can be merged page by page, stored as JSON and compared in tests.
public struct ResponseAnswers: Sendable, Hashable {
    private var storage: [String: [AnswerValue]]

    /// No answers.
    public init() {
        storage = [:]
    }

    /// Answers from a dictionary; empty value lists are dropped.
    public init(_ values: [String: [AnswerValue]]) {
        storage = values.filter { !$0.value.isEmpty }
    }

    /// The answers to `linkId`, empty when unanswered.
    public func values(_ linkId: String) -> [AnswerValue] {
        storage[linkId] ?? []
    }

    /// The linkIds that have at least one answer, sorted.
    public var linkIds: [String] {
        storage.keys.sorted()
    }

    /// `true` when nothing is answered.
    public var isEmpty: Bool {
        storage.isEmpty
    }

    /// Replaces the answers to `linkId`; an empty list removes them.
    public mutating func set(_ linkId: String, _ values: [AnswerValue]) {
        storage[linkId] = values.isEmpty ? nil : values
    }

    /// Removes the answers to `linkId`.
    public mutating func remove(_ linkId: String) {
        // Only when present: assigning nil makes a shared dictionary unique (a copy) first.
        if storage[linkId] != nil { storage[linkId] = nil }
    }

    /// Replaces the answers to every linkId in `linkIds` with those in `page` (removing the ones
    /// `page` leaves unanswered); answers to other items stay. This is how a posted page
    /// updates a draft: a cleared field must clear the stored answer.
    public mutating func merge(_ page: ResponseAnswers, replacing linkIds: some Sequence<String>) {
        for linkId in linkIds { set(linkId, page.values(linkId)) }
    }

    /// Only the answers for linkIds in `keep`.
    public func filtered(_ keep: Set<String>) -> ResponseAnswers {
        // Usually every answer is kept (pruning a response without disabled items): then this
        // value is the result, and no dictionary is built for each response scored.
        if storage.keys.allSatisfy(keep.contains) { return self }
        return ResponseAnswers(storage.filter { keep.contains($0.key) })
    }
}
