package org.symphonet.collector;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last {@code capacity} events, oldest dropped first: a short memory of what changed, bounded no
 * matter how much churn the overlays see. Confined to the collector's state thread.
 */
final class EventHistory {

    private final int capacity;
    private final ArrayDeque<CollectorEvent> events;
    private long nextSeq = 1;

    EventHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("history capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.events = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    CollectorEvent add(long time, String overlay, String kind, String node, String peer, String detail) {
        CollectorEvent e = new CollectorEvent(nextSeq++, time, overlay, kind, node, peer, detail);
        if (events.size() == capacity) {
            events.removeFirst();
        }
        events.addLast(e);
        return e;
    }

    /** Events after {@code afterSeq}, of one overlay (or all when null), oldest first, at most {@code limit}. */
    List<CollectorEvent> since(long afterSeq, String overlay, int limit) {
        List<CollectorEvent> out = new ArrayList<>();
        var it = events.descendingIterator();
        while (it.hasNext() && out.size() < limit) {
            CollectorEvent e = it.next();
            if (e.seq() <= afterSeq) {
                break;
            }
            if (overlay == null || overlay.equals(e.overlay())) {
                out.add(e);
            }
        }
        java.util.Collections.reverse(out);
        return out;
    }

    int size() {
        return events.size();
    }

    long lastSeq() {
        return nextSeq - 1;
    }
}
