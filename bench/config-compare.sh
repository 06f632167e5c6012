#!/usr/bin/env bash
# Side by side: `palisade config` and `trivy config` (offline build, see ../shared/tools/trivy-offline)
# on the check fixtures. Prints, per fixture, each tool's finding count and check ids.
# The differences are explained in docs/trivy-config-comparison.md.
#
#   bench/config-compare.sh [FIXTURE_DIR...]
set -euo pipefail
cd "$(dirname "$0")/.."
TRIVY=${TRIVY:-../shared/tools/trivy-offline}
OUT=$(mktemp -d "${TMPDIR:-/tmp}/config-compare.XXXXXX")
trap 'rm -rf "$OUT"' EXIT

fixtures=("$@")
if [ ${#fixtures[@]} -eq 0 ]; then
  fixtures=(src/test/resources/fixtures/checks/{dockerfile,k8s,compose,sam,serverless}-{bad,good})
fi

summarise() { # tool json-file
  python3 - "$1" "$2" <<'PY'
import collections, json, sys
tool, path = sys.argv[1], sys.argv[2]
report = json.load(open(path))
if tool == "palisade":
    ids = [m["id"] for m in report.get("misconfigurations", [])]
else:
    ids = [m["ID"] for r in report.get("Results") or [] for m in r.get("Misconfigurations") or []]
counts = collections.Counter(ids)
print(f"  {tool:9} {len(ids):3}  " + " ".join(f"{i}x{n}" if n > 1 else i for i, n in sorted(counts.items())))
PY
}

for dir in "${fixtures[@]}"; do
  name=$(basename "$dir")
  echo "$name"
  ./palisade config "$dir" --format json --output "$OUT/$name.palisade.json" --quiet || true
  "$TRIVY" config "$dir" --format json --output "$OUT/$name.trivy.json" >/dev/null 2>&1 || true
  summarise palisade "$OUT/$name.palisade.json"
  summarise trivy "$OUT/$name.trivy.json"
done
