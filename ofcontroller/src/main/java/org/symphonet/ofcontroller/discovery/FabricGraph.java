package org.symphonet.ofcontroller.discovery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.symphonet.ofcontroller.flood.BoundRule;
import org.symphonet.ofcontroller.flood.FloodPlan;
import org.symphonet.ofcontroller.view.NodeId;

/**
 * One discovered fabric (switches joined by links) as the controller sees it at a moment, and the
 * flood plan it implies: a broadcast from root r runs down r's tree, a shortest-path tree, so it
 * reaches each switch once over n-1 links by a shortest path. Unicast learned from a root's
 * broadcasts runs back up that tree, so the tree of r carries all traffic toward r's hosts.
 *
 * Where a switch has several parents at the same distance from r (a torus, a mesh), the parent is
 * chosen to balance the links: trees are built together, deepest switches first, and each switch
 * hangs below the candidate parent whose link so far carries the fewest switches' worth of
 * traffic (the subtrees below it, summed over the trees built before). With the first-in-ID-order
 * parent of a plain BFS, 3 of the 18 links of a 3x3 torus carried nothing under all-pairs traffic.
 * Immutable; equal graphs make equal plans (the choice is deterministic), so an unchanged fabric
 * does not disturb the bridges.
 */
public final class FabricGraph implements FloodPlan {

    private final Map<NodeId, List<NodeId>> neighbours;
    /** Root -> (node -> its children in the root's tree); all roots computed together on first use. */
    private volatile Map<NodeId, Map<NodeId, List<NodeId>>> trees;

    /** @param edges each undirected edge once or twice; nodes without edges are given as keys with empty lists */
    public FabricGraph(Map<NodeId, ? extends java.util.Collection<NodeId>> edges) {
        Map<NodeId, TreeSet<NodeId>> n = new TreeMap<>();
        edges.forEach((a, bs) -> {
            n.computeIfAbsent(a, k -> new TreeSet<>());
            for (NodeId b : bs) {
                if (!b.equals(a)) {
                    n.get(a).add(b);
                    n.computeIfAbsent(b, k -> new TreeSet<>()).add(a);
                }
            }
        });
        Map<NodeId, List<NodeId>> frozen = new TreeMap<>();
        n.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        this.neighbours = java.util.Collections.unmodifiableMap(frozen);
    }

    public java.util.Set<NodeId> nodes() {
        return neighbours.keySet();
    }

    /** The children of {@code self} in the broadcast tree of {@code root}. */
    public List<NodeId> children(NodeId root, NodeId self) {
        Map<NodeId, Map<NodeId, List<NodeId>>> t = trees;
        if (t == null) {
            t = allTrees();
            trees = t;
        }
        return t.getOrDefault(root, Map.of()).getOrDefault(self, List.of());
    }

    /** Every root's tree, parents balanced over the links (see the class comment). */
    private Map<NodeId, Map<NodeId, List<NodeId>>> allTrees() {
        Map<List<NodeId>, Long> load = new HashMap<>();
        Map<NodeId, Map<NodeId, List<NodeId>>> out = new HashMap<>();
        for (NodeId root : neighbours.keySet()) {
            // Levels by distance from the root.
            Map<NodeId, Integer> dist = new HashMap<>();
            List<List<NodeId>> levels = new ArrayList<>();
            dist.put(root, 0);
            levels.add(List.of(root));
            while (true) {
                List<NodeId> next = new ArrayList<>();
                for (NodeId x : levels.get(levels.size() - 1)) {
                    for (NodeId y : neighbours.get(x)) {
                        if (!dist.containsKey(y)) {
                            dist.put(y, levels.size());
                            next.add(y);
                        }
                    }
                }
                if (next.isEmpty()) {
                    break;
                }
                levels.add(next);
            }
            // Deepest first: a switch's subtree size is known when its parent is chosen.
            Map<NodeId, Long> below = new HashMap<>();
            Map<NodeId, List<NodeId>> children = new TreeMap<>();
            for (int k = levels.size() - 1; k >= 1; k--) {
                for (NodeId v : levels.get(k)) {
                    long weight = below.getOrDefault(v, 0L) + 1;
                    NodeId best = null;
                    long bestLoad = Long.MAX_VALUE;
                    for (NodeId u : neighbours.get(v)) { // node-ID order: ties go to the smaller ID
                        if (dist.get(u) == k - 1) {
                            long l = load.getOrDefault(edge(u, v), 0L);
                            if (l < bestLoad) {
                                best = u;
                                bestLoad = l;
                            }
                        }
                    }
                    load.merge(edge(best, v), weight, Long::sum);
                    below.merge(best, weight, Long::sum);
                    children.computeIfAbsent(best, x -> new ArrayList<>()).add(v);
                }
            }
            Map<NodeId, List<NodeId>> frozen = new HashMap<>();
            children.forEach((x, cs) -> frozen.put(x, cs.stream().sorted().toList()));
            out.put(root, frozen);
        }
        return out;
    }

    private static List<NodeId> edge(NodeId a, NodeId b) {
        return a.compareTo(b) <= 0 ? List.of(a, b) : List.of(b, a);
    }

    @Override
    public List<BoundRule.Handoff> handoffs(NodeId self, NodeId root, NodeId boundEnd, List<NodeId> peers) {
        List<BoundRule.Handoff> out = new ArrayList<>();
        for (NodeId child : children(root, self)) {
            if (peers.contains(child)) {
                // The bound end carries the root: every hop of a tree flood covers "the root's tree".
                out.add(new BoundRule.Handoff(child, root));
            }
        }
        return out;
    }

    @Override
    public boolean needsSuccessorLinks() {
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FabricGraph g && g.neighbours.equals(neighbours);
    }

    @Override
    public int hashCode() {
        return neighbours.hashCode();
    }

    @Override
    public String toString() {
        return "FabricGraph" + neighbours;
    }
}
