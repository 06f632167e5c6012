#!/usr/bin/env bash
# The speed issue's targets, measured side by side in one run: Palisade's start-up, its full scan of
# jvm-app and of the large image (no layer cache, and with a warm one), the decompression floors of
# each image, peak RSS, and Trivy on the same files. Each figure is the median of RUNS runs (after
# WARMUP runs that are not counted); the table is printed and written to bench/out/speed-DATE.txt.
#   bench/speed-bench.sh                       (RUNS=5 WARMUP=1 REPEATS=12; LARGE=bench/out/debian-large.tar,
#                                               JVM_APP=../shared/corpus/jvm-app.tar, TRIVY=...; TRIVY= skips it)
# No network: the large image must have been built (bench/build-large-image.sh), and Palisade uses a
# private copy of the vulnerability database of the default cache (--skip-db-update).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
REPEATS=${REPEATS:-12}
WARMUP=${WARMUP:-1}
shared=${SHARED:-../shared}
[ -d "$shared/corpus" ] || shared=/work/shared
jvm_app=${JVM_APP:-$shared/corpus/jvm-app.tar}
large=${LARGE:-bench/out/debian-large.tar}
trivy=${TRIVY-$shared/tools/trivy-offline}
db_dir=${PALISADE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/palisade}
die() { echo "speed-bench: $*" >&2; exit 1; }
[ -f "$jvm_app" ] || die "$jvm_app is missing (set JVM_APP)"
[ -f "$large" ] || die "$large is missing: build it first with bench/build-large-image.sh (needs the network once)"
[ -f "$db_dir/vulndb.sqlite" ] || die "no vulnerability database in $db_dir: run ./palisade db update first"
[ -x /usr/bin/time ] || die "/usr/bin/time is needed for peak RSS (apt-get install time)"
if [ -n "$trivy" ] && ! "$trivy" --version >/dev/null 2>&1; then
  echo "speed-bench: $trivy does not run; Trivy rows skipped" >&2; trivy=
fi
./palisade --version >/dev/null  # the launcher builds the jar when the sources changed

mkdir -p bench/out
started=$(date -u '+%Y-%m-%d %H:%M UTC')
report=bench/out/speed-$(date -u +%Y-%m-%dT%H%M).txt
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
exec > >(tee "$report")

median() { sort -n | awk '{a[NR]=$1} END {printf "%.2f", (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# measure NAME CMD...: WARMUP uncounted runs, then RUNS timed ones. Sets the globals wall_NAME (median
# seconds), runs_NAME (every run) and rss_NAME (highest peak RSS of the runs, MiB).
measure() {
  local name=$1; shift
  local i s e times=() rss=0 r
  echo "speed-bench: $name: $*" >&2
  for ((i = 0; i < WARMUP; i++)); do
    "$@" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; die "failed: $*"; }
  done
  for ((i = 0; i < RUNS; i++)); do
    s=$(date +%s.%N)
    /usr/bin/time -f %M -o "$tmp/rss" "$@" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; die "failed: $*"; }
    e=$(date +%s.%N)
    times+=("$(echo "$e - $s" | bc)")
    r=$(tail -1 "$tmp/rss"); [ "$r" -gt "$rss" ] && rss=$r
  done
  printf -v "wall_$name" %s "$(printf '%s\n' "${times[@]}" | median)"
  printf -v "runs_$name" %s "$(printf '%.2f ' "${times[@]}")"
  printf -v "rss_$name" %s $((rss / 1024))
}

# floor_scripts KEY IMAGE: extracts the image's gzip layers to $tmp/KEY/ and writes two scripts: one
# inflates them one after the other (one core), the other all at once (as many cores as there are).
floor_scripts() {
  local key=$1 image=$2 layer n=0 size=0
  mkdir -p "$tmp/$key"
  echo 'set -e' >"$tmp/$key/one-core.sh"
  echo 'set -e' >"$tmp/$key/parallel.sh"
  for layer in $(tar -xOf "$image" manifest.json | python3 -c 'import json,sys; print("\n".join(json.load(sys.stdin)[0]["Layers"]))'); do
    n=$((n + 1))
    tar -xOf "$image" "$layer" >"$tmp/$key/layer$n"
    size=$((size + $(gzip -dc <"$tmp/$key/layer$n" | wc -c)))
    echo "gzip -dc <$tmp/$key/layer$n >/dev/null" >>"$tmp/$key/one-core.sh"
    echo "gzip -dc <$tmp/$key/layer$n >/dev/null &" >>"$tmp/$key/parallel.sh"
  done
  echo 'wait' >>"$tmp/$key/parallel.sh"
  printf -v "layers_$key" %s $n
  printf -v "mib_$key" %s $((size >> 20))
  printf -v "compressed_$key" %s $(($(stat -c %s "$image") >> 20))
}

