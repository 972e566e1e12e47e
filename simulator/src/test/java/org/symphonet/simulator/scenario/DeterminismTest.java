package org.symphonet.simulator.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.symphonet.simulator.net.LatencyModel;
import org.symphonet.simulator.report.RunResult;

/** A seed fixes the whole run: topology, timings, losses, churn, every figure reported. */
class DeterminismTest {

    private static RunConfig config(long seed) {
        return new RunConfig(300, 2, OptionalInt.empty(), 0, 4, 2, LatencyModel.parse("exp:5:40"), 0.01, seed, 3,
                100, 1, false, 0.02, 15, 3, 300);
    }

    /** Every measured figure, leaving out wall time and heap, which belong to the host. */
    private static String fingerprint(RunResult r) {
        return String.join(" ", String.valueOf(r.joinRingSec()), String.valueOf(r.joinSettledSec()),
                String.valueOf(r.linksAvg()), String.valueOf(r.linksMax()), String.valueOf(r.frbsPerBroadcast()),
                String.valueOf(r.depth().mean()), String.valueOf(r.unicast().mean()), String.valueOf(r.healSec()),
                String.valueOf(r.churnDuplicates()), String.valueOf(r.churnMisses()), String.valueOf(r.churnExpected()),
                String.valueOf(r.busyRejects()), String.valueOf(r.onDemandUp()), String.valueOf(r.eventsFired()));
    }

    @Test
    void sameSeedSameResult() {
        assertEquals(fingerprint(new Experiment(config(42)).run()), fingerprint(new Experiment(config(42)).run()));
    }

    @Test
    void anotherSeedAnotherRun() {
        assertNotEquals(fingerprint(new Experiment(config(42)).run()), fingerprint(new Experiment(config(43)).run()));
    }
}
