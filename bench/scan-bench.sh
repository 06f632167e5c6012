#!/usr/bin/env bash
# Whole-scan benchmark: Palisade's inventory of an image against the decompression floor and Trivy's
# SBOM mode, on the same file. Prints a median of RUNS runs each, and Palisade's peak RSS.
#   bench/scan-bench.sh [IMAGE.tar ...]        (default: ../shared/corpus/jvm-app.tar)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m -Xmn16m -XX:SoftMaxHeapSize=104m -XX:+UseSerialGC}  # what ./palisade uses for a scan
images=("$@")
[ ${#images[@]} -gt 0 ] || images=(../shared/corpus/jvm-app.tar)
mvn -B -q -DskipTests package >/dev/null
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; }

floor() { # decompress every layer of a docker-archive, nothing else
  local image=$1
  for layer in $(tar -xOf "$image" manifest.json | python3 -c 'import json,sys; print("\n".join(json.load(sys.stdin)[0]["Layers"]))'); do
    tar -xOf "$image" "$layer" | gzip -dc >/dev/null
  done
}

trivy=../shared/tools/trivy-offline
have_trivy=0
"$trivy" --version >/dev/null 2>&1 && have_trivy=1
if [ $have_trivy = 1 ]; then
  startup=$(for i in $(seq "$RUNS"); do seconds "$trivy" --version; done | median)
fi

printf '%-28s %10s %10s %10s %12s %14s %12s\n' image floor_s palisade_s rss_MiB trivy_s trivy-start_s ratio_floor
for image in "${images[@]}"; do
  f=$(for i in $(seq "$RUNS"); do seconds floor "$image"; done | median)
  p=$(for i in $(seq "$RUNS"); do seconds java $JAVA_OPTS -jar target/palisade.jar image "$image" -q -f cyclonedx -o "$out/p.json"; done | median)
  rss=$(/usr/bin/time -f %M java $JAVA_OPTS -jar target/palisade.jar image "$image" -q -f cyclonedx -o "$out/p.json" 2>&1 >/dev/null | tail -1)
  t=NA
  if [ $have_trivy = 1 ]; then
    t=$(for i in $(seq "$RUNS"); do seconds "$trivy" image --input "$image" --format cyclonedx --output "$out/t.json"; done | median)
  fi
  printf '%-28s %10.2f %10.2f %10d %12s %14s %12.2f\n' "$(basename "$image")" "$f" "$p" $((rss / 1024)) "$t" "${startup:-NA}" \
    "$(echo "$p / $f" | bc -l)"
done
