package org.symphonet.ofcontroller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.symphonet.ofcontroller.BridgeFrames.F;
import static org.symphonet.ofcontroller.BridgeFrames.frame;
import static org.symphonet.ofcontroller.BridgeFrames.frbIn;
import static org.symphonet.ofcontroller.BridgeFrames.macBytes;
import static org.symphonet.ofcontroller.BridgeFrames.packetIn;
import static org.symphonet.ofcontroller.BridgeFrames.port;
import static org.symphonet.ofcontroller.learning.ArpFrameTest.requestFrame;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.OFPort;
import org.symphonet.ofcontroller.flood.Frb;
import org.symphonet.ofcontroller.flood.FrbCodec;
import org.symphonet.ofcontroller.flood.FrbType;
import org.symphonet.ofcontroller.learning.ArpFrame;
import org.symphonet.ofcontroller.metrics.BridgeCounters;
import org.symphonet.ofcontroller.pipeline.Pipeline;
import org.symphonet.ofcontroller.view.BridgeTopology;
import org.symphonet.ofcontroller.view.NodeId;

/**
 * A new link's far end often names the link before this bridge's view does (its link-up, port and
 * view update come first). Its FRBs are taken meanwhile (issue 16: dropping them lost whole slices
 * of broadcasts during formation), handed on within their bound, but teach no way to a MAC over
 * the not-yet-peer port; nor over a port that was a peer and left the view, whose FRBs are still
 * taken until the port is deleted (the far end sends them until it hears of the close). Unicast toward a
 * remote leaf whose learned way is gone goes one hop along the ring instead of being flooded.
 */
class BridgePendingTunnelTest {

    private static final NodeId A = new NodeId(0, 0x10);
    private static final NodeId B = new NodeId(0, 0x20);
    private static final NodeId C = new NodeId(0, 0x28);
    private static final NodeId SELF = new NodeId(0, 0x30);
    private static final Set<NodeId> MEMBERS = Set.of(A, B, C, SELF);
    private static final long B_LEAF = 0x0288_0000_0020L;
    private static final long OUR_LEAF = 0x0288_0000_0030L;

    private final List<OFMessage> sent = new ArrayList<>();
    private final BridgeCounters counters = new BridgeCounters();
    private final Bridge bridge = BridgeFrames.bridge(sent, counters);
    private int seq;

    @BeforeEach
    void linkedToAWhileBsTunnelPortAppears() {
        bridge.tunnelPorts("sn");
        bridge.start(List.of(port(1, "lf0"), port(2, "sn-a")), new BridgeTopology(SELF, Map.of("sn-a", A), MEMBERS));
        sent.clear();
        bridge.onMessage(F.buildPortStatus().setReason(OFPortReason.ADD).setDesc(port(3, "sn-b")).build());
    }

    @Test
    void theSwitchHandsUsFrbsFromThePendingPort() {
        assertTrue(sent.stream().anyMatch(m -> m instanceof OFFlowAdd fa && fa.getTableId().equals(Pipeline.CLASSIFY)
                && OFPort.of(3).equals(fa.getMatch().get(MatchField.IN_PORT))
                && EthType.of(FrbCodec.ETHERTYPE).equals(fa.getMatch().get(MatchField.ETH_TYPE))
                && toController(fa)), "FRBs from the pending port go to the controller: " + sent);
    }

    @Test
    void frbsFromLeavesDieInTheSwitchAndFromAPortNotYetSeenTheyReachUs() {
        Bridge fresh = BridgeFrames.bridge(sent, counters);
        fresh.tunnelPorts("sn");
        sent.clear();
        fresh.start(List.of(port(1, "lf0"), port(2, "sn-a")), new BridgeTopology(SELF, Map.of("sn-a", A), MEMBERS));
        assertTrue(sent.stream().anyMatch(m -> m instanceof OFFlowAdd fa && fa.getTableId().equals(Pipeline.CLASSIFY)
                && fa.getMatch().get(MatchField.IN_PORT) == null && frbMatch(fa) && toController(fa)),
                "FRBs from a port the controller has not classified yet come to it: " + sent);
        assertTrue(sent.stream().anyMatch(m -> m instanceof OFFlowAdd fa && OFPort.of(1).equals(fa.getMatch().get(MatchField.IN_PORT))
                && frbMatch(fa) && fa.getInstructions().isEmpty()), "dropped from the leaf: " + sent);
        assertTrue(sent.stream().noneMatch(m -> m instanceof OFFlowAdd fa && OFPort.of(2).equals(fa.getMatch().get(MatchField.IN_PORT))
                && frbMatch(fa) && fa.getInstructions().isEmpty()), "never from the tunnel port: " + sent);
        sent.clear();
        fresh.onMessage(F.buildPortStatus().setReason(OFPortReason.DELETE).setDesc(port(1, "lf0")).build());
        assertTrue(sent.stream().anyMatch(m -> m instanceof org.projectfloodlight.openflow.protocol.OFFlowDeleteStrict d
                && OFPort.of(1).equals(d.getMatch().get(MatchField.IN_PORT)) && d.getMatch().get(MatchField.ETH_TYPE) != null),
                "the leaf's drop goes with it: " + sent);
    }

