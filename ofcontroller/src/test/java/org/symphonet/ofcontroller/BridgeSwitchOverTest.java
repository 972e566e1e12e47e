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
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFBarrierRequest;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.symphonet.ofcontroller.metrics.BridgeCounters;
import org.symphonet.ofcontroller.pipeline.Pipeline;
import org.symphonet.ofcontroller.view.BridgeTopology;
import org.symphonet.ofcontroller.view.NodeId;

/**
 * A new link's port as the bridge sees it while an on-demand link comes up (issue 15): the port
 * reaches the switch before the view names its peer, and must not pass for a leaf meanwhile; once
 * it is a peer port the bridge announces its leaves over it at once, and again shortly after.
 */
class BridgeSwitchOverTest {

    private static final OFFactory F = BridgeFrames.F;
    private static final NodeId SELF = new NodeId(0, 0x10);
    private static final NodeId A = new NodeId(0, 0x20);
    private static final NodeId B = new NodeId(0, 0x30);
    private static final Set<NodeId> MEMBERS = Set.of(SELF, A, B);

    private final List<OFMessage> sent = new ArrayList<>();
    private final List<Runnable> scheduled = new ArrayList<>();
    private final BridgeCounters counters = new BridgeCounters();
    private final Bridge bridge = BridgeFrames.bridge(sent, counters, scheduled);

    private Bridge started() {
        bridge.tunnelPorts("sn");
        bridge.start(List.of(port(1, "lf0"), port(2, "sn-a")), new BridgeTopology(SELF, Map.of("sn-a", A), MEMBERS));
        bridge.onMessage(F.buildPortStatus().setReason(OFPortReason.ADD).setDesc(port(3, "sn-b")).build());
        sent.clear();
        return bridge;
    }

    @Test
    void aTunnelPortTheViewDoesNotNameYetIsNoLeafAndTeachesNothing() {
        started();
        // A frame from the far end of the new tunnel, before the view names its peer.
        bridge.onMessage(packetIn(3, frame(0x0200_0000_0001L, 0x0200_0000_00bbL)));
        assertTrue(sent.isEmpty(), "no flow, no flood for a frame from a pending tunnel port: " + sent);
        // A leaf's broadcast goes to the peer as an FRB, never raw into the pending tunnel.
        bridge.onMessage(packetIn(1, frame(0xffff_ffff_ffffL, 0x0200_0000_00aaL)));
        for (OFMessage m : sent) {
            if (m instanceof OFPacketOut po && po.getInPort().equals(OFPort.of(1))) {
                po.getActions().forEach(a -> assertTrue(!((OFActionOutput) a).getPort().equals(OFPort.of(3)),
                        "raw frame into the pending tunnel: " + po));
            }
            assertTrue(!(m instanceof OFFlowAdd fa) || fa.getMatch().get(MatchField.IN_PORT) == null
                    || !fa.getMatch().get(MatchField.IN_PORT).equals(OFPort.of(3)), "learned on the pending port: " + m);
        }
        assertEquals(List.of("lf0"), bridge.status().leafPorts());
    }

    @Test
    void aNewPeerPortGetsTheLeafAnnouncementAtOnceAndAgainTwoTicksLater() {
        started();
        bridge.onMessage(packetIn(1, frame(0xffff_ffff_ffffL, 0x0200_0000_00aaL))); // a leaf to announce
        bridge.onTick();
        long before = counters.announcementsSent.sum();
        sent.clear();
        bridge.applyTopology(new BridgeTopology(SELF, Map.of("sn-a", A, "sn-b", B), MEMBERS));
        assertTrue(counters.announcementsSent.sum() > before, "announced without waiting for a tick");
        assertTrue(sent.stream().anyMatch(m -> m instanceof OFPacketOut po && po.getActions().stream()
                .anyMatch(a -> ((OFActionOutput) a).getPort().equals(OFPort.of(3)))), "over the new link: " + sent);
        long first = counters.announcementsSent.sum();
        bridge.onTick();
        assertEquals(first, counters.announcementsSent.sum(), "not every tick");
        bridge.onTick();
        assertTrue(counters.announcementsSent.sum() > first, "repeated two ticks later");
    }

