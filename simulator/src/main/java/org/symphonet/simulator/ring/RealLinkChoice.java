package org.symphonet.simulator.ring;

import java.util.List;
import java.util.Random;

import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.overlay.topology.DesiredLinks;
import org.symphonet.overlay.topology.LinkSelector;
import org.symphonet.overlay.topology.SymphonyParams;

/**
 * The node's own {@link LinkSelector}, given the whole view as a collection. Costs O(n) per call
 * (the selector sorts and hashes every member), so a mass join of n nodes costs O(n^2): fine to a
 * few thousand nodes, about 30 ms per call at 100,000.
 */
public final class RealLinkChoice implements LinkChoice {

    private final LinkSelector selector;

    public RealLinkChoice(SymphonyParams params) {
        this.selector = new LinkSelector(params);
    }

    @Override
    public DesiredLinks select(RingView view, List<NodeId> keepShortcuts, List<NodeId> onDemandWanted, long randomSeed) {
        // all() is already in clockwise order, so the selector's sort finds one run and is linear.
        return selector.select(view.self(), view.all(), keepShortcuts, onDemandWanted, new Random(randomSeed));
    }

    @Override
    public String name() {
        return "real";
    }
}
