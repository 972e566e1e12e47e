package org.symphonet.tunnel.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.symphonet.tunnel.NodeId;

class TapNamesTest {
    private final NodeId peer = NodeId.of("1a2b3c4d5e6f708192a3b4c5d6e7f809");

    @Test
    void namesAreShortStableReadableAndRecognised() {
        TapNames names = new TapNames("sn");
        String n = names.nameFor("Overlay-1", peer);
        assertTrue(n.length() <= 15, n);
        assertTrue(n.startsWith("snov"), n);
        assertTrue(n.endsWith("-1a2b3c4d"), n);
        assertEquals(n, names.nameFor("Overlay-1", peer));
        assertNotEquals(n, names.nameFor("Overlay-2", peer));
        assertTrue(names.isOurs(n));
        assertFalse(names.isOurs("eth0"));
        assertFalse(new TapNames("ta").isOurs(n));
        assertTrue(TapNames.isValidInterfaceName(n));
    }

    @Test
    void oddOverlayIdsStillGiveValidNames() {
        TapNames names = new TapNames("ta");
        String n = names.nameFor("é/", peer);
        assertEquals(15, n.length());
        assertTrue(TapNames.isValidInterfaceName(n), n);
        assertTrue(names.isOurs(n));
    }
}