    @Test
    void theFarNodesAnnouncementOverTheNewLinkRePointsItsMacInPlace() {
        long[] ticks = {0};
        bridge.clock(() -> ticks[0]++); // the switch answers every barrier at once
        started();
        long mac = 0x0289_0000_0003L;
        bridge.onMessage(announcement(2, 1, mac)); // B's leaf, first reached over the ring (peer A, port 2)
        bridge.onMessage(packetIn(1, frame(mac, 0x0200_0000_00aaL))); // traffic toward it installs its flow
        assertEquals(OFPort.of(2), forwardingOutput(mac), "on the ring path first");
        bridge.applyTopology(new BridgeTopology(SELF, Map.of("sn-a", A, "sn-b", B), MEMBERS));
        sent.clear();
        scheduled.clear(); // the early announcement of the leaf that sent
        bridge.onMessage(announcement(3, 2, mac)); // B announces over the on-demand link
        // Frames toward it come to the controller while those on the ring path arrive...
        assertEquals(OFPort.CONTROLLER, forwardingOutput(mac), "held first");
        byte[] first = frame(mac, 0x0200_0000_00aaL);
        first[20] = 1;
        byte[] second = frame(mac, 0x0200_0000_00aaL);
        second[20] = 2;
        bridge.onMessage(packetIn(1, first));
        bridge.onMessage(packetIn(1, second));
        assertTrue(sent.stream().noneMatch(BridgeSwitchOverTest::dataOut), "nothing sent on while held: " + sent);
        assertEquals(1, scheduled.size(), "one release");
        // ...then they go on over the direct link in order, with a barrier behind them.
        scheduled.remove(0).run();
        assertEquals(OFPort.CONTROLLER, forwardingOutput(mac), "no flow before the switch answered the barrier");
        OFBarrierRequest barrier = (OFBarrierRequest) sent.stream().filter(m -> m instanceof OFBarrierRequest).findFirst()
                .orElseThrow(() -> new AssertionError("a barrier behind the held frames: " + sent));
        assertTrue(sent.indexOf(barrier) > sent.lastIndexOf(sent.stream().filter(BridgeSwitchOverTest::dataOut).reduce((x, y) -> y)
                .orElseThrow()), "the barrier follows the held frames");
        // A frame the switch sent us meanwhile (queued behind the held ones) goes straight on after them...
        byte[] third = frame(mac, 0x0200_0000_00aaL);
        third[20] = 3;
        bridge.onMessage(packetIn(1, third));
        assertEquals(OFPort.CONTROLLER, forwardingOutput(mac), "still no flow: later frames must not overtake it");
        List<byte[]> out = new ArrayList<>();
        for (OFMessage m : sent) {
            if (m instanceof OFPacketOut po && dataOut(po)) {
                assertEquals(OFPort.of(3), ((OFActionOutput) po.getActions().get(0)).getPort());
                out.add(po.getData());
            }
        }
        assertEquals(3, out.size());
        assertEquals(1, out.get(0)[20]);
        assertEquals(2, out.get(1)[20]);
        assertEquals(3, out.get(2)[20]);
        // ...and the switch's answer to the barrier (another xid is someone else's) points the flow there.
        bridge.onMessage(F.buildBarrierReply().setXid(barrier.getXid() + 1).build());
        assertEquals(OFPort.CONTROLLER, forwardingOutput(mac), "not our barrier");
        bridge.onMessage(F.buildBarrierReply().setXid(barrier.getXid()).build());
        assertEquals(OFPort.CONTROLLER, forwardingOutput(mac), "a frame came during the round trip: not yet");
        bridge.onMessage(F.buildBarrierReply().setXid(lastBarrier().getXid()).build());
        assertEquals(OFPort.of(3), forwardingOutput(mac), "moved to the direct link after a quiet round trip");
        assertTrue(sent.stream().noneMatch(m -> m instanceof org.projectfloodlight.openflow.protocol.OFFlowDelete fd
                && fd.getTableId().equals(Pipeline.FORWARD)), "replaced in place, never deleted first: " + sent);
        // Going back to the ring (a longer path) needs no hold.
        assertEquals(1, scheduled.size(), "the drain settles later");
        scheduled.remove(0).run();
        sent.clear();
        bridge.applyTopology(new BridgeTopology(SELF, Map.of("sn-a", A), MEMBERS));
        bridge.onMessage(announcement(2, 3, mac));
        bridge.onMessage(packetIn(1, frame(mac, 0x0200_0000_00aaL)));
        assertEquals(OFPort.of(2), forwardingOutput(mac), "straight back to the ring");
        assertTrue(scheduled.isEmpty(), "no hold");
    }

