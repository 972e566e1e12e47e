package org.symphonet.ofcontroller.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.symphonet.ofcontroller.view.BridgeTopology;

/** Discovery driven by hand with a fake clock: roles, links, fabrics, joins and losses. */
class FabricDiscoveryTest {

    private static final long MS = 1_000_000L;
    private static final long NONCE = 42;

    private long now;
    private final FabricDiscovery d = new FabricDiscovery(new FabricDiscovery.Settings(2_000 * MS, 3_500 * MS),
            () -> now, NONCE);
    private final List<Long> fired = new ArrayList<>();

    FabricDiscoveryTest() {
        d.addListener(fired::add);
    }

    /** Switch N with ports 1..k named sN-ethP; port 1 has a host. */
    private void up(long dpid, int ports) {
        List<PortInfo> p = new ArrayList<>();
        for (int i = 1; i <= ports; i++) {
            p.add(new PortInfo(i, "s" + dpid + "-eth" + i, true));
        }
        d.switchUp(dpid, p);
    }

    private void cable(long a, int pa, long b, int pb) {
        d.probeReceived(b, pb, d.probe(a, pa));
        d.probeReceived(a, pa, d.probe(b, pb));
    }

    private BridgeTopology topo(long dpid) {
        return d.bridge(dpid).orElseThrow();
    }

    @Test
    void aSwitchIsInTheViewAtOnceWithEveryPortUnknown() {
        up(1, 2);
        BridgeTopology t = topo(1);
        assertEquals(DatapathNodeId.of(1), t.self());
        assertEquals(Set.of("s1-eth1", "s1-eth2"), t.unclassifiedPorts());
        assertTrue(t.peerPorts().isEmpty());
    }

    @Test
    void probesBothWaysMakePeerPortsAndSilentPortsSettleAsLeaves() {
        up(1, 2);
        up(2, 2);
        assertTrue(d.probeReceived(2, 2, d.probe(1, 2)), "first sighting asks for an answer");
        assertTrue(topo(2).unclassifiedPorts().contains("s2-eth2"));
        assertFalse(d.probeReceived(1, 2, d.probe(2, 2)));
        assertEquals(Map.of("s1-eth2", DatapathNodeId.of(2)), topo(1).peerPorts());
        assertEquals(Map.of("s2-eth2", DatapathNodeId.of(1)), topo(2).peerPorts());
        assertEquals(Set.of(DatapathNodeId.of(1), DatapathNodeId.of(2)), topo(1).members());
        assertEquals(Set.of("s1-eth1"), topo(1).unclassifiedPorts());

        now += 1_999 * MS;
        d.recheck();
        assertEquals(Set.of("s1-eth1"), topo(1).unclassifiedPorts());
        now += MS;
        fired.clear();
        d.recheck();
        assertTrue(topo(1).unclassifiedPorts().isEmpty(), "s1-eth1 is a leaf now");
        assertEquals(Set.of(1L, 2L), Set.copyOf(fired));
        fired.clear();
        d.recheck();
        assertTrue(fired.isEmpty(), "an unchanged fabric disturbs no bridge");

        FabricStatus s = d.status();
        assertEquals(1, s.fabrics());
        assertEquals(List.of(new FabricStatus.LinkEntry("0000000000000001/s1-eth2", "0000000000000002/s2-eth2")), s.links());
        assertEquals("peer", s.switches().get(0).ports().get("s1-eth2"));
        assertEquals("leaf", s.switches().get(0).ports().get("s1-eth1"));
    }

    @Test
    void probesOfAnotherControllerAreIgnored() {
        up(1, 2);
        up(2, 2);
        FabricDiscovery other = new FabricDiscovery(FabricDiscovery.Settings.defaults(), () -> now, NONCE + 1);
        assertFalse(d.probeReceived(2, 2, other.probe(1, 2)));
        assertFalse(d.status().switches().get(1).ports().get("s2-eth2").equals("peer"));
        assertTrue(topo(2).unclassifiedPorts().contains("s2-eth2"));
    }

