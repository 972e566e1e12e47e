#!/usr/bin/env python3
"""All-pairs reachability probe for the overlay benchmark, in one process.

usage: reach.py T0 TIMEOUT REPORT NAME=NETNS=IP ...
       T0 = wait:FILE: open the sockets, create FILE.ready, wait for FILE to hold T0

Opens one raw ICMP socket inside every source namespace (setns, then back), then runs rounds: each
round sends one echo request from every host to every other host at once and waits up to one
second for the replies. It stops at the first round in which every pair answered ("all pairs
reach" = every leaf answers every other leaf in one round) and prints the seconds since T0 (epoch
seconds) at which that round completed; exit 1 if TIMEOUT seconds pass first.

Why not one ping process per pair: at 32 hosts that is 992 process spawns per round on a 2-core
machine, which made a round take tens of seconds and quantised the measurement by rounds.

REPORT.rounds also says per round how many of the previous round's misses were answered late (after
their second: slow, not unreachable), the median and largest round-trip of the answers in time, and
how busy the machine's CPUs were during the round (/proc/stat), so a slow formation can be told
apart from an unreachable one.

With REACH_NEIGH=1 (the overlay bench sets it with OV_BENCH_DIAG), REPORT.misses gets one line per
round with misses: the round's start, then every missing pair with the source leaf's neighbour
state for the destination's address at the round's end (read by one netlink dump per source
namespace: a=no entry, i=incomplete, f=failed, r=resolved (reachable, stale, delay, probe or
permanent)), so a pair that misses because ARP never resolved can be told from one whose frames
are lost on a resolved path.

REPORT gets one line per pair: "src dst first_success last_recovery" (seconds since T0; the last
recovery is the first success after the pair's last failed round, so flapping pairs show),
REPORT.rounds one line per round (start, duration, misses, some missing pairs), and stderr lists
the pairs that reached last.
"""
import ctypes
import os
import select
import socket
import struct
import sys
import time

CLONE_NEWNET = 0x40000000
ROUND_TIMEOUT = 1.0
MIN_ROUND = 0.3  # a round that completes early waits this long before the next: keeps the load down

libc = ctypes.CDLL(None, use_errno=True)


def setns(fd):
    if libc.setns(fd, CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), "setns")


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def echo(ident, seq):
    payload = b"symphonet-reach"
    header = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
    return struct.pack("!BBHHH", 8, 0, checksum(header + payload), ident, seq) + payload


NUD_INCOMPLETE, NUD_FAILED = 0x01, 0x20
RTM_GETNEIGH, RTM_NEWNEIGH, NLMSG_DONE, NLM_F_REQUEST, NLM_F_DUMP = 30, 28, 3, 1, 0x300


def neigh_states(sock):
    """IPv4 address (dotted) -> state letter (see the module doc) from one RTM_GETNEIGH dump."""
    req = struct.pack("=LHHLL", 16 + 12, RTM_GETNEIGH, NLM_F_REQUEST | NLM_F_DUMP, 1, 0) + \
        struct.pack("=BBHiHBB", socket.AF_INET, 0, 0, 0, 0, 0, 0)
    sock.send(req)
    out = {}
    while True:
        data = sock.recv(65536)
        off = 0
        while off + 16 <= len(data):
            length, typ = struct.unpack_from("=LH", data, off)
            if length < 16:
                return out
            if typ == NLMSG_DONE:
                return out
            if typ == RTM_NEWNEIGH and length >= 28:
                state = struct.unpack_from("=H", data, off + 24)[0]
                a = off + 28
                while a + 4 <= off + length:
                    alen, atyp = struct.unpack_from("=HH", data, a)
                    if alen < 4:
                        break
                    if atyp == 1 and alen == 8:  # NDA_DST
                        ip = socket.inet_ntoa(data[a + 4:a + 8])
                        out[ip] = "i" if state & NUD_INCOMPLETE else "f" if state & NUD_FAILED else "r"
                    a += (alen + 3) & ~3
            off += (length + 3) & ~3
        if off == 0:
            return out


