package org.symphonet.overlay.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.symphonet.ofcontroller.view.NodeId;

/**
 * Which remote bridges carry enough traffic through the overlay to deserve a direct link.
 * Immutable: each report returns a new tracker. A peer becomes wanted when one report reaches
 * the threshold and stays wanted until no report has reached it for the idle period, so a link
 * does not flap with bursty traffic.
 */
public final class OnDemandTracker {

    private record Heat(double lastHotRate, long lastHotMillis) {
    }

    private final long thresholdBytesPerSecond;
    private final long idleMillis;
    private final Map<NodeId, Heat> hot;

    public OnDemandTracker(long thresholdBytesPerSecond, Duration idle) {
        this(thresholdBytesPerSecond, idle.toMillis(), Map.of());
    }

    private OnDemandTracker(long threshold, long idleMillis, Map<NodeId, Heat> hot) {
        this.thresholdBytesPerSecond = threshold;
        this.idleMillis = idleMillis;
        this.hot = Map.copyOf(hot);
    }

    /** One traffic report from the switch: the rate toward {@code peer}'s bridge, measured at {@code nowMillis}. */
    public OnDemandTracker report(NodeId peer, double bytesPerSecond, long nowMillis) {
        if (bytesPerSecond < thresholdBytesPerSecond) {
            return this;
        }
        Map<NodeId, Heat> next = new HashMap<>(hot);
        next.put(peer, new Heat(bytesPerSecond, nowMillis));
        return new OnDemandTracker(thresholdBytesPerSecond, idleMillis, next);
    }

    /** Forgets peers idle for longer than the idle period. */
    public OnDemandTracker expire(long nowMillis) {
        Map<NodeId, Heat> next = new HashMap<>(hot);
        next.values().removeIf(h -> nowMillis - h.lastHotMillis() > idleMillis);
        return next.size() == hot.size() ? this : new OnDemandTracker(thresholdBytesPerSecond, idleMillis, next);
    }

    /** Peers that want a link at {@code nowMillis}, hottest first (ties by ID, for determinism). */
    public List<NodeId> wanted(long nowMillis) {
        List<Map.Entry<NodeId, Heat>> live = new ArrayList<>();
        for (Map.Entry<NodeId, Heat> e : hot.entrySet()) {
            if (nowMillis - e.getValue().lastHotMillis() <= idleMillis) {
                live.add(e);
            }
        }
        live.sort((a, b) -> {
            int c = Double.compare(b.getValue().lastHotRate(), a.getValue().lastHotRate());
            return c != 0 ? c : a.getKey().compareTo(b.getKey());
        });
        return live.stream().map(Map.Entry::getKey).toList();
    }
}
