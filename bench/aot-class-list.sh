#!/usr/bin/env bash
# Writes src/main/resources/dev/palisade/cli/aot-training-classes.txt: the classes that cold scans of the corpus
# images, the large image (when bench/build-large-image.sh has made it) and the test fixtures load. The launcher's
# training run of a scan command loads them too (Main, -Dpalisade.aot.training=true), so that the start-up archive
# it makes holds every cataloger's classes, whatever the first scan happened to read. Rerun after adding a cataloger
# or a library; a class the list names that no longer exists is skipped.
#
#   bench/aot-class-list.sh        needs a vulnerability database in the default cache directory
set -euo pipefail
cd "$(dirname "$0")/.."
out=src/main/resources/dev/palisade/cli/aot-training-classes.txt
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
scan_opts="-Xmx512m -XX:+UseSerialGC -Xlog:disable -Xlog:all=error:stderr"
n=0
run() {
  n=$((n + 1))
  PALISADE_JVM_CACHE=0 PALISADE_JAVA_OPTS="$scan_opts -Xlog:class+load=info:file=$tmp/$n.txt" \
    ./palisade "$@" --skip-db-update --no-progress -q -f json -o /dev/null || true
}
run image ../shared/corpus/jvm-app.tar --no-layer-cache
run image ../shared/corpus/debian-bookworm-minbase.tar --no-layer-cache
[ -f bench/out/debian-large.tar ] && run image bench/out/debian-large.tar --no-layer-cache
run fs src/test/resources/fixtures
# Classes with a name a class loader can find: no lambdas, proxies or other hidden classes.
cat "$tmp"/*.txt \
  | sed -n 's/^\[[^]]*\]\[info\]\[class,load\] \([^ ]*\) source: .*/\1/p' \
  | grep -v -e '/' -e '\$\$Lambda' -e '\$Proxy' -e '^jdk\.internal\.reflect\.Generated' \
  | LC_ALL=C sort -u >"$out"
echo "$(wc -l <"$out") classes in $out" >&2