    /** B's leaf {@code mac}, reached over the ring with a flow, is announced over the new link (port 3): held. */
    private void heldOntoTheNewLink(long mac) {
        started();
        bridge.onMessage(announcement(2, 1, mac));
        bridge.onMessage(packetIn(1, frame(mac, 0x0200_0000_00aaL)));
        bridge.applyTopology(new BridgeTopology(SELF, Map.of("sn-a", A, "sn-b", B), MEMBERS));
        scheduled.clear(); // the early announcement of the leaf that sent
        bridge.onMessage(announcement(3, 2, mac));
    }

    @Test
    void aSlowBarrierKeepsTheFlowOutAndFramesGoOnInOrderUntilOneComesBackQuickly() {
        long[] now = {1_000_000_000L};
        bridge.clock(() -> now[0]);
        long mac = 0x0289_0000_0003L;
        heldOntoTheNewLink(mac);
        scheduled.remove(0).run(); // release
        OFBarrierRequest first = lastBarrier();
        // The switch or we were behind: its answer comes back 10 ms later. Frames it sent us before
        // applying a flow-mod now would be overtaken by the flow's own: no flow yet, one more barrier.
        now[0] += 10_000_000;
        bridge.onMessage(F.buildBarrierReply().setXid(first.getXid()).build());
        assertEquals(OFPort.CONTROLLER, forwardingOutput(mac), "no flow after a slow round trip");
        OFBarrierRequest second = lastBarrier();
        assertTrue(second.getXid() != first.getXid(), "another barrier");
        assertEquals(1, counters.drainRounds.sum());
        byte[] a = frame(mac, 0x0200_0000_00aaL);
        a[20] = 7;
        bridge.onMessage(packetIn(1, a));
        assertEquals(7, lastDataOut().getData()[20], "straight on meanwhile");
        // A quick answer, but a frame came during its round trip: traffic is flowing, one more.
        now[0] += 300_000;
        bridge.onMessage(F.buildBarrierReply().setXid(second.getXid()).build());
        assertEquals(OFPort.CONTROLLER, forwardingOutput(mac), "no flow while frames keep coming");
        second = lastBarrier();
        assertEquals(2, counters.drainRounds.sum());
        // Caught up and in a lull: the next answer is quick, the flow goes in.
        now[0] += 300_000;
        scheduled.clear();
        bridge.onMessage(F.buildBarrierReply().setXid(second.getXid()).build());
        assertEquals(OFPort.of(3), forwardingOutput(mac), "moved after a quick round trip");
        assertEquals(2, counters.drainRounds.sum());
        // Frames the switch's cached hold flow still sends us go on without a flow-mod each...
        int flows = flowAdds(mac);
        bridge.onMessage(packetIn(1, frame(mac, 0x0200_0000_00aaL)));
        assertEquals(flows, flowAdds(mac), "no flow-mod per late frame");
        assertEquals(OFPort.of(3), ((OFActionOutput) lastDataOut().getActions().get(0)).getPort());
        // ...until the drain has settled: then a frame reaching us means the switch lost the flow.
        assertEquals(1, scheduled.size(), "the drain settles later");
        scheduled.remove(0).run();
        bridge.onMessage(packetIn(1, frame(mac, 0x0200_0000_00aaL)));
        assertEquals(flows + 1, flowAdds(mac), "the flow is put back");
    }

