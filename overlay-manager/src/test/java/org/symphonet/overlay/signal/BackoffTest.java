package org.symphonet.overlay.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesUpToTheMaximumWithJitter() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new Random(1));
        long[] bases = {1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000};
        for (long base : bases) {
            long d = b.next().toMillis();
            assertTrue(d >= base * 0.8 && d <= Math.min(60000, base * 1.2), base + " -> " + d);
        }
        b.reset();
        assertTrue(b.next().toMillis() <= 1200);
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), new Random()));
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new Random()));
        assertEquals(Duration.ofMillis(5), new Backoff(Duration.ofMillis(5), Duration.ofMillis(5), new Random(0) {
            @Override
            public double nextDouble() {
                return 0.5;
            }
        }).next());
    }
}
