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
 * It asks the membership only what {@link RingMembers} answers, O((s + k) log n) per call over a
 * sorted index, so the simulator runs this very class at 100,000 nodes.
 */
public final class LinkSelector {

    private final SymphonyParams params;

    public LinkSelector(SymphonyParams params) {
        this.params = params;
    }

    /**
     * The same choice over a plain collection, sorted into a {@link RingMembers} for this call.
     *
     * @param self   this node
     * @param online the overlay's reachable members (self may be included; it is ignored)
     */
    public DesiredLinks select(NodeId self, Collection<NodeId> online, Collection<NodeId> keepShortcuts,
                               List<NodeId> onDemandWanted, Random random) {
        return select(RingMembers.of(self, online), keepShortcuts, onDemandWanted, random);
    }

    /**
     * @param ring            the overlay's reachable members as this node sees them, self left out
     * @param keepShortcuts   shortcuts chosen earlier, in order of preference: the first eligible
     *                        ones are kept, so a recomputation does not re-roll long links (no flapping)
     * @param onDemandWanted  peers the traffic tracker asks for, most wanted first
     * @param random          source of the harmonic draws
     */
    public DesiredLinks select(RingMembers ring, Collection<NodeId> keepShortcuts, List<NodeId> onDemandWanted,
                               Random random) {
        int members = ring.size();
        int n = members + 1;
        List<NodeId> successors = List.copyOf(ring.successors(Math.min(params.successors(), members)));

        Set<NodeId> taken = new HashSet<>(successors);
        int k = Math.min(params.shortcutCount(n), members - successors.size());
        List<NodeId> shortcuts = new ArrayList<>(k);
        for (NodeId p : keepShortcuts) {
            if (shortcuts.size() < k && ring.contains(p) && taken.add(p)) {
                shortcuts.add(p);
            }
        }
        while (shortcuts.size() < k) {
            NodeId target = ring.self().plus(harmonicOffset(n, random));
            // k leaves at least one member untaken, so there is always a free node.
            NodeId peer = ring.firstAtOrAfter(target, taken::contains);
            if (peer == null) {
                throw new IllegalStateException("no free node left for a shortcut");
            }
            taken.add(peer);
            shortcuts.add(peer);
        }

        int budget = Math.max(0, Math.min(params.maxOnDemand(), params.maxLinks() - successors.size() - k));
        List<NodeId> onDemand = new ArrayList<>();
        for (NodeId p : onDemandWanted) {
            if (onDemand.size() < budget && ring.contains(p) && taken.add(p)) {
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
}
