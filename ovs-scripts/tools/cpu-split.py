#!/usr/bin/python3
"""cpu-split.py SECONDS NETNS...: where both cores go during a measurement, per thread.

Reads, twice SECONDS apart, the CPU time (/proc/PID/task/TID/schedstat, nanoseconds) of every
thread of every process in the named network namespaces (`ip netns pids`: tunnel ends, iperf3,
coturn) and of the kernel's softirq threads, and the machine's /proc/stat split. Prints one line
per process and thread group (numbers in thread names folded), busiest first, in % of one core,
with its sleeps and preemptions per second, then the machine's user / system / softirq / idle in % of one core (200 = both cores). Softirq
time (NAT forwarding, the receive path) is charged to whichever thread it interrupted, so a
thread's figure includes the packet work done on its back. Read-only.
"""
import collections
import os
import re
import subprocess
import sys
import time

from proctask import group, tasks


def comm_of(pid):
    return open(f"/proc/{pid}/comm").read().strip()


def sample(pids):
    res = {}
    for pid, label in pids.items():
        for tid, (comm, cpu, vol, invol) in tasks(pid).items():
            res[(pid, tid)] = (f"{label} {group(comm)}", cpu, vol, invol)
    return res


def split(v):
    # user nice system idle iowait irq softirq steal
    return {"user": v[0] + v[1], "system": v[2], "irq+softirq": v[5] + v[6], "idle": v[3] + v[4]}


def machine():
    """The machine's split ("" key) and each CPU's ("cpuN"): with coturn pinned to one CPU
    (bench tunnel BENCH_RELAY_CPU), which of them ran out."""
    res = {}
    for line in open("/proc/stat"):
        f = line.split()
        if not f or not f[0].startswith("cpu"):
            break
        res["" if f[0] == "cpu" else f[0]] = split([int(x) for x in f[1:9]])
    return res


def main():
    seconds, spaces = float(sys.argv[1]), sys.argv[2:]
    pids = {}
    for ns in spaces:
        out = subprocess.run(["ip", "netns", "pids", ns], capture_output=True, text=True).stdout.split()
        short = re.sub(r"^.*-", "", ns)
        for p in out:
            try:
                pids[p] = f"{comm_of(p)}@{short}"
            except OSError:
                pass
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                if comm_of(p).startswith("ksoftirqd"):
                    pids[p] = "kernel"
            except OSError:
                pass
    m0, s0 = machine(), sample(pids)
    time.sleep(seconds)
    m1, s1 = machine(), sample(pids)
    cpu, vol, invol = collections.Counter(), collections.Counter(), collections.Counter()
    for key, (g, c, v, i) in s1.items():
        if key in s0:
            cpu[g] += c - s0[key][1]
            vol[g] += v - s0[key][2]
            invol[g] += i - s0[key][3]
    hz = os.sysconf("SC_CLK_TCK")
    print(f"    per thread over {seconds:g} s: % of one core, sleeps/s (voluntary switches), preemptions/s")
    for g, c in sorted(cpu.items(), key=lambda kv: -kv[1]):
        if c / 1e9 / seconds >= 0.005:
            print(f"      {g:<36} {100 * c / 1e9 / seconds:6.1f} {vol[g] / seconds:9.0f} {invol[g] / seconds:7.0f}")
    print(f"      {'sum of the above':<36} {100 * sum(cpu.values()) / 1e9 / seconds:6.1f}")
    for name, m in m0.items():
        print(f"    {name or 'machine'}: " + ", ".join(
            f"{k} {100 * (m1[name][k] - m[k]) / hz / seconds:.0f}" for k in m))


if __name__ == "__main__":
    main()