    @Test
    void aSwitchThatStaysBehindGetsTheFlowAfterTheLongestDrain() {
        long[] now = {1_000_000_000L};
        bridge.clock(() -> now[0]);
        long mac = 0x0289_0000_0003L;
        heldOntoTheNewLink(mac);
        scheduled.remove(0).run();
        long start = now[0];
        while (now[0] - start < Bridge.MAX_DRAIN_NANOS && forwardingOutput(mac).equals(OFPort.CONTROLLER)) {
            now[0] += 20_000_000;
            bridge.onMessage(F.buildBarrierReply().setXid(lastBarrier().getXid()).build());
        }
        assertEquals(OFPort.of(3), forwardingOutput(mac), "moved in the end");
        assertTrue(now[0] - start >= Bridge.MAX_DRAIN_NANOS, "not before the longest drain");
    }

    private OFBarrierRequest lastBarrier() {
        return (OFBarrierRequest) sent.stream().filter(m -> m instanceof OFBarrierRequest).reduce((x, y) -> y)
                .orElseThrow(() -> new AssertionError("no barrier: " + sent));
    }

    private OFPacketOut lastDataOut() {
        return (OFPacketOut) sent.stream().filter(BridgeSwitchOverTest::dataOut).reduce((x, y) -> y)
                .orElseThrow(() -> new AssertionError("no frame sent on: " + sent));
    }

    private int flowAdds(long mac) {
        return (int) sent.stream().filter(m -> m instanceof OFFlowAdd fa && fa.getTableId().equals(Pipeline.FORWARD)
                && MacAddress.of(mac).equals(fa.getMatch().get(MatchField.ETH_DST))).count();
    }

    @Test
    void aLinkThatGoesBeforeTheBarrierAnswersGetsNoFlowAndNoFrame() {
        long mac = 0x0289_0000_0003L;
        heldOntoTheNewLink(mac);
        scheduled.remove(0).run();
        OFBarrierRequest barrier = (OFBarrierRequest) sent.stream().filter(m -> m instanceof OFBarrierRequest).reduce((x, y) -> y)
                .orElseThrow();
        bridge.onMessage(F.buildPortStatus().setReason(OFPortReason.DELETE).setDesc(port(3, "sn-b")).build());
        sent.clear();
        bridge.onMessage(packetIn(1, frame(mac, 0x0200_0000_00aaL)));
        bridge.onMessage(F.buildBarrierReply().setXid(barrier.getXid()).build());
        assertTrue(sent.stream().noneMatch(m -> m instanceof OFPacketOut po && dataOut(po)
                && ((OFActionOutput) po.getActions().get(0)).getPort().equals(OFPort.of(3))), "nothing into a port that is gone: " + sent);
        assertTrue(forwardingOutput(mac) == null || !forwardingOutput(mac).equals(OFPort.of(3)), "no flow into it: " + sent);
    }

    @Test
    void heldFramesOfALinkThatWentAreDroppedWithItsFlow() {
        long mac = 0x0289_0000_0003L;
        heldOntoTheNewLink(mac);
        bridge.onMessage(packetIn(1, frame(mac, 0x0200_0000_00aaL)));
        bridge.onMessage(F.buildPortStatus().setReason(OFPortReason.DELETE).setDesc(port(3, "sn-b")).build());
        sent.clear();
        scheduled.remove(0).run();
        assertTrue(sent.stream().noneMatch(BridgeSwitchOverTest::dataOut), "nothing into a port that is gone: " + sent);
        assertTrue(sent.stream().anyMatch(m -> m instanceof org.projectfloodlight.openflow.protocol.OFFlowDelete fd
                && fd.getTableId().equals(Pipeline.FORWARD)), "the held flow is deleted: " + sent);
    }

