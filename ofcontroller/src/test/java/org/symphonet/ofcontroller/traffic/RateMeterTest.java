package org.symphonet.ofcontroller.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

import org.junit.jupiter.api.Test;
import org.symphonet.ofcontroller.view.NodeId;

class RateMeterTest {

    private static final long S = 1_000_000_000L;
    private static final NodeId A = new NodeId(0, 0xa);
    private static final NodeId B = new NodeId(0, 0xb);
    /** MACs 1 and 2 sit behind A, 3 behind B, 9 is a local leaf. */
    private static final LongFunction<NodeId> OWNER = mac -> mac == 1 || mac == 2 ? A : mac == 3 ? B : null;

    private final RateMeter meter = new RateMeter();

    @Test
    void theFirstSnapshotIsOnlyABaseline() {
        assertTrue(meter.sample(List.of(new FlowCount(1, 5_000, 10 * S)), OWNER, 100 * S).isEmpty());
    }

    @Test
    void growthIsSummedPerNodeAndDividedByTheInterval() {
        meter.sample(List.of(new FlowCount(1, 1_000, 50 * S), new FlowCount(2, 0, 50 * S), new FlowCount(3, 0, 50 * S)),
                OWNER, 100 * S);
        Map<NodeId, Double> r = meter.sample(List.of(new FlowCount(1, 11_000, 52 * S), new FlowCount(2, 10_000, 52 * S),
                new FlowCount(3, 4_000, 52 * S)), OWNER, 102 * S);
        assertEquals(10_000.0, r.get(A), 1e-9, "(10000 + 10000) bytes over 2 s");
        assertEquals(2_000.0, r.get(B), 1e-9);
    }

    @Test
    void localAndUnknownMacsAreNotAttributed() {
        meter.sample(List.of(new FlowCount(9, 0, S)), OWNER, 0);
        Map<NodeId, Double> r = meter.sample(List.of(new FlowCount(9, 1_000_000, 2 * S), new FlowCount(7, 500, S)), OWNER, S);
        assertTrue(r.isEmpty(), r.toString());
    }

    @Test
    void idleNodesAreAbsent() {
        meter.sample(List.of(new FlowCount(1, 1_000, 10 * S), new FlowCount(3, 7, 10 * S)), OWNER, 10 * S);
        Map<NodeId, Double> r = meter.sample(List.of(new FlowCount(1, 1_000, 12 * S), new FlowCount(3, 17, 12 * S)), OWNER, 12 * S);
        assertEquals(Map.of(B, 5.0), r);
    }

    @Test
    void aFlowInstalledDuringTheIntervalCountsInFullOverItsOwnAge() {
        // Traffic that began 1 s ago is measured at its rate now, not averaged over the 2-s interval.
        meter.sample(List.of(), OWNER, 10 * S);
        Map<NodeId, Double> r = meter.sample(List.of(new FlowCount(3, 6_000, S)), OWNER, 12 * S);
        assertEquals(6_000.0, r.get(B), 1e-9);
    }

    @Test
    void aVeryYoungFlowIsMeasuredOverTheMinimumAge() {
        meter.sample(List.of(), OWNER, 10 * S);
        Map<NodeId, Double> r = meter.sample(List.of(new FlowCount(3, 1_500, S / 1000)), OWNER, 11 * S);
        assertEquals(1_500 * 1e9 / RateMeter.MIN_AGE_NANOS, r.get(B), 1e-6, "one frame in a 1-ms-old flow");
    }

    @Test
    void aFlowOlderThanTheIntervalButUnseenCountsNothing() {
        // Its bytes may have been matched long before we started watching it.
        meter.sample(List.of(), OWNER, 10 * S);
        assertTrue(meter.sample(List.of(new FlowCount(3, 6_000_000, 60 * S)), OWNER, 12 * S).isEmpty());
    }

