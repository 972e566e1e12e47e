#!/usr/bin/python3
"""Where an on-demand switch-over reorders the TCP flow: one round of bench.sh ondemand with
OV_BENCH_CAPTURE=1.

usage: reorder.py ROUND_DIR A B

Reads ROUND_DIR/hA.pcap and hB.pcap (tcpdump -i any, LINUX_SLL2, ns stamps: every interface of A's
and B's host namespaces), links-hA.txt / links-hB.txt (ip -o link: interface index -> name),
of.pcap (A's loopback: its OpenFlow connection) and nodeA.log (the controller's port). Follows the
iperf3 data connection from A's leaf to B's (the one carrying the most bytes) and prints:
  - the controller's switch-over of B's leaf MAC on A's bridge: hold flow, packet-ins, release
    (packet-outs), barrier, the direct flow, and packet-outs written after the direct flow;
  - segments that reached B's leaf behind a later one (out of order): the path each took (A's
    outgoing tunnel port), whether it went through the controller and when its packet-out was
    written, and how far it was overtaken;
  - segments A's leaf sent twice (retransmissions), and whether the first copy had reached B's
    leaf before the second was sent (spurious).
Times are ms relative to the direct flow's flow-mod on A's OpenFlow connection (the move).
"""
import re
import struct
import sys
from collections import Counter, defaultdict

OFPT_PACKET_IN, OFPT_PACKET_OUT, OFPT_FLOW_MOD = 10, 13, 14
OFPT_BARRIER_REQUEST, OFPT_BARRIER_REPLY = 20, 21
OFPP_CONTROLLER = 0xfffffffd


