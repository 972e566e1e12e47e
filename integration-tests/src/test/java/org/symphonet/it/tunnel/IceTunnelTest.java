package org.symphonet.it.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.symphonet.it.testbed.Requirements;
import org.symphonet.it.testbed.Testbed;

/**
 * Issue 9 tests 1, 2, 3 and 3b: ICE through real NATs (nftables masquerade) with
 * a real coturn; each tunnel must carry ping, a 1500-byte DF ping and TCP, and
 * report the link type its path really has.
 */
class IceTunnelTest {
    private static final Logger LOG = LoggerFactory.getLogger(IceTunnelTest.class);
    static final String LOW = DirectTunnelTest.LOW;
    static final String HIGH = DirectTunnelTest.HIGH;

    private static NatBed bed;
    private final List<HarnessProcess> harnesses = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        Requirements.require("ip", "nft", "turnserver", "ovsdb-server", "ovs-vswitchd", "ovs-vsctl", "ethtool",
                "iperf3");
        bed = new NatBed();
    }

    @AfterAll
    static void tearDown() {
        if (bed != null) {
            LOG.info("coturn log tail:\n{}", bed.tb.run("exec", "inet", "tail", "-n", "60",
                    HarnessProcess.runDir(bed.tb).resolve("turn-inet.log").toString()).stdout());
            bed.close();
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (HarnessProcess h : harnesses) {
            h.close();
        }
    }

    private HarnessProcess harness(String host, String node, String peer) throws Exception {
        String turn = NatBed.TURN_IP + ":3478";
        HarnessProcess h = HarnessProcess.start(bed.tb, "harness-" + host, host, List.of(
                "--state", HarnessProcess.runDir(bed.tb).resolve("state-" + host).toString(),
                "--node", node, "--peer", peer, "--overlay", "ov1", "--bridge", "br0",
                "--ovs-db", bed.db(host), "--prefix", "ta", "--ice", "--exclude", "br0",
                "--stun", turn, "--turn", turn + ":" + NatBed.TURN_USER + ":" + NatBed.TURN_PASS,
                "--keepalive", "1000", "--dead", "6000"));
        harnesses.add(h);
        return h;
    }

    /** Tunnel between two hosts; returns both UP lines after checking traffic through it. */
    private String[] tunnel(String lowHost, String highHost) throws Exception {
        HarnessProcess lo = harness(lowHost, LOW, HIGH);
        HarnessProcess hi = harness(highHost, HIGH, LOW);
        // Generous: two JVMs start and gather (STUN, TURN allocation) on a shared 2-core box.
        String l1 = lo.await("LOCAL", Duration.ofSeconds(90)).substring(6);
        String l2 = hi.await("LOCAL", Duration.ofSeconds(90)).substring(6);
        long signaled = System.nanoTime();
        lo.send("PEER " + l2);
        hi.send("PEER " + l1);
        String up1 = lo.await("UP", Duration.ofSeconds(40));
        String up2 = hi.await("UP", Duration.ofSeconds(40));
        // A figure for the log (issue 15: relayed up within 3 s), not an assertion: CI machines are slow.
        LOG.info("{} <-> {}: both UP {} ms after the candidates were exchanged", lowHost, highHost,
                (System.nanoTime() - signaled) / 1_000_000);
        LOG.info("{}: {}", lowHost, up1);
        LOG.info("{}: {}", highHost, up2);

        String from = "l" + lowHost;
        String to = bed.leafIp.get(highHost);
        Testbed.Result ping = bed.tb.run(Duration.ofSeconds(30), "exec", from, "ping", "-c3", "-W2", to);
        assertEquals(0, ping.exitCode(), "leaf ping: " + ping.stdout());
        Testbed.Result df = bed.tb.run(Duration.ofSeconds(30), "exec", from, "ping", "-c3", "-W2", "-M", "do",
                "-s", "1472", to);
        assertEquals(0, df.exitCode(), "1500-byte DF ping: " + df.stdout() + df.stderr());
        bed.tb.must("spawn", "iperf3-" + highHost, "l" + highHost, "iperf3", "-s", "-1", "-p", "5201");
        Thread.sleep(500);
        Testbed.Result iperf = bed.tb.inNs(Duration.ofSeconds(60), from, "iperf3", "-c", to, "-p", "5201", "-t", "2");
        assertEquals(0, iperf.exitCode(), iperf.stdout() + iperf.stderr());
        LOG.info("iperf3 {} -> {}:\n{}", lowHost, highHost, iperf.stdout());
        assertTrue(receivedMbit(iperf.stdout()) > 1, "bulk TCP got through: " + iperf.stdout());
        return new String[] {up1, up2};
    }

    @Test
    void sameLanIsDirect() throws Exception {
        String[] up = tunnel("a1", "a2");
        assertTrue(up[0].startsWith("UP type=direct"), up[0]);
        assertTrue(up[1].startsWith("UP type=direct"), up[1]);
    }

    @Test
    void bothBehindEndpointIndependentNatIsReflexive() throws Exception {
        String[] up = tunnel("a1", "b1");
        assertTrue(up[0].startsWith("UP type=reflexive"), up[0]);
        assertTrue(up[1].startsWith("UP type=reflexive"), up[1]);
        for (HarnessProcess h : harnesses) {
            // One thread per tunnel end, waiting on the TAP and the socket together (no hand-off per packet).
            assertEquals(1, h.countLines("socket=batched threads=1"), "one data-path thread per end");
        }
    }

    /**
     * Issue 15: the relayed tunnel carries data on the tunnel's own batched socket (TURN
     * ChannelData), and still does after coturn's lifetimes ran out twice over: only our
     * refreshes of allocation, permission and channel keep it alive.
     */
    @Test
    void symmetricNatToEndpointIndependentNatIsRelayed() throws Exception {
        String[] up = tunnel("c1", "b1");
        assertTrue(up[0].startsWith("UP type=relayed"), up[0]);
        assertTrue(up[1].startsWith("UP type=relayed"), up[1]);
        // Each end sends its data through its OWN allocation, in a TURN channel (from the selection,
        // or once its own-relay route was checked): both directions enter coturn on its listening
        // socket, none on the other end's relay socket, whose small buffer dropped 15 % (issue 15).
        for (HarnessProcess h : harnesses) {
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (h.countLines("in TURN channel") == 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(1, h.countLines("in TURN channel"), "each end relays through its own allocation");
        }
        for (HarnessProcess h : harnesses) {
            // One thread per tunnel end, waiting on the TAP and the socket together (no hand-off per packet).
            assertEquals(1, h.countLines("socket=batched threads=1"),
                    "relayed data on the batched socket, one thread");
        }
        Thread.sleep(Duration.ofSeconds(2L * NatBed.TURN_LIFETIME_SECONDS + 5).toMillis());
        for (HarnessProcess h : harnesses) {
            assertTrue(h.countLines("refreshed: lifetime") >= 2, "both allocations refreshed at least twice");
        }
        String to = bed.leafIp.get("b1");
        Testbed.Result df = bed.tb.run(Duration.ofSeconds(30), "exec", "lc1", "ping", "-c3", "-W2", "-M", "do",
                "-s", "1472", to);
        assertEquals(0, df.exitCode(), "1500-byte DF ping after the TURN lifetimes ran out: " + df.stdout());
        bed.tb.must("spawn", "iperf3-b1-again", "lb1", "iperf3", "-s", "-1", "-p", "5202");
        Thread.sleep(500);
        Testbed.Result iperf = bed.tb.inNs(Duration.ofSeconds(60), "lc1", "iperf3", "-c", to, "-p", "5202", "-t", "2");
        assertEquals(0, iperf.exitCode(), "TCP after the refreshes: " + iperf.stdout() + iperf.stderr());
        LOG.info("iperf3 c1 -> b1 after refreshes:\n{}", iperf.stdout());
        assertTrue(receivedMbit(iperf.stdout()) > 1, "bulk TCP after the refreshes: " + iperf.stdout());
    }

    /** The receiver's bit rate in iperf3's text summary, in Mbit/s (0 if absent). */
    static double receivedMbit(String out) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9.]+) ([KMG]?)bits/sec\\s+receiver")
                .matcher(out);
        if (!m.find()) {
            return 0;
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "G" -> v * 1000;
            case "M" -> v;
            case "K" -> v / 1000;
            default -> v / 1e6;
        };
    }

    @Test
    void symmetricNatToPublicHostIsNotRelayed() throws Exception {
        String[] up = tunnel("c1", "p1");
        assertFalse(up[0].startsWith("UP type=relayed"), up[0]);
        assertFalse(up[1].startsWith("UP type=relayed"), up[1]);
    }
}
