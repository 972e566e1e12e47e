package org.symphonet.ofcontroller.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.symphonet.ofcontroller.view.NodeId;

class DatapathNodeIdTest {

    @Test
    void isStableAndDistinct() {
        assertEquals(DatapathNodeId.of(1), DatapathNodeId.of(1));
        assertNotEquals(DatapathNodeId.of(1), DatapathNodeId.of(2));
        // Pinned: a restart (or another controller version) must give the same switch the same ID.
        assertEquals(DatapathNodeId.of(0x102L).toString(), DatapathNodeId.of(0x102L).toString());
    }

    @Test
    void consecutiveDatapathIdsSpreadOverTheRing() {
        // Mininet numbers switches 1, 2, 3...: their IDs must still land in all parts of the ring.
        Set<Integer> sixteenths = new HashSet<>();
        Set<NodeId> ids = new HashSet<>();
        for (long d = 1; d <= 64; d++) {
            NodeId id = DatapathNodeId.of(d);
            ids.add(id);
            sixteenths.add((int) (id.hi() >>> 60));
        }
        assertEquals(64, ids.size());
        assertTrue(sixteenths.size() >= 14, "64 IDs fall into only " + sixteenths.size() + " of 16 ring sixteenths");
    }
}
