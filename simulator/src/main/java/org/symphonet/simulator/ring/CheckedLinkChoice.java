package org.symphonet.simulator.ring;

import java.util.List;
import java.util.Random;

import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.overlay.topology.DesiredLinks;

/**
 * Runs the fast choice and, on a random sample of calls, the node's real selector with the same
 * inputs and the same seed: a difference stops the run, so a large-n result never silently rests
 * on a rule that has drifted from the node's.
 */
public final class CheckedLinkChoice implements LinkChoice {

    private final LinkChoice fast;
    private final LinkChoice real;
    private final double sampleProbability;
    private final Random sampler;
    private int budget;
    private int compared;

    /**
     * @param budget            most comparisons in the run (each costs O(n))
     * @param sampleProbability chance that a given call is compared while budget is left
     */
    public CheckedLinkChoice(LinkChoice fast, LinkChoice real, int budget, double sampleProbability, long seed) {
        this.fast = fast;
        this.real = real;
        this.budget = budget;
        this.sampleProbability = sampleProbability;
        this.sampler = new Random(seed);
    }

    @Override
    public DesiredLinks select(RingView view, List<NodeId> keepShortcuts, List<NodeId> onDemandWanted, long randomSeed) {
        DesiredLinks d = fast.select(view, keepShortcuts, onDemandWanted, randomSeed);
        if (budget > 0 && sampler.nextDouble() < sampleProbability) {
            budget--;
            compared++;
            DesiredLinks r = real.select(view, keepShortcuts, onDemandWanted, randomSeed);
            if (!r.equals(d)) {
                throw new IllegalStateException("link choice differs from the node's LinkSelector at "
                        + view.self() + ": selector " + r + ", " + fast.name() + " " + d);
            }
        }
        return d;
    }

    public int compared() {
        return compared;
    }

    @Override
    public String name() {
        return fast.name() + "+checked";
    }
}
