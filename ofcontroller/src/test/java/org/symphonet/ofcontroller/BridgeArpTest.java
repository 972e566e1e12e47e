package org.symphonet.ofcontroller;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.symphonet.ofcontroller.BridgeFrames.frbIn;
import static org.symphonet.ofcontroller.BridgeFrames.packetIn;
import static org.symphonet.ofcontroller.BridgeFrames.port;
import static org.symphonet.ofcontroller.learning.ArpFrameTest.requestFrame;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.types.OFPort;
import org.symphonet.ofcontroller.flood.Frb;
import org.symphonet.ofcontroller.flood.FrbCodec;
import org.symphonet.ofcontroller.flood.FrbType;
import org.symphonet.ofcontroller.learning.ArpFrame;
import org.symphonet.ofcontroller.metrics.BridgeCounters;
import org.symphonet.ofcontroller.view.BridgeTopology;
import org.symphonet.ofcontroller.view.NodeId;

/**
 * ARP suppression: a leaf's broadcast ARP request for a remote leaf whose address the bridge saw in
 * a flood is answered by the bridge itself; everything else about ARP takes the normal way.
 */
class BridgeArpTest {

    private static final NodeId A = new NodeId(0, 0x10);
    private static final NodeId SELF = new NodeId(0, 0x30);
    private static final long LOCAL_MAC = 0x0288_0000_0030L;
    private static final int LOCAL_IP = 0x0a58_0030;
    private static final long OTHER_LOCAL_MAC = 0x0288_0000_0031L;
    private static final int OTHER_LOCAL_IP = 0x0a58_0031;
    private static final long REMOTE_MAC = 0x0288_0000_0010L;
    private static final int REMOTE_IP = 0x0a58_0010;

    private final List<OFMessage> sent = new ArrayList<>();
    private final BridgeCounters counters = new BridgeCounters();
    private final Bridge bridge = BridgeFrames.bridge(sent, counters);
    private int seq;

    @BeforeEach
    void aBridgeWithTwoLeavesAndOnePeer() {
        bridge.tunnelPorts("sn");
        bridge.start(List.of(port(1, "lf0"), port(3, "lf1"), port(2, "sn-a")),
                new BridgeTopology(SELF, Map.of("sn-a", A), Set.of(A, SELF)));
    }

    @Test
    void aRequestForARemoteLeafSeenInAFloodIsAnsweredHere() {
        bridge.onMessage(floodFromA(requestFrame(REMOTE_MAC, REMOTE_IP, 0x0a58_0099))); // A's leaf asked someone
        sent.clear();

        bridge.onMessage(packetIn(1, requestFrame(LOCAL_MAC, LOCAL_IP, REMOTE_IP)));

        List<OFPacketOut> outs = packetOuts();
        assertEquals(1, outs.size(), "one reply, no flood: " + sent);
        assertEquals(List.of(OFPort.of(1)), outputs(outs.get(0)), "back to the asking leaf only");
        assertArrayEquals(new ArpFrame(ArpFrame.REQUEST, LOCAL_MAC, LOCAL_IP, 0, REMOTE_IP).replyFrom(REMOTE_MAC),
                outs.get(0).getData());
        assertEquals(1, counters.arpAnswered.sum());
        assertEquals(0, counters.floodsOriginated.sum());
    }

    @Test
    void aRequestForAnUnknownAddressIsFlooded() {
        bridge.onMessage(packetIn(1, requestFrame(LOCAL_MAC, LOCAL_IP, REMOTE_IP)));
        assertEquals(1, counters.floodsOriginated.sum());
        assertEquals(0, counters.arpAnswered.sum());
    }

    @Test
    void aRequestForALocalLeafTakesTheNormalWay() {
        bridge.onMessage(packetIn(3, requestFrame(OTHER_LOCAL_MAC, OTHER_LOCAL_IP, 0x0a58_0099))); // its address is seen
        bridge.onMessage(packetIn(1, requestFrame(LOCAL_MAC, LOCAL_IP, OTHER_LOCAL_IP)));
        assertEquals(0, counters.arpAnswered.sum(), "the local leaf answers itself");
        assertEquals(2, counters.floodsOriginated.sum());
    }

    @Test
    void addressProbesAndGratuitousArpAreNeverAnswered() {
        bridge.onMessage(floodFromA(requestFrame(REMOTE_MAC, REMOTE_IP, 0x0a58_0099)));
        bridge.onMessage(packetIn(1, requestFrame(LOCAL_MAC, 0, REMOTE_IP))); // duplicate address detection
        bridge.onMessage(packetIn(1, requestFrame(LOCAL_MAC, REMOTE_IP, REMOTE_IP))); // an address conflict announced
        assertEquals(0, counters.arpAnswered.sum());
        assertEquals(2, counters.floodsOriginated.sum());
    }

    @Test
    void noAnswerOnceThePathToTheRemoteLeafIsGone() {
        bridge.onMessage(floodFromA(requestFrame(REMOTE_MAC, REMOTE_IP, 0x0a58_0099)));
        bridge.applyTopology(new BridgeTopology(SELF, Map.of(), Set.of(A, SELF))); // the link to A went
        bridge.onMessage(packetIn(1, requestFrame(LOCAL_MAC, LOCAL_IP, REMOTE_IP)));
        assertEquals(0, counters.arpAnswered.sum());
    }

    private OFMessage floodFromA(byte[] inner) {
        return frbIn(2, FrbCodec.encode(new Frb(FrbType.FLOOD, 0, ++seq, A, A, inner)));
    }

    private List<OFPacketOut> packetOuts() {
        List<OFPacketOut> out = new ArrayList<>();
        for (OFMessage m : sent) {
            if (m instanceof OFPacketOut po) {
                out.add(po);
            }
        }
        return out;
    }

    private static List<OFPort> outputs(OFPacketOut po) {
        List<OFPort> out = new ArrayList<>();
        po.getActions().forEach(a -> out.add(((OFActionOutput) a).getPort()));
        return out;
    }
}
