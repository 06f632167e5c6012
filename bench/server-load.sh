#!/usr/bin/env bash
# Server ingest and API latency: `palisade server` from the jar on the embedded store (SQLite), the pinned test
# mirror, and a jvm-app-sized CycloneDX SBOM (built from ../shared/corpus/jvm-app.tar, ~120 components).
#   (a) uploads/s: sequential curl uploads (distinct targets), 8 parallel curl loops (distinct targets), and
#       `ab -c 8` (ab posts the same URL every time, so all its uploads go to ONE target: each replaces the last)
#   (b) `ab -c 50` on GET /api/v1/applications/APP/findings: p50/p99 from ab's percentile table
# Usage: bench/server-load.sh   (env: SEQ=200 PAR=200 AB_UPLOADS=500 AB_GETS=5000 SERVER_JAVA_OPTS=...)
set -euo pipefail
cd "$(dirname "$0")/.."
SEQ=${SEQ:-200}
PAR=${PAR:-200}
AB_UPLOADS=${AB_UPLOADS:-500}
AB_GETS=${AB_GETS:-5000}
SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:-}
IMAGE=${IMAGE:-../shared/corpus/jvm-app.tar}
[ -f "$IMAGE" ] || IMAGE=/work/shared/corpus/jvm-app.tar

if [ ! -f target/palisade.jar ] || [ -n "$(find src/main pom.xml -newer target/palisade.jar -print -quit)" ]; then
  mvn -B -o -q -DskipTests package >/dev/null
fi

work=$(mktemp -d /tmp/palisade-server-load.XXXXXX)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# the SBOM: a real image's inventory, no matching (the server matches)
java -jar target/palisade.jar image "$IMAGE" --format cyclonedx --scanners none --offline \
  --cache-dir "$work/client-cache" -o "$work/sbom.json" >/dev/null 2>"$work/sbom.err"
components=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["components"]))' "$work/sbom.json")
sbom_bytes=$(stat -c %s "$work/sbom.json")

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
# shellcheck disable=SC2086
java $SERVER_JAVA_OPTS -jar target/palisade.jar server --data-dir "$work/data" --listen "127.0.0.1:$port" \
  --db-mirror src/test/resources/vulndata/osv --cache-dir "$work/cache" --db-update-interval off \
  >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do
  curl -fs "$base/readyz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.2
done
curl -fs "$base/readyz" >/dev/null || { echo "the server did not get ready" >&2; cat "$work/server.log"; exit 1; }
admin=$(cat "$work/data/admin-token")
scanner=$(curl -fs -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d '{"name": "bench", "role": "scanner"}' "$base/api/v1/tokens" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
auth="Authorization: Bearer $scanner"

upload() { # APP TARGET
  curl -fs -o /dev/null -H "$auth" -H 'Content-Type: application/json' --data-binary @"$work/sbom.json" \
    "$base/api/v1/sboms?application=$1&target=$2&model=container"
}
export -f upload
export auth base work

# warm-up: JIT and the database file's pages
for i in $(seq 1 20); do upload warmup "w$i"; done

now() { date +%s.%N; }
t0=$(now)
for i in $(seq 1 "$SEQ"); do upload seq "t$i"; done
t1=$(now)
seq_rate=$(echo "scale=1; $SEQ / ($t1 - $t0)" | bc)
seq_ms=$(echo "scale=1; 1000 * ($t1 - $t0) / $SEQ" | bc)

t0=$(now)
seq 1 "$PAR" | xargs -P 8 -I{} bash -c 'upload par "p{}"'
t1=$(now)
par_rate=$(echo "scale=1; $PAR / ($t1 - $t0)" | bc)

ab -q -n "$AB_UPLOADS" -c 8 -p "$work/sbom.json" -T application/json -H "$auth" \
  "$base/api/v1/sboms?application=ab&target=same&model=container" >"$work/ab-upload.txt" 2>&1
ab_up_rate=$(awk '/^Requests per second/ {print $4}' "$work/ab-upload.txt")
# ab counts a response whose length differs from the first one's as failed ("Length"): the report carries the scan id
ab_up_failed=$(awk '/^Failed requests/ {f=$3; getline; gsub(/^ +/, ""); print f " " $0}' "$work/ab-upload.txt")
ab_up_non2xx=$(awk '/^Non-2xx responses/ {print $3}' "$work/ab-upload.txt")

# (b) findings of the application with SEQ targets (first page: up to 1000 findings), and of a one-target application
findings_seq=$(curl -fs -H "$auth" "$base/api/v1/applications/seq/findings?limit=10000" |
  python3 -c 'import json,sys; print(len(json.load(sys.stdin)["findings"]))')
findings_one=$(curl -fs -H "$auth" "$base/api/v1/applications/ab/findings" |
  python3 -c 'import json,sys; print(len(json.load(sys.stdin)["findings"]))')
page_bytes=$(curl -fs -H "$auth" "$base/api/v1/applications/seq/findings" | wc -c)
ab -q -n 200 -c 50 -H "$auth" "$base/api/v1/applications/seq/findings" >/dev/null 2>&1 # warm-up
ab -q -n "$AB_GETS" -c 50 -H "$auth" "$base/api/v1/applications/seq/findings" >"$work/ab-findings.txt" 2>&1
ab -q -n "$AB_GETS" -c 50 -H "$auth" "$base/api/v1/applications/ab/findings" >"$work/ab-findings-one.txt" 2>&1
pct() { awk -v p="$2%" '$1 == p {print $2}' "$1"; }
rps() { awk '/^Requests per second/ {print $4}' "$1"; }
failed() { awk '/^Failed requests/ {print $3}' "$1"; }

rss=$(ps -o rss= -p "$server_pid" | awk '{printf "%.0f", $1/1024}')
db_bytes=$(du -cb "$work/data"/server.sqlite* | tail -1 | cut -f1)

cat <<EOF
server-load: $(date -u +%F) $(nproc) cores, $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)
SBOM: $components components, $sbom_bytes bytes ($IMAGE)
uploads, sequential curl ($SEQ, distinct targets):   $seq_rate/s ($seq_ms ms each)
uploads, 8 parallel curl ($PAR, distinct targets):   $par_rate/s
uploads, ab -c 8 ($AB_UPLOADS, ONE target, replaced): $ab_up_rate/s (failed $ab_up_failed, non-2xx ${ab_up_non2xx:-0})
findings, app with $SEQ targets ($findings_seq open findings; default page $page_bytes bytes), ab -n $AB_GETS -c 50:
  $(rps "$work/ab-findings.txt") req/s, p50 $(pct "$work/ab-findings.txt" 50) ms, p90 $(pct "$work/ab-findings.txt" 90) ms, p99 $(pct "$work/ab-findings.txt" 99) ms, max $(pct "$work/ab-findings.txt" 100) ms, failed $(failed "$work/ab-findings.txt")
findings, app with 1 target ($findings_one open findings), ab -n $AB_GETS -c 50:
  $(rps "$work/ab-findings-one.txt") req/s, p50 $(pct "$work/ab-findings-one.txt" 50) ms, p90 $(pct "$work/ab-findings-one.txt" 90) ms, p99 $(pct "$work/ab-findings-one.txt" 99) ms, max $(pct "$work/ab-findings-one.txt" 100) ms, failed $(failed "$work/ab-findings-one.txt")
server RSS at the end: $rss MiB; storage: $db_bytes bytes
EOF