def pcap(path):
    """(ts ns, linktype, bytes) per record."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return
    magic = struct.unpack("<I", data[:4])[0]
    endian = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    magic = struct.unpack(endian + "I", data[:4])[0]
    scale = 1 if magic == 0xa1b23c4d else 1000
    linktype = struct.unpack(endian + "I", data[20:24])[0] & 0x0fffffff
    off = 24
    while off + 16 <= len(data):
        sec, frac, incl, _ = struct.unpack(endian + "IIII", data[off:off + 16])
        off += 16
        yield sec * 1_000_000_000 + frac * scale, linktype, data[off:off + incl]
        off += incl


def tcp_of_ip(ip):
    """(src, dst, sport, dport, seq, flags, payload) of an IPv4 TCP packet, or None."""
    if len(ip) < 20 or ip[0] >> 4 != 4 or ip[9] != 6:
        return None
    ihl = (ip[0] & 15) * 4
    total = struct.unpack("!H", ip[2:4])[0]
    t = ip[ihl:]
    if len(t) < 20:
        return None
    sport, dport, seq = struct.unpack("!HHI", t[:8])
    doff = (t[12] >> 4) * 4
    plen = total - ihl - doff
    return ip[12:16], ip[16:20], sport, dport, seq, t[13], plen, t[doff:]


def tcp_of_ether(frame):
    if len(frame) < 14 or frame[12:14] != b"\x08\x00":
        return None
    return tcp_of_ip(frame[14:])


def links(path):
    names = {}
    for line in open(path):
        m = re.match(r"^(\d+): ([^:@ ]+)", line)
        if m:
            names[int(m.group(1))] = m.group(2)
    return names


def host_events(path, names):
    """(ts, interface, outgoing, tcp tuple) for every TCP packet of a host capture (LINUX_SLL2)."""
    out = []
    for ts, lt, rec in pcap(path):
        if lt != 276 or len(rec) < 20:
            continue
        proto, _, ifindex, _, pkttype = struct.unpack("!HHIHB", rec[:11])
        if proto != 0x0800:
            continue
        t = tcp_of_ip(rec[20:])
        if t:
            out.append((ts, names.get(ifindex, "if%d" % ifindex), pkttype == 4, t))
    return out


def of_messages(path, ctl_port):
    """(ts, to_switch, type, xid, body) of every OpenFlow message on the connection to ctl_port."""
    streams = {True: [], False: []}
    for ts, lt, rec in pcap(path):
        t = tcp_of_ether(rec) if lt == 1 else None
        if not t or t[6] <= 0:
            continue
        _, _, sport, dport, seq, _, plen, payload = t
        if ctl_port not in (sport, dport):
            continue
        streams[sport == ctl_port].append((ts, seq, payload[:plen]))
    msgs = []
    for to_switch, segs in streams.items():
        buf, nxt, synced = bytearray(), None, False
        for ts, seq, payload in segs:
            if nxt is not None:
                d = (seq - nxt) & 0xffffffff
                if d >= 0x80000000:  # bytes we have already (a retransmission): only the new tail
                    skip = (nxt - seq) & 0xffffffff
                    if skip >= len(payload):
                        continue
                    payload, seq = payload[skip:], nxt
                elif d:
                    buf, synced = bytearray(), False  # a gap: resynchronise
            nxt = (seq + len(payload)) & 0xffffffff
            if not synced:
                # Start at a message boundary: a segment that begins with an OF 1.3 header.
                if len(payload) < 8 or payload[0] != 4 or payload[1] > 30:
                    continue
                synced = True
            buf += payload
            pos = 0
            while len(buf) - pos >= 8:
                ver, typ, length, xid = struct.unpack("!BBHI", buf[pos:pos + 8])
                if ver != 4 or length < 8:
                    buf, synced = bytearray(), False
                    pos = 0
                    break
                if len(buf) - pos < length:
                    break
                end = pos + length  # stamped with the segment that completed it
                msgs.append((ts, to_switch, typ, xid, bytes(buf[pos + 8:end])))
                pos = end
            if pos:
                del buf[:pos]
    msgs.sort(key=lambda m: m[0])
    return msgs


def oxm_fields(match):
    """{field number: value bytes} of an OXM match (ofp_match without its 4-byte header)."""
    fields, off = {}, 0
    while off + 4 <= len(match):
        cls, fh, ln = struct.unpack("!HBB", match[off:off + 4])
        if cls == 0x8000:
            fields[fh >> 1] = match[off + 4:off + 4 + ln]
        off += 4 + ln
    return fields


def match_at(body, off):
    mtype, mlen = struct.unpack("!HH", body[off:off + 4])
    return oxm_fields(body[off + 4:off + mlen]), off + (mlen + 7) // 8 * 8


def outputs(actions):
    ports, off = [], 0
    while off + 4 <= len(actions):
        atype, alen = struct.unpack("!HH", actions[off:off + 4])
        if alen < 4:
            break
        if atype == 0:
            ports.append(struct.unpack("!I", actions[off + 4:off + 8])[0])
        off += alen
    return ports


def flow_mod(body):
    table, command = body[16], body[17]
    priority = struct.unpack("!H", body[22:24])[0]
    fields, off = match_at(body, 40)
    outs = []
    while off + 4 <= len(body):
        itype, ilen = struct.unpack("!HH", body[off:off + 4])
        if ilen < 4:
            break
        if itype in (3, 4):  # write / apply actions
            outs += outputs(body[off + 8:off + ilen])
        off += ilen
    return table, command, priority, fields, outs


def packet_in_frame(body):
    _, off = match_at(body, 16)
    return body[off + 2:]


def packet_out(body):
    in_port, alen = struct.unpack("!IH", body[4:10])
    return in_port, outputs(body[16:16 + alen]), body[16 + alen:]


def main():
    d, a, b = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    leaf_a, leaf_b = bytes([10, 88, 0, a + 11]), bytes([10, 88, 0, b + 11])
    mac_b = bytes([2, 0x88, 0, 0, 0, b])
    ctl = None
    for line in open("%s/node%d.log" % (d, a), errors="replace"):
        m = re.search(r"controller listening on tcp:127\.0\.0\.1:(\d+)", line)
        if m:
            ctl = int(m.group(1))
    ev_a = host_events("%s/h%d.pcap" % (d, a), links("%s/links-h%d.txt" % (d, a)))
    ev_b = host_events("%s/h%d.pcap" % (d, b), links("%s/links-h%d.txt" % (d, b)))

    # The data connection: most payload bytes from A's leaf to B's port 5201.
    volume = Counter()
    for _, _, _, t in ev_a:
        if t[0] == leaf_a and t[1] == leaf_b and t[3] == 5201:
            volume[t[2]] += t[6]
    if not volume:
        print("reorder: no iperf3 data connection in the captures")
        return
    sport = volume.most_common(1)[0][0]

    def data(t):
        return t[0] == leaf_a and t[1] == leaf_b and t[2] == sport and t[3] == 5201 and t[6] > 0

    a_in = defaultdict(list)   # seq -> [ts] at A's leaf port (from the leaf)
    a_out = {}                 # seq -> (ts, port) first copy leaving A through a tunnel port
    b_in = {}                  # seq -> (ts, port) first copy entering B from a tunnel port
    b_out = []                 # (ts, seq, end) toward B's leaf, in order
    for ts, ifname, outgoing, t in ev_a:
        if not data(t):
            continue
        if ifname == "lf%d" % a and not outgoing:
            a_in[t[4]].append(ts)
        elif ifname.startswith("sn"):  # a tunnel port (the capture's direction of a TAP is not OVS's)
            a_out.setdefault(t[4], (ts, ifname))
    for ts, ifname, outgoing, t in ev_b:
        if not data(t):
            continue
        if ifname.startswith("sn"):
            b_in.setdefault(t[4], (ts, ifname))
        elif ifname == "lf%d" % b and outgoing:
            b_out.append((ts, t[4], (t[4] + t[6]) & 0xffffffff))

    # The controller's side of the move.
    msgs = of_messages("%s/of.pcap" % d, ctl) if ctl else []
    pin = {}        # seq -> ts of its packet-in (switch -> controller)
    pout = {}       # seq -> (ts, ports) of its packet-out
    mods = []       # (ts, table, command, priority, outputs) of flow-mods for B's MAC
    barriers = []   # (ts, to_switch, xid)
    pins_b = []
    for ts, to_switch, typ, xid, body in msgs:
        try:
            if typ == OFPT_PACKET_IN and not to_switch:
                fr = packet_in_frame(body)
                if fr[:6] == mac_b:
                    pins_b.append(ts)
                t = tcp_of_ether(fr)
                if t and data(t):
                    pin.setdefault(t[4], ts)
            elif typ == OFPT_PACKET_OUT and to_switch:
                _, ports, fr = packet_out(body)
                t = tcp_of_ether(fr)
                if t and data(t):
                    pout.setdefault(t[4], (ts, ports))
            elif typ == OFPT_FLOW_MOD and to_switch:
                table, command, prio, fields, outs = flow_mod(body)
                if fields.get(3) == mac_b:
                    mods.append((ts, table, command, prio, outs))
            elif typ in (OFPT_BARRIER_REQUEST, OFPT_BARRIER_REPLY):
                barriers.append((ts, to_switch, xid))
        except (struct.error, IndexError):
            continue
    hold = next((m for m in mods if OFPP_CONTROLLER in m[4]), None)
    direct = next((m for m in mods if hold and m[0] > hold[0] and m[4] and OFPP_CONTROLLER not in m[4]), None)
    t0 = direct[0] if direct else (hold[0] if hold else (b_out[0][0] if b_out else 0))

    def ms(ts):
        return (ts - t0) / 1e6

    print("reorder: data connection port %d: %d segments from A's leaf, %d reached B's leaf; OpenFlow messages %d"
          % (sport, sum(len(v) for v in a_in.values()), len(b_out), len(msgs)))
    if hold:
        print("reorder: hold flow-mod at %+.1f ms (table %d prio %d); flow-mods for B's MAC: %s" % (
            ms(hold[0]), hold[1], hold[3],
            ", ".join("%+.1f ms t%d cmd%d p%d out%s" % (ms(m[0]), m[1], m[2], m[3],
                                                        ["C" if o == OFPP_CONTROLLER else o for o in m[4]])
                      for m in mods if m[0] >= hold[0])))
        after = [ts for ts in pins_b if ts >= hold[0]]
        print("reorder: packet-ins toward B's MAC from the hold on: %d, first %+.1f ms, last %+.1f ms" % (
            len(after), ms(after[0]) if after else 0, ms(after[-1]) if after else 0))
        hb = [(ts, ts2, x) for ts, ts2, x in barriers if ts >= hold[0] and (x >> 8) == 0x484c44]
        print("reorder: drain barriers: " + ", ".join("%s %+.1f ms" % ("request" if s else "reply", ms(ts))
                                                    for ts, s, x in hb))
    if direct:
        late = sorted((ts, s) for s, (ts, _) in pout.items() if ts > direct[0])
        late_pin = sorted((pin[s], s) for _, s in late if s in pin)
        print("reorder: direct flow at 0.0 ms; data packet-outs written after it: %d (packet-ins of those %s)" % (
            len(late), "%+.1f..%+.1f ms" % (ms(late_pin[0][0]), ms(late_pin[-1][0])) if late_pin else "-"))
    via_ctl = sum(1 for s in pout)
    print("reorder: data segments through the controller: %d" % via_ctl)

    # Out-of-order arrivals at B's leaf.
    hi, hi_ts, reo = None, None, []
    order = []
    for ts, seq, end in b_out:
        if hi is not None and ((end - hi) & 0xffffffff) >= 0x80000000:
            reo.append((ts, seq, end, hi))
        if hi is None or ((end - hi) & 0xffffffff) < 0x80000000:
            hi = end
        order.append((ts, seq))
    print("reorder: segments reaching B's leaf behind a later one: %d" % len(reo))
    first_at = {}
    for ts, seq in order:
        first_at.setdefault(seq, ts)
    for ts, seq, end, top in reo[:40]:
        # The first segment of higher sequence that reached B's leaf before this one.
        ahead = [(t2, s2) for t2, s2 in order if t2 < ts and ((s2 - seq) & 0xffffffff) < 0x80000000 and s2 != seq]
        lead = min(ahead)[0] if ahead else ts
        ao = a_out.get(seq, (None, "?"))
        bi = b_in.get(seq, (None, "?"))
        po = pout.get(seq)
        ain = a_in.get(seq, [None])[0]
        print("reorder:   seq %d at B %+.1f ms (overtaken by %d segments, %.1f ms), A leaf %s, left A via %s %s, "
              "entered B via %s, packet-in %s, packet-out %s" % (
                  seq, ms(ts), len(ahead), (ts - lead) / 1e6, "%+.1f" % ms(ain) if ain else "-",
                  ao[1], "%+.1f" % ms(ao[0]) if ao[0] else "", bi[1],
                  "%+.1f" % ms(pin[seq]) if seq in pin else "-", "%+.1f" % ms(po[0]) if po else "-"))
    # Retransmissions by A's leaf.
    retx = [(tss[1], s, tss[0]) for s, tss in a_in.items() if len(tss) > 1]
    retx.sort()
    spurious = sum(1 for t1, s, _ in retx if s in first_at and first_at[s] < t1)
    print("reorder: retransmitted by A's leaf: %d (first copy had reached B's leaf before: %d)%s" % (
        len(retx), spurious, "; from %+.1f to %+.1f ms" % (ms(retx[0][0]), ms(retx[-1][0])) if retx else ""))
    # Which way A sent the flow, per 20 ms around the move.
    if direct:
        per = defaultdict(Counter)
        for s, (ts, port) in a_out.items():
            slot = int((ts - t0) // 20_000_000)
            if -15 <= slot <= 10:
                per[slot][port] += 1
        for slot in sorted(per):
            print("reorder:   A out %+4d..%+4d ms: %s" % (slot * 20, slot * 20 + 20,
                                                        ", ".join("%s %d" % kv for kv in sorted(per[slot].items()))))


if __name__ == "__main__":
    main()
