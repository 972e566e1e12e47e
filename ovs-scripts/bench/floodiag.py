#!/usr/bin/python3
"""Where do FRBs die? Sums one diag snapshot of bench/overlay.sh (OV_BENCH_DIAG=1) over all hosts.

usage: floodiag.py DIR  (DIR holds per host i: status-i.json, flows-i.txt, coverage-i.txt,
controller-i.txt, ifstats-i.txt, iplink-i.txt, snmp-i.txt, udp-i.txt, packet-i.txt)

Prints one table: the bridges' own flood counters (what the controller sent and accepted), OVS's
drops on the way (packet-ins the controller connection had no room for, FRBs the classifier threw
away because the port was not a peer port yet, port drops), the kernel's (TAP queues, UDP socket
buffers) and the per-host spread of the biggest ones, so a lost FRB can be put at one place.
"""
import glob
import json
import os
import re
import sys


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


def coverage(text):
    """name -> total from `ovs-appctl coverage/show`."""
    out = {}
    for m in re.finditer(r"^(\S+)\s+.*total:\s*(\d+)", text, re.M):
        out[m.group(1)] = int(m.group(2))
    return out


def snmp_udp(text):
    lines = [l.split() for l in text.splitlines() if l.startswith("Udp:")]
    if len(lines) < 2:
        return {}
    return dict(zip(lines[0][1:], map(int, lines[1][1:])))


def udp_drops(text):
    total = 0
    for l in text.splitlines()[1:]:
        f = l.split()
        if len(f) >= 13:
            total += int(f[-1])
    return total


def iplink(text):
    """interface -> (rx_dropped, tx_dropped, rx_overrun, tx_carrier...) from `ip -s link`."""
    out = {}
    name = None
    lines = text.splitlines()
    for i, l in enumerate(lines):
        m = re.match(r"^\d+:\s+([^:@]+)", l)
        if m:
            name = m.group(1)
            continue
        s = l.strip()
        if name and (s.startswith("RX:") or s.startswith("TX:")) and i + 1 < len(lines):
            vals = lines[i + 1].split()
            hdr = s.split()[1:]
            d = dict(zip(hdr, vals))
            out.setdefault(name, {})[s[:2]] = {k: int(v) for k, v in d.items() if v.isdigit()}
    return out


def ifstats(text):
    """OVS interface -> statistics map (ovs-vsctl --columns=name,statistics list interface)."""
    out = {}
    name = None
    for l in text.splitlines():
        if l.startswith("name"):
            name = l.split(":", 1)[1].strip().strip('"')
        elif l.startswith("statistics") and name:
            body = l.split(":", 1)[1].strip().strip("{}")
            d = {}
            for kv in body.split(","):
                if "=" in kv:
                    k, v = kv.split("=", 1)
                    try:
                        d[k.strip()] = int(v.strip())
                    except ValueError:
                        pass
            out[name] = d
    return out


def frb_drop_flow(text, prio=200):
    """n_packets of table 0's FRB flows of one priority, summed: 200 'FRB from a port not classified
    yet' (dropped before the eighth session, to the controller since), 250 'FRB from a leaf -> drop'."""
    total = 0
    for l in text.splitlines():
        if "table=0" in l and f"priority={prio}" in l and "0xc0c0" in l.lower():
            m = re.search(r"n_packets=(\d+)", l)
            if m:
                total += int(m.group(1))
    return total


