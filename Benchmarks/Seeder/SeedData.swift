import Foundation
import Questionnaire

/// The generated content of the benchmark database: deterministic answers and CPR-shaped numbers.
enum SeedData {
    /// A small deterministic generator (SplitMix64), so two seedings store the same answers.
    struct SplitMix64 {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    /// WHO-5 answers as the form would post them: each item's option index, decoded page by page
    /// with the same decoder the patient pages use.
    static func answers(_ definition: QuestionnaireDefinition, _ random: inout SplitMix64) -> ResponseAnswers {
        let fields = (1...5).map { (name: "a.item\($0)", value: String(random.next(6))) }
        var answers = definition.initialAnswers
        for page in definition.pages.indices {
            let decoding = definition.decode(page: page, fields: fields, language: "da", timeZone: .current)
            answers.merge(decoding.answers, replacing: decoding.decodedLinkIds)
        }
        return answers
    }

    /// A CPR-shaped number unique per index (day, month, year, then a sequence number).
    static func cpr(_ index: Int) -> String {
        String(format: "%02d%02d%02d%04d", 1 + index % 28, 1 + index / 28 % 12, index / 336 % 100, 1000 + index / 33_600)
    }
}
