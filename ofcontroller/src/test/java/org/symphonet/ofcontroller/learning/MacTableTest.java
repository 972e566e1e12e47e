package org.symphonet.ofcontroller.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class MacTableTest {

    @Test
    void learnsMovesAndForgets() {
        MacTable t = new MacTable(10);
        assertEquals(MacTable.UNKNOWN, t.learn(0xaa, 1));
        assertEquals(1, t.learn(0xaa, 1));
        assertEquals(1, t.learn(0xaa, 2), "a move reports the old port");
        assertEquals(2, t.portOf(0xaa));
        t.learn(0xbb, 2);
        t.learn(0xcc, 3);
        assertEquals(List.of(0xaaL, 0xbbL), t.forgetPort(2).stream().sorted().toList());
        assertFalse(t.contains(0xaa));
        assertEquals(List.of(0xccL), t.macsOn(p -> p == 3));
    }

    @Test
    void aSourceFlowIsRememberedUntilTheMacMovesOrIsForgotten() {
        MacTable t = new MacTable(10);
        t.sourceFlowInstalled(0xaa);
        assertFalse(t.hasSourceFlow(0xaa), "nothing to remember for a MAC that is not learned");
        t.learn(0xaa, 1);
        assertFalse(t.hasSourceFlow(0xaa), "a first sighting installs no source flow");
        t.sourceFlowInstalled(0xaa);
        assertTrue(t.hasSourceFlow(0xaa));
        t.learn(0xaa, 1);
        assertTrue(t.hasSourceFlow(0xaa), "seen again on the same port: still there");
        t.learn(0xaa, 2);
        assertFalse(t.hasSourceFlow(0xaa), "a move leaves the flow on the old port behind");
        t.sourceFlowInstalled(0xaa);
        t.forget(0xaa);
        assertFalse(t.hasSourceFlow(0xaa));
        t.learn(0xbb, 3);
        t.sourceFlowInstalled(0xbb);
        t.forgetPort(3);
        assertFalse(t.hasSourceFlow(0xbb));
        t.learn(0xcc, 3);
        t.sourceFlowInstalled(0xcc);
        t.clear();
        assertFalse(t.hasSourceFlow(0xcc));
    }

    @Test
    void macsWithoutFlowsAgeOutOldestFirstAndAFlowStopsTheClock() {
        MacTable t = new MacTable(10);
        t.learn(0xa1, 1);
        t.flowless(0xa1, 100);
        t.learn(0xa2, 1);
        t.flowless(0xa2, 200);
        t.learn(0xa3, 2);
        t.flowless(0xa3, 300);
        t.flowInstalled(0xa2);
        t.learn(0xa4, 2);
        t.flowless(0xa4, 400);
        t.sourceFlowInstalled(0xa4);
        assertEquals(0, t.expireFlowless(100), "nothing older than the cutoff");
        assertEquals(2, t.expireFlowless(301), "a1 and a3; a2 and a4 have flows");
        assertFalse(t.contains(0xa1));
        assertFalse(t.contains(0xa3));
        assertTrue(t.contains(0xa2));
        assertTrue(t.contains(0xa4));
        t.flowless(0xa9, 50);
        assertEquals(0, t.expireFlowless(Long.MAX_VALUE - 1), "an unknown MAC is never tracked");
        t.learn(0xa5, 3);
        t.flowless(0xa5, 500);
        t.forget(0xa5);
        t.learn(0xa5, 3);
        assertEquals(0, t.expireFlowless(1000), "forgetting drops the clock too");
    }

    @Test
    void aTableFullOfMacsWithFlowsRefusesNewOnes() {
        MacTable t = new MacTable(2);
        t.learn(1, 1);
        t.learn(2, 1);
        t.sourceFlowInstalled(1);
        t.flowInstalled(2);
        assertEquals(MacTable.UNKNOWN, t.learn(3, 1));
        assertFalse(t.contains(3));
        assertEquals(2, t.size());
        assertEquals(0, t.evicted());
        assertEquals(1, t.learn(1, 5), "known MACs still move when full");
    }

    @Test
    void aFullTableForgetsTheMacLongestWithoutAFlow() {
        MacTable t = new MacTable(3);
        t.learn(1, 1);
        t.flowless(1, 100);
        t.learn(2, 1);
        t.flowless(2, 200);
        t.learn(3, 1);
        t.flowInstalled(3); // has a flow: never the one evicted
        t.learn(1, 2); // a move keeps its place in the age order (learned at 100)
        assertEquals(MacTable.UNKNOWN, t.learn(4, 1));
        assertTrue(t.contains(4), "learned by making room");
        assertFalse(t.contains(1), "the oldest flowless MAC went");
        assertTrue(t.contains(2) && t.contains(3));
        assertEquals(1, t.evicted());
        t.flowless(4, 300);
        t.learn(5, 1);
        assertFalse(t.contains(2));
        t.learn(6, 1);
        assertFalse(t.contains(4));
        assertTrue(t.contains(3) && t.contains(5) && t.contains(6));
        assertEquals(3, t.size());
        assertEquals(3, t.evicted());
        assertEquals(MacTable.UNKNOWN, t.learn(7, 1), "5 and 6 were never given to the clock: no room left");
        assertFalse(t.contains(7));
        assertEquals(0, t.expireFlowless(1_000), "evicted MACs left the clock too");
    }

    @Test
    void readsMacsAndGroupBit() {
        byte[] f = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x02, 0, 0, 0, 0, 1};
        assertEquals(0xffffffffffffL, MacTable.macAt(f, 0));
        assertEquals(0x020000000001L, MacTable.macAt(f, 6));
        assertTrue(MacTable.isGroup(MacTable.macAt(f, 0)));
        assertTrue(MacTable.isGroup(0x01005e000001L));
        assertFalse(MacTable.isGroup(0x020000000001L));
    }
}
