#!/usr/bin/env bash
# The server's re-match at scale (dev.palisade.server.ServerRescanBench, in process, SQLite storage): N stored
# jvm-app-sized inventories (default 10,000), a full re-match with 1 and 2 threads, and a targeted re-match of one
# package held by 5% of them. Output also goes to bench/out/server-rescan-N.txt.
# Usage: bench/server-rescan.sh [N]
#   env: JFR=1 (record the first full re-match to bench/out/server-rescan-N.jfr and print its hot methods),
#        MIRROR=DIR (an OSV mirror, e.g. ../shared/vulndata/osv; default the pinned test mirror),
#        THREADS=1,2   INGEST=1000 (stored through the service; the rest are copied in SQL)   BENCH_JAVA_OPTS=...
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
IMAGE=${IMAGE:-../shared/corpus/jvm-app.tar}
[ -f "$IMAGE" ] || IMAGE=/work/shared/corpus/jvm-app.tar
mkdir -p bench/out
out=bench/out/server-rescan-$N.txt

if [ ! -f target/palisade.jar ] || [ -n "$(find src/main pom.xml -newer target/palisade.jar -print -quit)" ]; then
  mvn -B -o -q -DskipTests package >/dev/null
fi
mvn -B -o -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=bench/out/test-classpath >/dev/null
if [ ! -f bench/out/jvm-app-sbom.json ]; then
  java -jar target/palisade.jar image "$IMAGE" --format cyclonedx --scanners none --offline \
    --cache-dir bench/out/sbom-cache -o bench/out/jvm-app-sbom.json >/dev/null
fi

props=(-Dpalisade.bench.sbom=bench/out/jvm-app-sbom.json -Dpalisade.bench.threads="${THREADS:-1,2}"
  -Dpalisade.bench.ingest="${INGEST:-1000}")
[ -n "${MIRROR:-}" ] && props+=(-Dpalisade.bench.mirror="$MIRROR")
[ -n "${JFR:-}" ] && props+=(-Dpalisade.bench.jfr="bench/out/server-rescan-$N.jfr")
{
  echo "server-rescan: $(date -u +%FT%TZ), $(nproc) cores, $(free -g | awk '/^Mem/ {print $2}') GiB, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  # shellcheck disable=SC2086
  java ${BENCH_JAVA_OPTS:-} "${props[@]}" -cp "target/test-classes:target/classes:$(cat bench/out/test-classpath)" \
    dev.palisade.server.ServerRescanBench "$N"
  echo "load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$out"
data=$(sed -n 's/.*data left in //p' "$out")
case "$data" in /tmp/palisade-rescan-bench-*) rm -rf "$data" ;; esac

if [ -n "${JFR:-}" ]; then
  echo "== the first full re-match" | tee -a "$out"
  java -cp target/test-classes dev.palisade.bench.JfrHotSpots "bench/out/server-rescan-$N.jfr" | tee -a "$out"
  echo "== the ingest through the service" | tee -a "$out"
  java -cp target/test-classes dev.palisade.bench.JfrHotSpots "bench/out/server-rescan-$N-ingest.jfr" \
    dev.palisade.server.InventoryService.submit | tee -a "$out"
fi
