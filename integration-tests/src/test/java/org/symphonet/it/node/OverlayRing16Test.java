package org.symphonet.it.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

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
import org.symphonet.ofcontroller.view.NodeId;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Sixteen whole nodes in one overlay (Prosody, coturn, real OVS per host), placed as the overlay
 * benchmark places them: a third on the internet LAN, the rest behind two endpoint-independent NATs.
 * The ring follows the Symphony rule at twice the size of {@link OverlayNodesTest}, every leaf reaches
 * every other, and a broadcast arrives once at each leaf. Sixteen JVMs starting together load a
 * 2-core machine for a minute or more: every wait is on a state, with room to spare.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OverlayRing16Test {

    static final int NODES = 16;
    static final int SUCCESSORS = 2;

    Testbed tb;
    final Map<Integer, NodeId> ids = new HashMap<>();
    /** Successor links the last check found missing, for the failure message. */
    List<String> missing = List.of();

    @BeforeAll
    void startOverlay() throws Exception {
        Requirements.require("ovs-vswitchd", "setpriv", "nft", "java", "prosody", "prosodyctl");
        Path jar = Testbed.repoRoot().resolve("overlay-manager/target/symphonet.jar");
        assertTrue(Files.isRegularFile(jar), "build the node first (mvn package): " + jar);
        tb = Testbed.start(Testbed.prefixOr("or"));
        List<String> args = new ArrayList<>(List.of(Integer.toString(NODES), "1"));
        for (int i = 0; i < NODES; i++) {
            args.add(switch (i % 3) { // lib/overlay.sh's ov_bench_places
                case 0 -> "pub";
                case 1 -> "eim:nata";
                default -> "eim:natb";
            });
        }
        Testbed.Result net = tb.run(Duration.ofMinutes(5), "overlay_net_places", args.toArray(String[]::new));
        assertTrue(net.ok(), "testbed: " + net.stderr() + net.stdout());
        for (int i = 0; i < NODES; i++) {
            assertTrue(tb.inNs("lf" + i, "nft", NodeLabChecks.BROADCAST_COUNTER).ok());
        }
        for (int i = 0; i < NODES; i++) {
            tb.must("overlay_node_start", Integer.toString(i), jar.toString());
        }
        NodeLabChecks.awaitIds(tb, NODES, ids, Duration.ofMinutes(3));
    }

    @AfterAll
    void tearDown() throws Exception {
        if (tb != null) {
            NodeLabChecks.keepLogs(tb, getClass(), "node*.log");
            // All at once: one after the other, sixteen node shutdowns took most of the class's time.
            long start = System.nanoTime();
            ExecutorService stops = Executors.newFixedThreadPool(NODES);
            for (int i = 0; i < NODES; i++) {
                String host = Integer.toString(i);
                stops.execute(() -> tb.run("overlay_node_stop", host));
            }
            stops.shutdown();
            stops.awaitTermination(2, TimeUnit.MINUTES);
            System.out.printf("%d nodes stopped in %.1f s%n", NODES, (System.nanoTime() - start) / 1e9);
            tb.close();
        }
    }

    @Test
    @Order(1)
    void theRingLinksEveryNodeToItsSuccessors() throws Exception {
        Set<Integer> all = hosts();
        Wait.until(Duration.ofMinutes(4), () -> "every node linked to its " + SUCCESSORS + " successors (missing host->successor: "
                + missing + ")", () -> {
                    List<String> m = NodeLabChecks.missingSuccessors(ids, all, 0, SUCCESSORS, tb::nodeStatus);
                    missing = m == null ? List.of("(a status unreadable)") : m;
                    return m != null && m.isEmpty();
                });
        for (int i = 0; i < NODES; i++) {
            JsonNode overlay = tb.nodeStatus(i).path("overlays").get(0);
            assertEquals(NODES, overlay.path("members").asInt(), "members seen by node " + i);
            assertTrue(!overlay.path("ringGap").asBoolean(), "node " + i + " reports a ring gap");
        }
    }

    @Test
    @Order(2)
    void everyLeafReachesEveryOtherLeaf() {
        Testbed.Result r = NodeLabChecks.pingAmong(tb, hosts(), "lf", "10.88.0.", Duration.ofMinutes(2));
        assertTrue(r.ok(), r.stdout() + r.stderr());
    }

    @Test
    @Order(3)
    void aBroadcastArrivesOnceAtEveryLeaf() throws Exception {
        long[] before = IntStream.range(0, NODES).mapToLong(i -> NodeLabChecks.broadcasts(tb, "lf" + i)).toArray();
        NodeLabChecks.sendBroadcast(tb, "lf0", "10.88.0.255");
        // The copies are in flight for milliseconds; a late duplicate would show within this wait too.
        Wait.until(Duration.ofSeconds(30), "the broadcast at every leaf", () -> IntStream.range(1, NODES)
                .allMatch(i -> NodeLabChecks.broadcasts(tb, "lf" + i) > before[i]));
        Thread.sleep(2000);
        for (int i = 1; i < NODES; i++) { // the sender's counter also sees the kernel's local loopback copy
            assertEquals(1, NodeLabChecks.broadcasts(tb, "lf" + i) - before[i], "copies at leaf " + i);
        }
    }

    private static Set<Integer> hosts() {
        return IntStream.range(0, NODES).boxed().collect(Collectors.toSet());
    }
}
