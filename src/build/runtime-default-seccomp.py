#!/usr/bin/python3
"""Converts a container runtime's default seccomp profile into Palisade's data file
(src/main/resources/dev/palisade/checks/runtime-default-seccomp.json): the calls it allows on x86_64.

Run with Debian's python3 (python3-seccomp resolves the names against libseccomp's x86_64 table):
  /usr/bin/python3 src/build/runtime-default-seccomp.py /usr/share/containers/seccomp.json \
      golang-github-containers-common "$(dpkg-query -W -f='${Version}' golang-github-containers-common)" \
      > src/main/resources/dev/palisade/checks/runtime-default-seccomp.json
"""
import hashlib
import json
import sys

import seccomp

path, package, version = sys.argv[1:4]
raw = open(path, "rb").read()
profile = json.loads(raw)


def native(name):
    try:
        return seccomp.resolve_syscall(seccomp.Arch.X86_64, name) >= 0
    except (ValueError, RuntimeError):
        return False


allowed, with_arguments, with_capability = set(), set(), {}
for rule in profile["syscalls"]:
    if rule["action"] != "SCMP_ACT_ALLOW":
        continue
    includes = rule.get("includes") or {}
    excludes = rule.get("excludes") or {}
    arches = includes.get("arches")
    if arches and "amd64" not in arches:
        continue
    if "amd64" in (excludes.get("arches") or []):
        continue
    names = [n for n in rule["names"] if native(n)]
    if includes.get("caps"):
        for cap in includes["caps"]:
            with_capability.setdefault(cap, set()).update(names)
        continue
    if rule.get("args"):
        with_arguments.update(names)
    allowed.update(names)

json.dump(
    {
        "source": {
            "package": package,
            "version": version,
            "path": path,
            "sha256": hashlib.sha256(raw).hexdigest(),
        },
        "architecture": "SCMP_ARCH_X86_64",
        "defaultAction": profile["defaultAction"],
        "defaultErrnoRet": profile.get("defaultErrnoRet"),
        "allowed": sorted(allowed),
        "allowedWithArguments": sorted(with_arguments),
        "allowedWithCapability": {cap: sorted(names) for cap, names in sorted(with_capability.items())},
    },
    sys.stdout,
    indent=1,
)
sys.stdout.write("\n")
