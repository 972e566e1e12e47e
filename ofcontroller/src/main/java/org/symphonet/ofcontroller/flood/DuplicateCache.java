package org.symphonet.ofcontroller.flood;

import java.util.LinkedHashMap;
import java.util.Map;

import org.symphonet.ofcontroller.view.NodeId;

/**
 * Remembers recently seen (root, sequence) pairs so a broadcast that reaches a bridge twice during
 * churn (two views of the ring disagreeing for a moment) is delivered once. Bounded in size and in
 * age; not thread-safe: each bridge's flood engine owns one and runs on one thread.
 */
public final class DuplicateCache {

    private record Key(NodeId root, long seq) {
    }

    private final int capacity;
    private final long maxAgeNanos;
    private final LinkedHashMap<Key, Long> seen;

    public DuplicateCache(int capacity, long maxAgeMillis) {
        this.capacity = capacity;
        this.maxAgeNanos = maxAgeMillis * 1_000_000L;
        this.seen = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Long> eldest) {
                return size() > DuplicateCache.this.capacity;
            }
        };
    }

    /** Records the pair and returns true the first time it is seen within the age window. */
    public boolean firstSighting(NodeId root, long seq, long nowNanos) {
        expire(nowNanos);
        Key key = new Key(root, seq);
        if (seen.containsKey(key)) {
            return false;
        }
        seen.put(key, nowNanos);
        return true;
    }

    public int size() {
        return seen.size();
    }

    private void expire(long nowNanos) {
        var it = seen.values().iterator();
        while (it.hasNext()) {
            if (nowNanos - it.next() > maxAgeNanos) {
                it.remove();
            } else {
                return; // insertion order: the rest are younger
            }
        }
    }
}
