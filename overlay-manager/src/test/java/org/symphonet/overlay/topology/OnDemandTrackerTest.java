package org.symphonet.overlay.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.symphonet.ofcontroller.view.NodeId;

class OnDemandTrackerTest {

    private static final NodeId A = Ids.at(0.1);
    private static final NodeId B = Ids.at(0.2);
    private final OnDemandTracker empty = new OnDemandTracker(1000, Duration.ofSeconds(10));

    @Test
    void belowThresholdChangesNothing() {
        assertSame(empty, empty.report(A, 999, 0));
        assertEquals(List.of(), empty.wanted(0));
    }

    @Test
    void hotPeerStaysWantedUntilIdle() {
        OnDemandTracker t = empty.report(A, 5000, 0);
        assertEquals(List.of(A), t.wanted(0));
        t = t.report(A, 10, 5_000); // a quiet moment does not end it
        assertEquals(List.of(A), t.wanted(10_000));
        assertEquals(List.of(), t.wanted(10_001));
        assertEquals(List.of(), t.expire(10_001).wanted(0), "expired entries are forgotten");
    }

    @Test
    void hottestFirst() {
        OnDemandTracker t = empty.report(A, 2000, 0).report(B, 9000, 0);
        assertEquals(List.of(B, A), t.wanted(1));
        assertEquals(List.of(A, B), t.report(A, 20000, 2).wanted(3));
    }

    @Test
    void immutable() {
        OnDemandTracker t = empty.report(A, 5000, 0);
        t.report(B, 5000, 0);
        assertEquals(List.of(A), t.wanted(0));
    }
}
