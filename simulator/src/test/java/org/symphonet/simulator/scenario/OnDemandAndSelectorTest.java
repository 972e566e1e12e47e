package org.symphonet.simulator.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.symphonet.simulator.net.LatencyModel;
import org.symphonet.simulator.overlay.SelectorMode;
import org.symphonet.simulator.report.RunResult;

class OnDemandAndSelectorTest {

    @Test
    void hotPairsGetOnDemandLinksAndTheFloodStaysExact() {
        RunConfig cfg = new RunConfig(200, 2, OptionalInt.of(2), 0, 4, 3, LatencyModel.parse("uniform:5:50"), 0.0, 21,
                3, 200, 1, true, 0, 20, 0, 300, SelectorMode.REAL, 0, false);
        RunResult r = new Experiment(cfg).run();
        assertTrue(r.onDemandUp() >= 1, "the real OnDemandTracker asked for no on-demand link");
        assertTrue(r.postHealExact(), "bound rule must stay exact with on-demand links in the adjacency");
    }

    /** The indexed selector, checked on many calls against the node's LinkSelector in the run itself. */
    @Test
    void indexedSelectorRunsCheckedAgainstTheRealOne() {
        RunConfig cfg = new RunConfig(500, 2, OptionalInt.empty(), 0, 4, 0, LatencyModel.parse("const:20"), 0.0, 5, 2,
                100, 1, true, 0, 20, 0, 300, SelectorMode.INDEXED, 400, false);
        RunResult r = new Experiment(cfg).run();
        assertTrue(r.selector().startsWith("indexed+checked"), r.selector());
        assertTrue(r.frbsExact() && r.deliveriesExact());
        assertEquals(1, r.maxComponentsFailure());
    }
}
