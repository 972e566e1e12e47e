#!/usr/bin/python3
"""thread-cpu.py SECONDS PID...: where the CPU and wake-ups of running processes (nodes) go, per thread.

Reads every thread's CPU time (/proc/PID/task/TID/schedstat, nanoseconds, not the 10-ms ticks of
stat) and context switches (voluntary + involuntary: a blocked thread's wake-ups) twice, SECONDS
apart, and prints per thread group (numbers in names folded: one line for all tunnel threads) the
mean per process: CPU in % of a core and wake-ups per second, busiest first, with the total.
With SECONDS 0 it prints the CPU seconds each group has used since the process started (start-up
CPU: run it when the node's links are up). Read-only; any user who may read /proc/PID.
"""
import collections
import sys
import time

from proctask import group, tasks


def threads(pid):
    return {tid: (group(comm), cpu / 1e9, vol + invol) for tid, (comm, cpu, vol, invol) in tasks(pid).items()}


def main():
    seconds, pids = float(sys.argv[1]), sys.argv[2:]
    if not pids:
        sys.exit(__doc__)
    before = {p: threads(p) for p in pids}
    if seconds > 0:
        time.sleep(seconds)
    after = {p: threads(p) for p in pids}
    cpu, wake = collections.Counter(), collections.Counter()
    for p in pids:
        for tid, (g, c, s) in after[p].items():
            _, c0, s0 = before[p].get(tid, (g, 0, 0)) if seconds > 0 else (g, 0, 0)
            cpu[g] += (c - c0) / len(pids)
            wake[g] += (s - s0) / len(pids)
    if seconds > 0:
        print(f"{'thread group':<28} {'CPU %':>7} {'wake-ups/s':>11}   (mean of {len(pids)} processes over {seconds:g} s)")
        for g, c in sorted(cpu.items(), key=lambda kv: -kv[1]):
            if c > 0 or wake[g] > 0:
                print(f"{g:<28} {100 * c / seconds:7.3f} {wake[g] / seconds:11.1f}")
        print(f"{'total':<28} {100 * sum(cpu.values()) / seconds:7.3f} {sum(wake.values()) / seconds:11.1f}")
    else:
        print(f"{'thread group':<28} {'CPU s':>7}   (mean of {len(pids)} processes since start)")
        for g, c in sorted(cpu.items(), key=lambda kv: -kv[1]):
            if c >= 0.005:
                print(f"{g:<28} {c:7.2f}")
        print(f"{'total':<28} {sum(cpu.values()):7.2f}")


if __name__ == "__main__":
    main()
