package org.symphonet.overlay.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.overlay.topology.Admission.Verdict;

class AdmissionTest {

    private static final NodeId SMALL = Ids.at(0.1);
    private static final NodeId BIG = Ids.at(0.9);

    @Test
    void smallerIdWinsTheCollision() {
        assertTrue(Admission.requestWins(SMALL, BIG));
        assertFalse(Admission.requestWins(BIG, SMALL));
        // Both sent a request; each side applies the rule to the request it received.
        Map<NodeId, LinkState> atBig = Map.of(SMALL, new LinkState(SMALL, LinkRole.SHORTCUT, true, false));
        Map<NodeId, LinkState> atSmall = Map.of(BIG, new LinkState(BIG, LinkRole.SHORTCUT, true, false));
        assertEquals(Verdict.ACCEPT_REPLACING, Admission.decide(BIG, SMALL, LinkRole.SHORTCUT, atBig, 8));
        assertEquals(Verdict.REJECT_DUPLICATE, Admission.decide(SMALL, BIG, LinkRole.SHORTCUT, atSmall, 8));
    }

    @Test
    void collisionRuleIsUnsigned() {
        NodeId high = new NodeId(0x8000000000000000L, 0); // negative as a signed long
        NodeId low = new NodeId(1, 0);
        assertTrue(Admission.requestWins(low, high));
    }

    @Test
    void busyOverCapExceptForSuccessors() {
        Map<NodeId, LinkState> full = new HashMap<>();
        for (int i = 0; i < 4; i++) {
            NodeId p = Ids.at(0.2 + i / 10.0);
            full.put(p, new LinkState(p, LinkRole.SHORTCUT, false, true));
        }
        assertEquals(Verdict.REJECT_BUSY, Admission.decide(BIG, SMALL, LinkRole.SHORTCUT, full, 4));
        assertEquals(Verdict.REJECT_BUSY, Admission.decide(BIG, SMALL, LinkRole.ON_DEMAND, full, 4));
        assertEquals(Verdict.ACCEPT, Admission.decide(BIG, SMALL, LinkRole.SUCCESSOR, full, 4));
        assertEquals(Verdict.ACCEPT, Admission.decide(BIG, SMALL, LinkRole.SHORTCUT, full, 5));
    }

    @Test
    void repeatedRequestForAnExistingLinkReplacesIt() {
        Map<NodeId, LinkState> cur = Map.of(SMALL, new LinkState(SMALL, LinkRole.SUCCESSOR, false, true));
        assertEquals(Verdict.ACCEPT_REPLACING, Admission.decide(BIG, SMALL, LinkRole.SUCCESSOR, cur, 1));
        Map<NodeId, LinkState> ours = Map.of(BIG, new LinkState(BIG, LinkRole.SUCCESSOR, true, true));
        assertEquals(Verdict.ACCEPT_REPLACING, Admission.decide(SMALL, BIG, LinkRole.SHORTCUT, ours, 1),
                "peer restarted and lost the link we still think is up");
    }
}
