package org.symphonet.overlay.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.symphonet.ofcontroller.view.NodeId;

class RingTest {

    @Test
    void offsetsAreFractionsOfTwoTo128() {
        assertEquals(new NodeId(0, 0), Ring.offset(0.0));
        assertEquals(new NodeId(0x8000000000000000L, 0), Ring.offset(0.5));
        assertEquals(new NodeId(0x4000000000000000L, 0), Ring.offset(0.25));
        assertEquals(0.75, Ring.fraction(new NodeId(0, 0), Ring.offset(0.75)), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> Ring.offset(1.0));
        assertThrows(IllegalArgumentException.class, () -> Ring.offset(-0.1));
        assertThrows(IllegalArgumentException.class, () -> Ring.offset(Double.NaN));
    }

    @Test
    void fractionWrapsAround() {
        assertEquals(0.2, Ring.fraction(Ids.at(0.9), Ids.at(0.1)), 1e-12);
        assertEquals(0.8, Ring.fraction(Ids.at(0.1), Ids.at(0.9)), 1e-12);
    }

    @Test
    void clockwiseStartsAfterSelfAndWraps() {
        NodeId self = Ids.at(0.5);
        List<NodeId> order = Ring.clockwise(self, List.of(Ids.at(0.1), Ids.at(0.9), self, Ids.at(0.6), Ids.at(0.1)));
        assertEquals(List.of(Ids.at(0.6), Ids.at(0.9), Ids.at(0.1)), order);
    }
}
