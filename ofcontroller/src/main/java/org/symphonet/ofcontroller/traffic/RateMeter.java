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
 * counting from zero. So a counter only contributes its growth since the last snapshot; a flow that
 * is new since then contributes all its bytes if it is younger than the interval, and nothing if it
 * is older (its history before we first saw it is unknown); a counter that went backwards was reset
 * and contributes its new value. The first snapshot only sets the baseline.
 */
public final class RateMeter {

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
        Map<NodeId, Long> bytes = new HashMap<>();
        Map<Long, Long> next = new HashMap<>(flows.size() * 2);
        for (FlowCount f : flows) {
            long b = Math.max(0, f.bytes()); // a 64-bit counter past 2^63 reads negative: treat as unknown
            next.put(f.mac(), b);
            if (!primed) {
                continue;
            }
            Long prev = lastBytes.get(f.mac());
            long delta;
            if (prev != null) {
                delta = b >= prev ? b - prev : b;
            } else {
                delta = f.ageNanos() <= elapsed ? b : 0;
            }
            if (delta > 0) {
                NodeId node = owner.apply(f.mac());
                if (node != null) {
                    bytes.merge(node, delta, Long::sum);
                }
            }
        }
        boolean wasPrimed = primed;
        lastBytes = next;
        lastNanos = nowNanos;
        primed = true;
        Map<NodeId, Double> rates = new HashMap<>();
        if (!wasPrimed || elapsed <= 0) {
            return rates;
        }
        double seconds = elapsed / 1e9;
        bytes.forEach((node, b) -> rates.put(node, b / seconds));
        return rates;
    }

    /** Forgets the baseline (the switch reconnected, or a poll was lost): the next snapshot starts over. */
    public void reset() {
        lastBytes = new HashMap<>();
        primed = false;
    }
}
