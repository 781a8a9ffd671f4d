import Foundation
import JSON
import Questionnaire

// Scoring benchmark: pushes N PHQ-9 QuestionnaireResponses (JSON bytes, as a sector system would
// send them) through reading, validation, scoring and triage on one thread, and prints responses
// per second. Benchmarks/run-scoring.sh runs it next to the fhirpathpy reference.
//
//   ScoringBenchmark [count] [questionnaire folder]

/// Deterministic answer choices (a 64-bit linear congruential generator, Knuth's MMIX
/// constants), so every run scores the same set of responses.
struct AnswerChooser {
    private var state: UInt64 = 42

    mutating func index(below count: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(count))
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(1)
}

let arguments = CommandLine.arguments.dropFirst()
let count = arguments.first.flatMap(Int.init) ?? 100_000
let folder = arguments.dropFirst().first ?? "Questionnaires"
guard let catalogue = try? QuestionnaireCatalogue.load(directory: folder),
      let phq9 = catalogue.latest(url: "http://byneed.dk/fhir/Questionnaire/phq9") else {
    fail("no PHQ-9 definition in \(folder)")
}

func choiceQuestions(_ items: [QuestionnaireItem]) -> [QuestionnaireItem] {
    items.flatMap { ($0.type == .choice ? [$0] : []) + choiceQuestions($0.items) }
}

var chooser = AnswerChooser()
let questions = choiceQuestions(phq9.items)
let responses: [[UInt8]] = (0..<count).map { _ in
    var answers = ResponseAnswers()
    for question in questions {
        answers.set(question.linkId, [question.answerOptions[chooser.index(below: question.answerOptions.count)].value])
    }
    return phq9.makeResponse(answers: answers, id: "benchmark", subject: nil, authored: "2026-11-22T10:00:00Z")
        .serializedBytes()
}

/// Wall time of `body` in seconds.
func seconds(_ body: () -> Void) -> Double {
    let elapsed = ContinuousClock().measure(body)
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

func perResponse(_ seconds: Double) -> String {
    String(format: "%.1f µs", seconds / Double(count) * 1e6)
}

// The whole path, as the server runs it for one submitted response.
let now = Date()
var colours: [TriageColour: Int] = [:]
var rejected = 0
let total = seconds {
    for bytes in responses {
        guard let json = try? JSON.parse(bytes), let answers = try? phq9.answers(fromResponse: json),
              phq9.validateAll(phq9.pruned(answers)).isEmpty else {
            rejected += 1
            continue
        }
        colours[phq9.evaluate(answers, now: now).triage.colour, default: 0] += 1
    }
}
print(String(format: "byneed: %d PHQ-9 responses parsed, validated, scored and triaged in %.2f s on one thread: %.0f responses/s",
             count, total, Double(count) / total))
print("colours: green \(colours[.green] ?? 0), yellow \(colours[.yellow] ?? 0), red \(colours[.red] ?? 0); rejected \(rejected)")
if rejected > 0 { fail("\(rejected) generated responses were rejected: the benchmark would measure the wrong path") }

// The same path stage by stage, to show where the time goes.
var parsed: [JSON] = []
let parsing = seconds { parsed = responses.map { try! JSON.parse($0) } }
var read: [ResponseAnswers] = []
let reading = seconds { read = parsed.map { try! phq9.answers(fromResponse: $0) } }
let validating = seconds { for answers in read { precondition(phq9.validateAll(phq9.pruned(answers)).isEmpty) } }
let evaluating = seconds { for answers in read { _ = phq9.evaluate(answers, now: now) } }
print("per response: parse JSON \(perResponse(parsing)), read answers \(perResponse(reading)), "
      + "validate \(perResponse(validating)), score and triage \(perResponse(evaluating))")
