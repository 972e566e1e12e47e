package org.symphonet.it.tunnel;

import java.util.LinkedHashMap;
import java.util.Map;

import org.symphonet.it.testbed.Testbed;

/**
 * An "internet" with coturn, three NAT routers and a public host (issue 9 tests 1-3b):
 * <pre>
 *                      ta-inet (coturn on 10.201.10.1:3478)
 *        10.201.11/24 /     10.201.12/24 |     10.201.13/24 \      \ 10.201.14/24
 *   ta-nat1 (eim)          ta-nat2 (eim)          ta-nat3 (symmetric)   ta-p1 (public host)
 *   10.201.21/24 LAN       10.201.22/24           10.201.23/24
 *   ta-a1, ta-a2           ta-b1                  ta-c1
 * </pre>
 * Every host has a private OVS netdev bridge br0 (standalone) with one leaf on
 * 10.201.100.0/24; the leaves of two hosts meet only through a tunnel.
 */
final class NatBed implements AutoCloseable {
    static final String TURN_IP = "10.201.10.1";
    static final String TURN_USER = "symphonet";
    static final String TURN_PASS = "tunnel-test-secret";
    /** coturn's allocation, channel and permission lifetimes here (defaults 600/600/300 s). */
    static final int TURN_LIFETIME_SECONDS = 20;

    final Testbed tb;
    /** host name -> its leaf's IP on the overlay. */
    final Map<String, String> leafIp = new LinkedHashMap<>();
    /** host name -> its underlay address. */
    final Map<String, String> hostIp = new LinkedHashMap<>();

    NatBed() {
        tb = Testbed.start(TwoHostBed.PREFIX);
        try {
            build();
        } catch (RuntimeException e) {
            tb.close();
            throw e;
        }
    }

    private void build() {
        tb.must("ns", "inet");
        tb.must("router", "inet");
        tb.must("exec", "inet", "ip", "addr", "add", TURN_IP + "/32", "dev", "lo");
        wan("nat1", "11", "eim");
        wan("nat2", "12", "eim");
        wan("nat3", "13", "symmetric");
        // Public host: an address on the internet, no NAT.
        tb.must("ns", "p1");
        tb.must("link", "inet", "p1", "p1", "eth0");
        tb.must("exec", "inet", "ip", "addr", "add", "10.201.14.1/24", "dev", "p1");
        tb.must("exec", "p1", "ip", "addr", "add", "10.201.14.2/24", "dev", "eth0");
        tb.must("route", "p1", "10.201.14.1");
        hostIp.put("p1", "10.201.14.2");
        // LAN A: two hosts on one Linux bridge inside nat1.
        tb.must("exec", "nat1", "ip", "link", "add", "lan", "type", "bridge");
        tb.must("exec", "nat1", "ip", "addr", "add", "10.201.21.1/24", "dev", "lan");
        tb.must("exec", "nat1", "ip", "link", "set", "lan", "up");
        lanHost("nat1", "a1", "10.201.21.2", "10.201.21.1", true);
        lanHost("nat1", "a2", "10.201.21.3", "10.201.21.1", true);
        lanHost("nat2", "b1", "10.201.22.2", "10.201.22.1", false);
        lanHost("nat3", "c1", "10.201.23.2", "10.201.23.1", false);
        // The internet knows no route to private LANs, but must not fail a send to one:
        // coturn closes an allocation whose relay socket gets ENETUNREACH (when ICE
        // tries a peer's host candidate through it). Routing each LAN to its NAT makes
        // such packets die silently at the NAT's firewall, as they would out there.
        tb.must("exec", "inet", "ip", "route", "add", "10.201.21.0/24", "via", "10.201.11.2");
        tb.must("exec", "inet", "ip", "route", "add", "10.201.22.0/24", "via", "10.201.12.2");
        tb.must("exec", "inet", "ip", "route", "add", "10.201.23.0/24", "via", "10.201.13.2");
        int n = 0;
        for (String host : new String[] {"a1", "a2", "b1", "c1", "p1"}) {
            tb.must("ovs_start", host);
            tb.must("vsctl", host, "add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev",
                    "fail-mode=standalone");
            tb.must("exec", host, "ip", "link", "set", "br0", "up");
            String ip = "10.201.100." + (11 + n++);
            tb.must("leaf", host, "l" + host, "br0", ip + "/24");
            leafIp.put(host, ip);
        }
        // Short lifetimes, so a test sees allocation, permission and channel refreshed (or lost).
        tb.must("turn", "inet", TURN_IP, TURN_USER, TURN_PASS, "3478",
                "max-allocate-lifetime=" + TURN_LIFETIME_SECONDS, "channel-lifetime=" + TURN_LIFETIME_SECONDS,
                "permission-lifetime=" + TURN_LIFETIME_SECONDS);
    }

    private void wan(String nat, String net, String mode) {
        tb.must("ns", nat);
        tb.must("link", "inet", nat, nat, "wan");
        tb.must("exec", "inet", "ip", "addr", "add", "10.201." + net + ".1/24", "dev", nat);
        tb.must("exec", nat, "ip", "addr", "add", "10.201." + net + ".2/24", "dev", "wan");
        tb.must("route", nat, "10.201." + net + ".1");
        tb.must("nat", nat, "wan", mode);
    }

    private void lanHost(String nat, String host, String ip, String gw, boolean bridged) {
        tb.must("ns", host);
        tb.must("link", nat, host, host, "eth0");
        if (bridged) {
            tb.must("exec", nat, "ip", "link", "set", host, "master", "lan");
        } else {
            tb.must("exec", nat, "ip", "addr", "add", gw + "/24", "dev", host);
        }
        tb.must("exec", host, "ip", "addr", "add", ip + "/24", "dev", "eth0");
        tb.must("route", host, gw);
        hostIp.put(host, ip);
    }

    String db(String host) {
        return "unix:" + HarnessProcess.runDir(tb).resolve("ovs-" + host).resolve("db.sock");
    }

    @Override
    public void close() {
        tb.close();
    }
}
