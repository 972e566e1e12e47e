package org.symphonet.ofcontroller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.symphonet.ofcontroller.BridgeFrames.frame;
import static org.symphonet.ofcontroller.BridgeFrames.frbIn;
import static org.symphonet.ofcontroller.BridgeFrames.macBytes;
import static org.symphonet.ofcontroller.BridgeFrames.packetIn;
import static org.symphonet.ofcontroller.BridgeFrames.port;

import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.types.OFPort;
import org.symphonet.ofcontroller.flood.Frb;
import org.symphonet.ofcontroller.flood.FrbCodec;
import org.symphonet.ofcontroller.flood.FrbType;
import org.symphonet.ofcontroller.metrics.BridgeCounters;
import org.symphonet.ofcontroller.view.BridgeTopology;
import org.symphonet.ofcontroller.view.NodeId;

/**
 * A transit bridge that lost its learned path to a remote leaf (the link it was learned over went
 * away) passes unicast for it on toward the leaf's bridge along the ring instead of dropping it
 * until that bridge's next announcement.
 */
class BridgeRingRouteTest {

    private static final OFFactory F = BridgeFrames.F;
    private static final NodeId ROOT = new NodeId(0, 0x05);
    private static final NodeId A = new NodeId(0, 0x10);
    private static final NodeId B = new NodeId(0, 0x20);
    private static final NodeId SELF = new NodeId(0, 0x30);
    private static final NodeId D = new NodeId(0, 0x40);
    private static final Set<NodeId> MEMBERS = Set.of(ROOT, A, B, SELF, D);
    private static final long ROOT_LEAF = 0x0288_0000_0005L;

    private final List<OFMessage> sent = new ArrayList<>();
    private final BridgeCounters counters = new BridgeCounters();
    private final Bridge bridge = BridgeFrames.bridge(sent, counters);

    @Test
    void unicastWhoseLearnedPathWentAwayGoesOnTowardItsBridge() {
        bridge.tunnelPorts("sn");
        bridge.start(List.of(port(1, "lf0"), port(2, "sn-a"), port(3, "sn-b"), port(4, "sn-d")),
                new BridgeTopology(SELF, Map.of("sn-a", A, "sn-b", B, "sn-d", D), MEMBERS));
        bridge.onMessage(announcement(3)); // the root's leaf, learned over B's link
        bridge.applyTopology(new BridgeTopology(SELF, Map.of("sn-a", A, "sn-d", D), MEMBERS)); // B's link goes
        sent.clear();

        bridge.onMessage(packetIn(4, frame(ROOT_LEAF, 0x0288_0000_0040L))); // D's leaf answers the root's leaf
        assertEquals(List.of(OFPort.of(2)), outputs(), "on toward the root over A, the peer between root and self");
        assertEquals(1, counters.ringRouted.sum());
    }

    @Test
    void aRingRoutedDestinationGetsAFlowSoItsNextFramesStayInTheSwitch() {
        bridge.tunnelPorts("sn");
        bridge.start(List.of(port(1, "lf0"), port(2, "sn-a"), port(3, "sn-b"), port(4, "sn-d")),
                new BridgeTopology(SELF, Map.of("sn-a", A, "sn-b", B, "sn-d", D), MEMBERS));
        bridge.onMessage(announcement(3));
        bridge.applyTopology(new BridgeTopology(SELF, Map.of("sn-a", A, "sn-d", D), MEMBERS)); // B's link goes
        sent.clear();

        bridge.onMessage(packetIn(4, frame(ROOT_LEAF, 0x0288_0000_0040L)));
        assertEquals(List.of(OFPort.of(2)), destinationFlows(), "a flow toward A, the ring hop");
        assertTrue(sent.indexOf(sent.stream().filter(m -> m instanceof OFFlowAdd).findFirst().orElseThrow())
                < sent.indexOf(sent.stream().filter(m -> m instanceof OFPacketOut).findFirst().orElseThrow()),
                "the flow goes in ahead of the frame, so no later frame overtakes it");

        sent.clear();
        bridge.onMessage(packetIn(4, frame(ROOT_LEAF, 0x0288_0000_0040L))); // one more raced the flow in
        assertEquals(List.of(), destinationFlows(), "installed once");
        assertEquals(2, counters.ringRouted.sum());
    }

