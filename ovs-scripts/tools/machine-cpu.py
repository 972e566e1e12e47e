#!/usr/bin/python3
"""machine-cpu.py OUT [PERIOD]: where a whole machine's CPU goes while a benchmark runs, by process
kind and thread group, sampled every PERIOD seconds (default 5) until killed.

Each sample appends one JSON line to OUT: {"t": epoch, "busy": jiffies busy, "total": jiffies,
"cpu": {"kind/thread-group|pid": CPU seconds since the process started}}.
Kinds: ovs-vswitchd, ovsdb-server, node (a Java process; its threads by name with numbers folded:
one line for all tunnel threads), reach (bench/reach.py), prosody, turnserver, kernel (kworker,
ksoftirqd: softirq work of veth/UDP/TAP), other. Run "machine-cpu.py --report OUT T0 T1 [T2 ...]"
to print the CPU seconds and share of each group between consecutive times (epoch seconds).

Why: on a 2-core machine running 32 nodes, 32 OVS daemons and the all-pairs probe, the probe
phase keeps both cores busy; this tells which of them spend it. Read-only; needs root to read
every /proc/PID/task.
"""
import collections
import json
import os
import sys
import time

from proctask import group as fold, tasks

TICK = os.sysconf("SC_CLK_TCK")


def group(k, comm):
    if k == "kernel":
        return comm.split("/")[0]  # a kworker's name changes with the work it runs
    return fold(comm) if k == "other" else k


def kind(pid, comm):
    if comm in ("ovs-vswitchd", "ovsdb-server", "turnserver"):
        return comm
    if comm.startswith(("kworker", "ksoftirqd")):
        return "kernel"
    try:
        cmd = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")
    except OSError:
        return None
    if cmd and cmd[0].endswith(b"java"):
        return "node"
    if any(a.endswith(b"reach.py") for a in cmd[:3]):
        return "reach"
    if any(b"prosody" in a for a in cmd[:3]):
        return "prosody"
    return "other"


def sample():
    cpu = collections.Counter()
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            stat = open(f"/proc/{pid}/stat").read()
            comm = stat[stat.index("(") + 1:stat.rindex(")")]
            k = kind(pid, comm)
            if k is None:
                continue
            if k in ("node", "ovs-vswitchd"):
                for tc, ns, _, _ in tasks(pid).values():
                    cpu[f"{k}/{fold(tc)}|{pid}"] += ns / 1e9
            else:
                f = stat[stat.rindex(")") + 2:].split()
                cpu[f"{k}/{group(k, comm)}|{pid}"] += (int(f[11]) + int(f[12])) / TICK
        except (OSError, ValueError):
            pass  # the process ended meanwhile
    with open("/proc/stat") as fh:
        v = [int(x) for x in fh.readline().split()[1:]]
    idle = v[3] + v[4]
    return {"t": time.time(), "busy": sum(v) - idle, "total": sum(v), "cpu": dict(cpu)}


def nearest(samples, t):
    return min(samples, key=lambda s: abs(s["t"] - t))


def report(path, times):
    samples = [json.loads(line) for line in open(path) if line.strip()]
    for a, b in zip(times, times[1:]):
        s0, s1 = nearest(samples, a), nearest(samples, b)
        dt = s1["t"] - s0["t"]
        d = collections.Counter()
        for k, v in s1["cpu"].items():
            # Keys are per process: one that started inside the interval counts from 0, one that
            # ended inside it is not in s1 (its last seconds are lost).
            d[k.split("|")[0]] += max(0.0, v - s0["cpu"].get(k, 0.0))
        total = sum(x for x in d.values() if x > 0)
        busy = (s1["busy"] - s0["busy"]) / TICK
        print(f"## {s0['t']:.0f} -> {s1['t']:.0f} ({dt:.0f} s): machine busy {busy:.1f} CPU s"
              f" ({100 * busy / max(dt, 1e-9):.0f}% of one core), by process {total:.1f} CPU s")
        by_kind = collections.Counter()
        for k, v in d.items():
            by_kind[k.split("/")[0]] += max(v, 0)
        print("| kind | CPU s | share |\n|---|---:|---:|")
        for k, v in by_kind.most_common():
            print(f"| {k} | {v:.1f} | {100 * v / max(total, 1e-9):.1f}% |")
        print("\n| thread group | CPU s | share |\n|---|---:|---:|")
        for k, v in d.most_common(25):
            if v >= 0.05:
                print(f"| {k} | {v:.1f} | {100 * v / max(total, 1e-9):.1f}% |")
        print()


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--report":
        report(sys.argv[2], [float(t) for t in sys.argv[3:]])
        return
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    period = float(sys.argv[2]) if len(sys.argv) > 2 else 5.0
    with open(sys.argv[1], "a") as out:
        while True:
            out.write(json.dumps(sample()) + "\n")
            out.flush()
            time.sleep(period)


if __name__ == "__main__":
    main()