# Every Palisade scan: inventory, matching, checks, secrets, JSON report; a private cache dir holding a
# copy of the database, so that the layer cache of the warm runs is the script's own.
scan_cache() {
  mkdir -p "$tmp/$1"
  cp "$db_dir/vulndb.sqlite" "$tmp/$1/"
  [ -f "$db_dir/vulndb.checked" ] && cp "$db_dir/vulndb.checked" "$tmp/$1/"
  echo "$tmp/$1"
}
nocache=$(scan_cache nocache)
plain_java=(java -jar target/palisade.jar)

bench_image() {
  local key=$1 image=$2 warm
  floor_scripts "$key" "$image"
  measure "${key}_floor1" bash "$tmp/$key/one-core.sh"
  measure "${key}_floor2" bash "$tmp/$key/parallel.sh"
  local scan=(image "$image" --skip-db-update -q -f json)
  measure "${key}_launcher" ./palisade "${scan[@]}" --no-layer-cache --cache-dir "$nocache" -o "$tmp/$key.json"
  measure "${key}_plain" "${plain_java[@]}" "${scan[@]}" --no-layer-cache --cache-dir "$nocache" -o "$tmp/$key-plain.json"
  warm=$(scan_cache "warm-$key")
  ./palisade "${scan[@]}" --cache-dir "$warm" -o "$tmp/$key-warm.json"  # fills the layer cache
  measure "${key}_warm" ./palisade "${scan[@]}" --cache-dir "$warm" -o "$tmp/$key-warm.json"
  printf -v "found_$key" %s "$(python3 - "$tmp/$key.json" "$tmp/$key-warm.json" <<'PY'
import json, sys
cold, warm = (json.load(open(p)) for p in sys.argv[1:3])
same = "same as" if (cold["packages"], cold["vulnerabilities"]) == (warm["packages"], warm["vulnerabilities"]) else "DIFFERENT from"
print(f'{len(cold["packages"])} packages, {len(cold["vulnerabilities"])} vulnerabilities, '
      f'{len(cold.get("misconfigurations") or [])} misconfigurations; warm report {same} the cold one')
PY
)"
  if [ -n "$trivy" ]; then
    measure "${key}_trivy_sbom" "$trivy" image --input "$image" --format cyclonedx --output "$tmp/$key-trivy.cdx.json"
    measure "${key}_trivy_secret" "$trivy" image --input "$image" --format json --scanners secret --output "$tmp/$key-trivy.json"
  fi
}

# repeat_in_one_jvm MODE IMAGE: the same scan REPEATS times in one JVM (bench/repeat-in-one-jvm.sh, plain java), with
# no layer cache (MODE cold) or a warm one (MODE warm); sets repeat_first_MODE (the first run, seconds),
# repeat_compiled_MODE (median of the last 3: the work once compiled) and repeat_runs_MODE
repeat_in_one_jvm() {
  local mode=$1 out warm=0
  [ "$mode" = warm ] && warm=1
  echo "speed-bench: the jvm-app scan $REPEATS times in one JVM ($mode)" >&2
  out=$(JAVA=java WARM=$warm bench/repeat-in-one-jvm.sh "$2" "$REPEATS" 2>&1 >/dev/null) \
    || { echo "$out" >&2; die "the repeated scan failed"; }
  local ms=($(sed -n 's/.*run [0-9]*: \([0-9]*\) ms.*/\1/p' <<<"$out"))
  [ "${#ms[@]}" -eq "$REPEATS" ] || { echo "$out" >&2; die "the repeated scan printed ${#ms[@]} times"; }
  printf -v "repeat_first_$mode" %s "$(echo "scale=2; ${ms[0]} / 1000" | bc | awk '{printf "%.2f", $1}')"
  printf -v "repeat_compiled_$mode" %s "$(printf '%s\n' "${ms[@]: -3}" | median | awk '{printf "%.2f", $1 / 1000}')"
  printf -v "repeat_runs_$mode" %s "$(printf '%s ' "${ms[@]}")"
}

