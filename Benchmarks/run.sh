#!/usr/bin/env bash
# Load benchmark of the patient path, side by side with a reference on the same machine.
#
#   Benchmarks/run.sh [seconds]
#
# Starts a release build of byneed on a fresh database with the demo data, then runs wrk at 64
# connections against (1) GET of the WHO-5 form page and (2) POST of that page's answers (each a
# real draft write: one BEGIN IMMEDIATE … COMMIT with synchronous=FULL). As the reference, nginx
# serves the very same page bytes as a static file, so (1) shows what our HTTP server and page
# rendering cost next to a mature C server doing no work at all. Prints req/s, p50, p99 and the
# server's peak RSS (VmHWM). Nothing here asserts a number; the figures go into notes.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-15}"
connections=64

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || need+=(nginx-light)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null
fi

swift build -c release --product byneed >/dev/null
work=$(mktemp -d)
server_pid=""
nginx_pid=""
trap 'kill $server_pid $nginx_pid 2>/dev/null || true; rm -rf "$work"' EXIT

.build/release/byneed serve --demo --port 0 --data-dir "$work/data" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do grep -q '^WHO-5 link: ' "$work/server.log" && break; sleep 0.1; done
link=$(sed -n 's/^WHO-5 link: //p' "$work/server.log")
[ -n "$link" ] || { echo "the server did not start:" >&2; cat "$work/server.log" >&2; exit 1; }
port=$(sed -n 's|^Listening on http://127.0.0.1:||p' "$work/server.log")

# The POST body: every WHO-5 item answered with its second option, then "next".
body=$(python3 - <<'PY'
import json, urllib.parse
definition = json.load(open("Questionnaires/who5.json"))
def questions(items):
    for item in items:
        if item["type"] not in ("group", "display"):
            yield item["linkId"]
        yield from questions(item.get("item", []))
fields = [("a." + link_id, "1") for link_id in questions(definition["item"])]
print(urllib.parse.urlencode(fields + [("page", "1"), ("lang", "da"), ("action", "next")]))
PY
)
cat >"$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = "$body"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
LUA

# The reference: nginx serving the same page as a static file.
mkdir -p "$work/www"
chmod 755 "$work" "$work/www"
curl -s "$link" >"$work/www/page.html"
chmod 644 "$work/www/page.html"
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

report() {
  local name="$1"; shift
  local output
  output=$(wrk -t2 -c$connections -d"${seconds}s" --latency "$@")
  local rps p50 p99 errors
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$output")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$output")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$output")
  errors=$(grep -E 'Non-2xx|Socket errors' <<<"$output" | tr '\n' ' ' || true)
  printf '%-34s %10s req/s   p50 %8s   p99 %8s   %s\n' "$name" "$rps" "$p50" "$p99" "$errors"
}

echo "machine: $(nproc) cores, $(uname -m); ${seconds}s per run, $connections connections"
report "byneed GET form page" "$link"
report "nginx GET same bytes (reference)" "http://127.0.0.1:$nginx_port/page.html"
report "byneed POST page (draft commit)" -s "$work/post.lua" "${link%%\?*}"
echo "byneed peak RSS: $(awk '/VmHWM/ {print $2, $3}' /proc/$server_pid/status)"
