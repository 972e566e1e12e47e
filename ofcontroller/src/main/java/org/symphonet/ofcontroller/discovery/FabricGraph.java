package org.symphonet.ofcontroller.discovery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.symphonet.ofcontroller.flood.BoundRule;
import org.symphonet.ofcontroller.flood.FloodPlan;
import org.symphonet.ofcontroller.view.NodeId;

/**
 * One discovered fabric (switches joined by links) as the controller sees it at a moment, and the
 * flood plan it implies: a broadcast from root r runs down r's breadth-first tree (neighbours taken
 * in node-ID order), so it reaches each switch once over n-1 links, by a shortest path. Each root
 * has its own tree, and unicast learned from a root's broadcasts runs back up that tree, so traffic
 * between different pairs spreads over all links; no link is ever blocked. Immutable; equal graphs
 * make equal plans, so an unchanged fabric does not disturb the bridges.
 */
public final class FabricGraph implements FloodPlan {

    private final Map<NodeId, List<NodeId>> neighbours;
    /** Root -> (node -> its children in the root's tree); computed on first use. */
    private final Map<NodeId, Map<NodeId, List<NodeId>>> trees = new ConcurrentHashMap<>();

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
        return trees.computeIfAbsent(root, this::tree).getOrDefault(self, List.of());
    }

    private Map<NodeId, List<NodeId>> tree(NodeId root) {
        Map<NodeId, List<NodeId>> children = new HashMap<>();
        if (!neighbours.containsKey(root)) {
            return children;
        }
        java.util.Set<NodeId> seen = new java.util.HashSet<>();
        ArrayDeque<NodeId> queue = new ArrayDeque<>();
        seen.add(root);
        queue.add(root);
        while (!queue.isEmpty()) {
            NodeId x = queue.poll();
            for (NodeId y : neighbours.get(x)) {
                if (seen.add(y)) {
                    children.computeIfAbsent(x, k -> new ArrayList<>()).add(y);
                    queue.add(y);
                }
            }
        }
        return children;
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
