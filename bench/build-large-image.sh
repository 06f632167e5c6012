#!/usr/bin/env bash
# Builds the large benchmark image without a Docker daemon, as a three-layer docker-archive with gzip
# layers:
#   1. a bookworm minbase system (mmdebstrap);
#   2. the whole system again with a JDK, Maven, compilers, Python and Node.js installed (every file of
#      layer 1 rewritten: the merge and the per-layer attribution see thousands of replaced files);
#   3. an application: /opt/platform/lib (the jars of bench/large-image/pom.xml, resolved from Maven
#      Central), /opt/service/service.jar (a Spring-Boot-style fat jar: the jars of
#      bench/large-image/boot-pom.xml nested in BOOT-INF/lib) and /opt/web (npm ci --ignore-scripts of
#      bench/large-image/package-lock.json from the npm registry).
#   bench/build-large-image.sh [OUT.tar]       (default: bench/out/debian-large.tar; kept between runs)
# Needs the network (Debian apt, Maven Central, the npm registry) the first time; every step's result is
# kept in bench/out/large-image/ and not redone. The tar entries are sorted, owned by root and dated
# SOURCE_DATE_EPOCH, and the layers are compressed without a name or date; what still varies between
# builds is what the Debian mirror serves on the day (layers 1 and 2).
set -euo pipefail
cd "$(dirname "$0")"
out=${1:-out/debian-large.tar}
[ -f "$out" ] && { echo "$out"; exit 0; }
export SOURCE_DATE_EPOCH=1735689600
for tool in mmdebstrap mvn npm python3; do
  command -v $tool >/dev/null || { echo "build-large-image: $tool is needed (apt-get install mmdebstrap maven npm python3)" >&2; exit 1; }
