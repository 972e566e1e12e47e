package org.symphonet.simulator.net;

import java.util.Random;

/**
 * The underlay: how long a message takes and whether it is lost. One random stream of its own,
 * so changing how often links are drawn does not reshuffle the node IDs or the harmonic draws.
 */
public final class Wire {

    private final LatencyModel latency;
    private final double loss;
    private final long seed;
    private final Random random;

    public Wire(LatencyModel latency, double loss, long seed) {
        if (!(loss >= 0 && loss < 1)) {
            throw new IllegalArgumentException("loss must be in [0, 1): " + loss);
        }
        this.latency = latency;
        this.loss = loss;
        this.seed = seed;
        this.random = new Random(seed);
    }

    /**
     * One-way latency of the underlay path between two nodes: drawn once per pair (from a seed
     * of the pair, so nothing is stored), the same in both directions and for every tunnel.
     */
    public long pathLatency(int a, int b) {
        return draw(Math.min(a, b), Math.max(a, b));
    }

    /**
     * Signaling goes node -> XMPP server -> node over TCP: the two nodes' fixed paths to the server,
     * never lost (TCP retransmits). Fixed per pair, so messages between two nodes stay in order,
     * as XMPP keeps them.
     */
    public long signalingDelay(int from, int to) {
        return draw(from, -1) + draw(to, -1);
    }

    private long draw(long a, long b) {
        long z = seed ^ (a * 0x9E3779B97F4A7C15L) ^ (b * 0xC2B2AE3D27D4EB4FL);
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return Math.max(1, latency.drawNanos(new Random(z ^ (z >>> 33))));
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
