package org.symphonet.ofcontroller;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.symphonet.ofcontroller.BridgeFrames.F;
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
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowDelete;
import org.projectfloodlight.openflow.protocol.OFFlowDeleteStrict;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.ArpOpcode;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;
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
        bridge.onMessage(announcementFromA(entry(REMOTE_MAC, REMOTE_IP)));
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
        bridge.onMessage(announcementFromA(new byte[0]));
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
        assertEquals(1, toA.size(), "one announcement, the addresses in it: " + toA);
        assertEquals(FrbType.LEAF_ANNOUNCEMENT, toA.get(0).type());
        assertArrayEquals(BridgeFrames.macBytes(LOCAL_MAC), toA.get(0).payload());
        assertArrayEquals(entry(LOCAL_MAC, LOCAL_IP), toA.get(0).addresses());
        assertEquals(SELF, toA.get(0).root());
    }

    @Test
    void remoteLeavesAddressesAreNeverAnnouncedAsOurs() {
        bridge.onMessage(announcementFromA(new byte[0]));
        bridge.onMessage(fromA(FrbType.FLOOD, requestFrame(REMOTE_MAC, REMOTE_IP, LOCAL_IP))); // seen in a flood
        bridge.onMessage(packetIn(1, requestFrame(LOCAL_MAC, LOCAL_IP, 0x0a58_0099)));
        sent.clear();
        runScheduled();

        Frb announcement = frbsSent().stream().filter(f -> f.type() == FrbType.LEAF_ANNOUNCEMENT).findFirst().orElseThrow();
        assertArrayEquals(entry(LOCAL_MAC, LOCAL_IP), announcement.addresses(), "only the local leaf's");
    }

    @Test
    void anAnnouncedAddressDoesNotOverrideWhatALocalLeafSaidItself() {
        bridge.onMessage(packetIn(1, requestFrame(LOCAL_MAC, LOCAL_IP, 0x0a58_0099)));
        bridge.onMessage(announcementFromA(entry(REMOTE_MAC, LOCAL_IP))); // a conflict, or stale
        sent.clear();
        for (int i = 0; i < 30; i++) {
            bridge.onTick(); // up to the periodic announcement
        }

        Frb announcement = frbsSent().stream().filter(f -> f.type() == FrbType.LEAF_ANNOUNCEMENT).findFirst().orElseThrow();
        assertArrayEquals(entry(LOCAL_MAC, LOCAL_IP), announcement.addresses());
    }

    @Test
    void anUnansweredRequestIsFloodedOnceWithinTheHoldAndStillReachesLocalLeaves() {
        Bridge twoLeaves = BridgeFrames.bridge(sent, counters, scheduled);
        twoLeaves.tunnelPorts("sn");
        twoLeaves.start(List.of(port(1, "lf0"), port(3, "lf1"), port(2, "sn-a")),
                new BridgeTopology(SELF, Map.of("sn-a", A), Set.of(A, SELF)));
        for (int i = 0; i < 3; i++) { // a Linux leaf asks once a second
            sent.clear();
            twoLeaves.onMessage(packetIn(1, requestFrame(LOCAL_MAC, LOCAL_IP, REMOTE_IP)));
            assertTrue(BridgeFrames.outputs(sent).contains(OFPort.of(3)), "the other local leaf gets it each time: " + sent);
        }
        assertEquals(1, counters.floodsOriginated.sum(), "one flood to the other bridges");
        assertEquals(2, counters.arpFloodsHeld.sum());
        twoLeaves.onMessage(packetIn(1, requestFrame(LOCAL_MAC, LOCAL_IP, 0x0a58_0099)));
        assertEquals(2, counters.floodsOriginated.sum(), "another address is asked for at once");
    }

    @Test
    void aRequestOnceHeldIsAnsweredAsSoonAsTheAddressIsAnnounced() {
        bridge.onMessage(packetIn(1, requestFrame(LOCAL_MAC, LOCAL_IP, REMOTE_IP)));
        bridge.onMessage(packetIn(1, requestFrame(LOCAL_MAC, LOCAL_IP, REMOTE_IP)));
        assertEquals(1, counters.arpFloodsHeld.sum());
        bridge.onMessage(announcementFromA(entry(REMOTE_MAC, REMOTE_IP)));
        bridge.onMessage(packetIn(1, requestFrame(LOCAL_MAC, LOCAL_IP, REMOTE_IP)));
        assertEquals(1, counters.arpAnswered.sum());
        assertEquals(1, counters.arpFloodsHeld.sum());
    }

    @Test
    void aFloodedRequestLeavesAHoldFlowSoTheLeafsRepeatsStayInTheSwitch() {
        sent.clear();
        bridge.onMessage(packetIn(1, requestFrame(LOCAL_MAC, LOCAL_IP, REMOTE_IP)));

        OFFlowAdd hold = holdFlows(sent).get(0);
        assertEquals(1, holdFlows(sent).size());
        assertEquals(IPv4Address.of(REMOTE_IP), hold.getMatch().get(MatchField.ARP_TPA));
        assertEquals(ArpOpcode.REQUEST, hold.getMatch().get(MatchField.ARP_OP));
        assertEquals(MacAddress.BROADCAST, hold.getMatch().get(MatchField.ETH_DST));
        assertEquals(5, hold.getHardTimeout());
        assertEquals(List.of(OFPort.of(1)), flowOutputs(hold), "to the local leaves only (never back out of the ingress)");
        assertTrue(sent.indexOf(hold) < sent.indexOf(packetOuts(sent).get(0)), "in before the flood goes out: " + sent);
        assertEquals(1, counters.floodsOriginated.sum());
        assertEquals(1, counters.arpHoldFlows.sum());
    }

    @Test
    void theHoldFlowIsTakenBackWhenTheAddressBecomesAnswerableHere() {
        bridge.onMessage(packetIn(1, requestFrame(LOCAL_MAC, LOCAL_IP, REMOTE_IP)));
        bridge.onMessage(announcementFromA(entry(0x0288_0000_0011L, 0x0a58_0011))); // another address
        assertTrue(releases(sent).isEmpty(), "still unanswerable: " + sent);
        sent.clear();

        bridge.onMessage(announcementFromA(entry(REMOTE_MAC, REMOTE_IP)));

        List<OFFlowDeleteStrict> released = releases(sent);
        assertEquals(1, released.size(), "taken back: " + sent);
        assertEquals(IPv4Address.of(REMOTE_IP), released.get(0).getMatch().get(MatchField.ARP_TPA));
        sent.clear();
        bridge.onMessage(packetIn(1, requestFrame(LOCAL_MAC, LOCAL_IP, REMOTE_IP)));
        assertEquals(1, counters.arpAnswered.sum(), "the leaf's next request reaches us and is answered");
        bridge.onTick();
        assertTrue(releases(sent).isEmpty(), "once: " + sent);
    }

    @Test
    void holdFlowsGoWhenTheLeafPortsChange() {
        bridge.onMessage(packetIn(1, requestFrame(LOCAL_MAC, LOCAL_IP, REMOTE_IP)));
        sent.clear();
        bridge.onMessage(F.buildPortStatus().setReason(OFPortReason.ADD).setDesc(port(3, "lf1")).build());
        assertTrue(sent.stream().anyMatch(m -> m instanceof OFFlowDelete d && d.getTableId().equals(Pipeline.FORWARD)
                && EthType.ARP.equals(d.getMatch().get(MatchField.ETH_TYPE))), "their outputs are stale: " + sent);
    }

    @Test
    void probesAndGratuitousRequestsAreNeverHeld() {
        for (int i = 0; i < 2; i++) {
            bridge.onMessage(packetIn(1, requestFrame(LOCAL_MAC, 0, REMOTE_IP))); // duplicate address detection
            bridge.onMessage(packetIn(1, requestFrame(LOCAL_MAC, LOCAL_IP, LOCAL_IP))); // gratuitous
        }
        assertEquals(0, counters.arpFloodsHeld.sum());
        assertEquals(4, counters.floodsOriginated.sum());
    }

    @Test
    void aFloodAskingForOurLeafsAddressBringsOurAnnouncementForwardOncePerPeriod() {
        bridge.onMessage(packetIn(1, requestFrame(LOCAL_MAC, LOCAL_IP, 0x0a58_0099))); // our leaf's address
        bridge.onTick();
        runScheduled();
        sent.clear();

        bridge.onMessage(fromA(FrbType.FLOOD, requestFrame(REMOTE_MAC, REMOTE_IP, LOCAL_IP))); // A did not know it
        bridge.onTick();
        runScheduled();
        assertEquals(1, counters.announcementsOnRequest.sum());
        Frb announcement = frbsSent().stream().filter(f -> f.type() == FrbType.LEAF_ANNOUNCEMENT).findFirst().orElseThrow();
        assertArrayEquals(entry(LOCAL_MAC, LOCAL_IP), announcement.addresses());

        sent.clear();
        bridge.onMessage(fromA(FrbType.FLOOD, requestFrame(REMOTE_MAC, REMOTE_IP, LOCAL_IP))); // asked again at once
        bridge.onTick();
        runScheduled();
        assertEquals(1, counters.announcementsOnRequest.sum(), "one announcement answers for a while");
        assertTrue(frbsSent().isEmpty(), "nothing more: " + frbsSent());
    }

    @Test
    void aUnicastFloodedTowardOurLeafBringsOurAnnouncementForward() {
        bridge.onMessage(packetIn(1, requestFrame(LOCAL_MAC, LOCAL_IP, 0x0a58_0099)));
        bridge.onMessage(fromA(FrbType.FLOOD, BridgeFrames.frame(LOCAL_MAC, REMOTE_MAC)));
        assertEquals(1, counters.announcementsOnRequest.sum());
    }

    @Test
    void floodsForOtherAddressesOrBroadcastsLeaveTheAnnouncementsAlone() {
        bridge.onMessage(packetIn(1, requestFrame(LOCAL_MAC, LOCAL_IP, 0x0a58_0099)));
        bridge.onMessage(fromA(FrbType.FLOOD, requestFrame(REMOTE_MAC, REMOTE_IP, 0x0a58_0077)));
        bridge.onMessage(fromA(FrbType.FLOOD, BridgeFrames.frame(0xffff_ffff_ffffL, REMOTE_MAC)));
        assertEquals(0, counters.announcementsOnRequest.sum());
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

    /** A's announcement of its leaf {@code REMOTE_MAC}, with these address entries. */
    private OFMessage announcementFromA(byte[] addresses) {
        return frbIn(2, FrbCodec.encode(new Frb(FrbType.LEAF_ANNOUNCEMENT, 0, ++seq, A, A,
                BridgeFrames.macBytes(REMOTE_MAC), addresses)));
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

    private static List<OFFlowAdd> holdFlows(List<OFMessage> sent) {
        return arpHoldMessages(sent, OFFlowAdd.class);
    }

    /** The messages of one flow-mod type whose match names an ARP target address (the hold flow's). */
    private static <T extends OFFlowMod> List<T> arpHoldMessages(List<OFMessage> sent, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (OFMessage m : sent) {
            if (type.isInstance(m) && type.cast(m).getMatch().get(MatchField.ARP_TPA) != null) {
                out.add(type.cast(m));
            }
        }
        return out;
    }

    private static List<OFPort> flowOutputs(OFFlowAdd fa) {
        List<OFPort> out = new ArrayList<>();
        for (var i : fa.getInstructions()) {
            if (i instanceof org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions aa) {
                aa.getActions().forEach(a -> out.add(((org.projectfloodlight.openflow.protocol.action.OFActionOutput) a).getPort()));
            }
        }
        return out;
    }

    private static List<OFFlowDeleteStrict> releases(List<OFMessage> sent) {
        return arpHoldMessages(sent, OFFlowDeleteStrict.class);
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
