package org.symphonet.simulator.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.symphonet.simulator.net.LatencyModel;
import org.symphonet.simulator.report.RunResult;

/** With s successors, f < s simultaneous crashes and light churn never split the overlay. */
class ChurnTest {

    private static RunConfig config(int n, int s, int failures, boolean consecutive, double churn, long seed) {
        return new RunConfig(n, s, OptionalInt.of(2), 0, 4, 0, LatencyModel.parse("uniform:5:50"), 0.0, seed, 2, 200,
                failures, consecutive, churn, 20, 4, 300);
    }

    @Test
    void threeSuccessorsSurviveTwoNeighboursCrashingAtOnce() {
        RunResult r = new Experiment(config(300, 3, 2, true, 0, 3)).run();
        assertEquals(1, r.maxComponentsFailure());
        assertFalse(Double.isNaN(r.healSec()));
        assertTrue(r.postHealExact());
    }

    @Test
    void fourSuccessorsSurviveThreeRandomCrashes() {
        RunResult r = new Experiment(config(300, 4, 3, false, 0, 5)).run();
        assertEquals(1, r.maxComponentsFailure());
        assertTrue(r.postHealExact());
    }

    @Test
    void lightChurnNeverPartitionsAndCountsWhatBroadcastsMissed() {
        RunResult r = new Experiment(config(400, 3, 2, true, 0.01, 9)).run();
        assertEquals(1, r.maxComponentsFailure());
        assertTrue(r.maxComponentsChurn() <= 1, "churn split the overlay into " + r.maxComponentsChurn());
        assertEquals(4, r.churnBroadcasts());
        assertTrue(r.churnExpected() > 0);
        assertTrue(r.churnMisses() >= 0 && r.churnMisses() <= r.churnExpected());
        assertFalse(Double.isNaN(r.joinSettledSec()));
    }

    @Test
    void lossyLinksCostDeliveriesAndTheLostSubtreesFrbs() {
        RunConfig cfg = new RunConfig(200, 2, OptionalInt.of(3), 0, 4, 0, LatencyModel.parse("const:10"), 0.05, 4, 4,
                200, 0, true, 0, 20, 0, 300);
        RunResult r = new Experiment(cfg).run();
        assertFalse(r.deliveriesExact(), "5 % loss per hop should cost some deliveries");
        assertTrue(r.frbsPerBroadcast() < 199, "a lost FRB's subtree is never sent");
        assertTrue(r.depth().size() < 4 * 199);
    }
}