    @Test
    void theLearnedWayReplacesTheRingFlowAndALostHopTakesItsFlowAlong() {
        bridge.tunnelPorts("sn");
        bridge.start(List.of(port(1, "lf0"), port(2, "sn-a"), port(4, "sn-d"), port(5, "sn-r")),
                new BridgeTopology(SELF, Map.of("sn-a", A, "sn-d", D), MEMBERS));
        bridge.onMessage(frbIn(2, FrbCodec.encode(new Frb(FrbType.FLOOD, 0, 7, ROOT, ROOT,
                frame(0xffff_ffff_ffffL, ROOT_LEAF))))); // which bridge the leaf is behind, learned over A
        bridge.applyTopology(new BridgeTopology(SELF, Map.of("sn-d", D), MEMBERS)); // A's link goes: its way too
        bridge.applyTopology(new BridgeTopology(SELF, Map.of("sn-a", A, "sn-d", D), MEMBERS)); // and comes back
        bridge.onMessage(packetIn(1, frame(ROOT_LEAF, 0x0288_0000_0030L)));
        assertEquals(1, counters.ringRouted.sum());

        sent.clear();
        bridge.applyTopology(new BridgeTopology(SELF, Map.of("sn-a", A, "sn-d", D, "sn-r", ROOT), MEMBERS));
        bridge.onMessage(announcement(5)); // the root's own announcement over a direct link
        assertEquals(List.of(OFPort.of(5)), destinationFlows(), "the learned way replaces the ring hop's flow");

        sent.clear();
        bridge.applyTopology(new BridgeTopology(SELF, Map.of("sn-d", D), MEMBERS)); // both links go
        bridge.onMessage(packetIn(1, frame(ROOT_LEAF, 0x0288_0000_0030L)));
        assertEquals(List.of(), destinationFlows(), "no peer between the root and us: no hop, no flow");
    }

    /** Output ports of the forwarding flows sent (a destination flow each). */
    private List<OFPort> destinationFlows() {
        List<OFPort> out = new ArrayList<>();
        for (OFMessage m : sent) {
            if (m instanceof OFFlowAdd fa && fa.getTableId().equals(org.symphonet.ofcontroller.pipeline.Pipeline.FORWARD)) {
                fa.getInstructions().forEach(i -> {
                    if (i instanceof OFInstructionApplyActions aa) {
                        aa.getActions().forEach(a -> out.add(((OFActionOutput) a).getPort()));
                    }
                });
            }
        }
        return out;
    }

    @Test
    void unicastForAnUnknownBridgeOnlyReachesLocalLeaves() {
        bridge.tunnelPorts("sn");
        bridge.start(List.of(port(1, "lf0"), port(2, "sn-a"), port(4, "sn-d")),
                new BridgeTopology(SELF, Map.of("sn-a", A, "sn-d", D), MEMBERS));
        sent.clear();
        bridge.onMessage(packetIn(4, frame(ROOT_LEAF, 0x0288_0000_0040L)));
        assertEquals(List.of(OFPort.of(1)), outputs());
        assertEquals(0, counters.ringRouted.sum());
    }

    private List<OFPort> outputs() {
        List<OFPort> out = new ArrayList<>();
        for (OFMessage m : sent) {
            if (m instanceof OFPacketOut po) {
                po.getActions().forEach(a -> out.add(((OFActionOutput) a).getPort()));
            }
        }
        assertTrue(!out.isEmpty(), "nothing sent: " + sent);
        return out;
    }

    private static OFPacketIn announcement(int inPort) {
        return frbIn(inPort, FrbCodec.encode(new Frb(FrbType.LEAF_ANNOUNCEMENT, 0, 1, ROOT, ROOT, macBytes(ROOT_LEAF))));
    }
}
