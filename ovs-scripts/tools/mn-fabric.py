#!/usr/bin/python3
"""Drive a Mininet fabric for tests and the fabric benchmark; commands on stdin, one JSON line out each.

usage: mn-fabric.py TOPO CONTROLLER_PORT [PREFIX]
  TOPO: torus,R,C | ring,N | tree,DEPTH,FANOUT | mesh,N,EXTRA,SEED
  Switches are PREFIX1..PREFIXn (datapath ID n) on the system Open vSwitch, user datapath,
  OpenFlow 1.3, fail-mode secure, controller tcp:127.0.0.1:CONTROLLER_PORT; one host per switch
  (PREFIXhN, 10.0.0.N/8). IPv6 is off on every interface we create, so the only frames are ours.

commands:
  info                      switches (name, dpid), hosts, switch-to-switch links (interfaces)
  pingall [TIMEOUT]         one ping per ordered host pair -> loss percent
  bcast SENDER [WAIT]       one UDP broadcast from host SENDER with a unique marker ->
                            copies received per host and frames carrying the marker on switch links
  ping A B COUNT            ping from host A to host B -> received
  pingstart A B             pings every 50 ms from A to B in the background
  pingstop                  -> sent, received, largest gap between answered pings (ms)
  link A B up|down          Mininet's `link A B up|down` (switch names)
  reconnect                 every switch connects to the controller now (not at its backoff deadline)
  iperf SECONDS [RATE]      TCP iperf3 between all ordered host pairs at once -> bytes per switch link
  quit                      net.stop() and exit

Teardown is net.stop() plus removing what this script created, by name (never Mininet's
clean-up-everything command), and stopping the system Open vSwitch if this script started it.
"""
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
from functools import partial

from mininet.log import setLogLevel
from mininet.net import Mininet
from mininet.node import OVSSwitch, RemoteController
from mininet.topo import Topo

MARK_PORT = 9999


def edges_of(spec):
    kind, *args = spec.split(",")
    a = [int(x) for x in args]
    if kind == "torus":
        r, c = a
        n = r * c
        idx = lambda i, j: (i % r) * c + (j % c) + 1
        e = set()
        for i in range(r):
            for j in range(c):
                e.add(tuple(sorted((idx(i, j), idx(i, j + 1)))))
                e.add(tuple(sorted((idx(i, j), idx(i + 1, j)))))
        return n, sorted(e)
    if kind == "ring":
        n = a[0]
        return n, [tuple(sorted((i, i % n + 1))) for i in range(1, n + 1)]
    if kind == "tree":
        depth, fanout = a
        e, level, nxt = [], [1], 2
        for _ in range(depth - 1):
            new = []
            for p in level:
                for _ in range(fanout):
                    e.append((p, nxt))
                    new.append(nxt)
                    nxt += 1
            level = new
        return nxt - 1, e
    if kind == "mesh":
        n, extra, seed = a
        rnd = random.Random(seed)
        e = set()
        for i in range(2, n + 1):  # a random spanning tree keeps it connected
            e.add((rnd.randint(1, i - 1), i))
        while len(e) < n - 1 + extra:
            x, y = sorted(rnd.sample(range(1, n + 1), 2))
            e.add((x, y))
        return n, sorted(e)
    raise SystemExit("unknown topology " + spec)


class FabricTopo(Topo):
    def build(self, n, edges, prefix):
        for i in range(1, n + 1):
            s = self.addSwitch("%s%d" % (prefix, i), dpid="%016x" % i)
            h = self.addHost("%sh%d" % (prefix, i), ip="10.0.0.%d/8" % i, mac="00:00:00:00:00:%02x" % i)
            self.addLink(h, s)
        for x, y in edges:
            self.addLink("%s%d" % (prefix, x), "%s%d" % (prefix, y))


def sh(*cmd):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


OVS_PIDFILES = ("/var/run/openvswitch/ovs-vswitchd.pid", "/var/run/openvswitch/ovsdb-server.pid")


def ensure_ovs():
    """Starts the system Open vSwitch unless it runs; True when this call started it."""
    if sh("ovs-vsctl", "--timeout=3", "show").returncode == 0:
        return False
    r = sh("/usr/share/openvswitch/scripts/ovs-ctl", "start", "--system-id=random")
    if sh("ovs-vsctl", "--timeout=5", "show").returncode != 0:
        raise SystemExit("system Open vSwitch does not start: " + r.stdout)
    return True


def stop_ovs():
    """Stops the daemons ensure_ovs started, by the PIDs in their pid files (their monitors exit with them)."""
    for pidfile in OVS_PIDFILES:
        try:
            with open(pidfile) as f:
                os.kill(int(f.read().strip()), signal.SIGTERM)
        except (OSError, ValueError):
            pass


