package org.symphonet.ofcontroller.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class HeldMovesTest {

    @Test
    void framesOfAHeldMacComeBackInArrivalOrderUpToTheCap() {
        HeldMoves h = new HeldMoves(2);
        assertFalse(h.offer(7, 1, new byte[] {0}), "not held: not kept");
        assertTrue(h.hold(7));
        assertFalse(h.hold(7), "held once");
        assertTrue(h.offer(7, 1, new byte[] {1}));
        assertTrue(h.offer(7, 4, new byte[] {2}));
        assertFalse(h.offer(7, 1, new byte[] {3}), "over the cap: the caller sends it on");
        List<HeldMoves.Frame> out = h.release(7);
        assertEquals(2, out.size());
        assertEquals(1, out.get(0).data()[0]);
        assertEquals(4, out.get(1).inPort());
        assertFalse(h.isHeld(7));
        assertTrue(h.release(7).isEmpty());
        assertEquals(0, h.size());
    }
}
