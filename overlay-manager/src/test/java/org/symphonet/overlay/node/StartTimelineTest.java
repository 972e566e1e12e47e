package org.symphonet.overlay.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.symphonet.overlay.status.NodeStatus;

class StartTimelineTest {

    @Test
    void everyPhaseNotesTheCpuUsedWhenItWasReachedAndLinksUpAlsoAsItsOwnFigure() {
        StartTimeline t = new StartTimeline(Instant.now().minusSeconds(5));
        t.reach(StartTimeline.Phase.BRIDGE_CONNECTED);
        t.reach(StartTimeline.Phase.XMPP_ONLINE);
        NodeStatus.Timeline before = t.snapshot();
        assertEquals(List.of("bridge-connected", "xmpp-online"), List.copyOf(before.cpuSeconds().keySet()));
        assertEquals(-1, before.cpuSecondsAtLinksUp(), "links not up yet");
        assertTrue(before.cpuSeconds().get("bridge-connected") > 0, "this process has used CPU");

        t.reach(StartTimeline.Phase.FIRST_LINK_REQUESTED);
        t.reach(StartTimeline.Phase.LINKS_UP);
        t.reach(StartTimeline.Phase.BRIDGE_CONNECTED); // reached once: nothing changes
        NodeStatus.Timeline after = t.snapshot();
        assertEquals(List.copyOf(after.phases().keySet()), List.copyOf(after.cpuSeconds().keySet()));
        assertEquals(after.cpuSeconds().get("links-up"), after.cpuSecondsAtLinksUp());
        assertEquals(before.cpuSeconds().get("bridge-connected"), after.cpuSeconds().get("bridge-connected"));
        assertTrue(after.cpuSeconds().get("links-up") >= after.cpuSeconds().get("bridge-connected"));
    }
}
