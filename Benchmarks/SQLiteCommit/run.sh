#!/usr/bin/env bash
# Raw SQLite durable-commit ceiling on this disk (WAL, synchronous=FULL), the reference for
# ByNeed's POST benchmark (Benchmarks/run.sh):
#
#   Benchmarks/SQLiteCommit/run.sh [COMMITS]      (default 2000 commits per run)
#
# Builds commit_bench.c with the system libsqlite3 and runs it on a database inside this
# repository's folder (the same disk as a ByNeed data folder next to it): one row per
# commit, 64 rows per commit, and 64 rows per commit each in its own savepoint (the shape of
# one full group-commit batch). Prints commits/s, rows/s and p50/p99 commit latency.
set -euo pipefail
cd "$(dirname "$0")"
commits="${1:-2000}"
work=$(mktemp -d "$PWD/.run-XXXXXX")
trap 'rm -rf "$work"' EXIT

cc -O2 -Wall -Wextra -o "$work/commit_bench" commit_bench.c -lsqlite3
echo "machine: $(nproc) cores, $(uname -m); disk: $(df -h "$work" | awk 'NR==2 {print $1, $2}'); $commits commits per run"
"$work/commit_bench" "$work/bench.sqlite" "$commits" 1
"$work/commit_bench" "$work/bench.sqlite" "$commits" 64
"$work/commit_bench" "$work/bench.sqlite" "$commits" 64 savepoints
