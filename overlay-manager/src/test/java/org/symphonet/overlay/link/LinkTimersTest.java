package org.symphonet.overlay.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class LinkTimersTest {

    private static final LinkTimers T = new LinkTimers(Duration.ofSeconds(10), Duration.ofSeconds(45),
            Duration.ofMillis(1500), Duration.ofSeconds(20));

    @Test
    void retryWaitDoublesFromRetryMinPerFailure() {
        assertEquals(T.retryMin(), T.retryWait(1));
        assertEquals(T.retryMin().multipliedBy(2), T.retryWait(2));
        assertEquals(T.retryMin().multipliedBy(8), T.retryWait(4));
    }

    @Test
    void retryWaitStopsAtRetryMaxAndNeverOverflows() {
        assertEquals(T.retryMax(), T.retryWait(5), "1.5 s * 16 = 24 s is over the 20 s cap");
        assertEquals(T.retryMax(), T.retryWait(64));
        assertEquals(T.retryMax(), T.retryWait(Integer.MAX_VALUE));
    }

    @Test
    void noFailureHasNoRetryWait() {
        assertThrows(IllegalArgumentException.class, () -> T.retryWait(0));
    }
}
