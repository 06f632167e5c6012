#!/usr/bin/env bash
# What a scan costs once the JVM has compiled its code: runs the same full scan (inventory, matching, checks,
# secrets, JSON report, no layer cache) RUNS times in one JVM (bench/RepeatInOneJvm.java) and prints each run's wall
# time. The first run pays class loading, the interpreter and the JIT like a fresh process (less the JVM's own start);
# the last ones are the work itself. Compare them with the image's floor from bench/speed-bench.sh. WARM=1: with a
# warm layer cache instead (a run of ./palisade fills it first), which is what the warm-cache target times.
#   bench/repeat-in-one-jvm.sh [IMAGE] [RUNS]        (../shared/corpus/jvm-app.tar, 10; JAVA=... picks the JDK)
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${SHARED:-../shared}
[ -d "$shared/corpus" ] || shared=/work/shared
image=${1:-$shared/corpus/jvm-app.tar}
runs=${2:-10}
java=${JAVA:-java}
db_dir=${PALISADE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/palisade}
die() { echo "repeat-in-one-jvm: $*" >&2; exit 1; }
[ -f "$image" ] || die "$image is missing"
[ -f "$db_dir/vulndb.sqlite" ] || die "no vulnerability database in $db_dir: run ./palisade db update first"
./palisade --version >/dev/null  # the launcher builds the jar when the sources changed
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cp "$db_dir/vulndb.sqlite" "$tmp/"
[ -f "$db_dir/vulndb.checked" ] && cp "$db_dir/vulndb.checked" "$tmp/"
scan=(image "$image" --skip-db-update -q -f json --cache-dir "$tmp" -o /dev/null)
if [ "${WARM:-0}" = 1 ]; then
  PALISADE_JVM_CACHE=0 ./palisade "${scan[@]}" # fills the layer cache (no start-up archive: one run only)
else
  scan+=(--no-layer-cache)
fi
# the launcher's heap options for a scan; the JIT keeps its own thresholds, which only move when code is compiled
"$java" -Xmx512m -Xmn16m -XX:SoftMaxHeapSize=104m -XX:+UseSerialGC -cp target/palisade.jar \
  bench/RepeatInOneJvm.java "$runs" "${scan[@]}"
