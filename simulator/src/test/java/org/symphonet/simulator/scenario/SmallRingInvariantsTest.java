package org.symphonet.simulator.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.symphonet.simulator.report.RunResult;

/**
 * The bounded-flood invariants on small overlays built by the real selector, planner and
 * admission and flooded by the real engines: n-1 FRBs and one delivery per node for every quiet
 * broadcast, unicast back along learned MACs always arrives, f = s-1 crashes never split the ring.
 */
class SmallRingInvariantsTest {

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 10, 500})
    void everyBroadcastReachesEveryNodeOnceWithNMinusOneFrbs(int n) {
        RunConfig cfg = RunConfig.quiet(n, 2, OptionalInt.empty(), 7);
        RunResult r = new Experiment(cfg).run();

        assertFalse(Double.isNaN(r.joinSettledSec()), "mass join never settled");
        assertEquals(Math.min(4, n), r.quietBroadcasts());
        assertTrue(r.frbsExact(), "FRBs per broadcast " + r.frbsPerBroadcast() + " instead of " + (n - 1));
        assertEquals(n - 1, r.frbsPerBroadcast());
        assertTrue(r.deliveriesExact(), "a node missed a broadcast or got it twice");
        assertEquals((long) r.quietBroadcasts() * (n - 1), r.depth().size(), "one delivery per node per broadcast");
        assertEquals(0, r.unicastFailures(), "a unicast walk along learned MACs got lost");
        assertEquals(r.depth().size(), r.unicast().size());
        assertTrue(r.linksAvg() >= Math.min(2, n - 1), "every node keeps its successor links");
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 10, 500})
    void crashingSMinusOneRingNeighboursNeverPartitions(int n) {
        RunConfig cfg = RunConfig.quiet(n, 2, OptionalInt.of(n < 10 ? 0 : 3), 11);
        RunResult r = new Experiment(cfg).run();

        assertEquals(1, r.failures());
        assertEquals(1, r.maxComponentsFailure(), "the live overlay split after f < s crashes");
        assertFalse(Double.isNaN(r.healSec()), "the ring never healed");
        assertTrue(r.postHealExact(), "after the heal a broadcast must again cost n-f-1 FRBs, one per node");
    }
}
