#!/usr/bin/python3
"""What the scheduler saw of a path's processes while its RTT pings ran (`BENCH_HOPS=1 bench.sh
tunnel`): the change between two snapshots of /proc/PID/task/TID (schedstat: time on CPU, time
waiting on a run queue, time slices; status: voluntary and involuntary switches), per ping, for the
threads that ran most. A voluntary switch is a sleep (a wake-up follows), an involuntary one a
preemption.

usage: sched.py snap PIDS_FILE REGEX > SNAPSHOT (PIDS_FILE: the bench's "pid name ns" lines)
       sched.py diff BEFORE AFTER PINGS"""
import glob
import os
import re
import sys


def snap(pids_file, regex):
    for line in open(pids_file):
        f = line.split()
        if len(f) < 2 or not re.search(regex, f[1]):
            continue
        for task in glob.glob("/proc/%s/task/*" % f[0]):
            try:
                comm = open(task + "/comm").read().strip().replace(" ", "_")
                run, wait, slices = open(task + "/schedstat").read().split()[:3]
                status = open(task + "/status").read()
            except OSError:
                continue
            vol = re.search(r"^voluntary_ctxt_switches:\s+(\d+)", status, re.M).group(1)
            inv = re.search(r"^nonvoluntary_ctxt_switches:\s+(\d+)", status, re.M).group(1)
            print(f[1], os.path.basename(task), comm, run, wait, slices, vol, inv)


def load(path):
    out = {}
    for line in open(path):
        f = line.split()
        out[(f[0], f[1])] = (f[2], [int(x) for x in f[3:]])
    return out


def diff(before, after, pings):
    a, b = load(before), load(after)
    rows = []
    for key, (comm, v) in b.items():
        if key not in a:
            continue
        d = [x - y for x, y in zip(v, a[key][1])]
        rows.append((d[0], key[0], comm, d))
    rows.sort(reverse=True)
    n = float(pings)
    for _, proc, comm, d in rows[:4]:
        if d[0] <= 0:
            break
        print("    %s %s: per ping CPU %.1f us, run-queue wait %.1f us, slices %.2f, sleeps %.2f, preempted %.2f"
              % (proc, comm, d[0] / 1e3 / n, d[1] / 1e3 / n, d[2] / n, d[3] / n, d[4] / n))


if __name__ == "__main__":
    if sys.argv[1] == "snap":
        snap(sys.argv[2], sys.argv[3])
    else:
        diff(sys.argv[2], sys.argv[3], sys.argv[4])
