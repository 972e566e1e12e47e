package org.symphonet.ofcontroller.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.symphonet.ofcontroller.discovery.LinkTable.Endpoint;
import org.symphonet.ofcontroller.discovery.LinkTable.Link;

class LinkTableTest {

    private final Endpoint a = new Endpoint(1, 2);
    private final Endpoint b = new Endpoint(2, 3);
    private final Endpoint c = new Endpoint(3, 1);

    @Test
    void aLinkNeedsProbesBothWaysAndTheFirstOneAsksForAnAnswer() {
        LinkTable t = new LinkTable(100);
        assertTrue(t.heard(b, a, 0), "b never reached a: answer at once");
        assertTrue(t.heardAt(b));
        assertEquals(Optional.empty(), t.neighbour(b));
        assertTrue(t.links().isEmpty());
        assertFalse(t.heard(a, b, 1), "a already reached b: no answer needed");
        assertEquals(Optional.of(a), t.neighbour(b));
        assertEquals(Optional.of(b), t.neighbour(a));
        assertEquals(Set.of(Link.of(b, a)), t.links());
        assertEquals(Link.of(a, b), Link.of(b, a));
    }

    @Test
    void probesExpireAndPortsAndSwitchesAreForgotten() {
        LinkTable t = new LinkTable(100);
        assertTrue(t.heard(b, a, 0));
        assertFalse(t.heard(a, b, 50));
        t.expire(120);
        assertEquals(1, t.links().size(), "a probe either way keeps a proven link up");
        t.expire(151);
        assertTrue(t.links().isEmpty());
        assertFalse(t.heardAt(a));
        assertFalse(t.heardAt(b));
        assertTrue(t.heardWithin(a, 151, 200), "the port heard probes lately: no leaf yet");
        assertTrue(t.heard(b, a, 160), "a link that timed out asks for an answer again");
        assertTrue(t.links().isEmpty());
        t.heard(a, b, 170);
        assertEquals(1, t.links().size());
        t.forgetPort(a);
        assertTrue(t.links().isEmpty());
        assertFalse(t.heardAt(b));
        t.heard(b, a, 140);
        t.heard(a, b, 140);
        t.forgetSwitch(2);
        assertFalse(t.heardAt(a));
        assertFalse(t.heardAt(b));
    }

    @Test
    void aPortHearingSeveralSwitchesIsNoLink() {
        LinkTable t = new LinkTable(100);
        t.heard(b, a, 0);
        t.heard(a, b, 0);
        t.heard(b, c, 0); // a hub joins a, b and c
        t.heard(c, b, 0);
        assertTrue(t.links().isEmpty());
        assertTrue(t.heardAt(b));
    }

    @Test
    void aCableBetweenTwoPortsOfOneSwitchIsNoLink() {
        LinkTable t = new LinkTable(100);
        Endpoint a2 = new Endpoint(1, 5);
        t.heard(a2, a, 0);
        t.heard(a, a2, 0);
        assertTrue(t.links().isEmpty());
    }
}