    @Test
    void aCounterThatWentBackwardsWasResetAndCountsItsNewValue() {
        meter.sample(List.of(new FlowCount(1, 900_000, 10 * S)), OWNER, 10 * S);
        Map<NodeId, Double> r = meter.sample(List.of(new FlowCount(1, 4_000, S)), OWNER, 14 * S);
        assertEquals(4_000.0, r.get(A), 1e-9, "its new value over its age");
    }

    @Test
    void aFlowThatDisappearedAndCameBackIsNotDoubleCounted() {
        meter.sample(List.of(new FlowCount(1, 1_000, 10 * S)), OWNER, 10 * S);
        meter.sample(List.of(), OWNER, 11 * S);
        Map<NodeId, Double> r = meter.sample(List.of(new FlowCount(1, 2_000, S / 2)), OWNER, 12 * S);
        assertEquals(4_000.0, r.get(A), 1e-9, "a re-installed flow's bytes all fell in its half second");
    }

    @Test
    void resetStartsANewBaseline() {
        meter.sample(List.of(new FlowCount(1, 0, S)), OWNER, 0);
        meter.reset();
        assertTrue(meter.sample(List.of(new FlowCount(1, 1_000_000, 2 * S)), OWNER, S).isEmpty());
        assertEquals(1.0, meter.sample(List.of(new FlowCount(1, 1_000_002, 4 * S)), OWNER, 3 * S).get(A), 1e-9);
    }

    @Test
    void aCounterPastSignedRangeIsNotNegative() {
        meter.sample(List.of(new FlowCount(1, 10, S)), OWNER, 0);
        Map<NodeId, Double> r = meter.sample(List.of(new FlowCount(1, -5, 2 * S)), OWNER, S);
        assertTrue(r.isEmpty() || r.get(A) >= 0, r.toString());
    }

    @Test
    void aCounterRefreshedLessOftenThanPolledReadsItsRealRate() {
        // 1 MB/s, polled every 0.25 s, counters refreshed by OVS every 0.5 s: growth every other poll.
        meter.sample(List.of(new FlowCount(1, 0, 10 * S)), OWNER, 0);
        assertEquals(1_000_000.0, meter.sample(List.of(new FlowCount(1, 500_000, 10 * S)), OWNER, S / 4).get(A), 1e-6,
                "half a second of bytes seen a quarter second after the last snapshot: over 0.5 s, not 0.25");
        assertEquals(1_000_000.0, meter.sample(List.of(new FlowCount(1, 500_000, 10 * S)), OWNER, S / 2).get(A), 1e-6,
                "not refreshed yet: its last rate, not a drop to nothing");
        assertEquals(1_000_000.0, meter.sample(List.of(new FlowCount(1, 1_000_000, 10 * S)), OWNER, S * 3 / 4).get(A), 1e-6);
    }

    @Test
    void twoRefreshesInOneIntervalAreSpreadOverTheTimeSinceTheCounterLastGrew() {
        // Polled every 0.5 s; one interval saw no refresh, the next two: 1 MB/s, not 2.
        meter.sample(List.of(new FlowCount(1, 0, 10 * S)), OWNER, 0);
        meter.sample(List.of(new FlowCount(1, 500_000, 10 * S)), OWNER, S / 2);
        assertEquals(1_000_000.0, meter.sample(List.of(new FlowCount(1, 500_000, 10 * S)), OWNER, S).get(A), 1e-6);
        assertEquals(1_000_000.0, meter.sample(List.of(new FlowCount(1, 1_500_000, 10 * S)), OWNER, S * 3 / 2).get(A), 1e-6);
    }

    @Test
    void aFlowIdleForLongThatStartsIsMeasuredOverAtMostTheSpan() {
        meter.sample(List.of(new FlowCount(1, 0, 100 * S)), OWNER, 0);
        assertTrue(meter.sample(List.of(new FlowCount(1, 0, 100 * S)), OWNER, 10 * S).isEmpty(), "idle, no rate");
        assertEquals(300_000.0, meter.sample(List.of(new FlowCount(1, 300_000, 100 * S)), OWNER, 10 * S + S / 2).get(A), 1e-6,
                "over the last second, not the 10.5 s since it last grew");
    }
}
