"""Reference for the scoring benchmark: the same PHQ-9 responses scored and triaged by the
independent fhirpathpy evaluation in Tests/Acceptance/test_instrument_definitions.py.

It generates the same answers as Benchmarks/Scoring/main.swift (same generator, same seed),
parses each response from JSON text and evaluates the definition's own expressions (variables,
calculatedExpression, score flags, triage rules) with fhirpathpy. It does not validate the
answers, so it does less work per response than byneed does.

    .venv/bin/python Benchmarks/scoring_reference.py [count]
"""
import collections
import json
import pathlib
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "Tests" / "Acceptance"))
from test_instrument_definitions import score_response, walk  # noqa: E402

MASK = (1 << 64) - 1


class AnswerChooser:
    """Knuth's MMIX linear congruential generator, seeded like the Swift benchmark."""

    def __init__(self):
        self.state = 42

    def index(self, count):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) & MASK
        return (self.state >> 33) % count


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    phq9 = json.loads((ROOT / "Questionnaires" / "phq9.json").read_text(encoding="utf-8"))
    questions = [item for item in walk(phq9["item"]) if item["type"] == "choice"]
    chooser = AnswerChooser()
    texts = []
    for _ in range(count):
        answers = {q["linkId"]: {"valueCoding": q["answerOption"][chooser.index(len(q["answerOption"]))]["valueCoding"]}
                   for q in questions}
        texts.append(json.dumps(answers))
    colours = collections.Counter()
    started = time.perf_counter()
    for text in texts:
        colours[score_response(phq9, json.loads(text))["colour"]] += 1
    elapsed = time.perf_counter() - started
    print("fhirpathpy: %d PHQ-9 responses parsed, scored and triaged in %.2f s on one thread: %.0f responses/s"
          % (count, elapsed, count / elapsed))
    print("colours: green %d, yellow %d, red %d" % (colours["green"], colours["yellow"], colours["red"]))


if __name__ == "__main__":
    main()
