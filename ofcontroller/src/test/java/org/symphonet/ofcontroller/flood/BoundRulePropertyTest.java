package org.symphonet.ofcontroller.flood;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.symphonet.ofcontroller.metrics.BridgeCounters;
import org.symphonet.ofcontroller.view.NodeId;

/**
 * The bound rule on random rings with random extra links, run through the real {@link FloodEngine}
 * of every node: each broadcast reaches every other node exactly once with exactly n-1 FRBs, in
 * whatever order the FRBs are delivered.
 */
class BoundRulePropertyTest {

    private record InFlight(NodeId to, byte[] frame) {
    }

    /** A ring of engines wired by in-memory links. */
    private static final class Overlay {
        final List<NodeId> ids;
        final Map<NodeId, FloodEngine> engines = new HashMap<>();
        final Map<NodeId, Integer> delivered = new HashMap<>();
        final Map<NodeId, BridgeCounters> counters = new HashMap<>();
        final ArrayDeque<InFlight> queue = new ArrayDeque<>();
        int frbsSent;

        Overlay(List<NodeId> ids, Map<NodeId, Set<NodeId>> links) {
            this.ids = ids;
            Set<NodeId> members = new HashSet<>(ids);
            for (NodeId id : ids) {
                BridgeCounters c = new BridgeCounters();
                counters.put(id, c);
                FloodSink sink = new FloodSink() {
                    @Override
                    public void sendFrb(NodeId peer, byte[] frame) {
                        assertTrue(links.get(id).contains(peer), "FRB sent over a link that does not exist");
                        frbsSent++;
                        queue.add(new InFlight(peer, frame));
                    }

                    @Override
                    public void deliverLocally(Frb frb, int ingress) {
                        if (frb.type() == FrbType.FLOOD) {
                            delivered.merge(id, 1, Integer::sum);
                        }
                    }
                };
                engines.put(id, new FloodEngine(new Adjacency(id, List.copyOf(links.get(id)), members), sink, c, 0xffff, 7));
            }
        }

        void broadcastFrom(NodeId root, Random order) {
            engines.get(root).originate(new byte[] {-1, -1, -1, -1, -1, -1, 2, 0, 0, 0, 0, 1, 8, 6, 0, 0});
            List<InFlight> pending = new ArrayList<>();
            while (!queue.isEmpty() || !pending.isEmpty()) {
                pending.addAll(queue);
                queue.clear();
                // Deliver in a random order: the rule must not depend on timing.
                InFlight next = pending.remove(order.nextInt(pending.size()));
                engines.get(next.to()).receive(next.frame(), 0, 0);
            }
        }
    }

    static List<NodeId> randomIds(int n, Random rnd) {
        TreeSet<NodeId> ids = new TreeSet<>();
        while (ids.size() < n) {
            ids.add(new NodeId(rnd.nextLong(), rnd.nextLong()));
        }
        return new ArrayList<>(ids);
    }

    /** Successor links (i, i+1) for every i, plus random chords. */
    static Map<NodeId, Set<NodeId>> randomLinks(List<NodeId> ids, int extra, Random rnd) {
        Map<NodeId, Set<NodeId>> links = new HashMap<>();
        ids.forEach(id -> links.put(id, new HashSet<>()));
        int n = ids.size();
        for (int i = 0; i < n && n > 1; i++) {
            link(links, ids.get(i), ids.get((i + 1) % n));
        }
        for (int e = 0; e < extra && n > 2; e++) {
            NodeId a = ids.get(rnd.nextInt(n));
            NodeId b = ids.get(rnd.nextInt(n));
            if (!a.equals(b)) {
                link(links, a, b);
            }
        }
        return links;
    }

