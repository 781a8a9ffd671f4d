import Testing
@testable import HTTPCore

/// The conformance corpus against the parser: every checklist fixture has exactly its expected outcome.
@Suite struct ParserCorpusTests {
    @Test(arguments: HTTPConformanceCorpus.cases)
    func parserProducesTheExpectedOutcomeAllAtOnce(_ fixture: HTTPConformanceCorpus.Case) {
        #expect(ParserDriver.run(fixture.raw, byteByByte: false).outcome == fixture.outcome)
    }

    @Test(arguments: HTTPConformanceCorpus.cases)
    func byteByByteFeedingAgreesWithAllAtOnce(_ fixture: HTTPConformanceCorpus.Case) {
        let whole = ParserDriver.run(fixture.raw, byteByByte: false)
        let trickled = ParserDriver.run(fixture.raw, byteByByte: true)
        #expect(trickled == whole)
    }

    @Test(arguments: HTTPConformanceCorpus.cases)
    func randomSplitsAgreeWithAllAtOnce(_ fixture: HTTPConformanceCorpus.Case) {
        let whole = ParserDriver.run(fixture.raw, byteByByte: false)
        for seed in UInt64(1)...8 {
            #expect(ParserDriver.run(pieces: ParserDriver.split(fixture.raw, seed: seed)) == whole, "seed \(seed)")
        }
    }

    @Test func corpusCoversEveryParsingChecklistItem() {
        let items = Set(HTTPConformanceCorpus.cases.map(\.item))
        #expect(items.isSuperset(of: [1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 17]))
    }

    @Test func corpusNamesAreUnique() {
        let names = HTTPConformanceCorpus.cases.map(\.name)
        #expect(Set(names).count == names.count)
    }
}
