package org.symphonet.simulator.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.symphonet.overlay.topology.SymphonyParams;
import org.symphonet.simulator.event.NodeFails;
import org.symphonet.simulator.net.LatencyModel;

/** The node's LinkManager driven through the simulator's ports: links come up, and a crash takes them down. */
class LinkManagerPortsTest {

    private static final long S = 1_000_000_000L;

    private static Overlay overlay(int n, List<SimNode> nodes) {
        SimSettings settings = SimSettings.defaults(new SymphonyParams(2, OptionalInt.of(1), 64, 32, 4));
        Overlay o = new Overlay(settings, LatencyModel.parse("const:10"), 0.0, 7, (node, frb) -> { },
                new Overlay.Hooks() {
                    @Override
                    public void originate(SimNode node, long broadcast) {
                    }

                    @Override
                    public void check() {
                    }

                    @Override
                    public void frbSent(long broadcast) {
                    }
                }, 0);
        for (int i = 0; i < n; i++) {
            nodes.add(o.createNode());
        }
        nodes.forEach(o::startOnline);
        o.start();
        return o;
    }

    @Test
    void everyLinkIsUpAtBothEndsAndTheManagersAgree() {
        List<SimNode> nodes = new ArrayList<>();
        Overlay o = overlay(8, nodes);
        o.runUntil(30 * S, () -> false);
        for (SimNode node : nodes) {
            assertTrue(node.upLinkCount() >= 2, "successor links of " + node.id() + ": " + node.upPeers());
            assertFalse(node.negotiating(), "nothing left in negotiation at " + node.id());
            long up = node.links().stream().filter(l -> "up".equals(l.phase())).count();
            assertEquals(node.upLinkCount(), up, "the manager's up links are the bridge's ports");
            for (var peer : node.upPeers()) {
                assertTrue(o.node(peer).linkedTo(node.id()), "link " + node.id() + " - " + peer + " is up at both ends");
            }
        }
    }

    @Test
    void aCrashedPeerIsDroppedAfterTheDeadInterval() {
        List<SimNode> nodes = new ArrayList<>();
        Overlay o = overlay(6, nodes);
        o.runUntil(30 * S, () -> false);
        SimNode dead = nodes.get(0);
        List<SimNode> peers = new ArrayList<>();
        dead.upPeers().forEach(p -> peers.add(o.node(p)));
        assertFalse(peers.isEmpty());
        o.schedule(o.now(), new NodeFails(dead.index()));
        // Before the 5 s dead interval the survivors still have the tunnel; after it plus one keepalive they do not.
        o.runUntil(o.now() + 4 * S, () -> false);
        assertTrue(peers.stream().allMatch(p -> p.linkedTo(dead.id())), "still up before the dead interval");
        o.runUntil(o.now() + 3 * S, () -> false);
        for (SimNode p : peers) {
            assertFalse(p.linkedTo(dead.id()), "tunnel to the crashed node gone at " + p.id());
            assertTrue(p.links().stream().noneMatch(l -> l.peer().equals(dead.id()) && "up".equals(l.phase())));
        }
    }
}
