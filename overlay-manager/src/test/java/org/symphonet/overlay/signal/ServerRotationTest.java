package org.symphonet.overlay.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class ServerRotationTest {

    private static ServerRotation rotation(String... servers) {
        return new ServerRotation(List.of(servers), Duration.ofMillis(500),
                new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new Random(7)), new Random(3));
    }

    @Test
    void startsOnTheFirstServerAndMovesOnQuicklyWithinARound() {
        ServerRotation r = rotation("a", "b", "c");
        assertEquals("a", r.currentServer());
        long d = r.failed().toMillis();
        assertEquals("b", r.currentServer());
        assertTrue(d >= 400 && d <= 600, "step pause, jittered: " + d);
        d = r.failed().toMillis();
        assertEquals("c", r.currentServer());
        assertTrue(d >= 400 && d <= 600, "still within the round: " + d);
    }

    @Test
    void aFailedRoundBacksOffBoundedAndJittered() {
        ServerRotation r = rotation("a", "b");
        List<Long> afterRounds = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            r.failed();
            afterRounds.add(r.failed().toMillis());
            assertEquals("a", r.currentServer(), "a round ends where it started");
        }
        long[] bases = {1000, 2000, 4000, 8000, 16000, 32000, 60000};
        for (int i = 0; i < bases.length; i++) {
            long d = afterRounds.get(i);
            assertTrue(d >= bases[i] * 0.8 && d <= Math.min(60000, bases[i] * 1.2), bases[i] + " -> " + d);
        }
        assertTrue(afterRounds.stream().allMatch(d -> d <= 60000), "bounded: " + afterRounds);
        assertTrue(afterRounds.subList(8, 20).stream().distinct().count() > 1, "jittered at the bound: " + afterRounds);
    }

    @Test
    void aLostSessionGoesToTheNextServerAndSuccessStartsAFreshRound() {
        ServerRotation r = rotation("own", "other");
        r.failed();
        r.failed();
        r.failed(); // on "other", backoff grown
        assertEquals("other", r.currentServer());
        r.succeeded();
        long d = r.failed().toMillis(); // the session on "other" is lost
        assertEquals("own", r.currentServer());
        assertTrue(d <= 600, "first move after a success is a step, not a grown backoff: " + d);
        d = r.failed().toMillis();
        assertTrue(d >= 800 && d <= 1200, "round complete: initial backoff again: " + d);
    }

    @Test
    void oneServerIsPlainBackoff() {
        ServerRotation r = rotation("only");
        assertTrue(r.failed().toMillis() <= 1200);
        assertTrue(r.failed().toMillis() >= 1600);
        assertEquals("only", r.currentServer());
    }

    @Test
    void manyNodesDoNotRetryInLockstep() {
        List<Long> firsts = new ArrayList<>();
        for (int seed = 0; seed < 20; seed++) {
            ServerRotation r = new ServerRotation(List.of("a", "b"), Duration.ofMillis(500),
                    new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new Random(seed)),
                    new Random(new java.util.SplittableRandom(seed).nextLong()));
            firsts.add(r.failed().toMillis());
        }
        assertTrue(firsts.stream().distinct().count() > 10, "jitter spreads the nodes: " + firsts);
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new ServerRotation(List.of(), Duration.ofMillis(1),
                new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), new Random()), new Random()));
        assertThrows(IllegalArgumentException.class, () -> new ServerRotation(List.of("a"), Duration.ZERO,
                new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), new Random()), new Random()));
    }
}
