#!/usr/bin/python3
"""Per-hop times of pings from the captures of `BENCH_HOPS=1 bench.sh tunnel`: tcpdump -tt text
with ns stamps, DIR/PATH-NS-IF.txt for each interface.

usage: hops.py DIR PATH TAP1 TAP2 [MODE [LEAF1 LEAF2]]. MODE leaf (default; ours-leaf, tinc-ovs): leaf
to leaf through both bridges, from LEAF1 to LEAF2 (default l1, l2; the side-by-side bed's tinc-ovs
runs from l3 to l4). MODE tunnel (ours-tunnel, tinc, openvpn, wireguard-go): the tunnel alone,
pinged from h1 to the address on h2's TAP (or TUN), captured on both TAPs and the underlay.
Echo requests and replies are matched by ICMP sequence number on every interface; the tunnel's
datagram of a hop is the first datagram longer than 100 bytes in that direction after the frame
entered the tunnel (keepalives are shorter)."""
import re
import statistics
import sys

ICMP = re.compile(r"^(\d+\.\d+) IP (\S+) > (\S+): ICMP echo (request|reply), id \d+, seq (\d+)")
# UDP, however tcpdump decodes its payload (WireGuard's port is decoded); TCP lines carry "Flags".
UDP = re.compile(r"^(\d+\.\d+) IP (\d+\.\d+\.\d+\.\d+)\.\d+ > (\d+\.\d+\.\d+\.\d+)\.\d+: (?!Flags).*?length:? (\d+)")


def load(path):
    icmp, udp = {}, []
    with open(path) as f:
        for line in f:
            m = ICMP.match(line)
            if m:
                # The first sighting: a frame is seen once per interface and direction.
                icmp.setdefault((m.group(4), int(m.group(5))), float(m.group(1)))
                continue
            m = UDP.match(line)
            if m and int(m.group(4)) > 100:
                udp.append((float(m.group(1)), m.group(2)))
    return icmp, udp


def first_after(udp, t, src):
    for ts, s in udp:
        if s == src and ts >= t:
            return ts
    return None


def tunnel_times(cap, tap1, tap2, s):
    """Stamps of one ping through the tunnel alone, h1's TAP to h2's and back."""
    rq = lambda k: cap[k][0][("request", s)]
    rp = lambda k: cap[k][0][("reply", s)]
    t = [rq("h1-" + tap1)]
    t.append(first_after(cap["h1-eth0"][1], t[-1], "10.201.0.1"))
    t.append(first_after(cap["h2-eth0"][1], (t[-1] or 0) - 50e-6, "10.201.0.1"))
    t += [rq("h2-" + tap2), rp("h2-" + tap2)]
    t.append(first_after(cap["h2-eth0"][1], t[-1], "10.201.0.2"))
    t.append(first_after(cap["h1-eth0"][1], (t[-1] or 0) - 50e-6, "10.201.0.2"))
    t.append(rp("h1-" + tap1))
    return t


TUNNEL_HOPS = ["tunnel h1 out (tap > udp)", "underlay", "tunnel h2 in (udp > tap)", "h2 answers (tap > tap)",
               "tunnel h2 out (tap > udp)", "underlay", "tunnel h1 in (udp > tap)"]


