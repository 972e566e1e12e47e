package org.symphonet.ofcontroller.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PortRoleTest {

    private static final long SETTLE = 2_000;

    @Test
    void aPortIsUnknownUntilItSettlesOrHearsBothWays() {
        assertEquals(PortRole.DOWN, PortRole.classify(false, true, true, 10_000, SETTLE));
        assertEquals(PortRole.UNKNOWN, PortRole.classify(true, false, false, 0, SETTLE));
        assertEquals(PortRole.UNKNOWN, PortRole.classify(true, false, false, SETTLE - 1, SETTLE));
        assertEquals(PortRole.LEAF, PortRole.classify(true, false, false, SETTLE, SETTLE));
        assertEquals(PortRole.PEER, PortRole.classify(true, true, true, 0, SETTLE));
    }

    @Test
    void aPortThatHeardAProbeOnlyOneWayIsNeverALeaf() {
        // A one-way link, or a hub joining several switches: flooding into it could loop.
        assertEquals(PortRole.UNKNOWN, PortRole.classify(true, false, true, 1_000_000, SETTLE));
    }
}
