#!/usr/bin/env bash
# Builds the large benchmark image from Debian packages, without a Docker daemon: a bookworm root
# filesystem with a JDK, Maven (hundreds of jars in /usr/share/java), compilers, Python and Node.js
# (hundreds of node_modules packages), written as a two-layer docker-archive with gzip layers.
#   bench/build-large-image.sh [OUT.tar]       (default: bench/out/debian-large.tar; kept between runs)
set -euo pipefail
cd "$(dirname "$0")"
out=${1:-out/debian-large.tar}
[ -f "$out" ] && { echo "$out"; exit 0; }
command -v mmdebstrap >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap >/dev/null; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$(dirname "$out")"
# Layer 1 is a minbase system. Layer 2 is the whole system with the tools installed, not a diff (a
# diff needs a daemon or overlayfs): every file of layer 1 is written again, so the merge and the
# per-layer attribution are exercised on thousands of replaced files.
SOURCE_DATE_EPOCH=1735689600 mmdebstrap --quiet --variant=minbase --format=tar bookworm "$work/base.tar"
SOURCE_DATE_EPOCH=1735689600 mmdebstrap --quiet --variant=minbase --format=tar \
  --include=default-jdk-headless,maven,gcc,g++,make,python3,python3-pip,python3-venv,git,curl,nodejs,npm,perl,vim-nox \
  bookworm "$work/full.tar"
python3 - "$work" "$out" <<'PY'
import gzip, hashlib, io, json, os, sys, tarfile
work, out = sys.argv[1], sys.argv[2]
layers, diff_ids = [], []
for name in ("base.tar", "full.tar"):
    raw = open(os.path.join(work, name), "rb").read()
    diff_ids.append("sha256:" + hashlib.sha256(raw).hexdigest())
    blob = gzip.compress(raw, compresslevel=6, mtime=0)
    layers.append((hashlib.sha256(blob).hexdigest() + ".tar.gz", blob))
config = json.dumps({"architecture": "amd64", "os": "linux", "config": {"Cmd": ["bash"]},
    "rootfs": {"type": "layers", "diff_ids": diff_ids},
    "history": [{"created_by": "mmdebstrap --variant=minbase bookworm"},
                {"created_by": "RUN apt-get install default-jdk-headless maven gcc g++ python3 nodejs npm ..."}]}).encode()
config_name = hashlib.sha256(config).hexdigest() + ".json"
manifest = json.dumps([{"Config": config_name, "RepoTags": ["palisade-bench/debian-large:1"],
                        "Layers": [n for n, _ in layers]}]).encode()
with tarfile.open(out, "w") as t:
    for name, data in layers + [(config_name, config), ("manifest.json", manifest)]:
        info = tarfile.TarInfo(name); info.size = len(data); info.mtime = 1735689600
        t.addfile(info, io.BytesIO(data))
PY
echo "$out"
