package org.symphonet.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.symphonet.collector.Reports.id;

import org.junit.jupiter.api.Test;
import org.symphonet.overlay.status.NodeStatus;

class LinkMergeTest {

    private static NodeStatus.Link link(int peer, String direction, String state, String type, double rtt, long in, long out) {
        return new NodeStatus.Link(id(peer), null, "successor", direction, state, type, rtt, in, out, 10);
    }

    @Test
    void bothEndsMergeIntoOneLinkOrientedFromTheEndThatAsked() {
        // node 2 asked node 1: node 1 reports it inbound, node 2 outbound.
        OverlayView.Link l = LinkMerge.merge(id(1), link(2, "inbound", "up", "direct", 2.0, 500, 70),
                id(2), link(1, "outbound", "up", "direct", 4.0, 60, 510));
        assertEquals(id(2), l.a());
        assertEquals(id(1), l.b());
        assertEquals(3.0, l.rttMillis(), 1e-9, "the mean of both ends' round trips");
        assertEquals(510, l.bytesAtoB(), "what a sent, by a's count");
        assertEquals(60, l.bytesBtoA());
        assertEquals(2, l.reporters());
        assertEquals("up", l.state());
    }

    @Test
    void oneEndIsEnoughAndItsCountsAreTurnedAround() {
        OverlayView.Link l = LinkMerge.merge(id(5), null, id(6), link(5, "inbound", "up", "relayed", -1, 40, 30));
        assertEquals(id(5), l.a(), "6 says 5 asked");
        assertEquals(40, l.bytesAtoB());
        assertEquals(30, l.bytesBtoA());
        assertEquals(-1, l.rttMillis());
        assertEquals("relayed", l.type());
        assertEquals(1, l.reporters());
    }

    @Test
    void upOnEitherEndIsUpAndTheKnownTypeWins() {
        OverlayView.Link l = LinkMerge.merge(id(1), link(2, "outbound", "connecting", null, -1, 0, 0),
                id(2), link(1, "inbound", "up", "reflexive", 1, 0, 0));
        assertEquals("up", l.state());
        assertEquals("reflexive", l.type());
    }

    @Test
    void noReportNoLink() {
        assertNull(LinkMerge.merge(id(1), null, id(2), null));
    }
}
