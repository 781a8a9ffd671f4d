#!/usr/bin/env bash
# Side-by-side benchmark on a realistically full database (not in CI; asserts nothing):
#
#   Benchmarks/run-all.sh
#
# Environment (defaults): PATIENTS (100000), RESPONSES (1000000), OPEN (60000, fresh
# invitations with complete drafts for the POST runs), SECONDS_PER_RUN (10), RUNS (3),
# COMMITS (1000, for Benchmarks/SQLiteCommit), CONFIG (release; debug only to try the script).
#
# 1. builds release; 2. seeds a database with Benchmarks/Seeder (every response stored by
# Responses.submit, as a patient's final submit stores it); 3. runs Benchmarks/SQLiteCommit for
# the raw durable-commit ceilings; 4. starts `byneed serve` on the seeded database and nginx
# serving the very bytes of our two GET pages as static files; 5. runs wrk, 64 connections ×
# SECONDS_PER_RUN × RUNS, on: GET of a WHO-5 form page; GET of the staff patient overview (the
# closest server-rendered score page: there is no FHIR API route yet) with a session cookie; POST
# of a final submit, each request on an invitation of its own (a Lua script walks the token
# list). Prints per run and medians: req/s, p50, p99; stored submissions/s counted in the
# database; peak RSS (VmHWM) of the server; ratios GET vs nginx and POST vs raw SQLite
# (64 rows per commit, a savepoint per row).
set -euo pipefail
cd "$(dirname "$0")/.."
patients="${PATIENTS:-100000}"
responses="${RESPONSES:-1000000}"
open="${OPEN:-60000}"
seconds="${SECONDS_PER_RUN:-10}"
runs="${RUNS:-3}"
commits="${COMMITS:-1000}"
config="${CONFIG:-release}"
connections=64
threads=2

for tool in wrk nginx curl sqlite3; do
  command -v "$tool" >/dev/null || { echo "run-all.sh needs $tool" >&2; exit 1; }
done

started=$(date +%s)
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores, $(uname -m); load: $(cut -d' ' -f1-3 /proc/loadavg)"

# MARK: Build and seed
swift build -c "$config" --product byneed >/dev/null
swift build -c "$config" --product BenchmarkSeeder >/dev/null
work=$(mktemp -d "$PWD/.bench-XXXXXX")
server_pid=""
nginx_pid=""
trap 'kill $server_pid $nginx_pid 2>/dev/null || true; rm -rf "$work"' EXIT
seed_started=$(date +%s)
.build/$config/BenchmarkSeeder "$work/data" Questionnaires "$patients" "$responses" "$open" "$work/tokens.txt" | tail -3
echo "seeding took $(( $(date +%s) - seed_started )) s; database $(du -h "$work/data/byneed.sqlite" | cut -f1)"
printf '%s\n' "korrekt hest batteri klips" | .build/$config/byneed staff add --username bench --name "Bench Mark" \
  --department-sor 999999999999999 --role health-professional --password-stdin --data-dir "$work/data" >/dev/null

# MARK: Raw SQLite ceiling
echo
echo "== raw SQLite durable commits (Benchmarks/SQLiteCommit, $commits commits per run)"
Benchmarks/SQLiteCommit/run.sh "$commits" | tee "$work/sqlite.txt"
sqlite_rows=$(awk '/savepoint per row/ {for (i = 1; i <= NF; i++) if ($i == "rows/s") print $(i - 1)}' "$work/sqlite.txt")

# MARK: Servers
.build/$config/byneed serve --port 0 --data-dir "$work/data" --insecure-cookies >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 300); do grep -q '^Listening on ' "$work/server.log" && break; sleep 0.1; done
base=$(sed -n 's/^Listening on //p' "$work/server.log")
[ -n "$base" ] || { echo "the server did not start:" >&2; cat "$work/server.log" >&2; exit 1; }
port=${base##*:}

# The last token is kept for the GET runs; the others are split between the POST runs.
form_token=$(tail -n 1 "$work/tokens.txt")
head -n -1 "$work/tokens.txt" >"$work/post-tokens.txt"
split -n "l/$runs" -d -a 1 "$work/post-tokens.txt" "$work/tokens-run-"

jar="$work/cookies.txt"
login=$(curl -s -c "$jar" "$base/staff/login")
csrf=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' <<<"$login" | head -n 1)
curl -s -b "$jar" -c "$jar" -o /dev/null -H "Origin: $base" \
  --data-urlencode "csrf=$csrf" --data-urlencode "username=bench" --data-urlencode "password=korrekt hest batteri klips" \
  "$base/staff/login"
session=$(awk '$6 == "byneed-staff" {print $7}' "$jar")
[ -n "$session" ] || { echo "staff sign-in failed" >&2; exit 1; }
staff_path="/staff/patients/2"

mkdir -p "$work/www"
chmod 755 "$work" "$work/www"
curl -s -o "$work/www/form.html" "$base/q/$form_token"
curl -s -o "$work/www/staff.html" -H "Cookie: byneed-staff=$session" "$base$staff_path"
chmod 644 "$work/www/"*.html
echo
echo "page sizes: form $(stat -c %s "$work/www/form.html") bytes, staff overview $(stat -c %s "$work/www/staff.html") bytes"
nginx_port=$((port + 1))
cat >"$work/nginx.conf" <<NGINX
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  server { listen 127.0.0.1:$nginx_port; root $work/www; location / { default_type text/html; } }
}
NGINX
nginx -c "$work/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
sleep 0.5

