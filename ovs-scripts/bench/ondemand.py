#!/usr/bin/python3
"""One round of bench.sh ondemand: what host A's node log, ping -D and iperf3 -J saw.

usage: ondemand.py NODE_LOG PEER_SHORT PING_OUT IPERF_JSON WINDOW PING_WINDOW HOLD_MS

Prints one line of figures, seconds since the first ping was sent (the traffic's start):
  detect up carry lost_around lost_total sent retrans_around retrans_baseline retrans_total
detect: A's node asked for (or accepted) the on-demand link to PEER; up: that link came up;
carry: A's controller moved PEER's leaf onto it ("now reached over port") plus the hold (HOLD_MS),
after which its flow points at the link. lost_around: pings sent within PING_WINDOW/2 s either side
of the move without a reply. retrans_around: iperf3's retransmissions in the intervals overlapping that
window; retrans_baseline: the most in any window as wide after it (the same stream, no move).
A figure that did not happen is printed as -1.
"""
import datetime
import json
import re
import sys

log_path, peer, ping_path, iperf_path, window, ping_window, hold_ms = sys.argv[1:8]
window = float(window)
ping_window = float(ping_window)
hold = float(hold_ms) / 1000

ping = open(ping_path).read()
replies = {}
for m in re.finditer(r"^\[(\d+\.\d+)\] .*icmp_seq=(\d+) .*time=([\d.]+) ms", ping, re.M):
    replies[int(m.group(2))] = float(m.group(1)) - float(m.group(3)) / 1000
m = re.search(r"(\d+) packets transmitted, (\d+) received", ping)
sent = int(m.group(1)) if m else (max(replies) if replies else 0)
if not replies:
    print("-1 -1 -1 -1 %d %d -1 -1 -1" % (sent, sent))
    sys.exit(0)
t0 = min(replies.values())
# A ping without a reply is given the send time of its nearest answered predecessor (ping sends
# late on a loaded machine, so seq x interval drifts).
send = {}
last = t0
for seq in range(1, sent + 1):
    last = replies.get(seq, last)
    send[seq] = last

day = datetime.datetime.fromtimestamp(t0).replace(hour=0, minute=0, second=0, microsecond=0)


def at(line):
    m = re.match(r"^(\d\d):(\d\d):(\d\d)\.(\d{3}) ", line)
    if not m:
        return None
    h, mi, s, ms = (int(g) for g in m.groups())
    return (day + datetime.timedelta(hours=h, minutes=mi, seconds=s, milliseconds=ms)).timestamp()


detect = up = moved = None
link = None
for line in open(log_path, errors="replace"):
    t = at(line)
    if t is None or t < t0 - 1:
        continue
    m = re.search(r"link (\S+) (?:to|from) " + peer + r": (?:requesting|accepting) \(on-demand\)", line)
    if m and detect is None:
        detect, link = t, m.group(1)
    if link and up is None and re.search("link " + re.escape(link) + r" to \S+: up \(", line):
        up = t
    if moved is None and "of node " + peer + " now reached over port" in line and detect is not None:
        moved = t


def rel(t):
    return -1 if t is None else t - t0


lost_total = sum(1 for s in range(1, sent + 1) if s not in replies)
lost_around = -1
if moved is not None:
    lost_around = sum(1 for s in range(1, sent + 1)
                      if s not in replies and moved - ping_window / 2 <= send[s] < moved + ping_window / 2)

retrans_around = retrans_base = retrans_total = -1
try:
    intervals = [(i["sum"]["start"], i["sum"]["end"], i["sum"].get("retransmits", 0))
                 for i in json.load(open(iperf_path)).get("intervals", [])]
    retrans_total = sum(r for _, _, r in intervals)
    if moved is not None:
        # iperf3 started with the ping: its clock counts from about the first ping.
        lo, hi = moved - t0 - window / 2, moved - t0 + window / 2
        retrans_around = sum(r for s, e, r in intervals if e > lo and s < hi)
        retrans_base = 0
        for s0, _, _ in intervals:
            if s0 >= hi:
                retrans_base = max(retrans_base, sum(r for s, e, r in intervals if s >= s0 and e <= s0 + window + 1e-6))
except (ValueError, KeyError, OSError):
    pass

print("%.2f %.2f %.2f %d %d %d %d %d %d" % (rel(detect), rel(up), rel(moved) + hold if moved else -1, lost_around,
                                          lost_total, sent, retrans_around, retrans_base, retrans_total))
