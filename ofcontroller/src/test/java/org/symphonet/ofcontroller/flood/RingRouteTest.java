package org.symphonet.ofcontroller.flood;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.symphonet.ofcontroller.view.NodeId;

class RingRouteTest {

    private static NodeId id(long v) {
        return new NodeId(v, 0);
    }

    @Test
    void theRootItselfWhenLinked() {
        assertEquals(Optional.of(id(50)), RingRoute.nextHop(id(100), id(50), List.of(id(90), id(50), id(60))));
    }

    @Test
    void thePeerBetweenRootAndSelfNearestTheRoot() {
        // Clockwise from root 50: 60 and 90 lie before self 100; 120 and 10 lie beyond it.
        assertEquals(Optional.of(id(60)), RingRoute.nextHop(id(100), id(50), List.of(id(90), id(120), id(60), id(10))));
    }

    @Test
    void noPeerBeyondSelfCountingFromTheRoot() {
        assertEquals(Optional.empty(), RingRoute.nextHop(id(100), id(50), List.of(id(120), id(10))));
        assertEquals(Optional.empty(), RingRoute.nextHop(id(50), id(50), List.of(id(60))));
    }

    @Test
    void wrapsAroundTheRing() {
        // Root near the top of the ring, self near the bottom: the interval (root, self) wraps.
        NodeId root = new NodeId(-10, 0);
        assertEquals(Optional.of(new NodeId(-5, 0)), RingRoute.nextHop(id(20), root, List.of(id(10), new NodeId(-5, 0), id(30))));
    }

    /** Random rings with successor links and random shortcuts: every walk of fallback hops ends at the root, never looping. */
    @ParameterizedTest
    @ValueSource(ints = {2, 5, 16, 32, 100})
    void fallbackWalksReachTheRoot(int n) {
        Random rnd = new Random(n);
        for (int trial = 0; trial < 20; trial++) {
            List<NodeId> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ids.add(new NodeId(rnd.nextLong(), rnd.nextLong()));
            }
            ids.sort(null);
            Map<NodeId, Set<NodeId>> links = new HashMap<>();
            ids.forEach(x -> links.put(x, new HashSet<>()));
            for (int i = 0; i < n; i++) {
                link(links, ids.get(i), ids.get((i + 1) % n)); // the successor link, undirected once up
                link(links, ids.get(i), ids.get(rnd.nextInt(n)));
            }
            for (NodeId root : ids) {
                for (NodeId start : ids) {
                    NodeId at = start;
                    int hops = 0;
                    while (!at.equals(root)) {
                        NodeId next = RingRoute.nextHop(at, root, links.get(at)).orElseThrow();
                        assertTrue(links.get(at).contains(next));
                        assertTrue(root.distanceTo(next).compareTo(root.distanceTo(at)) < 0, "a hop must move toward the root");
                        at = next;
                        assertTrue(++hops < n, "too many hops");
                    }
                }
            }
        }
    }

    private static void link(Map<NodeId, Set<NodeId>> links, NodeId a, NodeId b) {
        if (!a.equals(b)) {
            links.get(a).add(b);
            links.get(b).add(a);
        }
    }
}
