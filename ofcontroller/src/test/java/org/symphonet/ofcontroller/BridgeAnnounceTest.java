package org.symphonet.ofcontroller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.symphonet.ofcontroller.BridgeFrames.frbIn;
import static org.symphonet.ofcontroller.BridgeFrames.macBytes;
import static org.symphonet.ofcontroller.BridgeFrames.port;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.symphonet.ofcontroller.flood.Frb;
import org.symphonet.ofcontroller.flood.FrbCodec;
import org.symphonet.ofcontroller.flood.FrbType;
import org.symphonet.ofcontroller.metrics.BridgeCounters;
import org.symphonet.ofcontroller.view.BridgeTopology;
import org.symphonet.ofcontroller.view.NodeId;

/**
 * When a bridge announces its leaves: not on a mere change of the member list (the new member
 * cannot hear it yet), but once the new member's own announcement reached us, and once per member.
 */
class BridgeAnnounceTest {

    private static final NodeId R = new NodeId(0, 0x05);
    private static final NodeId A = new NodeId(0, 0x10);
    private static final NodeId B = new NodeId(0, 0x20);
    private static final NodeId SELF = new NodeId(0, 0x30);

    private final List<OFMessage> sent = new ArrayList<>();
    private final List<Runnable> scheduled = new ArrayList<>();
    private final BridgeCounters counters = new BridgeCounters();
    private final Bridge bridge = BridgeFrames.bridge(sent, counters, scheduled);
    private int seq;

    @BeforeEach
    void aBridgeWithOnePeerThatAnnouncedItself() {
        bridge.tunnelPorts("sn");
        bridge.start(List.of(port(1, "lf0"), port(2, "sn-a")), new BridgeTopology(SELF, Map.of("sn-a", A), Set.of(A, SELF)));
        bridge.onMessage(announcementFrom(A));
        for (int i = 0; i < 3; i++) { // past the repeat of the links-changed announcement
            bridge.onTick();
        }
        runScheduled();
    }

    @Test
    void aNewMemberAloneTriggersNoAnnouncement() {
        long before = counters.announcementsSent.sum();
        bridge.applyTopology(new BridgeTopology(SELF, Map.of("sn-a", A), Set.of(A, SELF, R)));
        bridge.onTick();
        runScheduled();
        assertEquals(before, counters.announcementsSent.sum());
    }

    @Test
    void theFirstAnnouncementOfANewMemberIsAnsweredWithOursOnce() {
        bridge.applyTopology(new BridgeTopology(SELF, Map.of("sn-a", A), Set.of(A, SELF, R)));
        long before = counters.announcementsSent.sum();

        bridge.onMessage(announcementFrom(R)); // R's leaves, relayed by A
        runScheduled();
        assertEquals(before + 1, counters.announcementsSent.sum(), "ours goes out soon, not at the periodic one");

        bridge.onTick();
        bridge.onMessage(announcementFrom(R));
        bridge.onTick();
        runScheduled();
        assertEquals(before + 1, counters.announcementsSent.sum(), "R has our leaves already");
    }

    @Test
    void aMemberThatLeftAndCameBackIsAnsweredAgain() {
        bridge.applyTopology(new BridgeTopology(SELF, Map.of("sn-a", A), Set.of(A, SELF, R)));
        bridge.onMessage(announcementFrom(R));
        runScheduled();
        bridge.onTick();
        bridge.applyTopology(new BridgeTopology(SELF, Map.of("sn-a", A), Set.of(A, SELF))); // R went
        bridge.applyTopology(new BridgeTopology(SELF, Map.of("sn-a", A), Set.of(A, SELF, R))); // and restarted
        long before = counters.announcementsSent.sum();

        bridge.onMessage(announcementFrom(R));
        runScheduled();
        assertEquals(before + 1, counters.announcementsSent.sum());
    }

