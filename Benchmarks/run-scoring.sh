#!/usr/bin/env bash
# Scoring benchmark, side by side with an independent reference on the same machine and core.
#
#   Benchmarks/run-scoring.sh [count] [reference count]
#
# byneed: `count` PHQ-9 QuestionnaireResponses (default 100,000) parsed from JSON, validated,
# scored and triaged on one thread, pinned to one core; then the time per stage. Reference:
# fhirpathpy evaluating the same definition's expressions over the same generated answers
# (default 2,000 responses: it is two orders of magnitude slower). Both print their colour
# counts for the same prefix of the answer sequence, so a difference in results shows too.
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-100000}"
reference_count="${2:-2000}"

swift build -c release --product ScoringBenchmark >/dev/null
[ -x .venv/bin/python ] || scripts/install-test-deps >/dev/null
taskset -c 0 .build/release/ScoringBenchmark "$count"
taskset -c 0 .build/release/ScoringBenchmark "$reference_count" | head -2 | sed 's/^/same set as the reference: /'
taskset -c 0 .venv/bin/python Benchmarks/scoring_reference.py "$reference_count"