    @Test
    void theFarNodesFirstAnnouncementOverTheNewLinkIsAnsweredAtOnceOnlyOnce() {
        started();
        bridge.applyTopology(new BridgeTopology(SELF, Map.of("sn-a", A, "sn-b", B), MEMBERS));
        long named = counters.announcementsSent.sum();
        // B's announcement over the ring is no proof that B takes FRBs from the new link: no answer.
        bridge.onMessage(announcement(2, 1, 0x0289_0000_0003L));
        assertEquals(named, counters.announcementsSent.sum(), "no answer to an announcement over the ring");
        // Over the link itself it is: B may have dropped the one we sent when we named the port.
        bridge.onMessage(announcement(3, 2, 0x0289_0000_0003L));
        long answered = counters.announcementsSent.sum();
        assertTrue(answered > named, "answered without waiting for a tick");
        bridge.onMessage(announcement(3, 3, 0x0289_0000_0003L));
        assertEquals(answered, counters.announcementsSent.sum(), "the next ones are not answered (no ping-pong)");
        // The link goes and comes back: its first announcement is answered again.
        bridge.applyTopology(new BridgeTopology(SELF, Map.of("sn-a", A), MEMBERS));
        bridge.applyTopology(new BridgeTopology(SELF, Map.of("sn-a", A, "sn-b", B), MEMBERS));
        long again = counters.announcementsSent.sum();
        bridge.onMessage(announcement(3, 4, 0x0289_0000_0003L));
        assertTrue(counters.announcementsSent.sum() > again, "answered after the link came back");
    }

    @Test
    void aNewLeafIsAnnouncedWithinMillisecondsAtMostOnceATick() {
        started();
        bridge.onTick();
        long before = counters.announcementsSent.sum();
        scheduled.clear();
        bridge.onMessage(packetIn(1, frame(0xffff_ffff_ffffL, 0x0200_0000_00aaL)));
        bridge.onMessage(packetIn(1, frame(0xffff_ffff_ffffL, 0x0200_0000_00abL)));
        assertEquals(1, scheduled.size(), "one early announcement for both new leaves");
        scheduled.remove(0).run();
        assertEquals(before + 1, counters.announcementsSent.sum());
        bridge.onMessage(packetIn(1, frame(0xffff_ffff_ffffL, 0x0200_0000_00acL)));
        assertTrue(scheduled.isEmpty(), "the next new leaf waits for the tick");
        bridge.onTick();
        assertEquals(before + 2, counters.announcementsSent.sum(), "announced at the tick");
        bridge.onMessage(packetIn(1, frame(0xffff_ffff_ffffL, 0x0200_0000_00adL)));
        assertEquals(1, scheduled.size(), "a new tick, a new early announcement");
    }

    /** A leaf's frame sent on by the controller (not an FRB or probe of its own). */
    private static boolean dataOut(OFMessage m) {
        return m instanceof OFPacketOut po && !po.getInPort().equals(OFPort.CONTROLLER);
    }

    /** The output port of the last forwarding flow sent for {@code mac}. */
    private OFPort forwardingOutput(long mac) {
        OFPort out = null;
        for (OFMessage m : sent) {
            if (m instanceof OFFlowAdd fa && fa.getTableId().equals(Pipeline.FORWARD)
                    && MacAddress.of(mac).equals(fa.getMatch().get(MatchField.ETH_DST))) {
                for (var i : fa.getInstructions()) {
                    if (i instanceof org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions aa) {
                        out = ((OFActionOutput) aa.getActions().get(0)).getPort();
                    }
                }
            }
        }
        return out;
    }

    /** B's leaf announcement as it arrives on {@code inPort}. */
    private static org.projectfloodlight.openflow.protocol.OFPacketIn announcement(int inPort, long seq, long mac) {
        return frbIn(inPort, org.symphonet.ofcontroller.flood.FrbCodec.encode(new org.symphonet.ofcontroller.flood.Frb(
                org.symphonet.ofcontroller.flood.FrbType.LEAF_ANNOUNCEMENT, 0, seq, B, A, macBytes(mac))));
    }
}
