#!/usr/bin/env bash
# Registry benchmark: 20 tags that share the minbase layer (each adds one small layer of its own), in a
# local docker-registry on 127.0.0.1. Times `palisade registry --all-tags` with a cold layer cache, with
# only the shared base cached, and fully warm, against 20 separate `palisade image` runs without cache.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package >/dev/null
work=$(mktemp -d); trap 'kill $registry_pid 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s/data\nhttp:\n  addr: 127.0.0.1:%s\n' "$work" "$port" > "$work/config.yml"
docker-registry serve "$work/config.yml" >/dev/null 2>&1 & registry_pid=$!
sleep 1
python3 - "$work" ../shared/corpus/debian-bookworm-minbase.tar <<'PY'
import gzip, hashlib, io, json, sys, tarfile
work, base = sys.argv[1], sys.argv[2]
src = tarfile.open(base)
manifest = json.load(src.extractfile("manifest.json"))[0]
base_blob = src.extractfile(manifest["Layers"][0]).read()
base_config = json.load(src.extractfile(manifest["Config"]))
for i in range(1, 21):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as t:
        data = json.dumps({"name": "bench-app-%d" % i, "version": "1.0.%d" % i}).encode()
        info = tarfile.TarInfo("app/node_modules/bench-app-%d/package.json" % i); info.size = len(data)
        t.addfile(info, io.BytesIO(data))
    layer = raw.getvalue()
    blob = gzip.compress(layer, mtime=0)
    config = dict(base_config)
    config["rootfs"] = {"type": "layers", "diff_ids": base_config["rootfs"]["diff_ids"] + ["sha256:" + hashlib.sha256(layer).hexdigest()]}
    config["history"] = base_config["history"] + [{"created_by": "COPY app %d" % i}]
    cfg = json.dumps(config).encode()
    cfg_name = hashlib.sha256(cfg).hexdigest() + ".json"
    names = [manifest["Layers"][0], hashlib.sha256(blob).hexdigest() + ".tar.gz"]
    with tarfile.open("%s/app-%d.tar" % (work, i), "w") as t:
        for name, content in [(names[0], base_blob), (names[1], blob), (cfg_name, cfg),
                              ("manifest.json", json.dumps([{"Config": cfg_name, "RepoTags": ["bench/app:v%d" % i], "Layers": names}]).encode())]:
            info = tarfile.TarInfo(name); info.size = len(content); t.addfile(info, io.BytesIO(content))
PY
for i in $(seq 1 20); do skopeo copy -q --dest-tls-verify=false "docker-archive:$work/app-$i.tar" "docker://127.0.0.1:$port/bench/app:v$i"; done
java -jar target/palisade.jar db update --cache-dir "$work/cache" --db-mirror ../shared/vulndata/osv >/dev/null 2>&1
run() { local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); echo "$e - $s" | bc; }
P="java -Xmx512m -Xmn16m -XX:SoftMaxHeapSize=104m -XX:+UseSerialGC -jar target/palisade.jar"
common="--cache-dir $work/cache --offline --insecure"
rm -rf "$work/cache/layers"
cold=$(run $P registry 127.0.0.1:$port/bench/app --all-tags $common)
rm -rf "$work/cache/layers"
$P image 127.0.0.1:$port/bench/app:v1 $common -q -f json >/dev/null
base_only=$(run $P registry 127.0.0.1:$port/bench/app --all-tags $common)
warm=$(run $P registry 127.0.0.1:$port/bench/app --all-tags $common)
nocache=$(run $P registry 127.0.0.1:$port/bench/app --all-tags $common --no-layer-cache)
separate=$(run bash -c "for i in \$(seq 1 20); do $P image 127.0.0.1:$port/bench/app:v\$i $common --no-layer-cache -q -f json >/dev/null; done")
printf 'registry --all-tags, cold cache:        %6.2f s\n' "$cold"
printf 'registry --all-tags, base layer cached: %6.2f s\n' "$base_only"
printf 'registry --all-tags, fully warm:        %6.2f s\n' "$warm"
printf 'registry --all-tags, no layer cache:     %6.2f s\n' "$nocache"
printf '20 separate image scans, no cache:      %6.2f s\n' "$separate"
