package org.symphonet.ofcontroller;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
import org.symphonet.ofcontroller.flood.Frb;
import org.symphonet.ofcontroller.flood.FrbCodec;
import org.symphonet.ofcontroller.flood.FrbType;
import org.symphonet.ofcontroller.learning.ArpFrame;
import org.symphonet.ofcontroller.metrics.BridgeCounters;
import org.symphonet.ofcontroller.view.BridgeTopology;
import org.symphonet.ofcontroller.view.NodeId;

/**
 * Leaf addresses travel with leaf announcements: a bridge answers ARP for a remote leaf it was told
 * about, without ever having seen that leaf's own ARP request flooded.
 */
class BridgeLeafAddressesTest {

    private static final NodeId A = new NodeId(0, 0x10);
    private static final NodeId SELF = new NodeId(0, 0x30);
    private static final long LOCAL_MAC = 0x0288_0000_0030L;
    private static final int LOCAL_IP = 0x0a58_0030;
    private static final long REMOTE_MAC = 0x0288_0000_0010L;
    private static final int REMOTE_IP = 0x0a58_0010;

    private final List<OFMessage> sent = new ArrayList<>();
    private final List<Runnable> scheduled = new ArrayList<>();
    private final BridgeCounters counters = new BridgeCounters();
    private final Bridge bridge = BridgeFrames.bridge(sent, counters, scheduled);
    private int seq;

    @BeforeEach
    void aBridgeWithOneLeafAndOnePeer() {
        bridge.tunnelPorts("sn");
        bridge.start(List.of(port(1, "lf0"), port(2, "sn-a")),
                new BridgeTopology(SELF, Map.of("sn-a", A), Set.of(A, SELF)));
    }

    @Test
    void aRemoteLeafsAnnouncedAddressIsAnsweredHereWithoutAFlood() {
        bridge.onMessage(fromA(FrbType.LEAF_ANNOUNCEMENT, BridgeFrames.macBytes(REMOTE_MAC)));
        bridge.onMessage(fromA(FrbType.LEAF_ADDRESSES, entry(REMOTE_MAC, REMOTE_IP)));
        sent.clear();

        bridge.onMessage(packetIn(1, requestFrame(LOCAL_MAC, LOCAL_IP, REMOTE_IP)));

        List<OFPacketOut> outs = packetOuts(sent);
        assertEquals(1, outs.size(), "one reply, no flood: " + sent);
        assertArrayEquals(new ArpFrame(ArpFrame.REQUEST, LOCAL_MAC, LOCAL_IP, 0, REMOTE_IP).replyFrom(REMOTE_MAC),
                outs.get(0).getData());
        assertEquals(1, counters.arpAnswered.sum());
        assertEquals(0, counters.floodsOriginated.sum());
        assertEquals(0, counters.frbDelivered.sum(), "addresses are not a frame for the leaves");
    }

    @Test
    void withoutTheAddressesTheRequestIsFloodedAsBefore() {
        bridge.onMessage(fromA(FrbType.LEAF_ANNOUNCEMENT, BridgeFrames.macBytes(REMOTE_MAC)));
        bridge.onMessage(packetIn(1, requestFrame(LOCAL_MAC, LOCAL_IP, REMOTE_IP)));
        assertEquals(0, counters.arpAnswered.sum());
        assertEquals(1, counters.floodsOriginated.sum());
    }

    @Test
    void aLocalLeafsAddressGoesOutWithTheAnnouncementSoonAfterItsFirstArp() {
        bridge.onMessage(packetIn(1, requestFrame(LOCAL_MAC, LOCAL_IP, REMOTE_IP)));
        sent.clear();
        runScheduled();

        List<Frb> toA = frbsSent();
        assertTrue(toA.stream().anyMatch(f -> f.type() == FrbType.LEAF_ANNOUNCEMENT), "announcement: " + toA);
        Frb addresses = toA.stream().filter(f -> f.type() == FrbType.LEAF_ADDRESSES).findFirst().orElseThrow();
        assertArrayEquals(entry(LOCAL_MAC, LOCAL_IP), addresses.payload());
        assertEquals(SELF, addresses.root());
    }

    @Test
    void remoteLeavesAddressesAreNeverAnnouncedAsOurs() {
        bridge.onMessage(fromA(FrbType.LEAF_ANNOUNCEMENT, BridgeFrames.macBytes(REMOTE_MAC)));
        bridge.onMessage(fromA(FrbType.FLOOD, requestFrame(REMOTE_MAC, REMOTE_IP, LOCAL_IP))); // seen in a flood
        bridge.onMessage(packetIn(1, requestFrame(LOCAL_MAC, LOCAL_IP, 0x0a58_0099)));
        sent.clear();
        runScheduled();

        Frb addresses = frbsSent().stream().filter(f -> f.type() == FrbType.LEAF_ADDRESSES).findFirst().orElseThrow();
        assertArrayEquals(entry(LOCAL_MAC, LOCAL_IP), addresses.payload(), "only the local leaf's");
    }

    @Test
    void anAnnouncedAddressDoesNotOverrideWhatALocalLeafSaidItself() {
        bridge.onMessage(packetIn(1, requestFrame(LOCAL_MAC, LOCAL_IP, 0x0a58_0099)));
        bridge.onMessage(fromA(FrbType.LEAF_ANNOUNCEMENT, BridgeFrames.macBytes(REMOTE_MAC)));
        bridge.onMessage(fromA(FrbType.LEAF_ADDRESSES, entry(REMOTE_MAC, LOCAL_IP))); // a conflict, or stale
        sent.clear();
        for (int i = 0; i < 30; i++) {
            bridge.onTick(); // up to the periodic announcement
        }

        Frb addresses = frbsSent().stream().filter(f -> f.type() == FrbType.LEAF_ADDRESSES).findFirst().orElseThrow();
        assertArrayEquals(entry(LOCAL_MAC, LOCAL_IP), addresses.payload());
    }

    @Test
    void malformedAddressesAreDroppedByTheCodec() {
        byte[] frame = FrbCodec.encode(new Frb(FrbType.LEAF_ADDRESSES, 0, 1, A, A, new byte[9]));
        assertEquals(FrbCodec.Problem.BAD_PAYLOAD, FrbCodec.decode(frame).problem());
    }

    static byte[] entry(long mac, int ip) {
        byte[] e = new byte[FrbCodec.ADDRESS_ENTRY];
        System.arraycopy(BridgeFrames.macBytes(mac), 0, e, 0, 6);
        e[6] = (byte) (ip >>> 24);
        e[7] = (byte) (ip >>> 16);
        e[8] = (byte) (ip >>> 8);
        e[9] = (byte) ip;
        return e;
    }

    private OFMessage fromA(FrbType type, byte[] payload) {
        return frbIn(2, FrbCodec.encode(new Frb(type, 0, ++seq, A, A, payload)));
    }

    private void runScheduled() {
        List<Runnable> now = new ArrayList<>(scheduled);
        scheduled.clear();
        now.forEach(Runnable::run);
    }

    private List<Frb> frbsSent() {
        List<Frb> out = new ArrayList<>();
        for (OFPacketOut po : packetOuts(sent)) {
            FrbCodec.Result r = FrbCodec.decode(po.getData());
            if (r.ok()) {
                out.add(r.frb());
            }
        }
        return out;
    }

    private static List<OFPacketOut> packetOuts(List<OFMessage> sent) {
        List<OFPacketOut> out = new ArrayList<>();
        for (OFMessage m : sent) {
            if (m instanceof OFPacketOut po) {
                out.add(po);
            }
        }
        return out;
    }
}
