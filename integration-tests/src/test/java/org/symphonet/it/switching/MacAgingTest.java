package org.symphonet.it.switching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.symphonet.it.testbed.Wait;
import org.symphonet.it.testbed.Requirements;
import org.symphonet.it.testbed.Testbed;
import org.symphonet.ofcontroller.ControllerSettings;
import org.symphonet.ofcontroller.OfController;
import org.symphonet.ofcontroller.session.ListenAddress;
import org.symphonet.ofcontroller.view.MutableTopologyView;

/**
 * How the switch learns a MAC on one real netdev bridge: its first frame installs no flow, the
 * first frame toward it the way to it (table 2), its own second frame the source flow (table 1);
 * a MAC is forgotten when its flow idles out, or after the idle time if it never got one. Idle
 * timeout 3 s so the test sees it happen.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MacAgingTest {
    private static final long DPID = 0x00000000000a6e01L;
    private static final int IDLE_SECONDS = 3;
    private static final int CAPACITY = 1000;

    private Testbed tb;
    private OfController controller;

    @BeforeAll
    void bridge() throws Exception {
        Requirements.require("ovs-vswitchd", "ovsdb-server", "ovs-vsctl", "ovs-ofctl", "ip", "/usr/bin/python3");
        String prefix = "ma" + Integer.toString(new Random().nextInt(36 * 36 * 36), 36);
        Path dir = Files.createTempDirectory("symphonet-" + prefix);
        controller = new OfController(new MutableTopologyView(),
                new ControllerSettings(IDLE_SECONDS, CAPACITY, 1024, 5), 1);
        Path socket = dir.resolve("controller.sock");
        controller.listen(ListenAddress.parse("unix:" + socket));
        tb = Testbed.start(prefix);
        tb.must("ns", "n");
        tb.must("ovs_start", "n");
        tb.must("bridge", "n", "br0", String.format("%016x", DPID), "unix:" + socket);
        tb.must("leaf", "n", "l1", "br0", "10.77.0.1/24", "02:77:00:00:00:01");
        tb.must("leaf", "n", "l2", "br0", "10.77.0.2/24", "02:77:00:00:00:02");
        Wait.until(Duration.ofSeconds(30), "the bridge to connect with both leaf ports",
                () -> controller.status(DPID).map(s -> s.leafPorts().size() == 2).orElse(false));
    }

    /** Counting learned MACs is only exact once the MACs of earlier tests have aged out. */
    @BeforeEach
    void quiet() throws InterruptedException {
        Wait.until(Duration.ofSeconds(IDLE_SECONDS + 15), "MACs of earlier tests to age out", () -> learned() == 0);
    }

    @AfterAll
    void tearDown() {
        if (controller != null) {
            controller.close();
        }
        if (tb != null) {
            tb.close();
        }
    }

    @Test
    void aMacThatSentOnceGetsNoFlowAndAgesOut() throws Exception {
        String mac = "02:aa:00:00:00:02";
        int before = learnFrom("l1", mac);
        assertFalse(flows(2).contains("dl_dst=" + mac), "no way to it before anyone sends to it: " + flows(2));
        assertFalse(flows(1).contains("dl_src=" + mac), "no source flow after one frame: " + flows(1));
        Wait.until(Duration.ofSeconds(IDLE_SECONDS + 10), "the MAC to be forgotten after the idle time",
                () -> learned() <= before);
    }

    @Test
    void aFrameTowardAKnownMacInstallsTheWayToItWhichAgesOut() throws Exception {
        String mac = "02:aa:00:00:00:03";
        learnFrom("l1", mac);
        send("l2", "02:bb:00:00:00:01", mac);
        Wait.until(Duration.ofSeconds(5), "the way to " + mac, () -> flows(2).contains("dl_dst=" + mac));
        assertFalse(flows(1).contains("dl_src=" + mac), flows(1));
        Wait.until(Duration.ofSeconds(IDLE_SECONDS + 10), "the destination flow to idle out",
                () -> !flows(2).contains("dl_dst=" + mac));
        Thread.sleep(500); // its FLOW_REMOVED reaches the controller
        send("l2", "02:bb:00:00:00:01", mac);
        Thread.sleep(1000);
        assertFalse(flows(2).contains("dl_dst=" + mac), "forgotten: a frame toward it is flooded, no way installed");
    }

    @Test
    void aMacThatSendsAgainGetsItsSourceFlow() throws Exception {
        String mac = "02:aa:00:00:00:01";
        learnFrom("l1", mac);
        sendFrom("l1", mac);
        Wait.until(Duration.ofSeconds(5), "a source flow after the second frame",
                () -> flows(1).contains("dl_src=" + mac));
        assertTrue(flows(1).contains("in_port="), flows(1));
    }

    @Test
    void aFullTableMakesRoomByForgettingTheMacsLongestWithoutAFlow() throws Exception {
        int extra = 100;
        Testbed.Result r = tb.inNs("l1", "/usr/bin/python3", "-c",
                "import socket, time; s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW); s.bind(('eth0', 0))\n"
                        + "for i in range(" + (CAPACITY + extra) + "):\n"
                        + "    s.send(bytes.fromhex('ffffffffffff02cc0000%04x88b5' % i) + bytes(46))\n"
                        // Paced: this test is about the table, not about how many packet-ins a burst loses.
                        + "    time.sleep(0.001)");
        assertTrue(r.ok(), r.stderr());
        String newest = String.format("02:cc:00:00:%02x:%02x", (CAPACITY + extra - 1) >> 8, (CAPACITY + extra - 1) & 0xff);
        Wait.until(Duration.ofSeconds(10), "the table full with the newest MACs",
                () -> learned() == CAPACITY && counter("macs_evicted") >= extra);
        assertEquals(0, counter("mac_table_full"), "no MAC was refused");
        send("l2", "02:bb:00:00:00:02", newest);
        Wait.until(Duration.ofSeconds(5), "the way to the newest MAC", () -> flows(2).contains("dl_dst=" + newest));
        send("l2", "02:bb:00:00:00:02", "02:cc:00:00:00:00");
        Thread.sleep(1000);
        assertFalse(flows(2).contains("dl_dst=02:cc:00:00:00:00"), "the oldest was forgotten: flooded, no way installed");
    }

    private long counter(String name) {
        return controller.status(DPID).orElseThrow().counters().getOrDefault(name, -1L);
    }

    /** Sends one frame from {@code mac} and waits until the controller learned it; returns the count before. */
    private int learnFrom(String leaf, String mac) throws InterruptedException {
        int before = learned();
        sendFrom(leaf, mac);
        Wait.until(Duration.ofSeconds(5), "the controller to learn " + mac, () -> learned() == before + 1);
        return before;
    }

    private int learned() {
        return controller.status(DPID).orElseThrow().learnedMacs();
    }

    private String flows(int table) {
        return tb.must("ofctl", "n", "br0", "dump-flows", "table=" + table);
    }

    /** One broadcast frame of a local experimental ethertype with the given source MAC. */
    private void sendFrom(String leaf, String mac) {
        send(leaf, mac, "ff:ff:ff:ff:ff:ff");
    }

    private void send(String leaf, String src, String dst) {
        String hex = dst.replace(":", "") + src.replace(":", "") + "88b5";
        Testbed.Result r = tb.inNs(leaf, "/usr/bin/python3", "-c",
                "import socket; s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW); s.bind(('eth0', 0)); "
                        + "s.send(bytes.fromhex('" + hex + "') + bytes(46))");
        assertTrue(r.ok(), r.stderr());
    }
}
