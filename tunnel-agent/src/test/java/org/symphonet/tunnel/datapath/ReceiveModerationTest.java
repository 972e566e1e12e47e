package org.symphonet.tunnel.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReceiveModerationTest {
    private static final long DELAY = 50_000;
    private static final int BUDGET = 64;

    @Test
    void aBulkBatchRestsTheSocketForTheDelay() {
        ReceiveModeration m = new ReceiveModeration(DELAY);
        m.afterBatch(6, BUDGET, 6, 1_000);
        assertEquals(DELAY, m.restNanos(1_000));
        assertEquals(DELAY - 20_000, m.restNanos(21_000));
        assertEquals(0, m.restNanos(1_000 + DELAY), "due: read the socket");
        assertEquals(0, m.restNanos(1_000), "once over, over");
    }

    @Test
    void nothingJoinedNeverRests() {
        ReceiveModeration m = new ReceiveModeration(DELAY);
        m.afterBatch(6, BUDGET, 0, 0);
        assertEquals(0, m.restNanos(0), "pings, requests, answers, ACKs");
        m.afterBatch(6, BUDGET, 1, 0);
        assertEquals(0, m.restNanos(0), "a lone segment is not a run");
    }

    @Test
    void aFullOrEmptyBatchNeverRests() {
        ReceiveModeration m = new ReceiveModeration(DELAY);
        m.afterBatch(BUDGET, BUDGET, BUDGET, 0);
        assertEquals(0, m.restNanos(0), "more is waiting");
        m.afterBatch(0, BUDGET, 0, 0);
        assertEquals(0, m.restNanos(0));
    }

    @Test
    void theNextBatchDecidesAgain() {
        ReceiveModeration m = new ReceiveModeration(DELAY);
        m.afterBatch(6, BUDGET, 6, 0);
        m.afterBatch(1, BUDGET, 0, 10_000);
        assertEquals(0, m.restNanos(10_000), "the bulk ended: no rest");
        m.afterBatch(6, BUDGET, 4, 20_000);
        assertEquals(DELAY, m.restNanos(20_000), "bulk again");
    }

    @Test
    void zeroDelayIsOff() {
        ReceiveModeration m = new ReceiveModeration(0);
        m.afterBatch(6, BUDGET, 6, 0);
        assertEquals(0, m.restNanos(0));
    }
}