# thread_cpu MODE CMD...: one more run of CMD through bench/thread-cpu.py; sets cpu_split_MODE, a sentence saying
# where that run's CPU went, thread by thread
thread_cpu() {
  local mode=$1 out; shift
  echo "speed-bench: $mode: where the CPU goes: $*" >&2
  out=$(bench/thread-cpu.py "$@") || die "failed: bench/thread-cpu.py $*"
  printf -v "cpu_split_$mode" %s "$(awk -F'\t' '
    /^wall / { split($0, w, " "); wall = w[2]; next }
    /^cpu / { split($0, c, " "); cpu = c[2]; next }
    /^threads / { split($0, t, " "); threads = t[2]; next }
    $2 + 0 > 0 { parts = parts (parts ? ", " : "") $1 " " $2 " s" }
    END { printf "%s s of CPU in %s s (%s s read thread by thread): %s", cpu, wall, threads, parts }' <<<"$out")"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
measure version_launcher ./palisade --version
measure version_plain "${plain_java[@]}" --version
[ -n "$trivy" ] && measure version_trivy "$trivy" --version
bench_image jvm "$jvm_app"
thread_cpu cold ./palisade image "$jvm_app" --skip-db-update -q -f json --no-layer-cache --cache-dir "$nocache" \
  -o "$tmp/jvm.json"
thread_cpu warm ./palisade image "$jvm_app" --skip-db-update -q -f json --cache-dir "$tmp/warm-jvm" \
  -o "$tmp/jvm-warm.json"
if [ "$REPEATS" -ge 3 ]; then
  repeat_in_one_jvm cold "$jvm_app"
  repeat_in_one_jvm warm "$jvm_app"
fi
bench_image large "$large"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

v() { local n=$1; printf %s "${!n:-NA}"; }
ratio() { # A / B with 2 decimals, NA when either is missing
  local a b; a=$(v "$1"); b=$(v "$2")
  [ "$a" = NA ] || [ "$b" = NA ] && { echo NA; return; }
  echo "scale=4; $a / $b" | bc | awk '{printf "%.2f", $1}'
}
minus() { local a b; a=$(v "$1"); b=$(v "$2"); [ "$a" = NA ] || [ "$b" = NA ] && { echo NA; return; }; echo "$a - $b" | bc | awk '{printf "%.2f", $1}'; }
check() { # VALUE OP BOUND -> met / NOT met
  awk -v x="$1" -v op="$2" -v t="$3" 'BEGIN { if (x == "NA") print "n/a"; else if ((op == "<=" && x + 0 <= t + 0) || (op == "<" && x + 0 < t + 0)) print "met"; else print "NOT met" }'
}
row() { # LABEL KEY [TARGET AND VERDICT]
  local wall rss runs; wall=$(v "wall_$2"); rss=$(v "rss_$2"); runs=$(v "runs_$2")
  [ "$wall" = NA ] && return 0
  case $2 in *floor*) rss=- ;; esac
  printf '| %s | %s | %s | %s | %s |\n' "$1" "$wall" "$rss" "${runs% }" "${3:-}"
}

git_rev=$(git describe --always --dirty)
echo "# Palisade speed benchmark, $started to $(date -u '+%H:%M UTC'), commit $git_rev"
echo
echo "Machine: $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p')), $(free -g | awk '/^Mem:/ {print $2}') GiB," \
  "$(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r), $(java -version 2>&1 | head -1)."
echo "Load average before: $load_before; after: $load_after. Median of $RUNS runs after $WARMUP uncounted, in seconds;"
echo "peak RSS is the highest of the counted runs. Palisade: ./palisade runs the launcher as it is (its JVM options,"
echo "start-up caches); 'plain java' is \`java -jar target/palisade.jar\` with no JVM option."
echo
echo "- jvm-app: $(v compressed_jvm) MiB compressed, $(v layers_jvm) layers, $(v mib_jvm) MiB uncompressed; Palisade found $(v found_jvm)."
echo "- large: $(v compressed_large) MiB compressed, $(v layers_large) layers, $(v mib_large) MiB uncompressed; Palisade found $(v found_large)."
echo
echo "| run | median (s) | peak RSS (MiB) | runs (s) | target: measured, verdict |"
echo "| --- | --- | --- | --- | --- |"
x=$(v wall_version_launcher)
row '`./palisade --version`' version_launcher "≤ 0.25 s: $x s, $(check "$x" '<=' 0.25)"
row '`java -jar palisade.jar --version` (plain java)' version_plain
row 'Trivy `--version`' version_trivy
for key in jvm large; do
  name=$([ $key = jvm ] && echo jvm-app || echo large)
  row "$name: floor, one core (\`gzip -dc\` of each layer in turn)" "${key}_floor1"
  row "$name: floor, $(nproc) cores (every layer at once)" "${key}_floor2"
  x=$(ratio "wall_${key}_launcher" "wall_${key}_floor1")
  if [ $key = jvm ]; then
    row "$name: \`./palisade image\`, no layer cache" jvm_launcher "≤ 1.5× floor: ${x}×, $(check "$x" '<=' 1.5)"
  else
    r=$(v rss_large_launcher)
    row "$name: \`./palisade image\`, no layer cache" large_launcher "≤ 1.1× one-core floor: ${x}×, $(check "$x" '<=' 1.1); with $(nproc) cores < 1.0×: $(check "$x" '<' 1.0); peak RSS ≤ 256 MiB: $r MiB, $(check "$r" '<=' 256)"
  fi
  row "$name: plain java, no layer cache" "${key}_plain" "($(ratio "wall_${key}_plain" "wall_${key}_floor1")× floor)"
  x=$(v "wall_${key}_warm")
  if [ $key = jvm ]; then
    row "$name: \`./palisade image\`, warm layer cache" jvm_warm "≤ 0.6 s: $x s, $(check "$x" '<=' 0.6)"
  else
    row "$name: \`./palisade image\`, warm layer cache" large_warm
  fi
  row "$name: Trivy, SBOM only (\`--format cyclonedx\`)" "${key}_trivy_sbom"
  row "$name: Trivy, secret scan (\`--format json --scanners secret\`)" "${key}_trivy_secret"