done
cache=out/large-image
mkdir -p "$cache" "$(dirname "$out")"
cache=$(cd "$cache" && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

if [ ! -f "$cache/base.tar" ]; then
  mmdebstrap --quiet --variant=minbase --format=tar bookworm "$cache/base.tar.part"
  mv "$cache/base.tar.part" "$cache/base.tar"
fi
if [ ! -f "$cache/full.tar" ]; then
  mmdebstrap --quiet --variant=minbase --format=tar \
    --include=default-jdk-headless,maven,gcc,g++,make,python3,python3-pip,python3-venv,git,curl,nodejs,npm,perl,vim-nox \
    bookworm "$cache/full.tar.part"
  mv "$cache/full.tar.part" "$cache/full.tar"
fi

if [ ! -f "$cache/app.tar" ]; then
  app=$work/app
  mkdir -p "$app/opt/platform/lib" "$app/opt/service" "$app/opt/web" "$work/boot-lib" "$work/loader"
  mvn=(mvn -B -q -Dmaven.repo.local="$cache/m2")
  "${mvn[@]}" -f large-image/pom.xml dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$app/opt/platform/lib"
  "${mvn[@]}" -f large-image/boot-pom.xml dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$work/boot-lib"
  "${mvn[@]}" -f large-image/boot-pom.xml dependency:copy \
    -Dartifact=org.springframework.boot:spring-boot-loader:3.2.5 -DoutputDirectory="$work/loader"
  cp large-image/package.json large-image/package-lock.json "$app/opt/web/"
  (cd "$app/opt/web" && npm ci --ignore-scripts --no-audit --no-fund --cache "$cache/npm-cache" >/dev/null)
  python3 - "$app" "$work/boot-lib" "$work/loader" "$cache/app.tar.part" <<'PY'
import io, os, stat, sys, tarfile, zipfile
app, boot_lib, loader_dir, out = sys.argv[1:5]
epoch = int(os.environ["SOURCE_DATE_EPOCH"])
stamp = (2025, 1, 1, 0, 0, 0)

# A Spring Boot 3.2 executable jar, laid out as spring-boot-maven-plugin's repackage lays it out:
# the loader's classes at the root, nested jars stored (not deflated) in BOOT-INF/lib.
def entry(z, name, data, method=zipfile.ZIP_DEFLATED):
    info = zipfile.ZipInfo(name, stamp); info.compress_type = method
    info.external_attr = 0o644 << 16
    z.writestr(info, data)
libs = sorted(os.listdir(boot_lib))
with zipfile.ZipFile(os.path.join(app, "opt/service/service.jar"), "w") as z:
    entry(z, "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nMain-Class: "
          "org.springframework.boot.loader.launch.JarLauncher\r\nStart-Class: com.example.service.Application\r\n"
          "Spring-Boot-Version: 3.2.5\r\nSpring-Boot-Classes: BOOT-INF/classes/\r\nSpring-Boot-Lib: BOOT-INF/lib/\r\n"
          "Spring-Boot-Classpath-Index: BOOT-INF/classpath.idx\r\nBuild-Jdk-Spec: 17\r\n\r\n")
    entry(z, "META-INF/maven/com.example/service/pom.properties",
          "artifactId=service\ngroupId=com.example\nversion=1.4.2\n")
    entry(z, "BOOT-INF/classes/application.properties", "server.port=8080\nspring.jpa.open-in-view=false\n")
    entry(z, "BOOT-INF/classpath.idx", "".join(f'- "BOOT-INF/lib/{n}"\n' for n in libs))
    for lib in libs:
        entry(z, "BOOT-INF/lib/" + lib, open(os.path.join(boot_lib, lib), "rb").read(), zipfile.ZIP_STORED)
    loader = zipfile.ZipFile(os.path.join(loader_dir, "spring-boot-loader-3.2.5.jar"))
    for name in sorted(loader.namelist()):
        if name.startswith("org/") and not name.endswith("/"):
            entry(z, name, loader.read(name))

# The layer: every entry sorted, owned by root, dated SOURCE_DATE_EPOCH.
def normalise(info):
    info.uid = info.gid = 0; info.uname = info.gname = "root"; info.mtime = epoch
    if info.isdir():
        info.mode = 0o755
    elif info.isfile():
        info.mode = 0o755 if info.mode & stat.S_IXUSR else 0o644
    return info
with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as t:
    for root, dirs, files in os.walk(app):
        dirs.sort()
        for name in sorted(dirs + files):
            path = os.path.join(root, name)
            info = normalise(t.gettarinfo(path, os.path.relpath(path, app)))
            if info.isfile():
                with open(path, "rb") as f:
                    t.addfile(info, f)
            else:
                t.addfile(info)
PY
  mv "$cache/app.tar.part" "$cache/app.tar"
fi

python3 - "$cache" "$out.part" <<'PY'
import gzip, hashlib, json, os, shutil, sys, tarfile
cache, out = sys.argv[1], sys.argv[2]
layers, diff_ids = [], []
for name in ("base.tar", "full.tar", "app.tar"):
    raw_hash = hashlib.sha256()
    blob = os.path.join(cache, name + ".gz")
    with open(os.path.join(cache, name), "rb") as raw, open(blob, "wb") as f:
        with gzip.GzipFile(filename="", mode="wb", compresslevel=6, fileobj=f, mtime=0) as z:
            for chunk in iter(lambda: raw.read(1 << 20), b""):
                raw_hash.update(chunk); z.write(chunk)
    diff_ids.append("sha256:" + raw_hash.hexdigest())
    blob_hash = hashlib.sha256()
    with open(blob, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            blob_hash.update(chunk)
    layers.append((blob_hash.hexdigest() + ".tar.gz", blob))
config = json.dumps({"architecture": "amd64", "os": "linux", "config": {"Cmd": ["bash"]},
    "rootfs": {"type": "layers", "diff_ids": diff_ids},
    "history": [{"created_by": "mmdebstrap --variant=minbase bookworm"},
                {"created_by": "RUN apt-get install default-jdk-headless maven gcc g++ python3 nodejs npm ..."},
                {"created_by": "COPY platform/lib service.jar web/ /opt/"}]}).encode()
config_name = hashlib.sha256(config).hexdigest() + ".json"
manifest = json.dumps([{"Config": config_name, "RepoTags": ["palisade-bench/debian-large:2"],
                        "Layers": [n for n, _ in layers]}]).encode()
def member(name, size):
    info = tarfile.TarInfo(name); info.size = size; info.mtime = int(os.environ["SOURCE_DATE_EPOCH"])
    return info
with tarfile.open(out, "w") as t:
    for name, path in layers:
        with open(path, "rb") as f:
            t.addfile(member(name, os.path.getsize(path)), f)
        os.remove(path)
    for name, data in ((config_name, config), ("manifest.json", manifest)):
        import io
        t.addfile(member(name, len(data)), io.BytesIO(data))
PY
mv "$out.part" "$out"
echo "$out"
