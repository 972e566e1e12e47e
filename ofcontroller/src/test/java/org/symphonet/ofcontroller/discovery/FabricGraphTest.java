package org.symphonet.ofcontroller.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.symphonet.ofcontroller.flood.Adjacency;
import org.symphonet.ofcontroller.flood.FloodEngine;
import org.symphonet.ofcontroller.flood.FloodSink;
import org.symphonet.ofcontroller.flood.Frb;
import org.symphonet.ofcontroller.metrics.BridgeCounters;
import org.symphonet.ofcontroller.view.NodeId;

/** Broadcasts over discovered fabrics, which have no ring-successor links: once per switch, n-1 frames. */
class FabricGraphTest {

    @Test
    void everyBroadcastReachesEverySwitchOnceOverNMinusOneLinks() {
        Random rnd = new Random(14);
        for (int round = 0; round < 60; round++) {
            int n = 2 + rnd.nextInt(14);
            Map<NodeId, List<NodeId>> edges = randomConnected(n, rnd.nextInt(2 * n), rnd);
            FabricGraph graph = new FabricGraph(edges);
            Map<NodeId, FloodEngine> engines = new HashMap<>();
            Map<NodeId, Integer> delivered = new HashMap<>();
            ArrayDeque<Runnable> wire = new ArrayDeque<>();
            int[] frames = {0};
            for (NodeId self : graph.nodes()) {
                List<NodeId> peers = new ArrayList<>(edges.get(self));
                FloodSink sink = new FloodSink() {
                    @Override
                    public void sendFrb(NodeId peer, byte[] frame) {
                        frames[0]++;
                        wire.add(() -> engines.get(peer).receive(frame, 0, 0));
                    }

                    @Override
                    public void deliverLocally(Frb frb, int ingress) {
                        delivered.merge(self, 1, Integer::sum);
                    }
                };
                engines.put(self, new FloodEngine(new Adjacency(self, peers, graph.nodes(), graph), sink,
                        new BridgeCounters(), 1024, rnd.nextLong()));
            }
            for (NodeId root : graph.nodes()) {
                delivered.clear();
                frames[0] = 0;
                engines.get(root).originate(new byte[60]);
                while (!wire.isEmpty()) {
                    wire.poll().run();
                }
                assertEquals(n - 1, frames[0], "frames for one broadcast in " + edges);
                assertEquals(n - 1, delivered.size());
                delivered.values().forEach(c -> assertEquals(1, c));
            }
        }
    }

    @Test
    void equalFabricsMakeEqualPlans() {
        NodeId a = DatapathNodeId.of(1);
        NodeId b = DatapathNodeId.of(2);
        assertEquals(new FabricGraph(Map.of(a, List.of(b))), new FabricGraph(Map.of(b, List.of(a))));
    }

    @Test
    void differentRootsUseDifferentLinks() {
        // A 6-ring: the tree of each root leaves out the link opposite it, so over all roots every link carries.
        Map<NodeId, List<NodeId>> edges = new HashMap<>();
        for (int i = 1; i <= 6; i++) {
            edges.put(DatapathNodeId.of(i), List.of(DatapathNodeId.of(i % 6 + 1)));
        }
        FabricGraph g = new FabricGraph(edges);
        Set<Set<NodeId>> used = new HashSet<>();
        for (NodeId root : g.nodes()) {
            for (NodeId x : g.nodes()) {
                for (NodeId c : g.children(root, x)) {
                    used.add(Set.of(x, c));
                }
            }
        }
        assertEquals(6, used.size());
    }

    @Test
    void allPairsTrafficOnATorusUsesEveryLinkAndSpreadsEvenly() {
        // 3x3 torus, switch (i,j) is datapath 3i+j+1 as Mininet numbers it: 18 links.
        Map<NodeId, List<NodeId>> edges = new HashMap<>();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                NodeId x = DatapathNodeId.of(3L * i + j + 1);
                edges.computeIfAbsent(x, k -> new ArrayList<>()).add(DatapathNodeId.of(3L * i + (j + 1) % 3 + 1));
                edges.get(x).add(DatapathNodeId.of(3L * ((i + 1) % 3) + j + 1));
            }
        }
        FabricGraph g = new FabricGraph(edges);
        // Every switch sends to every other: toward root r the traffic climbs r's tree, so a tree
        // link carries one unit per switch below it.
        Map<Set<NodeId>, Integer> load = new HashMap<>();
        for (NodeId root : g.nodes()) {
            subtree(g, root, root, load);
        }
        assertEquals(18, load.size(), "links carrying traffic: " + load.values());
        int max = load.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        int min = load.values().stream().mapToInt(Integer::intValue).min().orElseThrow();
        // 108 units (9 sources x 12 hops) over 18 links: 6 each when perfectly even.
        assertTrue(max <= 8 && min >= 4, "load per link " + load.values());
    }

    private static int subtree(FabricGraph g, NodeId root, NodeId x, Map<Set<NodeId>, Integer> load) {
        int size = 1;
        for (NodeId c : g.children(root, x)) {
            int below = subtree(g, root, c, load);
            load.merge(Set.of(x, c), below, Integer::sum);
            size += below;
        }
        return size;
    }

    static Map<NodeId, List<NodeId>> randomConnected(int n, int extra, Random rnd) {
        List<NodeId> ids = new ArrayList<>();
        Map<NodeId, List<NodeId>> edges = new HashMap<>();
        for (int i = 0; i < n; i++) {
            ids.add(DatapathNodeId.of(rnd.nextLong()));
            edges.put(ids.get(i), new ArrayList<>());
        }
        for (int i = 1; i < n; i++) {
            link(edges, ids.get(i), ids.get(rnd.nextInt(i)));
        }
        for (int e = 0; e < extra; e++) {
            NodeId x = ids.get(rnd.nextInt(n));
            NodeId y = ids.get(rnd.nextInt(n));
            if (!x.equals(y) && !edges.get(x).contains(y)) {
                link(edges, x, y);
            }
        }
        return edges;
    }

    private static void link(Map<NodeId, List<NodeId>> edges, NodeId x, NodeId y) {
        edges.get(x).add(y);
        edges.get(y).add(x);
    }
}
