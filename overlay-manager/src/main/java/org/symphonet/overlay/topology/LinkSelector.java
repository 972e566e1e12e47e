package org.symphonet.overlay.topology;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.symphonet.ofcontroller.view.NodeId;

/**
 * Symphony link choice (DESIGN.md §5) for one node of one overlay. Pure: the same inputs and the
 * same {@link Random} state give the same links, which is what lets a simulator replay a run.
 */
public final class LinkSelector {

    private final SymphonyParams params;

    public LinkSelector(SymphonyParams params) {
        this.params = params;
    }

    /**
     * @param self            this node
     * @param online          the overlay's reachable members (self may be included; it is ignored)
     * @param keepShortcuts   shortcuts chosen earlier, in order of preference: the first eligible
     *                        ones are kept, so a recomputation does not re-roll long links (no flapping)
     * @param onDemandWanted  peers the traffic tracker asks for, most wanted first
     * @param random          source of the harmonic draws
     */
    public DesiredLinks select(NodeId self, Collection<NodeId> online, Collection<NodeId> keepShortcuts,
                               List<NodeId> onDemandWanted, Random random) {
        List<NodeId> ring = Ring.clockwise(self, online);
        int n = ring.size() + 1;
        List<NodeId> successors = List.copyOf(ring.subList(0, Math.min(params.successors(), ring.size())));

        Set<NodeId> taken = new HashSet<>(successors);
        int k = Math.min(params.shortcutCount(n), ring.size() - successors.size());
        List<NodeId> shortcuts = new ArrayList<>(k);
        Set<NodeId> onlineSet = new HashSet<>(ring);
        for (NodeId p : keepShortcuts) {
            if (shortcuts.size() < k && onlineSet.contains(p) && taken.add(p)) {
                shortcuts.add(p);
            }
        }
        List<NodeId> byId = new ArrayList<>(ring);
        byId.sort(null);
        while (shortcuts.size() < k) {
            NodeId target = self.plus(harmonicOffset(n, random));
            NodeId peer = firstFreeClockwise(byId, target, taken);
            taken.add(peer);
            shortcuts.add(peer);
        }

        int budget = Math.max(0, Math.min(params.maxOnDemand(), params.maxLinks() - successors.size() - k));
        List<NodeId> onDemand = new ArrayList<>();
        for (NodeId p : onDemandWanted) {
            if (onDemand.size() < budget && onlineSet.contains(p) && taken.add(p)) {
                onDemand.add(p);
            }
        }
        return new DesiredLinks(successors, shortcuts, onDemand);
    }

    /** Symphony's harmonic draw: x = n^(u-1), u uniform in [0,1), as an offset of x * 2^128. */
    static NodeId harmonicOffset(int n, Random random) {
        double x = Math.pow(n, random.nextDouble() - 1.0);
        return Ring.offset(Math.min(x, Math.nextDown(1.0)));
    }

    /**
     * The first node at or clockwise after {@code target} that is not taken. Self is never in
     * {@code byId}; the caller guarantees a free node exists.
     */
    private static NodeId firstFreeClockwise(List<NodeId> byId, NodeId target, Set<NodeId> taken) {
        int i = java.util.Collections.binarySearch(byId, target);
        int start = i >= 0 ? i : -i - 1;
        for (int step = 0; step < byId.size(); step++) {
            NodeId p = byId.get((start + step) % byId.size());
            if (!taken.contains(p)) {
                return p;
            }
        }
        throw new IllegalStateException("no free node left for a shortcut");
    }
}
