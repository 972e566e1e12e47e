package org.symphonet.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.symphonet.collector.Reports.id;
import static org.symphonet.collector.Reports.negotiating;
import static org.symphonet.collector.Reports.report;
import static org.symphonet.collector.Reports.up;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class GlobalViewTest {

    private final EventHistory history = new EventHistory(100);
    private final GlobalView view = new GlobalView(3, 60_000, history);
    private final List<CollectorEvent> events = new ArrayList<>();

    private List<String> kinds() {
        List<String> k = events.stream().map(e -> e.kind() + " " + e.node().substring(31) + (e.peer() == null ? "" : "-" + e.peer().substring(31))).toList();
        events.clear();
        return k;
    }

    @Test
    void aNewNodeJoinsAndItsUpLinksComeUp() {
        view.apply(report(1, 1, "lab", up(2, "successor", "outbound", "direct"), negotiating(3, "shortcut", "outbound")), 0, events);
        assertEquals(List.of("node-join 1", "link-up 1-2"), kinds());
        OverlayView v = view.view("lab", 0);
        assertEquals(List.of(id(1), id(2), id(3)), v.nodes().stream().map(OverlayView.Node::id).toList(), "ring order, peers included");
        assertEquals("online", v.nodes().get(0).state());
        assertEquals("unreported", v.nodes().get(1).state(), "node 2 is only known from node 1's link");
        assertEquals(2, v.links().size());
        assertEquals(1, v.nodes().get(0).leafMacs());
        assertEquals(5L, v.nodes().get(0).counters().get("frb_sent"));
    }

    @Test
    void bothEndsOfALinkMakeOneLinkAndOneEvent() {
        view.apply(report(1, 1, "lab", up(2, "successor", "outbound", "direct")), 0, events);
        view.apply(report(2, 1, "lab", up(1, "successor", "inbound", "direct")), 0, events);
        assertEquals(List.of("node-join 1", "link-up 1-2", "node-join 2"), kinds());
        OverlayView v = view.view("lab", 0);
        assertEquals(1, v.links().size());
        assertEquals(2, v.links().get(0).reporters());
    }

    @Test
    void aLinkThatGoesAwayOrChangesTypeIsAnEvent() {
        view.apply(report(1, 1, "lab", up(2, "successor", "outbound", "relayed")), 0, events);
        view.apply(report(1, 2, "lab", up(2, "successor", "outbound", "direct")), 0, events);
        view.apply(report(1, 3, "lab"), 0, events);
        assertEquals(List.of("node-join 1", "link-up 1-2", "link-change 1-2", "link-down 1-2"), kinds());
        assertTrue(view.view("lab", 0).links().isEmpty());
        assertEquals("successor relayed -> successor direct", history.since(0, "lab", 10).get(2).detail());
    }

    @Test
    void aSilentNodeGoesOfflineAfterThreeIntervalsAndIsForgottenLater() {
        view.apply(report(1, 1, 2000, "lab", up(2, "successor", "outbound", "direct")), 0, events);
        view.apply(report(2, 1, 2000, "lab"), 0, events);
        kinds();
        view.expire(5_999, events);
        assertEquals(List.of(), kinds(), "two missed intervals are not enough");
        view.apply(report(2, 2, 2000, "lab"), 5_000, events);
        view.expire(6_001, events);
        assertEquals(List.of("node-leave 1", "link-down 1-2"), kinds());
        OverlayView v = view.view("lab", 6_001);
        assertEquals("offline", v.nodes().get(0).state());
        assertTrue(v.links().isEmpty(), "an offline node's links do not count");
        view.apply(report(1, 2, 2000, "lab", up(2, "successor", "outbound", "direct")), 7_000, events);
        assertEquals(List.of("node-join 1", "link-up 1-2"), kinds(), "it comes back");
        view.expire(7_000 + 6_001, events);
        view.expire(7_000 + 6_001 + 60_001, events);
        assertNull(view.detail(id(1)), "forgotten a while after it went offline");
        assertEquals(0, view.nodeCount());
    }

    @Test
    void theNodeCapRefusesNewNodesUnlessAnOfflineOneCanGo() {
        for (int i = 1; i <= 3; i++) {
            assertEquals(GlobalView.Outcome.ACCEPTED, view.apply(report(i, 1, "lab"), 0, events));
        }
        assertEquals(GlobalView.Outcome.FULL, view.apply(report(4, 1, "lab"), 0, events));
        assertNull(view.detail(id(4)), "a refused report changes nothing");
        assertEquals(GlobalView.Outcome.ACCEPTED, view.apply(report(1, 2, "lab"), 0, events), "known nodes still report");
        view.apply(report(2, 2, "lab"), 3_500, events);
        view.apply(report(3, 2, "lab"), 3_500, events);
        view.expire(3_500, events); // node 1 last reported at 0
        assertEquals(GlobalView.Outcome.ACCEPTED, view.apply(report(4, 1, "lab"), 3_500, events));
        assertNull(view.detail(id(1)), "the offline node made room");
        assertEquals(3, view.nodeCount());
    }

    @Test
    void overlaysAreSeparateAndLeavingOneIsAnEvent() {
        view.apply(report(1, 1, "lab"), 0, events);
        view.apply(report(2, 1, "lab2"), 0, events);
        assertEquals(List.of("lab", "lab2"), view.overlays());
        assertEquals(1, view.view("lab", 0).nodes().size());
        view.apply(report(1, 2, "lab2"), 0, events);
        assertTrue(kinds().containsAll(List.of("node-join 1", "node-leave 1")));
        assertEquals(List.of("lab2"), view.overlays());
        assertEquals(java.util.Set.of("lab", "lab2"), view.takeDirty());
        assertTrue(view.takeDirty().isEmpty());
    }
}
