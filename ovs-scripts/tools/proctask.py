"""Per-thread CPU time and context switches of a process from /proc, shared by the CPU tools
(thread-cpu.py, cpu-split.py, machine-cpu.py). Not a command."""
import os
import re


def group(comm):
    """A thread's group: numbers in its name folded (one group for all tunnel threads, all kworkers)."""
    return re.sub(r"\d+", "N", re.sub(r"[-_ #/]?\d+$", "", comm))


def tasks(pid):
    """{tid: (comm, cpu_ns, voluntary, involuntary)} of the process's live threads.

    CPU from schedstat (nanoseconds, not stat's 10-ms ticks); voluntary switches are a blocked
    thread's wake-ups, involuntary ones preemptions. Threads (or the process) that end while being
    read are left out."""
    res = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return res
    for tid in tids:
        base = f"/proc/{pid}/task/{tid}"
        try:
            stat = open(f"{base}/stat").read()
            comm = stat[stat.index("(") + 1:stat.rindex(")")]
            cpu = int(open(f"{base}/schedstat").read().split()[0])
            vol = invol = 0
            for line in open(f"{base}/status"):
                if line.startswith("voluntary_ctxt_switches"):
                    vol = int(line.split()[1])
                elif line.startswith("nonvoluntary_ctxt_switches"):
                    invol = int(line.split()[1])
            res[tid] = (comm, cpu, vol, invol)
        except (OSError, ValueError):
            pass
    return res
