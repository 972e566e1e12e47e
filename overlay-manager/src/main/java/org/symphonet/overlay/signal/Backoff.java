package org.symphonet.overlay.signal;

import java.time.Duration;
import java.util.Random;

/**
 * Exponential backoff with jitter for reconnect attempts: the jitter keeps a whole overlay from
 * hammering a restarted XMPP server in lockstep. Not thread-safe; owned by one thread.
 */
public final class Backoff {

    private final long initialMillis;
    private final long maxMillis;
    private final Random random;
    private long nextMillis;

    public Backoff(Duration initial, Duration max, Random random) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max: " + initial + ", " + max);
        }
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.random = random;
        this.nextMillis = initialMillis;
    }

    /** The delay before the next attempt: doubles each time up to the maximum, then ±20 % jitter. */
    public Duration next() {
        long base = nextMillis;
        nextMillis = Math.min(maxMillis, nextMillis * 2);
        long jitter = (long) (base * 0.2 * (2 * random.nextDouble() - 1));
        return Duration.ofMillis(Math.max(1, Math.min(maxMillis, base + jitter)));
    }

    /** After a success the next failure starts from the initial delay again. */
    public void reset() {
        nextMillis = initialMillis;
    }
}
