#!/usr/bin/env bash
# FHIR search latency on a full department, this tree against a reference build (not in CI;
# asserts nothing):
#
#   Benchmarks/run-fhir.sh
#
# Environment (defaults): PATIENTS (10000), RESPONSES (100000), REPEATS (5),
# REFERENCE (ee040dd, the last commit that searched in memory), REFERENCE_BYNEED (a byneed
# binary already built from REFERENCE, to skip its build), CONFIG (release).
#
# 1. builds this tree and REFERENCE (in a temporary git worktree); 2. seeds one database with
# Benchmarks/Seeder (every WHO-5 response stored by Responses.submit) and gives every patient a
# treatment relation to the demo department, as enrolment would; 3. registers an API client of
# that department; 4. starts each server in turn on its own copy of the database (the
# reference's copy without the migrations it does not know) and times each query REPEATS times
# with curl, printing the median and the slowest time to the last byte, the total and the
# number of entries, so both builds are seen to give the same answer.
set -euo pipefail
cd "$(dirname "$0")/.."
patients="${PATIENTS:-10000}"
responses="${RESPONSES:-100000}"
repeats="${REPEATS:-5}"
reference="${REFERENCE:-ee040dd}"
config="${CONFIG:-release}"

for tool in curl sqlite3 git; do
  command -v "$tool" >/dev/null || { echo "run-fhir.sh needs $tool" >&2; exit 1; }
done
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores, $(uname -m); load: $(cut -d' ' -f1-3 /proc/loadavg)"

work=$(mktemp -d "$PWD/.bench-fhir-XXXXXX")
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  git worktree remove --force "$work/reference" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# MARK: Builds
swift build -c "$config" --product byneed >/dev/null
swift build -c "$config" --product BenchmarkSeeder >/dev/null
reference_byneed="${REFERENCE_BYNEED:-}"
if [ -z "$reference_byneed" ]; then
  git worktree add -q --detach "$work/reference" "$reference"
  (cd "$work/reference" && swift build -c "$config" --product byneed >/dev/null)
  reference_byneed="$work/reference/.build/$config/byneed"
fi

# MARK: Data
.build/$config/BenchmarkSeeder "$work/data" Questionnaires "$patients" "$responses" 0 "$work/tokens.txt" | tail -1
sqlite3 "$work/data/byneed.sqlite" "
  INSERT INTO treatment_relations (patient_id, organisation_id, kind, start_at, recorded_by)
  SELECT p.id, p.department_id, 'responsibleDepartment', '2020-01-01T00:00:00Z', 'benchmark' FROM patients p;"
sor=$(sqlite3 "$work/data/byneed.sqlite" "SELECT sor_code FROM departments ORDER BY id LIMIT 1")
cpr=$(sqlite3 "$work/data/byneed.sqlite" "SELECT cpr FROM patients ORDER BY id DESC LIMIT 1")
recent=$(sqlite3 "$work/data/byneed.sqlite" "SELECT authored FROM questionnaire_responses ORDER BY authored DESC LIMIT 1 OFFSET 50")
token=$(.build/$config/byneed client add --org "$sor" --scopes 'system/*.read' --data-dir "$work/data" | tail -n 1)
mkdir -p "$work/reference-data"
cp "$work/data/byneed.sqlite" "$work/reference-data/"
known=$(sqlite3 "$work/reference-data/byneed.sqlite" "SELECT max(position) FROM schema_migrations")
# The reference refuses a database with migrations it does not know: forget those (their
# tables and columns are a superset it ignores) and drop the search indexes it never had.
reference_migrations=$(git show "$reference:Sources/Storage/Schema.swift" | sed -n 's/.*Migration(name: "\([^"]*\)".*/\1/p' |
  awk '{printf "%s'"'"'%s'"'"'", (NR > 1 ? "," : ""), $0}')
sqlite3 "$work/reference-data/byneed.sqlite" "DROP INDEX IF EXISTS questionnaire_responses_by_authored;
  DROP INDEX IF EXISTS questionnaire_responses_by_identifier;
  DELETE FROM schema_migrations WHERE name NOT IN ($reference_migrations);"
echo "database: $(sqlite3 "$work/data/byneed.sqlite" "SELECT count(*) FROM patients") patients, \
$(sqlite3 "$work/data/byneed.sqlite" "SELECT count(*) FROM questionnaire_responses") responses, migrations $known"

queries=(
  "QuestionnaireResponse?patient:identifier=urn:oid:1.2.208.176.1.2%7C$cpr"
  "QuestionnaireResponse?_count=20"
  "QuestionnaireResponse?_lastUpdated=gt${recent}&_count=100"
  "Observation?patient:identifier=urn:oid:1.2.208.176.1.2%7C$cpr"
  "Observation?_count=20"
  "ClinicalImpression?_count=20"
  "Patient?_count=20"
)

# MARK: Runs
median() { sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
run_server() {
  local name="$1" binary="$2" data="$3"
  "$binary" serve --port 0 --data-dir "$data" >"$work/$name.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 600); do grep -q '^Listening on ' "$work/$name.log" && break; sleep 0.1; done
  local base
  base=$(sed -n 's/^Listening on //p' "$work/$name.log")
  [ -n "$base" ] || { echo "$name did not start:" >&2; cat "$work/$name.log" >&2; exit 1; }
  echo
  echo "== $name ($(cut -d' ' -f1 /proc/loadavg) load)"
  printf '| %-62s | %9s | %9s | %7s | %7s |\n' "query" "median s" "slowest s" "total" "entries"
  for query in "${queries[@]}"; do
    local times=""
    for _ in $(seq "$repeats"); do
      times+="$(curl -s -o "$work/answer.json" -w '%{time_total}' -H "Authorization: Bearer $token" "$base/fhir/$query")"$'\n'
    done
    local total entries
    total=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("total"))' "$work/answer.json")
    entries=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1])).get("entry", [])))' "$work/answer.json")
    printf '| %-62s | %9s | %9s | %7s | %7s |\n' "${query:0:62}" "$(grep -v '^$' <<<"$times" | median)" \
      "$(grep -v '^$' <<<"$times" | sort -g | tail -n 1)" "$total" "$entries"
  done
  echo "peak RSS (VmHWM): $(awk '/VmHWM/ {print $2, $3}' /proc/$server_pid/status)"
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}
run_server "this tree" ".build/$config/byneed" "$work/data"
run_server "reference $reference" "$reference_byneed" "$work/reference-data"
