#!/usr/bin/python3
"""smaps-sum.py PID: where a process's resident memory lies, by mapping, largest first.

Reads /proc/PID/smaps and prints per mapping name (a file such as the class-data-sharing archive
or libjvm.so; anonymous mappings as "[anon]", the JVM's heap and code cache among them, and
[stack], [heap] for malloc's main arena) its size, RSS, PSS and private (dirty + clean) KB, then
the totals. RSS counts shared pages in full; PSS divides them among the processes mapping them.
Read-only.
"""
import collections
import sys


def main():
    pid = sys.argv[1]
    sums = collections.defaultdict(lambda: [0, 0, 0, 0, 0])
    name = None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            parts = line.split()
            if not parts:
                continue
            if not parts[0].endswith(":"):
                # A mapping's header: address perms offset dev inode [path]
                name = parts[5] if len(parts) > 5 else "[anon]"
                sums[name][4] += 1
                continue
            key = parts[0][:-1]
            if name is None or len(parts) < 2 or not parts[1].isdigit():
                continue
            kb = int(parts[1])
            if key == "Size":
                sums[name][0] += kb
            elif key == "Rss":
                sums[name][1] += kb
            elif key == "Pss":
                sums[name][2] += kb
            elif key in ("Private_Dirty", "Private_Clean"):
                sums[name][3] += kb
    print(f"{'mapping':60} {'size KB':>9} {'RSS KB':>8} {'PSS KB':>8} {'priv KB':>8} {'maps':>5}")
    total = [0, 0, 0, 0, 0]
    for n, v in sorted(sums.items(), key=lambda kv: -kv[1][1]):
        total = [a + b for a, b in zip(total, v)]
        if v[1] > 0:
            print(f"{n[-60:]:60} {v[0]:9} {v[1]:8} {v[2]:8} {v[3]:8} {v[4]:5}")
    print(f"{'total':60} {total[0]:9} {total[1]:8} {total[2]:8} {total[3]:8} {total[4]:5}")


if __name__ == "__main__":
    main()
