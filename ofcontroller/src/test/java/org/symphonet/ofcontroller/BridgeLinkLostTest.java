package org.symphonet.ofcontroller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.symphonet.ofcontroller.BridgeFrames.frame;
import static org.symphonet.ofcontroller.BridgeFrames.frbIn;
import static org.symphonet.ofcontroller.BridgeFrames.macBytes;
import static org.symphonet.ofcontroller.BridgeFrames.packetIn;
import static org.symphonet.ofcontroller.BridgeFrames.port;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFlowDelete;
import org.projectfloodlight.openflow.protocol.OFFlowDeleteStrict;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFPort;
import org.symphonet.ofcontroller.flood.Frb;
import org.symphonet.ofcontroller.flood.FrbCodec;
import org.symphonet.ofcontroller.flood.FrbType;
import org.symphonet.ofcontroller.metrics.BridgeCounters;
import org.symphonet.ofcontroller.view.BridgeTopology;
import org.symphonet.ofcontroller.view.NodeId;

/**
 * A link whose tunnel was lost leaves the view while its port is still on the switch (the tunnel's
 * teardown deletes it seconds later, issue 16): from that moment the bridge floods nothing to it,
 * learns nothing from it (its FRBs are still taken, as from any tunnel port, but the dead node's
 * own floods die with its membership), and forgets the MACs learned behind it, so unicast toward
 * them is flooded (and reaches them another way) instead of vanishing into the dead tunnel.
 */
class BridgeLinkLostTest {

    private static final NodeId A = new NodeId(0, 0x10);
    private static final NodeId DEAD = new NodeId(0, 0x20);
    private static final NodeId SELF = new NodeId(0, 0x30);
    private static final long DEAD_LEAF = 0x0288_0000_0020L;
    private static final long OUR_LEAF = 0x0288_0000_0030L;

    private final List<OFMessage> sent = new ArrayList<>();
    private final BridgeCounters counters = new BridgeCounters();
    private final Bridge bridge = BridgeFrames.bridge(sent, counters);

    @BeforeEach
    void linkedToAAndToANodeAboutToDie() {
        bridge.tunnelPorts("sn");
        bridge.start(List.of(port(1, "lf0"), port(2, "sn-a"), port(3, "sn-dead")),
                new BridgeTopology(SELF, Map.of("sn-a", A, "sn-dead", DEAD), Set.of(A, DEAD, SELF)));
        bridge.onMessage(frbIn(3, FrbCodec.encode(new Frb(FrbType.LEAF_ANNOUNCEMENT, 0, 1, DEAD, DEAD,
                macBytes(DEAD_LEAF)))));
        sent.clear(); // start-up and the answer to the announcement
        bridge.onMessage(packetIn(1, frame(DEAD_LEAF, OUR_LEAF))); // our leaf talks to the doomed node's leaf
        assertEquals(List.of(OFPort.of(3)), outputs(), "learned behind the doomed link");
        sent.clear();
        // Tunnel lost: the view drops the link; the port itself is still on the switch.
        bridge.applyTopology(new BridgeTopology(SELF, Map.of("sn-a", A), Set.of(A, SELF)));
    }

    @Test
    void theSwitchForgetsWhatItLearnedBehindThePortAtOnce() {
        assertTrue(sent.stream().anyMatch(m -> m instanceof OFFlowDelete d && OFPort.of(3).equals(d.getOutPort())),
                "flows toward the port deleted: " + sent);
        assertTrue(sent.stream().anyMatch(m -> m instanceof OFFlowDelete d
                && OFPort.of(3).equals(d.getMatch().get(MatchField.IN_PORT))), "flows from the port deleted: " + sent);
        assertTrue(sent.stream().anyMatch(m -> m instanceof OFFlowDeleteStrict d
                && OFPort.of(3).equals(d.getMatch().get(MatchField.IN_PORT))), "no longer a peer port: " + sent);
        assertFalse(bridge.bridgeOfMac(DEAD_LEAF).isEmpty(), "which node the MAC sits behind is kept");
    }

    @Test
    void unicastTowardAMacBehindItIsFloodedElsewhereNotSentIntoIt() {
        sent.clear();
        bridge.onMessage(packetIn(1, frame(DEAD_LEAF, OUR_LEAF)));
        List<OFPort> out = outputs();
        assertFalse(out.contains(OFPort.of(3)), "nothing into the lost link: " + out);
        assertTrue(out.contains(OFPort.of(2)), "flooded over the link that is left: " + out);
    }

    @Test
    void whatStillComesOutOfItIsNeitherLearnedNorPassedOn() {
        sent.clear();
        long learned = counters.macsLearned.sum();
        bridge.onMessage(packetIn(3, frame(OUR_LEAF, 0x0288_0000_0099L)));
        bridge.onMessage(frbIn(3, FrbCodec.encode(new Frb(FrbType.FLOOD, 0, 2, DEAD, DEAD,
                frame(0xffff_ffff_ffffL, DEAD_LEAF)))));
        assertTrue(sent.stream().noneMatch(m -> m instanceof OFPacketOut), "passed nothing on: " + sent);
        assertEquals(learned, counters.macsLearned.sum());
    }

    private List<OFPort> outputs() {
        return BridgeFrames.outputs(sent);
    }
}
