#!/usr/bin/env bash
# Long-run fuzzing: runs each Jazzer fuzz test of src/test/java/dev/palisade/fuzz in fuzzing mode, one
# after another (Jazzer fuzzes one test per JVM), and prints executions, time and exec/s per target.
#
#   bench/fuzz.sh                          every target, 5 minutes each
#   DURATION=30m bench/fuzz.sh             a longer run per target
#   EXECUTIONS=10000000 bench/fuzz.sh      stop each target after N inputs (or DURATION, whichever first)
#   FUZZ_HEAP=1g bench/fuzz.sh             the fuzzing JVM's maximum heap (default 2g)
#   NO_REGEX_GUIDANCE=1 bench/fuzz.sh      without Jazzer's RegexRoadblocks hook (see below)
#   bench/fuzz.sh OsPackagesFuzzTest#rpmHeader ImagesFuzzTest#layerTar    only these targets
#
# A crash stops that target and is written by Jazzer into
# src/test/resources/dev/palisade/fuzz/<Class>Inputs/<method>/crash-<sha1>, where `mvn verify` replays
# it from then on. The inputs a run found interesting are kept in .cifuzz-corpus/ (not committed).
# Logs: target/fuzz/<Class>.<method>.log; summary: target/fuzz/summary.tsv.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-5m}
[[ "${FUZZ_HEAP:-2g}" =~ ^[0-9]+[kKmMgG]?$ ]] || { echo "fuzz.sh: FUZZ_HEAP: a size such as 2g, not '$FUZZ_HEAP'" >&2; exit 2; }
EXECUTIONS=${EXECUTIONS:-0}
ALL=(
  ImagesFuzzTest#layerTar ImagesFuzzTest#imageArchive
  ArchivesFuzzTest#functionZip ArchivesFuzzTest#javaArchive
  OsPackagesFuzzTest#dpkgStatus OsPackagesFuzzTest#dpkgCopyright OsPackagesFuzzTest#osRelease OsPackagesFuzzTest#apkInstalled OsPackagesFuzzTest#rpmHeader
  OsPackagesFuzzTest#rpmSqlite OsPackagesFuzzTest#rpmBerkeleyDb OsPackagesFuzzTest#rpmNdb OsPackagesFuzzTest#goBuildInfo
  LockFilesFuzzTest#packageLock LockFilesFuzzTest#yarnLock LockFilesFuzzTest#pnpmLock LockFilesFuzzTest#npmPackageJson
  LockFilesFuzzTest#poetryLock LockFilesFuzzTest#pipfileLock LockFilesFuzzTest#requirementsTxt
  LockFilesFuzzTest#pythonMetadata LockFilesFuzzTest#goMod LockFilesFuzzTest#cargoLock LockFilesFuzzTest#gemfileLock
  LockFilesFuzzTest#composerLock LockFilesFuzzTest#dotnetDeps LockFilesFuzzTest#dotnetPackagesLock
  LockFilesFuzzTest#gradleLockfile LockFilesFuzzTest#gradleDependencies LockFilesFuzzTest#gradleVerificationMetadata
  AdvisoriesFuzzTest#osvRecord AdvisoriesFuzzTest#kevCatalog AdvisoriesFuzzTest#sbom
  ConfigChecksFuzzTest#dockerfile ConfigChecksFuzzTest#kubernetes ConfigChecksFuzzTest#compose
  ConfigChecksFuzzTest#samTemplate ConfigChecksFuzzTest#serverless ConfigChecksFuzzTest#structuredText
  HostChecksFuzzTest#generatedRoot SecretScannerFuzzTest#fileContent FunctionCodeFuzzTest#classFile FunctionCodeFuzzTest#sourceCode
  VersionSchemesFuzzTest#debian VersionSchemesFuzzTest#rpm VersionSchemesFuzzTest#apk VersionSchemesFuzzTest#maven
  VersionSchemesFuzzTest#semver VersionSchemesFuzzTest#go VersionSchemesFuzzTest#pep440
  VersionSchemesFuzzTest#rubygems VersionSchemesFuzzTest#nuget VersionSchemesFuzzTest#composer
)
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=("${ALL[@]}")

