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
