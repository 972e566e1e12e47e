package org.symphonet.overlay.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.symphonet.ofcontroller.view.NodeId;

/**
 * Whole-overlay simulations: every node runs its own {@link OverlayTopology}; links are set up
 * instantly and both ends see them (the responder as inbound). This is the shape the simulator
 * will reuse, minus tunnels and time.
 */
class OverlayTopologyTest {

    private static final SymphonyParams PARAMS = new SymphonyParams(2, OptionalInt.empty(), 6, 32, 2);
    private static final PlannerSettings SETTINGS = new PlannerSettings(2, 1, Duration.ofSeconds(30));

    /** A tiny in-memory overlay. */
    private static final class Sim {
        final Map<NodeId, OverlayTopology> nodes = new HashMap<>();
        final Map<NodeId, Map<NodeId, LinkState>> links = new HashMap<>();
        /** Peers that answered busy, left out of that node's view as a link manager backing off would. */
        final Map<NodeId, Set<NodeId>> refused = new HashMap<>();
        final Random random;
        int stepsLastRound;

        Sim(Set<NodeId> ids, long seed) {
            random = new Random(seed);
            for (NodeId id : ids) {
                nodes.put(id, OverlayTopology.start(id, PARAMS, SETTINGS, 1000, Duration.ofSeconds(10)));
                links.put(id, new HashMap<>());
            }
        }

        void round(Set<NodeId> online, long now) {
            stepsLastRound = 0;
            for (NodeId id : List.copyOf(nodes.keySet())) {
                if (!online.contains(id)) {
                    continue;
                }
                Set<NodeId> view = new HashSet<>(online);
                view.removeAll(refused.getOrDefault(id, Set.of()));
                OverlayTopology.Round r = nodes.get(id).round(view, links.get(id), now, random);
                nodes.put(id, r.next());
                for (LinkStep s : r.steps()) {
                    stepsLastRound++;
                    if (System.getenv("SIM_DEBUG") != null) {
                        System.out.println(now + " " + id.shortHex() + " " + s);
                    }
                    apply(id, s);
                }
            }
        }

        void apply(NodeId id, LinkStep s) {
            if (s instanceof LinkStep.Add a) {
                OverlayTopology peer = nodes.get(a.peer());
                Admission.Verdict v = peer.admit(id, a.role(), links.get(a.peer()));
                if (v == Admission.Verdict.ACCEPT || v == Admission.Verdict.ACCEPT_REPLACING) {
                    links.get(id).put(a.peer(), new LinkState(a.peer(), a.role(), true, true));
                    links.get(a.peer()).put(id, new LinkState(id, a.role(), false, true));
                } else {
                    refused.computeIfAbsent(id, k -> new HashSet<>()).add(a.peer());
                }
            } else if (s instanceof LinkStep.Remove r) {
                links.get(id).remove(r.peer());
                links.get(r.peer()).remove(id);
            } else if (s instanceof LinkStep.Retag t) {
                links.get(id).put(t.peer(), new LinkState(t.peer(), t.role(), true, true));
            }
        }

        void kill(NodeId id) {
            for (NodeId p : links.get(id).keySet()) {
                links.get(p).remove(id);
            }
            links.get(id).clear();
        }

        boolean connected(Set<NodeId> online) {
            NodeId start = online.iterator().next();
            Set<NodeId> seen = new HashSet<>(Set.of(start));
            ArrayDeque<NodeId> todo = new ArrayDeque<>(seen);
            while (!todo.isEmpty()) {
                for (NodeId p : links.get(todo.poll()).keySet()) {
                    if (online.contains(p) && seen.add(p)) {
                        todo.add(p);
                    }
                }
            }
            return seen.containsAll(online);
        }

        /** The bound rule's precondition: everyone is adjacent to its immediate successor. */
        void assertRingClosed(Set<NodeId> online) {
            for (NodeId id : online) {
                NodeId next = Ring.clockwise(id, online).get(0);
                assertTrue(links.get(id).containsKey(next), id.shortHex() + " not linked to successor " + next.shortHex());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 8, 16, 64, 200})
    void overlayConvergesToAClosedRingAndThenStaysStill(int n) {
        Random r = new Random(n);
        Set<NodeId> ids = Ids.randomSet(r, n);
        Sim sim = new Sim(ids, n);
        long now = 0;
        for (int i = 0; i < 20; i++, now += 1000) {
            sim.round(ids, now);
        }
        sim.assertRingClosed(ids);
        assertTrue(sim.connected(ids));
        for (int i = 0; i < 60; i++, now += 1000) {
            sim.round(ids, now);
        }
        assertEquals(0, sim.stepsLastRound, "stable membership: no more changes");
        for (NodeId id : ids) {
            long outbound = sim.links.get(id).values().stream().filter(LinkState::outbound).count();
            assertTrue(outbound <= PARAMS.successors() + PARAMS.shortcutCount(n), "outbound " + outbound);
            assertTrue(sim.links.get(id).size() <= Math.max(PARAMS.maxLinks(), 2 * PARAMS.successors() + 2),
                    "degree " + sim.links.get(id).size());
        }
    }