mvn -B -o -q test-compile
mkdir -p target/fuzz
SUMMARY=target/fuzz/summary.tsv
[ -f "$SUMMARY" ] || printf 'target\texecutions\tseconds\texec_per_s\tresult\n' > "$SUMMARY"
for target in "${TARGETS[@]}"; do
  log="target/fuzz/${target/\#/.}.log"
  args=(-Djazzer.max_duration="$DURATION")
  [ "$EXECUTIONS" != 0 ] && args+=(-Djazzer.max_executions="$EXECUTIONS")
  # Fuzzing mode: the bug detectors and coverage hooks on; JUnit's own @Timeout off (it would stop the
  # whole run), Jazzer turns the @Timeout into libFuzzer's per-input -timeout instead. Coverage is taken from
  # Palisade's own classes only: the libraries (Jackson, SnakeYAML, Commons Compress) still run on every input,
  # but instrumenting them too made the slow targets 1.5 times slower (dockerfile: 1,436 against 2,190 exec/s).
  # The SQL injection detector parses every statement with JSqlParser; the only SQL the targets run is the rpm
  # cataloger's one constant query (rpmSqlite, and an image holding an rpmdb.sqlite), which made rpmSqlite 11 times
  # slower (367 against 4,157 exec/s with the next line too).
  # Temporary files (rpmdb copies, spooled archives) go to memory where the machine has /dev/shm.
  disabled_hooks=com.code_intelligence.jazzer.sanitizers.SqlInjection
  # RegexRoadblocks is guidance, not a bug detector: it reports each java.util.regex node match to libFuzzer so
  # that mutations can satisfy a pattern. In the dockerfile target, where every finding's quoted line goes
  # through the seven redaction patterns, it held 64% of a JFR profile's samples: 515 exec/s with it against
  # 1,690 without (71 s each). Jazzer separates the classes of this list with ':' (a ',' leaves both hooks on).
  [ "${NO_REGEX_GUIDANCE:-0}" = 1 ] && disabled_hooks+=:com.code_intelligence.jazzer.sanitizers.RegexRoadblocks
  args+=(-Djazzer.disabled_hooks="$disabled_hooks")
  # A bounded heap, so that an input that makes a parser allocate without bound is a finding (Jazzer reports
  # the OutOfMemoryError) rather than a machine slowly running out of memory.
  jvm_args="-Xmx${FUZZ_HEAP:-2g}"
  [ -d /dev/shm ] && [ -w /dev/shm ] && jvm_args+=" -Djava.io.tmpdir=/dev/shm"
  args+=("-DargLine=$jvm_args")
  status=0
  JAZZER_FUZZ=1 mvn -B -o surefire:test -Dtest="dev.palisade.fuzz.$target" -Dsurefire.failIfNoSpecifiedTests=false \
      -Djazzer.hooks=true -Djazzer.instrumentation_includes='dev.palisade.**' -Djunit.jupiter.execution.timeout.mode=disabled "${args[@]}" > "$log" 2>&1 || status=$?
  done_line=$(grep -aE '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 || true)
  runs=$(sed -E 's/^Done ([0-9]+) runs in ([0-9]+) second.*/\1/' <<< "$done_line")
  secs=$(sed -E 's/^Done ([0-9]+) runs in ([0-9]+) second.*/\2/' <<< "$done_line")
  if [ -z "$done_line" ]; then
    # libFuzzer prints no "Done" line when it stops on a finding: take the last status line instead
    last=$(grep -aE '^#[0-9]+' "$log" | tail -1 || true)
    runs=$(sed -E 's/^#([0-9]+).*/\1/' <<< "$last"); secs=""
  fi
  rate=""; [ -n "$secs" ] && [ "$secs" -gt 0 ] && rate=$((runs / secs))
  result=ok; [ $status -ne 0 ] && result="FINDING (see $log)"
  printf '%s\t%s\t%s\t%s\t%s\n' "$target" "${runs:-?}" "${secs:-?}" "${rate:-?}" "$result" | tee -a "$SUMMARY"
done
