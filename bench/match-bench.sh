#!/usr/bin/env bash
# Vulnerability database benchmarks: (1) import of all of ../shared/vulndata/osv (+ KEV) from scratch,
# time and resulting size; (2) JMH: matching 10,000 packages against that database (MatchBenchmark).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package test-compile >/dev/null
cache=bench/out/cache
rm -rf "$cache"; mkdir -p "$cache"
start=$(date +%s.%N)
java -jar target/palisade.jar db update --cache-dir "$cache" --db-mirror ../shared/vulndata/osv \
  --kev-source ../shared/vulndata/kev/known_exploited_vulnerabilities.json >/dev/null
end=$(date +%s.%N)
printf 'import: %.2f s, database: %s bytes\n' "$(echo "$end - $start" | bc)" "$(stat -c %s "$cache/vulndb.sqlite")"
cp=$(mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)
java -cp "target/test-classes:target/classes:$cp" -Dpalisade.bench.db="$cache/vulndb.sqlite" \
  org.openjdk.jmh.Main MatchBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s -rf text -rff bench/out/match-jmh.txt
