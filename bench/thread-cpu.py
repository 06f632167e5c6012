#!/usr/bin/env python3
"""Where one run's CPU goes, thread by thread: runs COMMAND, reads the user and system time of each of its
threads from /proc every few milliseconds while it runs, and prints the last figures it read, grouped.

    bench/thread-cpu.py COMMAND [ARG...]     (the command's standard output goes to /dev/null)

The command must be the process that does the work (./palisade execs java once its start-up archive exists).
Figures are in seconds, to the kernel's clock tick (10 ms); a thread that ends between two reads loses at most
the time since the read before, and the whole run's own total (user + system, from the kernel at its end) is
printed beside the sum so that the difference shows. Linux only.
"""
import os
import subprocess
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")

# /proc keeps the first 15 bytes of a thread's name
GROUPS = [
    ("JIT compilers (C1 and C2)", lambda name: name.startswith(("C1 CompilerThre", "C2 CompilerThre"))),
    ("main thread", lambda name: name in ("java", "main")),
    ("layer inflating and hashing", lambda name: name.startswith("palisade-inflat")),
    ("other Palisade threads", lambda name: name.startswith("palisade-")),
    ("garbage collector and VM", lambda name: name.startswith(("VM Thread", "GC Thread", "VM Periodic"))),
]


def thread_times(pid):
    times = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return times
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        times[tid] = (name, int(fields[11]) + int(fields[12]))  # utime, stime
    return times


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    before = os.times()
    started = time.monotonic()
    child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)  # its errors on stderr
    last = {}
    while child.poll() is None:
        last.update(thread_times(child.pid))
        time.sleep(0.02)
    wall = time.monotonic() - started
    after = os.times()  # the child is reaped by now, so its time is in these
    total = after.children_user + after.children_system - before.children_user - before.children_system
    sums = {label: 0 for label, _ in GROUPS}
    sums["other threads"] = 0
    for name, ticks in last.values():
        label = next((label for label, test in GROUPS if test(name)), "other threads")
        sums[label] += ticks / TICK
    threads = sum(sums.values())
    if threads < 0.8 * total:
        print(f"thread-cpu: the threads read hold {threads:.2f} of {total:.2f} s of CPU: did the command run its"
              " work in a child process (a start-up archive being made) instead of exec'ing it?", file=sys.stderr)
    print(f"wall {wall:.2f}")
    print(f"cpu {total:.2f}")
    print(f"threads {threads:.2f}")
    for label, seconds in sums.items():
        print(f"{label}\t{seconds:.2f}")
    sys.exit(child.returncode if child.returncode >= 0 else 128 - child.returncode)


if __name__ == "__main__":
    main()
