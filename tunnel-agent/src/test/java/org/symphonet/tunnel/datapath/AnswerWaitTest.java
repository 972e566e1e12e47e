package org.symphonet.tunnel.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class AnswerWaitTest {
    private static final long WINDOW = 500_000;
    private static final long QUIET = AnswerWait.QUIET_NANOS;

    @Test
    void loneFrameAfterQuietWaitsForItsAnswerOnly() {
        AnswerWait w = new AnswerWait(WINDOW);
        w.slept(QUIET * 50);
        w.turn(1, 0, 0);
        assertTrue(w.stayAwake(100_000));
        w.turn(0, 1, 200_000);
        assertFalse(w.stayAwake(200_001), "answered: sleep again");
    }

    @Test
    void inboundRequestWaitsForTheLocalAnswer() {
        AnswerWait w = new AnswerWait(WINDOW);
        w.slept(QUIET * 2);
        w.turn(0, 1, 0);
        assertTrue(w.stayAwake(10));
        w.turn(0, 1, 20);
        assertTrue(w.stayAwake(30), "more in the same direction is no answer");
        w.turn(1, 0, 40);
        assertFalse(w.stayAwake(50));
    }

    @Test
    void roundTripWithinOneTurnNeedsNoWindow() {
        AnswerWait w = new AnswerWait(WINDOW);
        w.slept(QUIET * 2);
        w.turn(1, 1, 0);
        assertFalse(w.stayAwake(10));
    }

    @Test
    void busyTrafficOpensNoWindow() {
        AnswerWait w = new AnswerWait(WINDOW);
        w.slept(QUIET / 10);
        w.turn(5, 0, 0);
        assertFalse(w.stayAwake(10));
        w.slept(QUIET * 2);
        w.turn(0, 0, 20);
        w.slept(QUIET / 10);
        w.turn(1, 0, 30);
        assertFalse(w.stayAwake(40), "the long sleep was not the one before the frame");
    }

    @Test
    void turnWithoutFramesKeepsTheQuietSpell() {
        // A keepalive's turn (no unicast frame either way) neither opens a window nor ends the
        // quiet spell; the frame after it is still a lone request. A frame either way ends it.
        AnswerWait w = new AnswerWait(WINDOW);
        w.slept(QUIET);
        w.turn(0, 0, 0);
        assertFalse(w.stayAwake(1));
        w.turn(1, 0, 10);
        assertTrue(w.stayAwake(20), "still after the quiet spell");
        w.turn(0, 1, 30);
        w.turn(1, 0, 40);
        assertFalse(w.stayAwake(50), "the answer ended the quiet spell");
        w.slept(QUIET - 1);
        w.turn(1, 0, 60);
        assertFalse(w.stayAwake(70), "a sleep under the quiet spell is no quiet spell");
    }

    @Test
    void windowEnds() {
        AnswerWait w = new AnswerWait(WINDOW);
        requestAfterQuiet(w, 0);
        assertTrue(w.stayAwake(WINDOW));
        assertFalse(w.stayAwake(WINDOW + 1));
    }

    @Test
    void zeroWindowNeverStaysAwake() {
        AnswerWait w = new AnswerWait(0);
        requestAfterQuiet(w, 0);
        assertFalse(w.stayAwake(0));
    }

    @Test
    void oneWayTrafficStopsWaitingUntilAnAnswerComesInTime() {
        AnswerWait w = new AnswerWait(WINDOW);
        long t = 0;
        for (int i = 0; i < AnswerWait.MISS_LIMIT; i++) {
            requestAfterQuiet(w, t);
            assertTrue(w.stayAwake(t + 1));
            assertFalse(w.stayAwake(t + WINDOW + 1));
            t += 10 * WINDOW;
        }
        requestAfterQuiet(w, t);
        assertFalse(w.stayAwake(t + 1), "too many unanswered windows");
        w.turn(0, 1, t + WINDOW / 2);
        t += 10 * WINDOW;
        requestAfterQuiet(w, t);
        assertTrue(w.stayAwake(t + 1), "answered in time again: windows resume");
    }

    /** Lone requests at {@code t}, each answered {@code delay} later; returns the next request's time. */
    /** A lone request leaves after the loop slept longer than the quiet spell. */
    private static void requestAfterQuiet(AnswerWait w, long t) {
        w.slept(QUIET * 2);
        w.turn(1, 0, t);
    }

    private static long answered(AnswerWait w, long t, int times, long delay) {
        for (int i = 0; i < times; i++) {
            requestAfterQuiet(w, t);
            w.stayAwake(t + delay - 1);
            w.turn(0, 1, t + delay);
            t += 50 * QUIET;
        }
        return t;
    }

    @Test
    void withoutLeadTheSpinStartsAtOnce() {
        AnswerWait w = new AnswerWait(WINDOW);
        long t = answered(w, 0, 5, 300_000);
        requestAfterQuiet(w, t);
        assertEquals(0, w.untilSpin(t));
        assertTrue(w.stayAwake(t + 1));
    }

    @Test
    void firstAnswersAreAwaitedFromTheRequestOn() {
        AnswerWait w = new AnswerWait(1_000_000, 100_000, true);
        long t = answered(w, 0, AnswerWait.MIN_SAMPLES - 1, 800_000);
        requestAfterQuiet(w, t);
        assertEquals(0, w.untilSpin(t), "too few answers timed to place the spin");
        assertTrue(w.stayAwake(t + 1));
    }

    @Test
    void spinsOnlyAroundTheExpectedAnswer() {
        AnswerWait w = new AnswerWait(1_000_000, 100_000, true);
        long t = answered(w, 0, 5, 800_000);
        requestAfterQuiet(w, t);
        // Expected after 800 us: a quarter of it (200 us) either side, more than the 100 us lead.
        assertEquals(600_000, w.untilSpin(t));
        assertFalse(w.stayAwake(t + 1), "sleep first");
        assertEquals(100_000, w.untilSpin(t + 500_000));
        assertTrue(w.stayAwake(t + 600_000));
        assertEquals(0, w.untilSpin(t + 600_000));
        w.turn(0, 1, t + 750_000);
        assertFalse(w.stayAwake(t + 750_001), "answered");
        assertEquals(0, w.untilSpin(t + 750_001));
    }

    @Test
    void spinEndsPastTheExpectedAnswer() {
        AnswerWait w = new AnswerWait(1_000_000, 100_000, true);
        long t = answered(w, 0, 5, 200_000);
        requestAfterQuiet(w, t);
        // Expected after 200 us: the 100 us lead either side.
        assertEquals(100_000, w.untilSpin(t));
        assertTrue(w.stayAwake(t + 300_000));
        assertFalse(w.stayAwake(t + 300_001));
        assertEquals(0, w.untilSpin(t + 300_001), "missed: no spin due any more");
    }

    @Test
    void lateAnswersMoveTheSpinToWhenTheyCome() {
        AnswerWait w = new AnswerWait(WINDOW, 100_000, true);
        long t = 0;
        for (int i = 0; i < AnswerWait.MISS_LIMIT; i++) {
            requestAfterQuiet(w, t);
            assertTrue(w.stayAwake(t + 1));
            assertFalse(w.stayAwake(t + WINDOW + 1), "the answer is later than the window");
            w.turn(0, 1, t + 2_000_000);
            t += 50 * QUIET;
        }
        requestAfterQuiet(w, t);
        assertFalse(w.stayAwake(t + 1_600_000), "too many unanswered windows");
        w.turn(0, 1, t + 2_000_000);
        t += 50 * QUIET;
        requestAfterQuiet(w, t);
        // Expected after 2 ms, a quarter either side: answered in time again, so it spins.
        assertEquals(1_500_000, w.untilSpin(t));
        assertTrue(w.stayAwake(t + 1_500_000));
    }

    @Test
    void expectedDelayIsTheMedianOfTheRecentAnswers() {
        // The sorted copy is kept up to date as answers come (not sorted when a window opens):
        // it must always give the median of the last SAMPLES delays, ties and evictions included.
        AnswerWait w = new AnswerWait(1_000_000, 100_000, true);
        Random random = new Random(11);
        ArrayDeque<Long> recent = new ArrayDeque<>();
        long t = 0;
        for (int i = 0; i < 500; i++) {
            long delay = 1 + (i % 7 == 0 ? 300_000 : random.nextInt(i % 3 == 0 ? 5 : 900_000));
            t = answered(w, t, 1, delay);
            recent.addLast(delay);
            if (recent.size() > AnswerWait.SAMPLES) {
                recent.removeFirst();
            }
            long[] sorted = recent.stream().mapToLong(Long::longValue).toArray();
            Arrays.sort(sorted);
            assertEquals(sorted[sorted.length / 2], w.expected(), "after answer " + i);
        }
    }

    @Test
    void zeroWindowNeverSleepsAheadEither() {
        AnswerWait w = new AnswerWait(0, 100_000, true);
        long t = answered(w, 0, 5, 800_000);
        requestAfterQuiet(w, t);
        assertEquals(0, w.untilSpin(t));
        assertFalse(w.stayAwake(t + 800_000));
    }

    @Test
    void withoutLocalAnswersOnlyThePeersAnswerIsAwaited() {
        AnswerWait w = new AnswerWait(WINDOW, 100_000, false);
        w.slept(QUIET * 2);
        w.turn(0, 1, 0);
        assertFalse(w.stayAwake(10), "OVS answers a frame delivered to it: sleep meanwhile");
        assertEquals(0, w.untilSpin(10));
        w.turn(1, 0, 200_000);
        assertFalse(w.stayAwake(200_010), "that answer opens no window either: it followed no sleep");
        requestAfterQuiet(w, 50 * QUIET);
        assertTrue(w.stayAwake(50 * QUIET + 10), "a request toward the peer is awaited");
    }
}