    @Test
    void switchesThatShareNoLinkFormSeparateFabrics() {
        up(1, 2);
        up(2, 2);
        up(3, 2);
        up(4, 2);
        cable(1, 2, 2, 2);
        cable(3, 2, 4, 2);
        assertEquals(2, d.status().fabrics());
        assertEquals(Set.of(DatapathNodeId.of(3), DatapathNodeId.of(4)), topo(4).members());
        assertEquals(Set.of(DatapathNodeId.of(1), DatapathNodeId.of(2)), topo(1).members());
    }

    @Test
    void aLinkGoesDownByPortStatusOrProbeTimeoutAndComesBackUnknownFirst() {
        up(1, 2);
        up(2, 2);
        cable(1, 2, 2, 2);
        d.portChanged(1, new PortInfo(2, "s1-eth2", false), false);
        assertTrue(topo(2).peerPorts().isEmpty(), "the far end knows at once");
        assertEquals(1, d.linksLost());
        d.portChanged(1, new PortInfo(2, "s1-eth2", true), false);
        assertTrue(topo(1).unclassifiedPorts().contains("s1-eth2"), "a port back up starts unknown, not as a leaf");
        cable(1, 2, 2, 2);
        assertEquals(Map.of("s1-eth2", DatapathNodeId.of(2)), topo(1).peerPorts());
        now += 3_501 * MS;
        d.recheck();
        assertTrue(topo(1).peerPorts().isEmpty(), "probes stopped: link timed out");
        assertEquals(2, d.linksLost());
    }

    @Test
    void aPortWhoseProbesStoppedWhileItStayedUpIsNoLeafUntilTheHoldEnds() {
        up(1, 2);
        up(2, 2);
        cable(1, 2, 2, 2);
        now += 3_501 * MS;
        d.recheck();
        assertTrue(topo(1).peerPorts().isEmpty(), "link timed out");
        // Lost probes (a loaded switch drops packet-ins): as leaves, both ends would flood into the link and loop.
        assertTrue(topo(1).unclassifiedPorts().contains("s1-eth2"));
        assertTrue(topo(2).unclassifiedPorts().contains("s2-eth2"));
        cable(1, 2, 2, 2);
        assertEquals(Map.of("s1-eth2", DatapathNodeId.of(2)), topo(1).peerPorts(), "probes back: the link is back");
        now += 30_001 * MS;
        d.recheck();
        assertFalse(topo(1).unclassifiedPorts().contains("s1-eth2"), "silent for the whole hold: a leaf after all");
        assertTrue(topo(1).peerPorts().isEmpty());
    }

    @Test
    void aPortDownAndUpSettlesAfreshAndAPortTowardALeftSwitchMaySettle() {
        up(1, 2);
        up(2, 2);
        up(3, 2);
        cable(1, 2, 2, 2);
        cable(1, 1, 3, 1);
        d.portChanged(1, new PortInfo(2, "s1-eth2", false), false);
        d.portChanged(1, new PortInfo(2, "s1-eth2", true), false);
        d.switchDown(3);
        now += 2_001 * MS;
        d.recheck();
        assertTrue(topo(1).unclassifiedPorts().isEmpty(), "re-cabled and orphaned ports are leaves after the settle time");
        assertTrue(topo(2).unclassifiedPorts().isEmpty(), "the far end of a port that went down too");
    }

    @Test
    void aSwitchThatLeavesTakesItsLinksAlong() {
        up(1, 2);
        up(2, 2);
        cable(1, 2, 2, 2);
        d.switchDown(2);
        assertTrue(d.bridge(2).isEmpty());
        assertTrue(topo(1).peerPorts().isEmpty());
        assertEquals(Set.of(DatapathNodeId.of(1)), topo(1).members());
        assertFalse(d.probeReceived(1, 2, d.probe(2, 2)), "probes from a switch not connected count for nothing");
    }
}
