package org.symphonet.it.switching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.symphonet.it.testbed.Requirements;
import org.symphonet.it.testbed.Wait;
import org.symphonet.ofcontroller.ControllerSettings;
import org.symphonet.ofcontroller.OfController;
import org.symphonet.ofcontroller.discovery.FabricDiscovery;
import org.symphonet.ofcontroller.discovery.FabricStatus;
import org.symphonet.ofcontroller.metrics.BridgeCounters;
import org.symphonet.ofcontroller.session.ListenAddress;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Issue 14: our controller with no topology file as the controller of Mininet fabrics with loops
 * (torus, ring, random mesh) and without (tree): it finds the links itself, then every host
 * reaches every other, a broadcast reaches each host once over n-1 switch-to-switch frames, and
 * learned unicast costs no packet-in. On the torus also: a link cut and restored under pings, and
 * a controller restart. One Mininet per topology, on the system Open vSwitch, user datapath.
 */
class FabricDiscoveryMininetTest {

    private static final int PORT = 6700;

    private FabricDiscovery discovery;
    private OfController controller;

    @BeforeEach
    void requirements() {
        Requirements.require("mn", "/usr/bin/python3", "ovs-vsctl", "ovs-vswitchd", "ovsdb-server", "ethtool", "ping");
    }

    @AfterEach
    void stopController() {
        if (controller != null) {
            controller.close();
            discovery.close();
        }
    }

    private void startController() throws Exception {
        discovery = new FabricDiscovery(FabricDiscovery.Settings.defaults());
        discovery.start(250);
        controller = new OfController(discovery, ControllerSettings.defaults(), 2);
        controller.listen(ListenAddress.parse("tcp:127.0.0.1:" + PORT));
    }

    @Test
    void torus3x3LinkCutAndControllerRestart() throws Exception {
        startController();
        try (MininetFabric net = new MininetFabric("torus,3,3", PORT)) {
            awaitDiscovered(net);
            awaitPingAll(net);
            assertOneCopyPerBroadcast(net);
            assertLearnedUnicastCostsNoPacketIn(net);

            // A cut on the direct path between two hosts: traffic moves to other links within 3 s.
            MininetFabric.Link cut = net.links.get(0);
            String a = hostOf(net, cut.a());
            String b = hostOf(net, cut.b());
            net.command("ping", a, b, "3");
            net.command("pingstart", a, b);
            Thread.sleep(1_000);
            net.command("link", cut.a(), cut.b(), "down");
            Thread.sleep(4_000);
            net.command("link", cut.a(), cut.b(), "up");
            Thread.sleep(3_000);
            JsonNode pings = net.command("pingstop");
            assertTrue(pings.get("maxGapMs").asLong() <= 3_000, "reachability " + a + " -> " + b + " across the cut: " + pings);
            assertTrue(discovery.linksLost() >= 1, "the cut link was counted lost");
            awaitDiscovered(net); // the restored link is back
            assertOneCopyPerBroadcast(net);

            // The controller restarts: the switches reconnect and the fabric is found again.
            controller.close();
            discovery.close();
            startController();
            awaitDiscovered(net);
            awaitPingAll(net);
            assertOneCopyPerBroadcast(net);
        }
    }

    @Test
    void ringTreeAndRandomMeshes() throws Exception {
        startController();
        for (String topology : List.of("ring,5", "tree,2,3", "mesh,6,3,14")) {
            try (MininetFabric net = new MininetFabric(topology, PORT)) {
                awaitDiscovered(net);
                awaitPingAll(net);
                assertOneCopyPerBroadcast(net);
                assertLearnedUnicastCostsNoPacketIn(net);
            }
            Wait.until(Duration.ofSeconds(30), "the last topology's switches gone",
                    () -> controller.connectedBridges().isEmpty());
        }
    }

    /** Every switch connected, every Mininet link found, one fabric, no port still unknown. */
    private void awaitDiscovered(MininetFabric net) throws InterruptedException {
        Wait.until(Duration.ofSeconds(60), () -> "discovery of " + net.links.size() + " links; saw " + discovery.status(), () -> {
            FabricStatus s = discovery.status();
            return s.switches().size() == net.switches.size() && s.links().size() == net.links.size() && s.fabrics() == 1
                    && s.switches().stream().allMatch(sw -> !sw.ports().containsValue("unknown"));
        });
        FabricStatus s = discovery.status();
        for (MininetFabric.Link l : net.links) {
            String a = String.format("%016x/%s", dpid(net, l.a()), l.aIntf());
            String b = String.format("%016x/%s", dpid(net, l.b()), l.bIntf());
            assertTrue(s.links().stream().anyMatch(x -> x.a().equals(a) && x.b().equals(b) || x.a().equals(b) && x.b().equals(a)),
                    "link " + a + " - " + b + " not among " + s.links());
        }
    }

    private static void awaitPingAll(MininetFabric net) throws Exception {
        double[] loss = {100};
        Wait.until(Duration.ofSeconds(60), () -> "pingall 0% loss (last " + loss[0] + "%)", () -> {
            try {
                loss[0] = net.pingAllLoss();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return loss[0] == 0.0;
        });
    }

    private void assertOneCopyPerBroadcast(MininetFabric net) throws Exception {
        for (String sender : List.of(net.hosts.get(0), net.hosts.get(net.hosts.size() - 1))) {
            JsonNode r = net.command("bcast", sender);
            r.get("copies").fields().forEachRemaining(e ->
                    assertEquals(1, e.getValue().asInt(), "copies of " + sender + "'s broadcast at " + e.getKey() + ": " + r));
            assertEquals(net.hosts.size() - 1, r.get("copies").size());
            assertEquals(net.switches.size() - 1, r.get("linkFrames").asInt(), "frames on switch-to-switch links: " + r);
        }
    }

    private void assertLearnedUnicastCostsNoPacketIn(MininetFabric net) throws Exception {
        String a = net.hosts.get(0);
        String b = net.hosts.get(net.hosts.size() / 2);
        assertEquals(3, net.command("ping", a, b, "3").get("received").asInt());
        long before = framePacketIns(net);
        assertEquals(10, net.command("ping", a, b, "10").get("received").asInt());
        assertEquals(before, framePacketIns(net), "packet-ins (other than probes and FRBs) for learned unicast");
    }

    /** Packet-ins that carried hosts' frames: all of them minus discovery probes and FRBs. */
    private long framePacketIns(MininetFabric net) {
        long n = 0;
        for (long d : net.datapathIds) {
            BridgeCounters c = controller.counters(d);
            n += c.packetIns.sum() - c.probesReceived.sum() - c.frbReceived.sum() - c.frbDuplicates.sum()
                    - c.announcementsReceived.sum() - c.frbMalformed.sum() - c.frbHopLimit.sum();
        }
        return n;
    }

    private static long dpid(MininetFabric net, String sw) {
        return net.datapathIds.get(net.switches.indexOf(sw));
    }

    private static String hostOf(MininetFabric net, String sw) {
        return "fbh" + sw.substring(2);
    }
}
