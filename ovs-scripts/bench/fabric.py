#!/usr/bin/python3
"""The fabric benchmark (run by bench.sh fabric): three controllers on one Mininet topology, one run.

For each controller: build the fabric (switches up, no controller yet), start the controller, have
the switches connect as soon as it listens, and measure the seconds from its start until every
host pings every other host (all pairs at once, once a second);
then count frames on switch-to-switch links for one UDP broadcast, and which switch-to-switch
links carry traffic (bytes) while every host runs iperf3 to every other host at once.
"""
import argparse
import importlib.machinery
import os
import subprocess
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
mnf = importlib.machinery.SourceFileLoader("mnfabric", os.path.join(here, "..", "tools", "mn-fabric.py")).load_module()

PORT = 6720
RUN = "/tmp/fb-bench"
# How long each may take to reach 0% loss: STP needs listening + learning (~30 s) first.
LIMIT = {"ours": 60, "stp": 120, "testcontroller": 30}


def start(kind, jar, log):
    if kind == "ours":
        cmd = ["java", "-jar", jar, "--listen", "tcp:127.0.0.1:%d" % PORT]
    elif kind == "stp":
        cmd = ["/usr/bin/python3", "/usr/bin/osken-manager", "--ofp-tcp-listen-port", str(PORT),
               "--ofp-listen-host", "127.0.0.1", os.path.join(here, "osken_stp_switch.py")]
    else:
        cmd = ["ovs-testcontroller", "-O", "OpenFlow13", "ptcp:%d:127.0.0.1" % PORT,
               "--unixctl=%s/tc.ctl" % RUN, "--pidfile=%s/tc.pid" % RUN]
    return subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)


def listening(port):
    """True when something listens on 127.0.0.1:port (read from the socket table: no connection made)."""
    out = subprocess.run(["ss", "-ltnH", "sport = :%d" % port], stdout=subprocess.PIPE, text=True).stdout
    return bool(out.strip())


def all_pairs_ok(fab):
    """One ping per ordered pair, all at once: True when every one is answered."""
    procs = []
    for a in fab.net.hosts:
        for b in fab.net.hosts:
            if a is not b:
                procs.append(a.popen(["ping", "-c", "1", "-W", "1", b.IP()], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL))
    return all(p.wait() == 0 for p in procs)


def run(kind, topo, jar):
    fab = mnf.Fabric(topo, PORT, "fb")
    log = open("%s/%s.log" % (RUN, kind), "w")
    ctl = None
    try:
        # Let OVS finish setting the bridges up; they then retry their controller every second
        # (max_backoff), so every controller is found within a second of listening.
        time.sleep(5)
        t0 = time.time()
        ctl = start(kind, jar, log)
        # Switches connect as soon as the controller listens: OVS's own retry (backing off to 8 s)
        # would add 0-8 s of chance to every controller's time.
        while time.time() - t0 < LIMIT[kind] and not listening(PORT):
            time.sleep(0.05)
        fab.reconnect()
        reached = None
        while time.time() - t0 < LIMIT[kind]:
            round_start = time.time()
            if all_pairs_ok(fab):
                reached = time.time() - t0
                break
            time.sleep(max(0.0, 1.0 - (time.time() - round_start)))
        row = {"controller": kind, "pingall0": reached}
        if reached is None:
            row["pingall_loss"] = fab.pingall("0.5")["loss"]
        b = fab.bcast(fab.net.hosts[0].name, "2")
        row["frames_per_bcast"] = b["linkFrames"]
        row["copies"] = sorted(set(b["copies"].values()))
        if reached is not None:
            ip = fab.iperf(5)
            # A link carries traffic when it moved at least 5% of the busiest link's bytes: frames
            # flooded over a blocked STP link (dropped at the far end) do not make it "used".
            top = max(ip["perLink"])
            row["links_used"] = sum(1 for b in ip["perLink"] if top and b >= 0.05 * top)
            row["mbits"] = ip["mbits"]
        row["links"] = len(fab.links)
        return row
    finally:
        if ctl:
            ctl.terminate()
            try:
                ctl.wait(10)
            except subprocess.TimeoutExpired:
                ctl.kill()
        log.close()
        fab.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", required=True)
    ap.add_argument("topo", nargs="?", default="torus,3,3")
    ap.add_argument("--only", default="ours,stp,testcontroller")
    a = ap.parse_args()
    os.makedirs(RUN, exist_ok=True)
    rows = [run(k, a.topo, a.jar) for k in a.only.split(",")]
    print("\nfabric benchmark, Mininet %s, one host per switch, %s" % (a.topo, time.strftime("%Y-%m-%d %H:%M")))
    print("| controller | s to pingall 0%% | frames on switch links per broadcast | copies per host | switch links carrying iperf3 (of %d) | iperf3 sum Mbit/s |"
          % rows[0]["links"])
    print("|---|---|---|---|---|---|")
    names = {"ours": "ours, no topology file", "stp": "os-ken + 802.1D STP", "testcontroller": "ovs-testcontroller"}
    for r in rows:
        t = "%.1f" % r["pingall0"] if r["pingall0"] is not None else "never in %d s (%.0f%% loss)" % (LIMIT[r["controller"]], r["pingall_loss"])
        print("| %s | %s | %d | %s | %s | %s |" % (names[r["controller"]], t, r["frames_per_bcast"],
              ",".join(map(str, r["copies"])), r.get("links_used", "-"), r.get("mbits", "-")))
    by = {r["controller"]: r for r in rows}
    if "ours" in by and "stp" in by and by["ours"]["pingall0"] and by["stp"]["pingall0"]:
        print("ours / STP time to pingall 0%%: %.3f" % (by["ours"]["pingall0"] / by["stp"]["pingall0"]))


if __name__ == "__main__":
    mnf.setLogLevel("error")
    main()
