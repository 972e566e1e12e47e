package org.symphonet.it.switching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.symphonet.it.testbed.Requirements;
import org.symphonet.it.testbed.Testbed;
import org.symphonet.it.testbed.Wait;
import org.symphonet.ofcontroller.BridgeStatus;
import org.symphonet.ofcontroller.ControllerSettings;
import org.symphonet.ofcontroller.OfController;
import org.symphonet.ofcontroller.flood.Frb;
import org.symphonet.ofcontroller.flood.FrbCodec;
import org.symphonet.ofcontroller.flood.FrbType;
import org.symphonet.ofcontroller.metrics.BridgeCounters;
import org.symphonet.ofcontroller.session.ListenAddress;
import org.symphonet.ofcontroller.view.MutableTopologyView;
import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.ofcontroller.view.StaticTopologyFile;

/**
 * Our controller switching a cyclic mesh of 8 real OVS netdev bridges (ring with 2 successors per
 * node plus chords, 2 leaves per node, one /24): reachability, exactly-once broadcast with n-1
 * FRBs, no packet-ins for learned unicast, hostile FRBs, an ovs-vswitchd crash, and link loss.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BoundedFloodMeshTest {

    private static final int NODES = 8;
    private static final String BROADCAST = "10.77.0.255";
    private static final Pattern PACKETS = Pattern.compile("packets (\\d+)");
    private static final Pattern N_PACKETS = Pattern.compile("n_packets=(\\d+)");

    private Testbed tb;
    private OfController controller;
    private Mesh mesh;
    private Path topologyFile;

    @BeforeAll
    void buildMesh() throws Exception {
        Requirements.require("ovs-vswitchd", "ovsdb-server", "ovs-vsctl", "ip", "nft", "ethtool", "/usr/bin/python3");
        String prefix = "sw" + Integer.toString(new Random().nextInt(36 * 36 * 36), 36);
        Path dir = Files.createTempDirectory("symphonet-" + prefix);
        topologyFile = dir.resolve("topology.yaml");
        MutableTopologyView view = new MutableTopologyView();
        controller = new OfController(view, ControllerSettings.defaults(), 2);
        Path socket = dir.resolve("controller.sock");
        controller.listen(ListenAddress.parse("unix:" + socket));

        tb = Testbed.start(prefix);
        tb.must("mesh_up", Integer.toString(NODES), "unix:" + socket, topologyFile.toString());
        mesh = Mesh.parse(tb.must("mesh_info"));
        assertEquals(NODES, mesh.nodes().size());
        assertEquals(2 * NODES, mesh.leaves().size());

        // The bridges came up as plain learning switches; feeding the view live turns them into the overlay.
        MutableTopologyView fromFile = StaticTopologyFile.load(topologyFile);
        for (Mesh.Node n : mesh.nodes()) {
            view.putBridge(n.datapathId(), fromFile.bridge(n.datapathId()).orElseThrow());
        }
        Wait.until(Duration.ofSeconds(30), "all bridges connected with all their peer ports", () -> mesh.nodes().stream()
                .allMatch(n -> controller.status(n.datapathId()).map(s -> s.peerPorts().size() == peersOf(n.index())).orElse(false)));

        for (Mesh.Leaf l : mesh.leaves()) {
            // Count what the switch delivers to each leaf: the UDP test broadcast (as received from the
            // wire, not the sender's local loopback copy) and anything of the FRB ethertype.
            String rules = "table netdev sytest { chain in { type filter hook ingress device eth0 priority 0; "
                    + "udp dport 9999 meta pkttype broadcast counter; ether type 0xc0c0 counter; }; }";
            Testbed.Result r = tb.inNs(l.name(), "nft", rules);
            assertTrue(r.ok(), r.stderr());
        }
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

    private int peersOf(int node) {
        return (int) mesh.links().stream().filter(l -> l.a() == node || l.b() == node).count();
    }

    @Test
    @Order(1)
    void everyLeafReachesEveryOtherLeaf() {
        assertAllPairsPing(Duration.ofSeconds(60));
    }

    @Test
    @Order(2)
    void oneBroadcastReachesEveryLeafOnceWithNMinusOneFrbs() throws Exception {
        Mesh.Leaf sender = mesh.leaves().get(0);
        // The sender's own ingress counter also sees the kernel's loopback copy of its broadcast, so
        // count what its switch port transmits towards it instead (netdev egress hook on the node side).
        String egress = "table netdev sysender { chain out { type filter hook egress device \"" + sender.name()
                + "\" priority 0; udp dport 9999 counter; }; }";
        Testbed.Result hook = tb.inNs("n" + sender.node(), "nft", egress);
        assertTrue(hook.ok(), hook.stderr());
        for (int attempt = 1; ; attempt++) {
            Map<String, Long> leavesBefore = leafCounters(0);
            long toSender = senderEgress(sender);
            long frbSent = sum(c -> c.frbSent.sum()), frbReceived = sum(c -> c.frbReceived.sum());
            long originated = sum(c -> c.floodsOriginated.sum()), announced = sum(c -> c.announcementsSent.sum());
            // OVS folds datapath counters into flow statistics about once a second: start from a settled count.
            long ovsFrbs = ovsFrbPacketsFromPeers();
            for (int settle = 0; settle < 10; settle++) {
                Thread.sleep(1500);
                long again = ovsFrbPacketsFromPeers();
                long announcedAgain = sum(c -> c.announcementsSent.sum());
                if (again == ovsFrbs && announcedAgain == announced) {
                    break;
                }
                ovsFrbs = again;
                announced = announcedAgain;
            }

            tb.inNs(sender.name(), "/usr/bin/python3", script("udp-broadcast.py"), BROADCAST, "9999", "exactly-once");
            Thread.sleep(1500);

            if (sum(c -> c.announcementsSent.sum()) != announced && attempt < 4) {
                continue; // a periodic leaf announcement crossed the window; its FRBs would blur the count
            }
            Map<String, Long> leavesAfter = leafCounters(0);
            for (Mesh.Leaf l : mesh.leaves()) {
                if (!l.equals(sender)) {
                    assertEquals(1, leavesAfter.get(l.name()) - leavesBefore.get(l.name()), "copies of the broadcast at " + l.name());
                }
            }
            assertEquals(toSender, senderEgress(sender), "copies the switch sent back to the sender");
            assertEquals(1, sum(c -> c.floodsOriginated.sum()) - originated, "floods originated");
            assertEquals(NODES - 1, sum(c -> c.frbSent.sum()) - frbSent, "FRBs sent by the controller");
            assertEquals(NODES - 1, sum(c -> c.frbReceived.sum()) - frbReceived, "FRBs accepted from peers");
            // OVS folds datapath counters into flow statistics about once a second, and its FRB flows
            // also carry the periodic leaf announcements, which the controller counts apart.
            long[] seen = new long[2];
            long announcedBase = announced, ovsBase = ovsFrbs;
            Wait.until(Duration.ofSeconds(10), () -> "OVS to count " + (NODES - 1) + " flood FRBs on peer ports (seen: " + seen[0]
                    + " FRBs, of which announcements " + seen[1] + ")", () -> {
                        seen[1] = sum(c -> c.announcementsSent.sum()) - announcedBase;
                        seen[0] = ovsFrbPacketsFromPeers() - ovsBase;
                        return seen[0] - seen[1] == NODES - 1;
                    });
            return;
        }
    }

    @Test
    @Order(3)
    void learnedUnicastRaisesNoPacketIns() throws Exception {
        Mesh.Leaf a = leaf(1, 1), b = leaf(6, 0);
        assertTrue(tb.inNs(a.name(), "ping", "-c2", "-W2", b.ip()).ok());
        Thread.sleep(500);
        long before = sum(c -> c.packetIns.sum());
        Testbed.Result ab = tb.inNs(a.name(), "ping", "-c20", "-i0.05", "-W2", "-q", b.ip());
        Testbed.Result ba = tb.inNs(b.name(), "ping", "-c20", "-i0.05", "-W2", "-q", a.ip());
        assertTrue(ab.ok() && ba.ok(), ab.stdout() + ba.stdout());
        assertEquals(0, sum(c -> c.packetIns.sum()) - before, "packet-ins while learned unicast flowed");
    }

    @Test
    @Order(4)
    void hostileFrbsFromLeavesAndPeersChangeNothing() throws Exception {
        Mesh.Node n0 = mesh.node(0), n1 = mesh.node(1), n2 = mesh.node(2);
        List<String> garbage = hostileFrbs(NodeId.parse(n0.nodeId()), NodeId.parse(n1.nodeId()));
        long malformedAtN1 = controller.counters(n1.datapathId()).frbMalformed.sum();
        long delivered = sum(c -> c.frbDelivered.sum());
        long forwarded = sum(c -> c.frbSent.sum());
        long droppedAtN2 = strayFrbDrops("n2");
        long malformedAtN2 = controller.counters(n2.datapathId()).frbMalformed.sum();

        // From a leaf: the switch drops them in its first table; the controller never sees them.
        List<String> fromLeaf = new ArrayList<>(List.of("/usr/bin/python3", script("send-frames.py"), "eth0"));
        fromLeaf.addAll(garbage);
        assertTrue(tb.inNs(leaf(2, 0).name(), fromLeaf.toArray(String[]::new)).ok());
        // From a peer port: n0 transmits on its link to n1, so n1's bridge receives them on a peer port.
        List<String> fromPeer = new ArrayList<>(List.of("/usr/bin/python3", script("send-frames.py"), "p0-1"));
        fromPeer.addAll(garbage);
        assertTrue(tb.inNs("n0", fromPeer.toArray(String[]::new)).ok());

        Wait.until(Duration.ofSeconds(10), "n1's controller to count every hostile FRB",
                () -> controller.counters(n1.datapathId()).frbMalformed.sum() - malformedAtN1 == garbage.size());
        Wait.until(Duration.ofSeconds(5), "n2's switch to drop every FRB from its leaf",
                () -> strayFrbDrops("n2") - droppedAtN2 == garbage.size());
        assertEquals(malformedAtN2, controller.counters(n2.datapathId()).frbMalformed.sum());
        assertEquals(delivered, sum(c -> c.frbDelivered.sum()), "nothing hostile was delivered");
        assertEquals(forwarded, sum(c -> c.frbSent.sum()), "nothing hostile was forwarded");
        leafCounters(1).forEach((leaf, frbs) -> assertEquals(0, frbs, "FRB-type frames reaching " + leaf));
        assertAllPairsPing(Duration.ofSeconds(60));
    }

    @Test
    @Order(5)
    void controllerResyncsARestartedSwitch() throws Exception {
        Mesh.Node n3 = mesh.node(3);
        BridgeCounters c = controller.counters(n3.datapathId());
        long resyncs = c.resyncs.sum();
        tb.must("vswitchd_kill", "n3");
        Wait.until(Duration.ofSeconds(10), "the controller to notice the lost switch", () -> !controller.isConnected(n3.datapathId()));
        tb.must("vswitchd_start", "n3");
        Wait.until(Duration.ofSeconds(30), "the restarted switch to be back with its peers", () -> controller.status(n3.datapathId())
                .map(s -> s.peerPorts().size() == peersOf(3)).orElse(false));
        assertEquals(resyncs + 1, c.resyncs.sum());
        String flows = tb.must("ofctl", "n3", "br0", "dump-flows");
        assertTrue(flows.contains("dl_type=0xc0c0 actions=drop"), flows);
        assertAllPairsPing(Duration.ofSeconds(60));
    }

    @Test
    @Order(6)
    void aLeafThatMovesToAnotherBridgeIsFoundThere() throws Exception {
        // Like a VM migrating: leaf l5-1 keeps its MAC and IP but now hangs off bridge n6.
        Mesh.Leaf moving = leaf(5, 1);
        Mesh.Node to = mesh.node(6);
        long moves = sum(c -> c.macMoves.sum());
        tb.must("unlink", "n5", moving.name());
        tb.must("link", moving.name(), "eth0", "n6", "moved");
        tb.must("exec", moving.name(), "ip", "link", "set", "eth0", "address", moving.mac());
        tb.must("exec", moving.name(), "ip", "addr", "add", moving.ip() + "/24", "dev", "eth0");
        tb.must("port", "n6", "br0", "moved");
        tb.inNs(moving.name(), "ping", "-c1", "-W2", leaf(0, 0).ip());
        Wait.until(Duration.ofSeconds(10), "bridges to see the MAC move", () -> sum(c -> c.macMoves.sum()) > moves);
        assertAllPairsPing(Duration.ofSeconds(30));
        long macHex = Long.parseLong(moving.mac().replace(":", ""), 16);
        assertEquals(to.nodeId(), controller.bridgeOfMac(mesh.node(0).datapathId(), macHex).map(NodeId::toString).orElse(null),
                "leaf announcements place the MAC behind its new bridge");
    }

    @Test
    @Order(7)
    void losingAShortcutKeepsEveryoneReachableAndAMissingSuccessorIsAGap() throws Exception {
        Mesh.Node n0 = mesh.node(0);
        Mesh.Link chord = mesh.links().stream().filter(l -> l.a() == 0 && l.b() == NODES / 2).findFirst().orElseThrow();
        int port = portNumber("n0", chord.portA());
        tb.must("unlink", "n0", chord.portA());
        long start = System.nanoTime();
        Wait.until(Duration.ofSeconds(10), "the lost link's port to leave the bridge", () -> controller.status(n0.datapathId())
                .map(s -> !s.peerPorts().containsKey(chord.portA())).orElse(false));
        Wait.until(Duration.ofSeconds(10), "flows of the lost port to be deleted", () -> {
            String flows = tb.must("ofctl", "n0", "br0", "dump-flows");
            return !flows.contains("in_port=" + port + ",") && !flows.contains("output:" + port + "\n")
                    && !flows.matches("(?s).*output:" + port + "\\b.*");
        });
        assertAllPairsPing(Duration.ofSeconds(30));
        System.out.printf("all %d leaves reachable %.1f s after the shortcut went away%n", mesh.leaves().size(),
                (System.nanoTime() - start) / 1e9);
        assertNull(controller.status(n0.datapathId()).orElseThrow().ringGap(), "a chord is not a successor link");

        // A successor link the rule depends on: its loss must be reported, never silent.
        Mesh.Node n2 = mesh.node(2), n3 = mesh.node(3);
        long gaps = controller.counters(n2.datapathId()).ringGaps.sum();
        tb.must("unlink", "n2", "p2-3");
        Wait.until(Duration.ofSeconds(10), "n2 to report a ring gap", () -> controller.counters(n2.datapathId()).ringGaps.sum() > gaps);
        BridgeStatus s = controller.status(n2.datapathId()).orElseThrow();
        assertEquals(n3.nodeId(), s.ringGap(), "the node n2 would miss");
        assertFalse(s.peerPorts().containsKey("p2-3"));
    }

    @Test
    @Order(8)
    void aLeafsRepeatedArpForAnUnansweredAddressStaysInTheSwitch() throws Exception {
        Mesh.Node n5 = mesh.node(5);
        Mesh.Leaf asker = leaf(5, 0);
        String nobody = asker.ip().substring(0, asker.ip().lastIndexOf('.') + 1) + "250";
        BridgeCounters c = controller.counters(n5.datapathId());
        long floods = c.floodsArp.sum(), held = c.arpFloodsHeld.sum(), flows = c.arpHoldFlows.sum();
        // One broadcast request a second, as a Linux leaf asks an unresolved neighbour; nobody answers.
        tb.inNs(asker.name(), "arping", "-c", "3", "-i", "eth0", nobody);
        assertEquals(1, c.floodsArp.sum() - floods, "one flood to the other bridges");
        assertEquals(1, c.arpHoldFlows.sum() - flows, "one hold flow");
        assertEquals(held, c.arpFloodsHeld.sum(), "the repeats never reached the controller");
        Pattern hold = Pattern.compile("priority=50,arp,.*arp_tpa=" + Pattern.quote(nobody) + ",arp_op=1");
        long[] kept = {0};
        Wait.until(Duration.ofSeconds(5), "OVS to count the repeats on the hold flow (seen " + kept[0] + ")", () -> {
            for (String line : tb.must("ofctl", "n5", "br0", "dump-flows", "table=2").split("\n")) {
                Matcher m = N_PACKETS.matcher(line);
                if (hold.matcher(line).find() && m.find()) {
                    kept[0] = Long.parseLong(m.group(1));
                }
            }
            return kept[0] >= 2; // before the hold (5 s) ends and the flow goes
        });
    }

    // ---- helpers ----

    private Mesh.Leaf leaf(int node, int index) {
        return mesh.leaves().stream().filter(l -> l.node() == node && l.index() == index).findFirst().orElseThrow();
    }

    private void assertAllPairsPing(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        Testbed.Result r;
        do {
            r = tb.run(Duration.ofMinutes(3), "mesh_ping_all");
        } while (!r.ok() && System.nanoTime() < deadline);
        assertTrue(r.ok(), "all-pairs ping: " + r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("pairs=240 failed=0"), r.stdout());
    }

    private long sum(java.util.function.ToLongFunction<BridgeCounters> metric) {
        return mesh.nodes().stream().mapToLong(n -> metric.applyAsLong(controller.counters(n.datapathId()))).sum();
    }

    /** Per leaf, counter {@code which} of its nft chain: 0 the test broadcast, 1 FRB-type frames. */
    private Map<String, Long> leafCounters(int which) {
        Map<String, Long> out = new HashMap<>();
        for (Mesh.Leaf l : mesh.leaves()) {
            String listing = tb.inNs(l.name(), "nft", "list", "chain", "netdev", "sytest", "in").stdout();
            Matcher m = PACKETS.matcher(listing);
            List<Long> values = new ArrayList<>();
            while (m.find()) {
                values.add(Long.parseLong(m.group(1)));
            }
            out.put(l.name(), values.get(which));
        }
        return out;
    }

    /** FRBs OVS took in on peer ports (the flows that pass them to the controller), all bridges. */
    private long ovsFrbPacketsFromPeers() {
        long total = 0;
        for (Mesh.Node n : mesh.nodes()) {
            for (String line : tb.must("ofctl", "n" + n.index(), "br0", "dump-flows", "table=0").split("\n")) {
                if (line.contains("priority=300")) {
                    Matcher m = N_PACKETS.matcher(line);
                    if (m.find()) {
                        total += Long.parseLong(m.group(1));
                    }
                }
            }
        }
        return total;
    }

    /** Test broadcasts the switch transmitted towards the sender leaf. */
    private long senderEgress(Mesh.Leaf leaf) {
        String listing = tb.inNs("n" + leaf.node(), "nft", "list", "chain", "netdev", "sysender", "out").stdout();
        Matcher m = PACKETS.matcher(listing);
        assertTrue(m.find(), listing);
        return Long.parseLong(m.group(1));
    }

    /** Packets the switch of {@code node} dropped as FRBs from a leaf port (one drop flow per leaf port). */
    private long strayFrbDrops(String node) {
        long total = 0;
        int flows = 0;
        for (String line : tb.must("ofctl", node, "br0", "dump-flows", "table=0").split("\n")) {
            if (line.contains("priority=250")) {
                flows++;
                Matcher m = N_PACKETS.matcher(line);
                if (m.find()) {
                    total += Long.parseLong(m.group(1));
                }
            }
        }
        assertTrue(flows > 0, "no stray-FRB drop flow on " + node);
        return total;
    }

    private int portNumber(String node, String portName) {
        Matcher m = Pattern.compile(" (\\d+)\\(" + Pattern.quote(portName) + "\\)").matcher(tb.must("ofctl", node, "br0", "dump-ports-desc"));
        assertTrue(m.find(), "port " + portName + " on " + node);
        return Integer.parseInt(m.group(1));
    }

    /** One of every malformed shape, each an Ethernet frame of the FRB ethertype, as hex. */
    private static List<String> hostileFrbs(NodeId sender, NodeId receiver) {
        NodeId stranger = NodeId.parse("0123456789abcdef0123456789abcdef");
        byte[] inner = new byte[60];
        inner[0] = (byte) 0xff;
        inner[12] = 0x08;
        Frb good = new Frb(FrbType.FLOOD, 0, 77, sender, sender, inner);
        List<byte[]> frames = new ArrayList<>();
        byte[] tiny = new byte[20];
        tiny[12] = (byte) 0xc0;
        tiny[13] = (byte) 0xc0;
        frames.add(tiny);
        byte[] badVersion = FrbCodec.encode(good);
        badVersion[14] = 9;
        frames.add(badVersion);
        byte[] badType = FrbCodec.encode(good);
        badType[15] = 7;
        frames.add(badType);
        byte[] badLength = FrbCodec.encode(good);
        badLength[54] = 0x7f;
        frames.add(badLength);
        frames.add(FrbCodec.encode(new Frb(FrbType.FLOOD, 0, 78, stranger, sender, inner)));
        frames.add(FrbCodec.encode(new Frb(FrbType.FLOOD, 0, 79, sender, stranger, inner)));
        frames.add(FrbCodec.encode(new Frb(FrbType.FLOOD, 0, 80, receiver, sender, inner)));
        byte[] noise = new byte[90];
        new Random(3).nextBytes(noise);
        noise[12] = (byte) 0xc0;
        noise[13] = (byte) 0xc0;
        frames.add(noise);
        for (byte[] f : frames) {
            // Frames must leave the sender with a unicast source, or the kernel would not care, but OVS does not either.
            f[6] = 0x02;
        }
        return frames.stream().map(HexFormat.of()::formatHex).toList();
    }

    private static String script(String name) {
        return Testbed.repoRoot().resolve("ovs-scripts/tools").resolve(name).toString();
    }
}
