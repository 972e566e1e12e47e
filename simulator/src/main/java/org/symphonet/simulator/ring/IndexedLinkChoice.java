package org.symphonet.simulator.ring;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.overlay.topology.DesiredLinks;
import org.symphonet.overlay.topology.LinkSelector;
import org.symphonet.overlay.topology.Ring;
import org.symphonet.overlay.topology.SymphonyParams;

/**
 * {@link LinkSelector#select}'s rule evaluated on a sorted index instead of a collection, in
 * O((s + k) log n) per call. It exists only because the selector's API takes the members as a
 * plain collection (see the simulator's RESULTS.md: the change that would let the simulator drop
 * this class). It must consume the random stream exactly as the selector does and give exactly
 * its answer: {@link CheckedLinkChoice} compares the two on sampled calls of every run, and the
 * tests compare them on every node of small rings.
 */
public final class IndexedLinkChoice implements LinkChoice {

    private final SymphonyParams params;

    public IndexedLinkChoice(SymphonyParams params) {
        this.params = params;
    }

    @Override
    public DesiredLinks select(RingView view, List<NodeId> keepShortcuts, List<NodeId> onDemandWanted, long randomSeed) {
        Random random = new Random(randomSeed);
        int ringSize = view.size();
        int n = ringSize + 1;
        List<NodeId> successors = view.successors(Math.min(params.successors(), ringSize));

        Set<NodeId> taken = new HashSet<>(successors);
        int k = Math.min(params.shortcutCount(n), ringSize - successors.size());
        List<NodeId> shortcuts = new ArrayList<>(k);
        for (NodeId p : keepShortcuts) {
            if (shortcuts.size() < k && view.contains(p) && taken.add(p)) {
                shortcuts.add(p);
            }
        }
        while (shortcuts.size() < k) {
            // Symphony's harmonic draw, x = n^(u-1), one nextDouble per draw as in the selector.
            double x = Math.pow(n, random.nextDouble() - 1.0);
            NodeId target = view.self().plus(Ring.offset(Math.min(x, Math.nextDown(1.0))));
            NodeId peer = view.firstAtOrAfter(target, taken::contains);
            taken.add(peer);
            shortcuts.add(peer);
        }

        int budget = Math.max(0, Math.min(params.maxOnDemand(), params.maxLinks() - successors.size() - k));
        List<NodeId> onDemand = new ArrayList<>();
        for (NodeId p : onDemandWanted) {
            if (onDemand.size() < budget && view.contains(p) && taken.add(p)) {
                onDemand.add(p);
            }
        }
        return new DesiredLinks(successors, shortcuts, onDemand);
    }

    @Override
    public String name() {
        return "indexed";
    }
}