    @Test
    void ringHealsAfterTwoNonAdjacentNodesDie() {
        Random r = new Random(11);
        Set<NodeId> ids = Ids.randomSet(r, 40);
        Sim sim = new Sim(ids, 11);
        long now = 0;
        for (int i = 0; i < 20; i++, now += 1000) {
            sim.round(ids, now);
        }
        List<NodeId> order = Ring.clockwise(new NodeId(0, 0), ids);
        Set<NodeId> alive = new HashSet<>(ids);
        for (NodeId dead : List.of(order.get(5), order.get(20))) {
            sim.kill(dead);
            alive.remove(dead);
        }
        for (int i = 0; i < 3; i++, now += 1000) {
            sim.round(alive, now);
        }
        sim.assertRingClosed(alive);
        assertTrue(sim.connected(alive));
    }

    @Test
    void presenceBlinkCausesNoChange() {
        Random r = new Random(12);
        Set<NodeId> ids = Ids.randomSet(r, 16);
        Sim sim = new Sim(ids, 12);
        long now = 0;
        for (int i = 0; i < 40; i++, now += 1000) {
            sim.round(ids, now);
        }
        NodeId blinker = ids.iterator().next();
        Set<NodeId> without = new HashSet<>(ids);
        without.remove(blinker);
        // The blinker's XMPP presence is gone for 10 s; its tunnels stay up.
        for (int i = 0; i < 10; i++, now += 1000) {
            sim.round(without, now);
            assertEquals(0, sim.stepsLastRound, "round " + i + " during the blink");
        }
        sim.round(ids, now);
        assertEquals(0, sim.stepsLastRound);
    }

    @Test
    void onDemandLinkComesWithTrafficAndGoesWhenIdle() {
        Random r = new Random(13);
        Set<NodeId> ids = Ids.randomSet(r, 64);
        Sim sim = new Sim(ids, 13);
        long now = 0;
        for (int i = 0; i < 40; i++, now += 1000) {
            sim.round(ids, now);
        }
        NodeId self = ids.iterator().next();
        NodeId far = ids.stream().filter(p -> !p.equals(self) && !sim.links.get(self).containsKey(p)).findFirst()
                .orElseThrow();
        sim.nodes.put(self, sim.nodes.get(self).withTraffic(far, 5000, now));
        sim.round(ids, now);
        LinkState l = sim.links.get(self).get(far);
        assertEquals(LinkRole.ON_DEMAND, l.role());
        // 10 s idle; that was the grace, so no 30 s removal grace on top.
        for (int i = 0; i < 10; i++) {
            now += 1000;
            sim.round(ids, now);
        }
        assertTrue(sim.links.get(self).containsKey(far), "still inside the idle period");
        for (int i = 0; i < 2; i++) {
            now += 1000;
            sim.round(ids, now);
        }
        assertTrue(!sim.links.get(self).containsKey(far), "removed right after the idle period");
    }

    @Test
    void sameSeedSameHistory() {
        Set<NodeId> ids = Ids.randomSet(new Random(21), 50);
        Sim one = new Sim(ids, 5);
        Sim two = new Sim(ids, 5);
        for (long now = 0; now < 10_000; now += 1000) {
            one.round(ids, now);
            two.round(ids, now);
        }
        assertEquals(one.links, two.links);
    }

    @Test
    void roundNeverTouchesSelfOrAddsTwice() {
        Set<NodeId> ids = Ids.randomSet(new Random(22), 30);
        NodeId self = ids.iterator().next();
        OverlayTopology t = OverlayTopology.start(self, PARAMS, SETTINGS, 1000, Duration.ofSeconds(10))
                .withTraffic(self, 1e9, 0);
        OverlayTopology.Round r = t.round(ids, Map.of(), 0, new Random(1));
        Set<NodeId> peers = new HashSet<>();
        for (LinkStep s : r.steps()) {
            assertTrue(!s.peer().equals(self));
            assertTrue(peers.add(s.peer()));
        }
        assertEquals(PARAMS.successors() + SETTINGS.maxAddsPerRound(), r.steps().size(), "successors plus paced adds");
    }
}