done
echo
echo "What bounds jvm-app:"
echo
echo "- Where one more run's CPU went, thread by thread (\`bench/thread-cpu.py\`, $(nproc) cores): no layer cache,"
echo "  $(v cpu_split_cold); warm layer cache, $(v cpu_split_warm)."
if [ -n "${repeat_compiled_cold:-}" ]; then
  echo "- The same scan $REPEATS times in one JVM (\`bench/RepeatInOneJvm.java\`, plain java): no layer cache,"
  echo "  $repeat_first_cold s the first time and $repeat_compiled_cold s once compiled (median of the last 3 runs),"
  echo "  $(ratio repeat_compiled_cold wall_jvm_floor1)× the one-core floor; warm layer cache, $repeat_first_warm s the first time and"
  echo "  $repeat_compiled_warm s once compiled. A cold process spends the rest on the JVM's start and warm-up."
  echo "  Runs (ms), no layer cache: ${repeat_runs_cold% }; warm: ${repeat_runs_warm% }."
fi
echo
echo "Ratios from this run (Trivy's start-up is its \`--version\` time):"
echo
echo "| ratio | jvm-app | large |"
echo "| --- | --- | --- |"
echo "| Palisade / one-core floor | $(ratio wall_jvm_launcher wall_jvm_floor1) | $(ratio wall_large_launcher wall_large_floor1) |"
echo "| Palisade / $(nproc)-core floor | $(ratio wall_jvm_launcher wall_jvm_floor2) | $(ratio wall_large_launcher wall_large_floor2) |"
echo "| Palisade launcher / plain java | $(ratio wall_jvm_launcher wall_jvm_plain) | $(ratio wall_large_launcher wall_large_plain) |"
echo "| Palisade warm / no cache | $(ratio wall_jvm_warm wall_jvm_launcher) | $(ratio wall_large_warm wall_large_launcher) |"
echo "| Palisade / Trivy SBOM | $(ratio wall_jvm_launcher wall_jvm_trivy_sbom) | $(ratio wall_large_launcher wall_large_trivy_sbom) |"
echo "| Palisade / Trivy secret scan | $(ratio wall_jvm_launcher wall_jvm_trivy_secret) | $(ratio wall_large_launcher wall_large_trivy_secret) |"
jt=$(minus wall_jvm_trivy_sbom wall_version_trivy); lt=$(minus wall_large_trivy_sbom wall_version_trivy)
jp=$(minus wall_jvm_launcher wall_version_launcher); lp=$(minus wall_large_launcher wall_version_launcher)
echo "| both without start-up: (Palisade − its \`--version\`) / (Trivy SBOM − its \`--version\`) | $jp / $jt | $lp / $lt |"
echo "| \`--version\`: Palisade / Trivy | $(ratio wall_version_launcher wall_version_trivy) | |"
echo "| peak RSS: Palisade / Trivy SBOM | $(ratio rss_jvm_launcher rss_jvm_trivy_sbom) | $(ratio rss_large_launcher rss_large_trivy_sbom) |"
echo
echo "Trivy has no vulnerability database offline (\`--format json\` with its default scanners stops at \"The first run"
echo "cannot skip downloading DB\"), so it is timed in the two modes that work offline: its package inventory (SBOM) and"
echo "its secret scan. Neither is the whole of what Palisade's run does (inventory, matching, checks, secrets, report)."
echo
echo "Written to $report"