    private static boolean frbMatch(OFFlowAdd fa) {
        return EthType.of(FrbCodec.ETHERTYPE).equals(fa.getMatch().get(MatchField.ETH_TYPE));
    }

    @Test
    void aFloodOverThePendingPortIsDeliveredAndHandedOnWithinItsBound() {
        sent.clear();
        // B's only peer is us: we cover [self, B), which holds A.
        bridge.onMessage(floodFromB(3, frame(0xffff_ffff_ffffL, B_LEAF)));
        assertEquals(1, counters.frbFromPendingPort.sum());
        assertEquals(1, counters.frbDelivered.sum());
        assertEquals(0, counters.frbMalformed.sum());
        List<OFPort> out = outputs();
        assertTrue(out.contains(OFPort.of(1)), "delivered to our leaf: " + out);
        assertTrue(out.contains(OFPort.of(2)), "handed on to A: " + out);
        assertTrue(!out.contains(OFPort.of(3)), "nothing back: " + out);
        Frb toA = FrbCodec.decode(packetOutTo(2).getData()).frb();
        assertEquals(B, toA.boundEnd(), "A covers the rest up to B");
        assertEquals(B, toA.root());
        assertNothingLearnedOnPort3();
        assertEquals(B, bridge.bridgeOfMac(B_LEAF).orElseThrow(), "which bridge the MAC sits behind is known");
        assertEquals(List.of("lf0"), bridge.status().leafPorts(), "still no leaf port");
    }

    @Test
    void anAnnouncementOverThePendingPortTeachesTheBridgeNotTheWay() {
        sent.clear();
        bridge.onMessage(frbIn(3, FrbCodec.encode(new Frb(FrbType.LEAF_ANNOUNCEMENT, 0, ++seq, B, B, macBytes(B_LEAF)))));
        assertNothingLearnedOnPort3();
        assertEquals(B, bridge.bridgeOfMac(B_LEAF).orElseThrow());
    }

    @Test
    void aPortDroppedFromTheViewStillTakesFloodsUntilItIsDeletedButTeachesNoWay() {
        bridge.applyTopology(new BridgeTopology(SELF, Map.of("sn-a", A, "sn-b", B), MEMBERS));
        sent.clear();
        // Closed here (a shortcut no longer wanted): B has not heard yet and still hands us its slice.
        bridge.applyTopology(new BridgeTopology(SELF, Map.of("sn-a", A), MEMBERS));
        assertTrue(sent.stream().noneMatch(m -> m instanceof org.projectfloodlight.openflow.protocol.OFFlowDeleteStrict d
                && d.getTableId().equals(Pipeline.CLASSIFY) && OFPort.of(3).equals(d.getMatch().get(MatchField.IN_PORT))
                && d.getMatch().get(MatchField.ETH_TYPE) != null), "its FRB flow stays: " + sent);
        assertTrue(sent.stream().anyMatch(m -> m instanceof org.projectfloodlight.openflow.protocol.OFFlowDeleteStrict d
                && OFPort.of(3).equals(d.getMatch().get(MatchField.IN_PORT)) && d.getMatch().get(MatchField.ETH_TYPE) == null),
                "its plain frames are no peer traffic any more: " + sent);
        sent.clear();
        bridge.onMessage(floodFromB(3, frame(0xffff_ffff_ffffL, B_LEAF)));
        assertEquals(1, counters.frbFromPendingPort.sum());
        assertEquals(0, counters.frbOffPeer.sum());
        List<OFPort> out = outputs();
        assertTrue(out.contains(OFPort.of(1)) && out.contains(OFPort.of(2)), "delivered and handed on: " + out);
        assertTrue(!out.contains(OFPort.of(3)), "nothing into it: " + out);
        assertNothingLearnedOnPort3();
        bridge.applyTopology(new BridgeTopology(SELF, Map.of("sn-a", A), MEMBERS)); // any later view change
        assertTrue(sent.stream().noneMatch(m -> m instanceof OFFlowAdd fa
                && OFPort.of(3).equals(fa.getMatch().get(MatchField.IN_PORT))), "no flow-mod again: " + sent);

        // Its teardown deletes the port: nothing is taken from that number until a port comes back.
        sent.clear();
        bridge.onMessage(F.buildPortStatus().setReason(OFPortReason.DELETE).setDesc(port(3, "sn-b")).build());
        assertTrue(sent.stream().anyMatch(m -> m instanceof org.projectfloodlight.openflow.protocol.OFFlowDeleteStrict d
                && OFPort.of(3).equals(d.getMatch().get(MatchField.IN_PORT)) && d.getMatch().get(MatchField.ETH_TYPE) != null),
                "its FRB flow goes with the port: " + sent);
        bridge.onMessage(floodFromB(3, frame(0xffff_ffff_ffffL, B_LEAF)));
        assertEquals(1, counters.frbOffPeer.sum());
    }