    @Test
    void aNewLinkWhoseFarBridgeAnsweredGetsNoRepeat() {
        long before = counters.announcementsSent.sum(), skipped = counters.announcementRepeatsSkipped.sum();
        linkToB();
        // Counted in FRBs. The new link's announcement goes on its slice only: to B, not to A.
        assertEquals(before + 1, counters.announcementsSent.sum(), "at once, to B");
        bridge.onMessage(frbIn(3, FrbCodec.encode(new Frb(FrbType.LEAF_ANNOUNCEMENT, 0, ++seq, B, B, macBytes(0x0288_0000_0020L)))));
        assertEquals(before + 3, counters.announcementsSent.sum(), "B's over the new link is answered at once, to B (and B's handed on to A)");
        for (int i = 0; i < 3; i++) {
            bridge.onTick();
        }
        runScheduled();
        assertEquals(before + 3, counters.announcementsSent.sum(), "no repeat: B heard us as its peer");
        assertEquals(skipped + 1, counters.announcementRepeatsSkipped.sum());
    }

    @Test
    void aNewLinkNotYetHeardFromGetsTheRepeat() {
        long before = counters.announcementsSent.sum(), skipped = counters.announcementRepeatsSkipped.sum();
        linkToB();
        for (int i = 0; i < 3; i++) {
            bridge.onTick();
        }
        assertEquals(before + 3, counters.announcementsSent.sum(), "at once to B, and the repeat to both");
        assertEquals(skipped, counters.announcementRepeatsSkipped.sum());
    }

    @Test
    void aLostLinkGetsTheRepeatEvenWhenTheNewOnesAnswered() {
        linkToB();
        bridge.onMessage(frbIn(3, FrbCodec.encode(new Frb(FrbType.LEAF_ANNOUNCEMENT, 0, ++seq, B, B, macBytes(0x0288_0000_0020L)))));
        bridge.applyTopology(new BridgeTopology(SELF, Map.of("sn-b", B), Set.of(A, B, SELF))); // A's link lost
        long before = counters.announcementsSent.sum();
        for (int i = 0; i < 3; i++) {
            bridge.onTick();
        }
        assertEquals(before + 1, counters.announcementsSent.sum(), "the repeat, to B alone");
    }

    @Test
    void aNewLinksAnnouncementGoesOnItsSliceOnlyALostLinksEverywhere() {
        sent.clear();
        linkToB();
        assertEquals(List.of(org.projectfloodlight.openflow.types.OFPort.of(3)), BridgeFrames.outputs(sent), "to B only: " + sent);
        sent.clear();
        bridge.applyTopology(new BridgeTopology(SELF, Map.of("sn-b", B), Set.of(A, B, SELF))); // A's link lost
        assertEquals(List.of(org.projectfloodlight.openflow.types.OFPort.of(3)), BridgeFrames.outputs(sent),
                "to every peer left (B): " + sent);
        sent.clear();
        bridge.onMessage(org.symphonet.ofcontroller.BridgeFrames.F.buildPortStatus()
                .setReason(org.projectfloodlight.openflow.protocol.OFPortReason.ADD).setDesc(port(4, "sn-a2")).build());
        bridge.applyTopology(new BridgeTopology(SELF, Map.of("sn-a2", A), Set.of(A, B, SELF))); // B lost, A back: both at once
        assertEquals(List.of(org.projectfloodlight.openflow.types.OFPort.of(4)), BridgeFrames.outputs(sent), sent.toString());
    }

    private void linkToB() {
        bridge.onMessage(org.symphonet.ofcontroller.BridgeFrames.F.buildPortStatus()
                .setReason(org.projectfloodlight.openflow.protocol.OFPortReason.ADD).setDesc(port(3, "sn-b")).build());
        bridge.applyTopology(new BridgeTopology(SELF, Map.of("sn-a", A, "sn-b", B), Set.of(A, B, SELF)));
    }

    private OFMessage announcementFrom(NodeId root) {
        long leaf = 0x0288_0000_0000L | root.hashCode() & 0xff;
        return frbIn(2, FrbCodec.encode(new Frb(FrbType.LEAF_ANNOUNCEMENT, 0, ++seq, root, root, macBytes(leaf))));
    }

    private void runScheduled() {
        List<Runnable> now = new ArrayList<>(scheduled);
        scheduled.clear();
        now.forEach(Runnable::run);
    }
}
