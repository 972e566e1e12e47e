package org.symphonet.simulator.scenario;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.symphonet.simulator.net.LatencyModel;
import org.symphonet.simulator.report.RunResult;

class OnDemandTest {

    @Test
    void hotPairsGetOnDemandLinksAndTheFloodStaysExact() {
        RunConfig cfg = new RunConfig(200, 2, OptionalInt.of(2), 0, 4, 3, LatencyModel.parse("uniform:5:50"), 0.0, 21,
                3, 200, 1, true, 0, 20, 0, 300);
        RunResult r = new Experiment(cfg).run();
        assertTrue(r.onDemandUp() >= 1, "the real OnDemandTracker asked for no on-demand link");
        assertTrue(r.postHealExact(), "bound rule must stay exact with on-demand links in the adjacency");
    }
}
