package org.symphonet.tunnel.datapath;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void windowEnds() {
        AnswerWait w = new AnswerWait(WINDOW);
        w.slept(QUIET * 2);
        w.turn(1, 0, 0);
        assertTrue(w.stayAwake(WINDOW));
        assertFalse(w.stayAwake(WINDOW + 1));
    }

    @Test
    void zeroWindowNeverStaysAwake() {
        AnswerWait w = new AnswerWait(0);
        w.slept(QUIET * 2);
        w.turn(1, 0, 0);
        assertFalse(w.stayAwake(0));
    }

    @Test
    void oneWayTrafficStopsWaitingUntilAnAnswerComesInTime() {
        AnswerWait w = new AnswerWait(WINDOW);
        long t = 0;
        for (int i = 0; i < AnswerWait.MISS_LIMIT; i++) {
            w.slept(QUIET * 2);
            w.turn(1, 0, t);
            assertTrue(w.stayAwake(t + 1));
            assertFalse(w.stayAwake(t + WINDOW + 1));
            t += 10 * WINDOW;
        }
        w.slept(QUIET * 2);
        w.turn(1, 0, t);
        assertFalse(w.stayAwake(t + 1), "too many unanswered windows");
        w.turn(0, 1, t + WINDOW / 2);
        t += 10 * WINDOW;
        w.slept(QUIET * 2);
        w.turn(1, 0, t);
        assertTrue(w.stayAwake(t + 1), "answered in time again: windows resume");
    }
}
