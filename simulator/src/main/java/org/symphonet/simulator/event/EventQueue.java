package org.symphonet.simulator.event;

import java.util.PriorityQueue;

/**
 * The clock and the future. Events fire in time order; events at the same instant fire in the
 * order they were scheduled, so a run depends only on its seed, never on heap internals.
 */
public final class EventQueue {

    /** An event with its firing time and a tie-breaking sequence number. */
    public record Scheduled(long timeNanos, long seq, Event event) {
    }

    private final PriorityQueue<Scheduled> heap = new PriorityQueue<>((a, b) -> {
        int c = Long.compare(a.timeNanos(), b.timeNanos());
        return c != 0 ? c : Long.compare(a.seq(), b.seq());
    });
    private long now;
    private long nextSeq;
    private long fired;

    /** Current simulated time in nanoseconds. */
    public long now() {
        return now;
    }

    public void at(long timeNanos, Event event) {
        if (timeNanos < now) {
            throw new IllegalArgumentException("event scheduled in the past: " + event);
        }
        heap.add(new Scheduled(timeNanos, nextSeq++, event));
    }

    public void after(long delayNanos, Event event) {
        at(now + delayNanos, event);
    }

    public boolean isEmpty() {
        return heap.isEmpty();
    }

    /** Time of the next event, or Long.MAX_VALUE when none is left. */
    public long peekTime() {
        Scheduled s = heap.peek();
        return s == null ? Long.MAX_VALUE : s.timeNanos();
    }

    /** Removes the next event and advances the clock to it. */
    public Event next() {
        Scheduled s = heap.poll();
        now = s.timeNanos();
        fired++;
        return s.event();
    }

    public long fired() {
        return fired;
    }

    public int pending() {
        return heap.size();
    }
}
