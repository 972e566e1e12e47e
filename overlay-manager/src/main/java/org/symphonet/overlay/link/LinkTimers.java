package org.symphonet.overlay.link;

import java.time.Duration;

/**
 * Deadlines and retry pacing of link negotiation.
 *
 * @param answerTimeout  a request without accept or reject is abandoned after this long
 * @param connectTimeout an accepted link whose tunnel did not come up is abandoned after this long
 * @param retryMin       first wait before asking the same peer again after a failure
 * @param retryMax       the wait doubles per failure up to this
 */
public record LinkTimers(Duration answerTimeout, Duration connectTimeout, Duration retryMin, Duration retryMax) {
    public static final LinkTimers DEFAULT = new LinkTimers(Duration.ofSeconds(10), Duration.ofSeconds(45),
            Duration.ofSeconds(2), Duration.ofSeconds(60));

    /**
     * How long to wait before asking a peer again after {@code failures} failures in a row:
     * retry-min, doubled per further failure, capped at retry-max. One place for the rule, which
     * the link manager and the simulator both apply.
     */
    public Duration retryWait(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("a retry wait needs at least one failure, got " + failures);
        }
        return Duration.ofMillis(Math.min(retryMax.toMillis(), retryMin.toMillis() << Math.min(failures - 1, 20)));
    }
}
