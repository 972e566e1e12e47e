package org.symphonet.ofcontroller.traffic;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

import org.symphonet.ofcontroller.view.NodeId;

/**
 * Turns successive snapshots of per-destination flow counters into bytes per second per remote
 * node. Pure and single-threaded: the caller passes the time and the MAC-to-node mapping in.
 *
 * <p>Flows come and go (idle timeouts, MAC moves, a port going away), and a reinstalled flow starts
 * counting from zero. So a counter only contributes its growth since the last snapshot, over the
 * interval; a flow that is new since then contributes all its bytes over its own age (not the whole
 * interval: traffic that started just before a snapshot is measured at its real rate at once, which
 * is what lets an on-demand link be asked for one poll after heavy traffic starts) if it is younger
 * than the interval, and nothing if it is older (its history before we first saw it is unknown); a
 * counter that went backwards was reset and contributes its new value, the same way. An age below
 * {@link #MIN_AGE_NANOS} counts as that much, so a flow's first packet is no burst. The first
 * snapshot only sets the baseline.
 */
public final class RateMeter {

    /** A flow younger than this is measured over this long: one frame in a fresh flow is not a rate. */
    static final long MIN_AGE_NANOS = 250_000_000L;

    private Map<Long, Long> lastBytes = new HashMap<>();
    private long lastNanos;
    private boolean primed;

    /**
     * @param flows    every forwarding flow now, one per destination MAC
     * @param owner    the remote node a MAC sits behind, or {@code null} for local and unknown MACs
     * @param nowNanos monotonic time of the snapshot
     * @return bytes per second per remote node since the previous snapshot; empty for the first one
     */
    public Map<NodeId, Double> sample(List<FlowCount> flows, LongFunction<NodeId> owner, long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        Map<NodeId, Double> rates = new HashMap<>();
        Map<Long, Long> next = new HashMap<>(flows.size() * 2);
        boolean measure = primed && elapsed > 0;
        for (FlowCount f : flows) {
            long b = Math.max(0, f.bytes()); // a 64-bit counter past 2^63 reads negative: treat as unknown
            next.put(f.mac(), b);
            if (!measure) {
                continue;
            }
            Long prev = lastBytes.get(f.mac());
            long delta;
            long over;
            if (prev != null && b >= prev) {
                delta = b - prev;
                over = elapsed;
            } else if (prev != null || f.ageNanos() <= elapsed) {
                delta = b; // reset, or new since the last snapshot: all of it fell within its age
                over = Math.max(MIN_AGE_NANOS, Math.min(f.ageNanos(), elapsed));
            } else {
                continue;
            }
            if (delta > 0) {
                NodeId node = owner.apply(f.mac());
                if (node != null) {
                    rates.merge(node, delta * 1e9 / over, Double::sum);
                }
            }
        }
        lastBytes = next;
        lastNanos = nowNanos;
        primed = true;
        return rates;
    }

    /** Forgets the baseline (the switch reconnected, or a poll was lost): the next snapshot starts over. */
    public void reset() {
        lastBytes = new HashMap<>();
        primed = false;
    }
}
