#!/usr/bin/env python3
"""Regenerates the pinned advisory data the tests read (src/test/resources/vulndata).

Run from the project root after `mvn -B -q -DskipTests package` (it needs target/palisade.jar):

    python3 src/test/resources/vulndata/select-records.py [--shared ../shared]

A record of ../shared/vulndata/osv is kept, byte for byte, when
  (a) one of its affected entries names a package (OSV ecosystem with release, name) that Palisade
      finds in a corpus image or a catalog fixture (the inventories come from the real jar, with
      --scanners none), or
  (b) its id is in TEST_IDS: records the tests name although no fixture holds their package.
The KEV catalog keeps the entries of the CVEs those records name (id, aliases, upstream, related).
Zips are written with sorted entries and a fixed timestamp, so a rerun on the same data gives the
same bytes. Then review the test and golden diffs: see PROVENANCE.md.
"""
import argparse
import hashlib
import io
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

OUT = Path("src/test/resources/vulndata")
FIXTURES = Path("src/test/resources/fixtures")
CORPUS_IMAGES = ["jvm-app.tar", "debian-bookworm-minbase.tar"]
FIXTURE_SCANS = [("fs", d) for d in ["npm", "python", "php", "ruby", "rust", "golang", "dotnet"]] + [
    ("rootfs", d) for d in ["debian-bullseye", "apk"]]

# Named by MatcherTest (packages and releases no fixture holds: express, Go stdlib, buster's
# apache-log4j2) and kept whatever the fixtures become.
TEST_IDS = {
    "GHSA-jfh8-c2jp-5v3q", "GHSA-gww7-p5w4-wrfv", "GHSA-mjmj-j48q-9wg2", "GHSA-35jh-r3h4-6jhm",
    "GHSA-rv95-896h-c2vc", "GO-2023-2102", "PYSEC-2023-74", "RUSTSEC-2024-0003",
    "RUBYSEC-nokogiri-CVE-2019-5477", "FOPHP-guzzlehttp_guzzle_CVE-2022-29248", "DSA-5343-1", "DSA-5020-1",
    # MatcherTest's Go toolchain cases and CvssV4SeverityTest's CVSS v4 advisories
    "GO-2023-1839", "GO-2025-3421", "RUSTSEC-2026-0038", "RUSTSEC-2026-0066", "GHSA-2rmj-mq67-h97g",
}
ZIP_TIME = (2026, 1, 1, 0, 0, 0)
CVE = re.compile(r"CVE-\d{4}-\d+")


def name_key(ecosystem, name):
    """PackageNames.key of the main code: PyPI names are normalised, others compare as written."""
    return re.sub(r"[-_.]+", "-", name.lower()) if ecosystem == "PyPI" else name


def inventory(jar, args):
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(["java", "-jar", jar, *args, "--scanners", "none", "-f", "json", "-o", out.name],
                       check=True, stdout=subprocess.DEVNULL)
        return json.load(open(out.name, encoding="utf-8"))


def targets(report):
    """(OSV ecosystem, name key) of each package, as OsvTarget looks it up."""
    os_release = report.get("os")
    found = set()
    for p in report["packages"]:
        ecosystem = p["ecosystem"]
        name = p["name"]
        if ecosystem in ("Debian", "Alpine"):
            if not os_release:
                continue
            version = os_release["versionId"]
            ecosystem += ":" + (version.split(".")[0] if ecosystem == "Debian" else "v" + ".".join(version.split(".")[:2]))
            name = p.get("sourceName") or name
        found.add((ecosystem, name_key(ecosystem, name)))
    return found


def cves(record):
    ids = [record.get("id", "")] + record.get("aliases", []) + record.get("upstream", []) + record.get("related", [])
    return {i for i in ids if CVE.fullmatch(i)}


def write_zip(path, entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, entries[name], compresslevel=9)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default="../shared", type=Path)
    parser.add_argument("--jar", default="target/palisade.jar")
    args = parser.parse_args()
    vulndata = args.shared / "vulndata"

    wanted = set()
    for image in CORPUS_IMAGES:
        wanted |= targets(inventory(args.jar, ["image", str(args.shared / "corpus" / image)]))
    for command, fixture in FIXTURE_SCANS:
        wanted |= targets(inventory(args.jar, [command, str(FIXTURES / fixture)]))

    kept_cves = set()
    kept_ids = set()
    print("| file | shared sha256 | shared records | pinned records | pinned bytes |")
    print("| --- | --- | --- | --- | --- |")
    for source in sorted((vulndata / "osv").glob("*/all.zip")):
        kept = {}
        with zipfile.ZipFile(source) as z:
            names = [n for n in z.namelist() if n.endswith(".json")]
            for entry in names:
                data = z.read(entry)
                record = json.loads(data)
                matches = any((a.get("package", {}).get("ecosystem"), name_key(a.get("package", {}).get("ecosystem", ""),
                               a.get("package", {}).get("name", ""))) in wanted for a in record.get("affected", []))
                if matches or record.get("id") in TEST_IDS:
                    kept[entry] = data
                    kept_ids.add(record.get("id"))
                    kept_cves |= cves(record)
        target = OUT / "osv" / source.parent.name / "all.zip"
        if kept:
            write_zip(target, kept)
        elif target.exists():
            target.unlink()
        print(f"| osv/{source.parent.name}/all.zip | {sha256(source)} | {len(names)} | {len(kept)} | "
              f"{target.stat().st_size if kept else 0} |")

    missing = TEST_IDS - kept_ids
    if missing:
        sys.exit("not in the shared data any more: " + ", ".join(sorted(missing)))

    source = vulndata / "kev" / "known_exploited_vulnerabilities.json"
    catalog = json.loads(source.read_text(encoding="utf-8"))
    catalog["vulnerabilities"] = [v for v in catalog["vulnerabilities"] if v["cveID"] in kept_cves]
    shared_count = catalog["count"]
    catalog["count"] = len(catalog["vulnerabilities"])
    target = OUT / "kev" / "known_exploited_vulnerabilities.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(catalog, indent=4) + "\n", encoding="utf-8")
    print(f"| kev/known_exploited_vulnerabilities.json | {sha256(source)} | {shared_count} | {catalog['count']} | "
          f"{target.stat().st_size} |")


if __name__ == "__main__":
    main()
