#!/usr/bin/python3
"""syscall-gaps.py TRACE [N]: where a data-path thread's time goes between its system calls.

TRACE is `perf script` text of `perf record -e raw_syscalls:sys_enter,raw_syscalls:sys_exit -p PIDS`
taken while a sparse ping (e.g. 200 at 50 ms) crosses a tunnel. For the N threads (default 2) that
made the most data calls (read, write, sendto, recvfrom, sendmmsg, recvmmsg), prints each call's
count and median/mean time inside the kernel, and the median/mean time in user space between each
pair of consecutive calls (e.g. recvmmsg>write: decrypting and handling one record), busiest pairs
first. User time here is wall time: it includes any preemption in between.

Used for issue 15 (tunnel-alone RTT): our agent against OpenVPN on the bench's two-namespace bed."""
import collections
import re
import statistics
import sys

NAMES = {0: "read", 1: "write", 7: "poll", 271: "ppoll", 299: "recvmmsg", 307: "sendmmsg", 24: "sched_yield",
         202: "futex", 44: "sendto", 45: "recvfrom", 232: "epoll_wait", 281: "epoll_pwait", 39: "getpid"}
DATA = {0, 1, 44, 45, 299, 307}
LINE = re.compile(r"^\s*(\S+)\s+(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+raw_syscalls:sys_(enter|exit):\s+NR (\d+)(?:.*= (-?\d+))?")


def load(path):
    calls, pending = collections.defaultdict(list), {}
    for line in open(path):
        m = LINE.match(line)
        if not m:
            continue
        tid, ts, nr = int(m.group(2)), float(m.group(4)) * 1e6, int(m.group(6))
        if m.group(5) == "enter":
            pending[tid] = (nr, ts)
        elif tid in pending and pending[tid][0] == nr:
            calls[tid].append((nr, pending.pop(tid)[1], ts, int(m.group(7) or 0)))
    return calls


def show(tid, c):
    name = lambda nr: str(NAMES.get(nr, nr))
    inside, between = collections.defaultdict(list), collections.defaultdict(list)
    for nr, enter, leave, ret in c:
        inside[name(nr) + ("" if ret >= 0 else " (error)")].append(leave - enter)
    for a, b in zip(c, c[1:]):
        between[name(a[0]) + ">" + name(b[0])].append(b[1] - a[2])
    print("thread %d: %d calls" % (tid, len(c)))
    print("  | call | count | median us inside | mean |")
    print("  |---|---:|---:|---:|")
    for k, v in sorted(inside.items(), key=lambda kv: -len(kv[1]))[:10]:
        print("  | %s | %d | %.0f | %.1f |" % (k, len(v), statistics.median(v), statistics.mean(v)))
    print("  | user time between | count | median us | mean |")
    for k, v in sorted(between.items(), key=lambda kv: -len(kv[1]))[:12]:
        print("  | %s | %d | %.0f | %.1f |" % (k, len(v), statistics.median(v), statistics.mean(v)))


def main():
    calls = load(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    for tid in sorted(calls, key=lambda t: -sum(1 for x in calls[t] if x[0] in DATA))[:n]:
        show(tid, calls[tid])


if __name__ == "__main__":
    main()
