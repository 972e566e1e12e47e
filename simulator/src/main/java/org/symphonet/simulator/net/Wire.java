package org.symphonet.simulator.net;

import java.util.Random;

/**
 * The underlay: how long a message takes and whether it is lost. One random stream of its own,
 * so changing how often links are drawn does not reshuffle the node IDs or the harmonic draws.
 */
public final class Wire {

    private final LatencyModel latency;
    private final double loss;
    private final Random random;

    public Wire(LatencyModel latency, double loss, long seed) {
        if (!(loss >= 0 && loss < 1)) {
            throw new IllegalArgumentException("loss must be in [0, 1): " + loss);
        }
        this.latency = latency;
        this.loss = loss;
        this.random = new Random(seed);
    }

    /** One-way latency of a new tunnel's path; fixed for the tunnel's life. */
    public long pathLatency() {
        return Math.max(1, latency.drawNanos(random));
    }

    /**
     * Signaling goes node -> XMPP server -> node over TCP: two path latencies and never lost
     * (TCP retransmits; a lost segment only shows as delay, which the tail of the model covers).
     */
    public long signalingDelay() {
        return pathLatency() + pathLatency();
    }

    /** True when this datagram is dropped. Only tunnel traffic (FRBs) is lossy. */
    public boolean lost() {
        return loss > 0 && random.nextDouble() < loss;
    }

    public double loss() {
        return loss;
    }

    public LatencyModel latency() {
        return latency;
    }
}