def main(d):
    hosts = sorted(int(re.search(r"status-(\d+)\.json", p).group(1)) for p in glob.glob(os.path.join(d, "status-*.json")))
    rows = {}
    per_host = {}

    def add(key, host, v):
        rows[key] = rows.get(key, 0) + v
        per_host.setdefault(key, {})[host] = v

    for h in hosts:
        try:
            st = json.loads(read(os.path.join(d, f"status-{h}.json")) or "{}")
        except ValueError:
            st = {}
        for o in st.get("overlays", []):
            for k, v in (o.get("switchCounters") or o.get("counters") or {}).items():
                add("node " + k, h, v)
        cov = coverage(read(os.path.join(d, f"coverage-{h}.txt")))
        for k, v in cov.items():
            if re.search(r"overflow|drop|discard|error|fail|stuck|full|lost|limit", k):
                add("ovs " + k, h, v)
        flows = read(os.path.join(d, f"flows-{h}.txt"))
        add("ovs table0 FRB from an unclassified port (prio 200: dropped in older code, to the controller now)", h,
            frb_drop_flow(flows))
        add("ovs table0 FRB-from-leaf drops (prio 250)", h, frb_drop_flow(flows, 250))
        for name, s in ifstats(read(os.path.join(d, f"ifstats-{h}.txt"))).items():
            kind = "tap" if not name.startswith(("br-", "eth", "lo", "veth")) and name != "br-lab" else name.split("-")[0]
            for k in ("rx_dropped", "tx_dropped", "rx_errors", "tx_errors"):
                if s.get(k):
                    add(f"ovs port {kind} {k}", h, s[k])
        for name, s in iplink(read(os.path.join(d, f"iplink-{h}.txt"))).items():
            kind = "kernel " + ("br-lab" if name == "br-lab" else "uplink" if name.startswith("eth") else "lo" if name == "lo" else "tap")
            for dirn in ("RX", "TX"):
                for k in ("dropped", "errors", "overrun", "missed"):
                    v = s.get(dirn, {}).get(k, 0)
                    if v:
                        add(f"{kind} {dirn} {k}", h, v)
        u = snmp_udp(read(os.path.join(d, f"snmp-{h}.txt")))
        for k in ("InErrors", "RcvbufErrors", "SndbufErrors", "NoPorts"):
            if u.get(k):
                add("udp " + k, h, u[k])
        add("udp socket drops (/proc/net/udp)", h, udp_drops(read(os.path.join(d, f"udp-{h}.txt"))))
    print(f"# {d}: {len(hosts)} hosts")
    print("| counter | sum | max at one host | hosts > 0 |")
    print("|---|---:|---:|---:|")
    for k in sorted(rows):
        ph = per_host[k]
        if rows[k] == 0 and not k.startswith("node "):
            continue
        top = max(ph.items(), key=lambda kv: kv[1])
        print(f"| {k} | {rows[k]} | {top[1]} (h{top[0]}) | {sum(1 for v in ph.values() if v)} |")
    sent = rows.get("node frb_sent", 0)
    if sent:
        got = rows.get("node frb_received", 0) + rows.get("node frb_duplicates", 0) + rows.get("node frb_malformed", 0) \
            + rows.get("node frb_hop_limit", 0)
        print(f"\nFRBs sent {sent}, seen by a receiving controller {got} ({100 * got / sent:.1f}%; "
              f"floods only; announcements: sent {rows.get('node announcements_sent', 0)}, received {rows.get('node announcements_received', 0)})")
    made = rows.get("ovs datapath_drop_userspace_action_error", 0)
    if made:
        # Not a drop: dpif-netdev counts every output:controller upcall there (ofproto answers
        # controller upcalls with EAGAIN), so it is the number of packet-ins OVS made.
        handled = rows.get("node packet_ins", 0)
        print(f"packet-ins OVS made {made} (its datapath_drop_userspace_action_error counter), handled by a controller"
              f" {handled} ({100 * handled / made:.1f}%); the rest met no connected controller or a dead connection")
    qs = set()
    for h in hosts:
        for m in re.finditer(r"controller_queue_size\s*:\s*(\S+)", read(os.path.join(d, f"controller-{h}.txt"))):
            qs.add(m.group(1))
    print("controller_queue_size on the Controller records:", ", ".join(sorted(qs)) or "-")


if __name__ == "__main__":
    main(sys.argv[1])