def remove_leftovers(n, prefix):
    """A crashed earlier run's bridges and veths, by the names this script gives them."""
    for i in range(1, n + 1):
        sh("ovs-vsctl", "--if-exists", "del-br", "%s%d" % (prefix, i))
    for line in sh("ip", "-o", "link", "show").stdout.splitlines():
        m = re.match(r"\d+: (%s\d+-eth\d+)[@:]" % re.escape(prefix), line)
        if m:
            sh("ip", "link", "del", m.group(1))


LISTENER = r"""
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("", %d))
s.settimeout(0.1)
print("ready", flush=True)
end, n = time.time() + float(sys.argv[2]), 0
while time.time() < end:
    try:
        d = s.recv(2048)
        if sys.argv[1].encode() in d:
            n += 1
    except socket.timeout:
        pass
print(n, flush=True)
""" % MARK_PORT

SENDER = r"""
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
s.sendto(sys.argv[1].encode(), ("10.255.255.255", %d))
""" % MARK_PORT


class Fabric:
    def __init__(self, spec, port, prefix):
        self.n, self.edges = edges_of(spec)
        self.prefix = prefix
        self.started_ovs = ensure_ovs()
        remove_leftovers(self.n, prefix)
        switch = partial(OVSSwitch, datapath="user", protocols="OpenFlow13", failMode="secure")
        self.net = Mininet(topo=FabricTopo(n=self.n, edges=self.edges, prefix=prefix), switch=switch,
                           controller=None, build=False, autoSetMacs=False, cleanup=False)
        self.net.addController("c0", controller=RemoteController, ip="127.0.0.1", port=port)
        self.net.build()
        self.links = []  # (switch a, interface a, switch b, interface b)
        for link in self.net.links:
            n1, n2 = link.intf1.node, link.intf2.node
            if isinstance(n1, OVSSwitch) and isinstance(n2, OVSSwitch):
                self.links.append((n1.name, link.intf1.name, n2.name, link.intf2.name))
        for h in self.net.hosts:
            h.cmd("sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1")
            # Partial checksums through a netdev bridge stall TCP (NOTES.md): no offloads on the leaves.
            h.cmd("ethtool -K %s tx off tso off gso off" % h.defaultIntf().name)
        for s in self.net.switches:
            for intf in s.intfList():
                if intf.name != "lo":
                    sh("sysctl", "-qw", "net.ipv6.conf.%s.disable_ipv6=1" % intf.name)
        self.net.start()
        self.port = port
        self.backoff_1s()
        self.pinger = None

    def backoff_1s(self):
        # Meant to reconnect within a second of a controller restart (OVS backs off to 8 s by
        # default); the OVS 3.1 seen here still backs off 1, 2, 4, 8 s (see reconnect).
        for uuid in sh("ovs-vsctl", "--bare", "--columns=_uuid", "find", "controller",
                       "target=\"tcp:127.0.0.1:%d\"" % self.port).stdout.split():
            sh("ovs-vsctl", "set", "controller", uuid, "max_backoff=1000")

    def reconnect(self):
        """Every switch connects to its controller now, not at its next backoff deadline.

        OVS 3.1 here backs off 1, 2, 4, 8 s between attempts whatever max_backoff says, so a
        controller that starts listening waits up to 8 s for the switches: a lottery that decides
        a start-up benchmark. Removing and re-adding the controller makes a fresh connection at once.
        """
        target = "tcp:127.0.0.1:%d" % self.port
        dels, sets = [], []
        for s in self.net.switches:
            dels += ["--", "del-controller", s.name]
            sets += ["--", "set-controller", s.name, target]
        sh("ovs-vsctl", *dels)
        sh("ovs-vsctl", *sets)
        self.backoff_1s()
        return {"ok": True}

    def host(self, name):
        return self.net.get(name)

    def info(self):
        return {"switches": [{"name": s.name, "dpid": s.dpid} for s in self.net.switches],
                "hosts": [{"name": h.name, "ip": h.IP(), "switch": "%s%s" % (self.prefix, h.name[len(self.prefix) + 1:])}
                          for h in self.net.hosts],
                "links": [{"a": a, "aIntf": ai, "b": b, "bIntf": bi} for a, ai, b, bi in self.links]}

    def pingall(self, timeout="1"):
        return {"loss": self.net.pingAll(timeout=timeout)}

    def link_sockets(self):
        socks = []
        for _, ai, _, _ in self.links:
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
            s.bind((ai, 0))
            s.setblocking(False)
            socks.append(s)
        return socks

    @staticmethod
    def drain(socks, marker):
        per = []
        for s in socks:
            n = 0
            while True:
                try:
                    if marker in s.recv(65535):
                        n += 1
                except BlockingIOError:
                    break
            s.close()
            per.append(n)
        return per

    def bcast(self, sender, wait="2"):
        marker = "fbmark-%d-%d" % (os.getpid(), random.getrandbits(40))
        listeners = {}
        for h in self.net.hosts:
            if h.name != sender:
                p = h.popen(["/usr/bin/python3", "-c", LISTENER, marker, str(float(wait) + 1.5)], text=True)
                listeners[h.name] = p
        for p in listeners.values():
            p.stdout.readline()  # "ready": bound before the broadcast leaves
        socks = self.link_sockets()
        self.host(sender).popen(["/usr/bin/python3", "-c", SENDER, marker]).wait()
        copies = {name: int(p.communicate()[0].strip().splitlines()[-1]) for name, p in listeners.items()}
        per = self.drain(socks, marker.encode())
        return {"copies": copies, "linkFrames": sum(per), "perLink": per}

    def ping(self, a, b, count):
        out = self.host(a).cmd("ping -c %s -i 0.2 -W 1 %s" % (count, self.host(b).IP()))
        m = re.search(r"(\d+) received", out)
        return {"received": int(m.group(1)) if m else 0}

    def pingstart(self, a, b):
        self.pinger = self.host(a).popen(["ping", "-D", "-i", "0.05", "-W", "1", self.host(b).IP()], text=True)
        return {"started": True}

    def pingstop(self):
        p, self.pinger = self.pinger, None
        p.send_signal(2)
        out = p.communicate(timeout=10)[0]
        times = [float(t) for t in re.findall(r"^\[(\d+\.\d+)\].*bytes from", out, re.M)]
        m = re.search(r"(\d+) packets transmitted, (\d+) received", out)
        gap = max((b - a for a, b in zip(times, times[1:])), default=0.0)
        return {"sent": int(m.group(1)) if m else 0, "received": int(m.group(2)) if m else 0,
                "maxGapMs": round(gap * 1000)}

    def link(self, a, b, state):
        self.net.configLinkStatus(a, b, state)
        return {"ok": True}

    def iperf(self, seconds, rate="20M"):
        """All ordered host pairs at once, TCP at RATE each -> bytes per switch-to-switch link, Mbit/s sum."""
        before = [self.link_bytes(ai) for _, ai, _, _ in self.links]
        hosts = self.net.hosts
        servers, clients = [], []
        for j, dst in enumerate(hosts):
            for i, src in enumerate(hosts):
                if i != j:
                    servers.append(dst.popen(["iperf3", "-s", "-1", "-p", str(5301 + i)], text=True))
        time.sleep(1)
        for j, dst in enumerate(hosts):
            for i, src in enumerate(hosts):
                if i != j:
                    clients.append(src.popen(["iperf3", "-c", dst.IP(), "-p", str(5301 + i), "-t", str(seconds),
                                              "-b", rate, "-J"], text=True))
        total = 0.0
        for c in clients:
            out = c.communicate()[0]
            try:
                total += json.loads(out)["end"]["sum_received"]["bits_per_second"]
            except (ValueError, KeyError):
                pass
        for s in servers:
            s.kill()
            s.wait()
        after = [self.link_bytes(ai) for _, ai, _, _ in self.links]
        return {"perLink": [a - b for a, b in zip(after, before)], "mbits": round(total / 1e6, 1)}

    @staticmethod
    def link_bytes(intf):
        base = "/sys/class/net/%s/statistics/" % intf
        return sum(int(open(base + f).read()) for f in ("tx_bytes", "rx_bytes"))

    def stop(self):
        if self.pinger:
            self.pinger.kill()
        self.net.stop()
        if self.started_ovs:
            stop_ovs()
        remove_leftovers(self.n, self.prefix)


def main():
    if len(sys.argv) not in (3, 4):
        raise SystemExit(__doc__)
    setLogLevel("error")
    # A SIGTERM from the caller still runs net.stop() in the finally below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    fabric = Fabric(sys.argv[1], int(sys.argv[2]), sys.argv[3] if len(sys.argv) == 4 else "fb")
    print(json.dumps({"ready": True}), flush=True)
    try:
        for line in sys.stdin:
            cmd, *args = line.split()
            if cmd == "quit":
                break
            try:
                out = getattr(fabric, cmd)(*args)
            except Exception as e:  # report, keep serving: the caller decides
                out = {"error": "%s: %s" % (type(e).__name__, e)}
            print(json.dumps(out), flush=True)
    finally:
        fabric.stop()
        print(json.dumps({"stopped": True}), flush=True)


if __name__ == "__main__":
    main()