cat >"$work/staff.lua" <<LUA
wrk.headers["Cookie"] = "byneed-staff=$session"
LUA
# Each wrk thread walks its own share of the run's token file: thread i takes lines i, i+T, …
cat >"$work/submit.lua" <<'LUA'
local next_id = 0
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end
local tokens, index, stride, wrapped = {}, 0, 1, false
function init(args)
  for line in io.lines(args[1]) do tokens[#tokens + 1] = line end
  stride = tonumber(args[2])
  index = id + 1
end
function request()
  if index > #tokens then index, wrapped = 1, true end
  local token = tokens[index]
  index = index + stride
  return wrk.format("POST", "/q/" .. token .. "/submit",
                    {["Content-Type"] = "application/x-www-form-urlencoded"}, "lang=da&respondent=patient")
end
LUA

# MARK: Runs
to_ms() { awk '{v = $1 + 0; if ($1 ~ /us$/) v /= 1000; else if ($1 ~ /ms$/) v += 0; else if ($1 ~ /s$/) v *= 1000; printf "%.2f", v}' <<<"$1"; }
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
declare -A rps_runs p50_runs p99_runs
stored_runs=""
measure() {
  local key="$1"; shift
  local output
  output=$(wrk -t$threads -c$connections -d"${seconds}s" --latency "$@")
  local rps p50 p99 errors
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$output")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$output")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$output")")
  errors=$(grep -E 'Non-2xx|Socket errors' <<<"$output" | tr '\n' ' ' || true)
  rps_runs[$key]+="$rps "
  p50_runs[$key]+="$p50 "
  p99_runs[$key]+="$p99 "
  printf '  %-22s %10s req/s   p50 %8s ms   p99 %8s ms   %s\n' "$key" "$rps" "$p50" "$p99" "$errors"
}
responses_now() { sqlite3 "file:$work/data/byneed.sqlite?mode=ro" "SELECT count(*) FROM questionnaire_responses"; }

for run in $(seq 0 $((runs - 1))); do
  echo
  echo "== run $((run + 1)) of $runs, ${seconds} s each, $connections connections (load $(cut -d' ' -f1 /proc/loadavg))"
  measure "byneed GET form" "$base/q/$form_token"
  measure "nginx GET form bytes" "http://127.0.0.1:$nginx_port/form.html"
  measure "byneed GET staff page" -s "$work/staff.lua" "$base$staff_path"
  measure "nginx GET staff bytes" "http://127.0.0.1:$nginx_port/staff.html"
  before=$(responses_now)
  measure "byneed POST submit" -s "$work/submit.lua" "$base" -- "$work/tokens-run-$run" "$threads"
  after=$(responses_now)
  stored=$(awk -v n=$((after - before)) -v s="$seconds" 'BEGIN {printf "%.0f", n / s}')
  stored_runs+="$stored "
  echo "  stored submissions: $((after - before)) ($stored/s; $(wc -l <"$work/tokens-run-$run") tokens available)"
done

# MARK: Summary
echo
echo "== medians of $runs runs"
printf '| %-22s | %9s | %9s | %9s |\n' "" "req/s" "p50 ms" "p99 ms"
for key in "byneed GET form" "nginx GET form bytes" "byneed GET staff page" "nginx GET staff bytes" "byneed POST submit"; do
  printf '| %-22s | %9s | %9s | %9s |\n' "$key" "$(median <<<"${rps_runs[$key]}")" "$(median <<<"${p50_runs[$key]}")" \
    "$(median <<<"${p99_runs[$key]}")"
done
stored_median=$(median <<<"$stored_runs")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.3f", a / b; else print "n/a"}'; }
echo "stored submissions/s (median): $stored_median"
echo "GET form vs nginx:        $(ratio "$(median <<<"${rps_runs["byneed GET form"]}")" "$(median <<<"${rps_runs["nginx GET form bytes"]}")")"
echo "GET staff page vs nginx:  $(ratio "$(median <<<"${rps_runs["byneed GET staff page"]}")" "$(median <<<"${rps_runs["nginx GET staff bytes"]}")")"
echo "POST stored/s vs raw SQLite rows/s (64 per commit, savepoints; $sqlite_rows): $(ratio "$stored_median" "$sqlite_rows")"
echo "byneed peak RSS (VmHWM): $(awk '/VmHWM/ {print $2, $3}' /proc/$server_pid/status)"
echo "total time: $(( $(date +%s) - started )) s; load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