    private static void link(Map<NodeId, Set<NodeId>> links, NodeId a, NodeId b) {
        links.get(a).add(b);
        links.get(b).add(a);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 8, 17, 64, 200, 1000})
    void everyNodeGetsEachBroadcastOnceWithNMinusOneFrbs(int n) {
        Random rnd = new Random(n * 7919L);
        int trials = n >= 1000 ? 3 : 10;
        for (int t = 0; t < trials; t++) {
            List<NodeId> ids = randomIds(n, rnd);
            int extra = rnd.nextInt(Math.max(1, 3 * n));
            Overlay o = new Overlay(ids, randomLinks(ids, extra, rnd));
            NodeId root = ids.get(rnd.nextInt(n));
            o.broadcastFrom(root, rnd);
            assertEquals(n - 1, o.frbsSent, "FRBs for one broadcast, n=" + n + " extra=" + extra);
            for (NodeId id : ids) {
                int expected = id.equals(root) ? 0 : 1;
                assertEquals(expected, o.delivered.getOrDefault(id, 0), "deliveries at " + id + " n=" + n);
                assertEquals(0, o.counters.get(id).frbDuplicates.sum());
                assertEquals(0, o.counters.get(id).frbMalformed.sum());
            }
        }
    }

    @Test
    void fullMeshStillSendsOnlyNMinusOne() {
        Random rnd = new Random(5);
        List<NodeId> ids = randomIds(30, rnd);
        Map<NodeId, Set<NodeId>> links = new HashMap<>();
        ids.forEach(a -> links.put(a, new HashSet<>(ids)));
        ids.forEach(a -> links.get(a).remove(a));
        Overlay o = new Overlay(ids, links);
        for (NodeId root : ids) {
            o.broadcastFrom(root, rnd);
        }
        assertEquals(30 * 29, o.frbsSent);
        ids.forEach(id -> assertEquals(29, o.delivered.get(id)));
    }

    @Test
    void slicesHandedOutAreDisjointAndCoverTheBound() {
        Random rnd = new Random(11);
        for (int t = 0; t < 2000; t++) {
            List<NodeId> ids = randomIds(2 + rnd.nextInt(40), rnd);
            NodeId self = ids.get(rnd.nextInt(ids.size()));
            NodeId bound = rnd.nextInt(4) == 0 ? self : ids.get(rnd.nextInt(ids.size()));
            List<NodeId> peers = new ArrayList<>();
            for (NodeId id : ids) {
                if (!id.equals(self) && rnd.nextBoolean()) {
                    peers.add(id);
                }
            }
            List<BoundRule.Handoff> h = BoundRule.split(self, bound, peers);
            // Each handoff's slice [peer, end) starts where the previous ended, and the last ends at the bound.
            for (int i = 0; i < h.size(); i++) {
                assertTrue(self.strictlyBetween(h.get(i).peer(), bound));
                if (i + 1 < h.size()) {
                    assertEquals(h.get(i + 1).peer(), h.get(i).boundEnd());
                } else {
                    assertEquals(bound, h.get(i).boundEnd());
                }
            }
            long inside = peers.stream().filter(p -> self.strictlyBetween(p, bound)).count();
            assertEquals(inside, h.size());
        }
    }

    @Test
    void ringGapIsTheNearestMemberBeforeTheFirstPeer() {
        List<NodeId> ids = randomIds(6, new Random(3));
        NodeId self = ids.get(0);
        // Links to the 3rd and 5th only: the 2nd (immediate successor) is a gap.
        Optional<NodeId> gap = BoundRule.ringGap(self, List.of(ids.get(2), ids.get(4)), ids);
        assertEquals(Optional.of(ids.get(1)), gap);
        assertEquals(Optional.empty(), BoundRule.ringGap(self, List.of(ids.get(1)), ids));
        assertEquals(Optional.empty(), BoundRule.ringGap(self, List.of(), List.of(self)));
        assertEquals(Optional.of(ids.get(1)), BoundRule.ringGap(self, List.of(), ids));
    }

    @Test
    void missingSuccessorLinkLosesTheNodeButNeverDuplicates() {
        Random rnd = new Random(9);
        List<NodeId> ids = randomIds(12, rnd);
        Map<NodeId, Set<NodeId>> links = randomLinks(ids, 10, rnd);
        NodeId a = ids.get(3);
        NodeId b = ids.get(4);
        links.get(a).remove(b);
        links.get(b).remove(a);
        Overlay o = new Overlay(ids, links);
        o.broadcastFrom(ids.get(0), rnd);
        ids.forEach(id -> assertTrue(o.delivered.getOrDefault(id, 0) <= 1));
        assertTrue(BoundRule.ringGap(a, links.get(a), ids).isPresent());
    }
}
