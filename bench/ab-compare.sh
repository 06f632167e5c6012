#!/usr/bin/env bash
# Before/after: the same full scan (inventory, matching, checks, secrets, JSON report; no layer cache) with
# two builds of Palisade, alternating run by run, so that both see the same machine load. Prints each
# build's times and median.
#   bench/ab-compare.sh OLD_COMMIT [IMAGE.tar] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
old_commit=${1:?usage: bench/ab-compare.sh OLD_COMMIT [IMAGE.tar] [RUNS]}
image=${2:-../shared/corpus/jvm-app.tar}
runs=${3:-5}
mirror=../shared/vulndata/osv
opts="-Xmx512m -Xmn16m -XX:SoftMaxHeapSize=104m -XX:+UseSerialGC" # the launcher's options for a scan
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
git worktree add -q --detach "$work/old" "$old_commit"
(cd "$work/old" && mvn -B -q -o -DskipTests package >/dev/null)
mvn -B -q -o -DskipTests package >/dev/null
cp "$work/old/target/palisade.jar" "$work/old.jar"; cp target/palisade.jar "$work/new.jar"
git worktree remove --force "$work/old"
for v in old new; do
  java $opts -jar "$work/$v.jar" db update --db-mirror "$mirror" --cache-dir "$work/cache-$v" >/dev/null 2>&1
done
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
for i in $(seq "$runs"); do
  for v in old new; do
    s=$(date +%s.%N)
    java $opts -jar "$work/$v.jar" image "$image" --cache-dir "$work/cache-$v" --skip-db-update --no-layer-cache -q -f json \
        -o "$work/$v.json" || true
    e=$(date +%s.%N)
    echo "$v $(echo "$e - $s" | bc)"
  done
done | tee "$work/times"
for v in old new; do
  printf '%s median: %s s\n' "$v" "$(grep "^$v " "$work/times" | cut -d' ' -f2 | median)"
done