def main():
    d, path, tap1, tap2 = sys.argv[1:5]
    mode = sys.argv[5] if len(sys.argv) > 5 else "leaf"
    if mode == "tunnel":
        tunnel(d, path, tap1, tap2)
        return
    l1, l2 = sys.argv[6:8] if len(sys.argv) > 7 else ("l1", "l2")
    cap = {k: load("%s/%s-%s.txt" % (d, path, k)) for k in
           (l1 + "-eth0", "h1-" + l1, "h1-" + tap1, "h1-eth0", "h2-eth0", "h2-" + tap2, "h2-" + l2, l2 + "-eth0")}
    names = ["veth l1>h1", "OVS h1 (veth > tap)", "tunnel h1 out (tap > udp)", "underlay",
             "tunnel h2 in (udp > tap)", "OVS h2 (tap > veth)", "veth h2>l2", "leaf l2 answers",
             "veth l2>h2", "OVS h2 (veth > tap)", "tunnel h2 out (tap > udp)", "underlay",
             "tunnel h1 in (udp > tap)", "OVS h1 (tap > veth)", "veth h1>l1"]
    seqs = sorted(s for (k, s) in cap[l1 + "-eth0"][0] if k == "request")

    def times(s):
        rq = lambda k: cap[k][0][("request", s)]
        rp = lambda k: cap[k][0][("reply", s)]
        t = [rq(l1 + "-eth0"), rq("h1-" + l1), rq("h1-" + tap1)]
        t.append(first_after(cap["h1-eth0"][1], t[-1], "10.201.0.1"))
        t.append(first_after(cap["h2-eth0"][1], (t[-1] or 0) - 50e-6, "10.201.0.1"))
        t += [rq("h2-" + tap2), rq("h2-" + l2), rq(l2 + "-eth0"), rp(l2 + "-eth0"), rp("h2-" + l2), rp("h2-" + tap2)]
        t.append(first_after(cap["h2-eth0"][1], t[-1], "10.201.0.2"))
        t.append(first_after(cap["h1-eth0"][1], (t[-1] or 0) - 50e-6, "10.201.0.2"))
        return t + [rp("h1-" + tap1), rp("h1-" + l1), rp(l1 + "-eth0")]

    hops, totals = per_hop(seqs, times, len(names), "%s/%s-hops.tsv" % (d, path))
    report(path, names, hops, totals, len(seqs))


def tunnel(d, path, tap1, tap2):
    cap = {k: load("%s/%s-%s.txt" % (d, path, k)) for k in ("h1-" + tap1, "h1-eth0", "h2-eth0", "h2-" + tap2)}
    seqs = sorted(s for (k, s) in cap["h1-" + tap1][0] if k == "request")
    hops, totals = per_hop(seqs, lambda s: tunnel_times(cap, tap1, tap2, s), len(TUNNEL_HOPS))
    report(path, TUNNEL_HOPS, hops, totals, len(seqs))


def per_hop(seqs, times, n, dump=None):
    """Each hop's times (us) and the round trips over the pings seen on every hop in order; a ping
    missing somewhere (KeyError, None) or with a step out of order or over 20 ms is left out. With
    dump, one line per ping there (sequence, start stamp, each hop, round trip): to set one path's
    pings against another's measured in the same seconds."""
    hops, totals, lines = [[] for _ in range(n)], [], []
    for s in seqs:
        try:
            t = times(s)
        except KeyError:
            continue
        if None in t or any(b - a < -20e-6 or b - a > 0.02 for a, b in zip(t, t[1:])):
            continue
        for i in range(n):
            hops[i].append((t[i + 1] - t[i]) * 1e6)
        totals.append((t[-1] - t[0]) * 1e6)
        lines.append("%d\t%.6f\t%s\t%.0f" % (s, t[0], "\t".join("%.0f" % ((t[i + 1] - t[i]) * 1e6) for i in range(n)),
                                            totals[-1]))
    if dump:
        with open(dump, "w") as f:
            f.write("\n".join(lines) + "\n")
    return hops, totals


def report(path, names, hops, totals, pings):
    if not totals:
        print("  %s: no ping matched on every hop" % path)
        return
    print("  %s: %d of %d pings matched on all hops (us)" % (path, len(totals), pings))
    print("  | hop | median | mean | p90 |")
    print("  |---|---:|---:|---:|")
    for n, v in zip(names, hops):
        v.sort()
        print("  | %s | %.0f | %.0f | %.0f |" % (n, statistics.median(v), statistics.mean(v), v[int(len(v) * 0.9)]))
    totals.sort()
    print("  | **round trip** | %.0f | %.0f | %.0f |" % (statistics.median(totals), statistics.mean(totals),
                                                        totals[int(len(totals) * 0.9)]))


if __name__ == "__main__":
    main()