def cpu_times():
    """(busy, total) jiffies of all CPUs together."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + (v[4] if len(v) > 4 else 0)
    return sum(v) - idle, sum(v)


def main():
    report = sys.argv[3]
    hosts = [a.split("=") for a in sys.argv[4:]]  # [name, netns, ip]
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    socks = {}
    nl = {}
    for name, ns, _ in hosts:
        fd = os.open("/var/run/netns/" + ns, os.O_RDONLY)
        setns(fd)
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
        s.setblocking(False)
        socks[name] = s
        if os.environ.get("REACH_NEIGH"):
            nl[name] = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)  # NETLINK_ROUTE, in this namespace
        os.close(fd)
    setns(home)
    if sys.argv[1].startswith("wait:"):
        # Opening the sockets took seconds in 32 namespaces on a loaded machine: do it before the
        # event (a node killed), then wait for the event's time in the named file.
        start_file = sys.argv[1][len("wait:"):]
        open(start_file + ".ready", "w").close()
        while not os.path.exists(start_file):
            time.sleep(0.01)
        time.sleep(0.01)  # the writer's single short write
        t0 = float(open(start_file).read())
    else:
        t0 = float(sys.argv[1])
    deadline = time.time() + float(sys.argv[2])
    ip_name = {ip: name for name, _, ip in hosts}
    ip_of = {name: ip for name, _, ip in hosts}
    ident = {name: (os.getpid() + i) & 0xFFFF for i, (name, _, _) in enumerate(hosts)}
    by_fd = {s.fileno(): name for name, s in socks.items()}
    pairs = [(a[0], b[0], b[2]) for a in hosts for b in hosts if a[0] != b[0]]
    misses_out = open(report + ".misses", "w") if nl else None
    progress = open(report + ".rounds", "w")  # per round: start, duration, misses, a few missing pairs
    first = {}
    recovered = {}
    seq = 0
    sent = {}  # seq -> {pair: send time}, this round's and the previous one's
    prev_missing = set()
    while True:
        seq = (seq + 1) & 0xFFFF
        start = time.time()
        cpu0 = cpu_times()
        sent[seq] = {}
        for old in [k for k in sent if k not in (seq, (seq - 1) & 0xFFFF)]:
            del sent[old]
        for src, dst, ip in pairs:
            try:
                sent[seq][(src, dst)] = time.time()
                socks[src].sendto(echo(ident[src], seq), (ip, 0))
            except OSError:
                pass  # no route or no neighbour yet: counts as a miss
        missing = {(src, dst) for src, dst, _ in pairs}
        rtts = []
        late = set()  # previous round's misses answered during this round
        # Every request gets its full second, counted from the last one sent: on a loaded machine
        # sending a round's requests takes a while itself, and a ping that was never waited for
        # must not count as a miss.
        end = time.time() + ROUND_TIMEOUT
        while missing and time.time() < end:
            ready, _, _ = select.select(list(socks.values()), [], [], max(0.0, end - time.time()))
            for s in ready:
                src = by_fd[s.fileno()]
                while True:
                    try:
                        pkt, addr = s.recvfrom(2048)
                    except BlockingIOError:
                        break
                    ihl = (pkt[0] & 0x0F) * 4
                    if len(pkt) < ihl + 8:
                        continue
                    typ, _, _, rid, rseq = struct.unpack("!BBHHH", pkt[ihl:ihl + 8])
                    dst = ip_name.get(addr[0])
                    if typ != 0 or rid != ident[src] or dst is None:
                        continue
                    if rseq != seq:
                        if (src, dst) in prev_missing and rseq in sent and (src, dst) in sent[rseq]:
                            late.add((src, dst))
                        continue
                    if (src, dst) in sent[seq]:
                        rtts.append(time.time() - sent[seq][(src, dst)])
                    if (src, dst) in missing:
                        missing.discard((src, dst))
                        now = time.time() - t0
                        first.setdefault((src, dst), now)
                        recovered.setdefault((src, dst), now)
        if misses_out and missing:
            states = {}
            for src in sorted({p[0] for p in missing}):
                try:
                    states[src] = neigh_states(nl[src])
                except OSError:
                    states[src] = {}
            misses_out.write("%.2f %s\n" % (start - t0, " ".join(
                "%s>%s:%s" % (a, b, states[a].get(ip_of[b], "a")) for a, b in sorted(missing))))
            misses_out.flush()
        for p in missing:
            recovered.pop(p, None)  # failed this round: its recovery is still to come
        prev_missing = set(missing)
        if progress:
            cpu1 = cpu_times()
            busy = 100.0 * (cpu1[0] - cpu0[0]) / max(1, cpu1[1] - cpu0[1])
            rtts.sort()
            progress.write("%.2f %.2f %d late=%d rtt50=%.3f rttmax=%.3f busy=%.0f%% %s\n" % (
                start - t0, time.time() - start, len(missing), len(late),
                rtts[len(rtts) // 2] if rtts else -1, rtts[-1] if rtts else -1, busy,
                " ".join("%s>%s" % p for p in sorted(missing)[:6])))
            progress.flush()
        if not missing:
            done = time.time() - t0
            break
        if time.time() > deadline:
            done = None
            break
        time.sleep(max(0.0, start + MIN_ROUND - time.time()))
    with open(report, "w") as f:
        for src, dst, _ in pairs:
            f.write("%s %s %s %s\n" % (src, dst, "%.2f" % first[(src, dst)] if (src, dst) in first else "-",
                                         "%.2f" % recovered[(src, dst)] if (src, dst) in recovered else "-"))
    last = sorted(recovered.items(), key=lambda kv: -kv[1])[:8]
    print("reach: pairs that recovered last (src>dst@s): " +
          " ".join("%s>%s@%.1f" % (k[0], k[1], v) for k, v in last), file=sys.stderr)
    if done is None:
        print("reach: timed out; %d pairs missing in the last round, e.g. %s" %
              (len(missing), " ".join("%s>%s" % p for p in sorted(missing)[:12])), file=sys.stderr)
        sys.exit(1)
    print("%.2f" % done)


if __name__ == "__main__":
    main()
