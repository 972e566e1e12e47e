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
 * is new since then contributes all its bytes over its own age (not the whole interval: traffic that
 * started just before a snapshot is measured at its real rate at once, which is what lets an
 * on-demand link be asked for one poll after heavy traffic starts) if it is younger than the
 * interval, and nothing if it is older (its history before we first saw it is unknown); a counter
 * that went backwards was reset and contributes its new value, the same way. An age below
 * {@link #MIN_AGE_NANOS} counts as that much, so a flow's first packet is no burst. The first
 * snapshot only sets the baseline.
 *
 * <p>OVS does not count a flow's bytes as they pass: its revalidator adds the datapath's counts to
 * the flows about every {@value #REFRESH_MILLIS} ms. Between two polls closer than that a busy
 * counter may stand still, and the next poll then sees two refreshes' worth: over its own interval
 * that would read as twice the rate, enough for a flow at half the on-demand threshold to ask for a
 * link. So growth is divided by the time since the snapshot that last saw the counter grow (at
 * least {@value #REFRESH_MILLIS} ms, at most {@value #SPAN_MILLIS} ms, never less than the interval),
 * and a counter that stood still within that span still contributes its last rate.
 */
public final class RateMeter {

    /** A flow younger than this is measured over this long: one frame in a fresh flow is not a rate. */
    static final long MIN_AGE_NANOS = 250_000_000L;

    /** How often OVS refreshes flow counters from the datapath (its revalidator's max-revalidator, 500 ms by default). */
    static final long REFRESH_MILLIS = 500;
    /** The longest time growth is spread over when the counter stood still before (a flow that was idle and starts). */
    static final long SPAN_MILLIS = 1_000;

    /** One flow's counter as the meter last saw it. */
    private record Seen(long bytes, long grewNanos, double rate) {
    }

    private Map<Long, Seen> last = new HashMap<>();
    /** Some counter grew (or was new) in the last snapshot. */
    private boolean news;
    private long lastNanos;
    /** No counter moved between the last snapshot and this time (see {@link #unchangedUntil}). */
    private long steadyNanos;
    private boolean primed;

    /**
     * @param flows    every forwarding flow now, one per destination MAC
     * @param owner    the remote node a MAC sits behind, or {@code null} for local and unknown MACs
     * @param nowNanos monotonic time of the snapshot
     * @return bytes per second per remote node since the previous snapshot; empty for the first one
     */
    public Map<NodeId, Double> sample(List<FlowCount> flows, LongFunction<NodeId> owner, long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        // Growth happened after the last time it was known to stand still; a flow is new if it is
        // younger than the last snapshot (elapsed), whatever was looked at in between.
        long growing = primed && steadyNanos > lastNanos ? nowNanos - steadyNanos : elapsed;
        Map<NodeId, Double> rates = new HashMap<>();
        Map<Long, Seen> next = new HashMap<>(flows.size() * 2);
        boolean measure = primed && elapsed > 0;
        news = false;
        for (FlowCount f : flows) {
            long b = Math.max(0, f.bytes()); // a 64-bit counter past 2^63 reads negative: treat as unknown
            Seen prev = last.get(f.mac());
            Seen now = new Seen(b, nowNanos, 0);
            double rate = 0;
            if (!measure) {
                // baseline: nothing measured yet
            } else if (prev != null && b == prev.bytes()) {
                // Not refreshed yet, or idle: its last rate while that is recent, else idle.
                now = prev;
                rate = nowNanos - prev.grewNanos() <= SPAN_MILLIS * 1_000_000 ? prev.rate() : 0;
            } else if (prev != null && b > prev.bytes()) {
                long since = Math.min(nowNanos - prev.grewNanos(), SPAN_MILLIS * 1_000_000);
                long over = Math.max(growing, Math.max(REFRESH_MILLIS * 1_000_000, since));
                rate = (b - prev.bytes()) * 1e9 / over;
            } else if (prev != null || f.ageNanos() <= elapsed) {
                // reset, or new since the last snapshot: all of it fell within its age
                rate = b * 1e9 / Math.max(MIN_AGE_NANOS, Math.min(f.ageNanos(), elapsed));
            }
            if (measure && (prev == null || b != prev.bytes())) {
                news = true;
            }
            if (rate > 0) {
                now = new Seen(now.bytes(), now.grewNanos(), rate);
                NodeId node = owner.apply(f.mac());
                if (node != null) {
                    rates.merge(node, rate, Double::sum);
                }
            }
            next.put(f.mac(), now);
        }
        last = next;
        lastNanos = nowNanos;
        primed = true;
        return rates;
    }

    /**
     * Nothing moved between the last snapshot and {@code nowNanos} (a cheaper look at the switch,
     * the leaf table's aggregate, said so): growth the next snapshot sees is measured over the time
     * since then, not diluted over the whole interval since the last snapshot.
     */
    public void unchangedUntil(long nowNanos) {
        steadyNanos = nowNanos;
    }

    /** True when a counter grew, was reset or was new in the last snapshot: false, the rates are the previous ones carried on. */
    public boolean news() {
        return news;
    }

    /** Forgets the baseline (the switch reconnected, or a poll was lost): the next snapshot starts over. */
    public void reset() {
        last = new HashMap<>();
        primed = false;
    }
}
