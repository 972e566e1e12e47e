package org.symphonet.ofcontroller.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ArpFloodHoldTest {

    private static final long HOLD = 5_000_000_000L;

    @Test
    void anAddressIsFloodedOncePerHold() {
        ArpFloodHold hold = new ArpFloodHold(16, HOLD);
        assertTrue(hold.mayFlood(1, 0));
        assertFalse(hold.mayFlood(1, 1_000_000_000L));
        assertFalse(hold.mayFlood(1, HOLD - 1));
        assertTrue(hold.mayFlood(1, HOLD), "the hold is over");
        assertFalse(hold.mayFlood(1, HOLD + 1), "and starts again from that flood");
        assertTrue(hold.mayFlood(2, HOLD + 1), "other addresses are their own");
    }

    @Test
    void boundedByForgettingTheOldestFlood() {
        ArpFloodHold hold = new ArpFloodHold(2, HOLD);
        hold.mayFlood(1, 0);
        hold.mayFlood(2, 1);
        hold.mayFlood(3, 2);
        assertEquals(2, hold.size());
        assertTrue(hold.mayFlood(1, 3), "forgotten, so flooded again");
        assertFalse(hold.mayFlood(3, 4));
    }
}
