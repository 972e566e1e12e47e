package org.symphonet.simulator.scenario;

import java.util.OptionalInt;

import org.symphonet.overlay.topology.SymphonyParams;
import org.symphonet.simulator.net.LatencyModel;
import org.symphonet.simulator.overlay.SimSettings;

/**
 * One run's scenario.
 *
 * @param n            nodes in the mass join
 * @param s            successor links
 * @param k            shortcut count, empty for floor(log2 n)
 * @param maxLinks     max-links, 0 for max(32, 3(s+k) + on-demand): room for the skew of inbound shortcuts,
 *                     so the cap rarely binds (pass 32, the node's default, to watch it bind)
 * @param maxOnDemand  on-demand link cap
 * @param hotPairs     node pairs whose switches report heavy traffic after the join (on-demand links)
 * @param latency      underlay one-way latency
 * @param loss         FRB datagram loss
 * @param seed         the only source of randomness
 * @param broadcasts   broadcasts from distinct random roots once the join settled
 * @param unicastSamples sources per root for the unicast walk (all nodes when n is at most this)
 * @param failures     nodes crashed at once after the broadcasts (0: skip)
 * @param consecutive  crash f ring neighbours (the hardest case for the ring) rather than random nodes
 * @param churn        fraction of n that crash, and as many that join, during the churn window (0: skip)
 * @param churnWindowSec churn window, simulated seconds
 * @param churnBroadcasts broadcasts spread over the churn window
 * @param limitSec     how long a phase may take to converge before it is reported as not converged
 */
public record RunConfig(int n, int s, OptionalInt k, int maxLinks, int maxOnDemand, int hotPairs,
                        LatencyModel latency, double loss, long seed, int broadcasts, int unicastSamples,
                        int failures, boolean consecutive, double churn, double churnWindowSec,
                        int churnBroadcasts, double limitSec) {

    public RunConfig {
        if (n < 2) {
            throw new IllegalArgumentException("n must be at least 2, got " + n);
        }
        if (failures < 0 || failures >= n) {
            throw new IllegalArgumentException("failures must be in [0, n), got " + failures);
        }
        if (churn < 0 || churn >= 0.5) {
            throw new IllegalArgumentException("churn must be in [0, 0.5), got " + churn);
        }
    }

    /** A quick run's defaults: no loss, no churn, f = s-1. */
    public static RunConfig quiet(int n, int s, OptionalInt k, long seed) {
        return new RunConfig(n, s, k, 0, 4, 0, LatencyModel.parse("uniform:5:50"), 0.0, seed, 4, 2000,
                Math.max(0, Math.min(s - 1, n - 2)), true, 0.0, 30, 5, 600);
    }

    public int shortcuts() {
        return k.orElse(31 - Integer.numberOfLeadingZeros(n));
    }

    public String kLabel() {
        return k.isPresent() ? Integer.toString(k.getAsInt()) : "log2 n";
    }

    public int effectiveMaxLinks() {
        return maxLinks > 0 ? maxLinks : Math.max(32, 3 * (s + shortcuts()) + maxOnDemand);
    }

    public SimSettings settings() {
        // max-shortcuts at the config's ceiling, so k = floor(log2 n) is never capped below 64.
        SymphonyParams params = new SymphonyParams(s, k, Math.max(64, shortcuts()), effectiveMaxLinks(), maxOnDemand);
        return SimSettings.defaults(params);
    }
}
