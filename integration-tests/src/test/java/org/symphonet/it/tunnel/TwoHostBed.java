package org.symphonet.it.tunnel;

import java.time.Duration;

import org.symphonet.it.testbed.Testbed;

/**
 * Two hosts on one LAN, each with a private OVS netdev bridge (standalone,
 * NORMAL: no controller needed for two nodes) and one leaf:
 * <pre>
 *   ta-l1 (10.201.100.1) - [ta-h1 br0] - 10.201.0.1 ~~~ 10.201.0.2 - [ta-h2 br0] - ta-l2 (10.201.100.2)
 * </pre>
 * Frames between the leaves can only cross through a tunnel.
 */
final class TwoHostBed implements AutoCloseable {
    /**
     * Testbed prefix of the tunnel tests: {@code ta}, unless the system property
     * {@code symphonet.it.tunnel.prefix} or the environment variable
     * {@code SYMPHONET_IT_TUNNEL_PREFIX} names another, so that two checkouts can run
     * these tests side by side without touching each other's namespaces.
     */
    static final String PREFIX = prefix();
    static final String LEAF1_IP = "10.201.100.1";
    static final String LEAF2_IP = "10.201.100.2";
    static final String H1_IP = "10.201.0.1";
    static final String H2_IP = "10.201.0.2";

    final Testbed tb;

    TwoHostBed() {
        tb = Testbed.start(PREFIX);
        try {
            tb.must("ns", "h1");
            tb.must("ns", "h2");
            tb.must("link", "h1", "eth0", "h2", "eth0");
            tb.must("exec", "h1", "ip", "addr", "add", H1_IP + "/24", "dev", "eth0");
            tb.must("exec", "h2", "ip", "addr", "add", H2_IP + "/24", "dev", "eth0");
            for (String h : new String[] {"h1", "h2"}) {
                tb.must("ovs_start", h);
                tb.must("vsctl", h, "add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev",
                        "fail-mode=standalone");
                tb.must("exec", h, "ip", "link", "set", "br0", "up");
            }
            tb.must("leaf", "h1", "l1", "br0", LEAF1_IP + "/24");
            tb.must("leaf", "h2", "l2", "br0", LEAF2_IP + "/24");
        } catch (RuntimeException e) {
            tb.close();
            throw e;
        }
    }

    private static String prefix() {
        String p = System.getProperty("symphonet.it.tunnel.prefix");
        if (p == null || p.isBlank()) {
            p = System.getenv("SYMPHONET_IT_TUNNEL_PREFIX");
        }
        return p == null || p.isBlank() ? "ta" : p.trim();
    }

    String db(String host) {
        return "unix:" + HarnessProcess.runDir(tb).resolve("ovs-" + host).resolve("db.sock");
    }

    String ports(String host) {
        return tb.must("vsctl", host, "list-ports", "br0");
    }

    Testbed.Result ping(String fromLeaf, String to, String... extra) {
        String[] cmd = new String[4 + extra.length];
        cmd[0] = fromLeaf;
        cmd[1] = "ping";
        System.arraycopy(extra, 0, cmd, 2, extra.length);
        cmd[2 + extra.length] = "-W2";
        cmd[3 + extra.length] = to;
        return tb.run(Duration.ofSeconds(60), "exec", cmd);
    }

    @Override
    public void close() {
        tb.close();
    }
}