    @Test
    void aLeafsUnicastTowardAKnownBridgeWithoutALearnedWayGoesAlongTheRingNotFlooded() {
        linkAlsoToC();
        bridge.onMessage(floodFromB(3, frame(0xffff_ffff_ffffL, B_LEAF))); // B's leaf known, no way learned
        sent.clear();
        bridge.onMessage(packetIn(1, frame(B_LEAF, OUR_LEAF)));
        assertEquals(List.of(OFPort.of(4)), outputs(), "one hop toward B: C lies between B and us");
        assertEquals(1, counters.ringRouted.sum());
        assertEquals(0, counters.floodsOriginated.sum());
    }

    @Test
    void anArpRequestForSuchALeafIsAnsweredHere() {
        linkAlsoToC();
        int bIp = 0x0a58_0020;
        bridge.onMessage(floodFromB(3, requestFrame(B_LEAF, bIp, 0x0a58_0099))); // B's leaf asked someone
        sent.clear();
        bridge.onMessage(packetIn(1, requestFrame(OUR_LEAF, 0x0a58_0030, bIp)));
        assertEquals(1, counters.arpAnswered.sum());
        assertEquals(0, counters.floodsOriginated.sum());
        assertEquals(List.of(OFPort.of(1)), outputs(), "the reply, to our leaf only");
        assertEquals(ArpFrame.parse(packetOutTo(1).getData()).orElseThrow().senderMac(), B_LEAF);
    }

    /** A peer C (port 4) between B and us: the ring's way toward B. */
    private void linkAlsoToC() {
        bridge.onMessage(F.buildPortStatus().setReason(OFPortReason.ADD).setDesc(port(4, "sn-c")).build());
        bridge.applyTopology(new BridgeTopology(SELF, Map.of("sn-a", A, "sn-c", C), MEMBERS));
    }

    private OFMessage floodFromB(int inPort, byte[] inner) {
        return frbIn(inPort, FrbCodec.encode(new Frb(FrbType.FLOOD, 0, ++seq, B, B, inner)));
    }

    private void assertNothingLearnedOnPort3() {
        for (OFMessage m : sent) {
            if (m instanceof OFFlowAdd fa && !fa.getTableId().equals(Pipeline.CLASSIFY)) {
                assertTrue(!OFPort.of(3).equals(fa.getMatch().get(MatchField.IN_PORT)), "learned from port 3: " + fa);
                assertTrue(fa.getInstructions().stream().noneMatch(i -> i instanceof OFInstructionApplyActions aa
                        && aa.getActions().stream().anyMatch(a -> ((OFActionOutput) a).getPort().equals(OFPort.of(3)))),
                        "a way over port 3: " + fa);
            }
        }
    }

    private static boolean toController(OFFlowAdd fa) {
        return fa.getInstructions().stream().anyMatch(i -> i instanceof OFInstructionApplyActions aa
                && aa.getActions().stream().anyMatch(a -> ((OFActionOutput) a).getPort().equals(OFPort.CONTROLLER)));
    }

    private OFPacketOut packetOutTo(int port) {
        return sent.stream().filter(m -> m instanceof OFPacketOut po && po.getActions().stream()
                .anyMatch(a -> ((OFActionOutput) a).getPort().equals(OFPort.of(port))))
                .map(m -> (OFPacketOut) m).findFirst().orElseThrow(() -> new AssertionError("nothing to port " + port + ": " + sent));
    }

    private List<OFPort> outputs() {
        return BridgeFrames.outputs(sent);
    }
}
