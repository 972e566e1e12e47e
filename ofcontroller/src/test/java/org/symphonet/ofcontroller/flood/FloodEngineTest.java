package org.symphonet.ofcontroller.flood;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.symphonet.ofcontroller.metrics.BridgeCounters;
import org.symphonet.ofcontroller.view.NodeId;

class FloodEngineTest {

    private static final NodeId A = NodeId.parse("10000000000000000000000000000000");
    private static final NodeId B = NodeId.parse("20000000000000000000000000000000");
    private static final NodeId C = NodeId.parse("30000000000000000000000000000000");
    private static final NodeId STRANGER = NodeId.parse("40000000000000000000000000000000");

    private final List<NodeId> sentTo = new ArrayList<>();
    private final List<byte[]> sentFrames = new ArrayList<>();
    private final List<Frb> delivered = new ArrayList<>();
    private final BridgeCounters counters = new BridgeCounters();

    private FloodEngine engineAtB(int hopLimit) {
        FloodSink sink = new FloodSink() {
            @Override
            public void sendFrb(NodeId peer, byte[] frame) {
                sentTo.add(peer);
                sentFrames.add(frame);
            }

            @Override
            public void deliverLocally(Frb frb, int ingress) {
                delivered.add(frb);
            }
        };
        return new FloodEngine(new Adjacency(B, List.of(A, C), Set.of(A, B, C)), sink, counters, hopLimit, 0);
    }

    private static byte[] frb(NodeId root, NodeId bound, long seq, int hops) {
        return FrbCodec.encode(new Frb(FrbType.FLOOD, hops, seq, root, bound, new byte[20]));
    }

    @Test
    void forwardsInsideTheBoundOnly() {
        FloodEngine e = engineAtB(64);
        e.receive(frb(A, A, 1, 0), 0, 0);
        assertEquals(List.of(C), sentTo);
        assertEquals(1, delivered.size());
        e.receive(frb(A, C, 2, 0), 0, 0);
        assertEquals(List.of(C), sentTo, "bound C: B hands on to nobody");
    }

    @Test
    void duplicatesAreCountedAndDropped() {
        FloodEngine e = engineAtB(64);
        e.receive(frb(A, A, 1, 0), 0, 0);
        e.receive(frb(A, A, 1, 0), 0, 1_000);
        assertEquals(1, delivered.size());
        assertEquals(1, counters.frbDuplicates.sum());
        // After the cache's age window the same pair counts as new again.
        e.receive(frb(A, A, 1, 0), 0, 31_000_000_000L);
        assertEquals(2, delivered.size());
    }

    @Test
    void foreignRootsBoundsLoopsAndHopLimitAreDropped() {
        FloodEngine e = engineAtB(3);
        e.receive(frb(STRANGER, A, 1, 0), 0, 0);
        e.receive(frb(A, STRANGER, 2, 0), 0, 0);
        e.receive(frb(B, A, 3, 0), 0, 0);
        e.receive(frb(A, B, 4, 0), 0, 0);
        assertEquals(4, counters.frbMalformed.sum());
        e.receive(frb(A, A, 5, 3), 0, 0);
        assertEquals(1, counters.frbHopLimit.sum());
        byte[] junk = new byte[80];
        new Random(1).nextBytes(junk);
        e.receive(junk, 0, 0);
        assertEquals(5, counters.frbMalformed.sum());
        assertEquals(0, delivered.size());
        assertEquals(0, sentTo.size());
    }

    @Test
    void anAnnouncementOverOnePeerGoesOnItsSliceWithTheBoundTheRuleGivesIt() {
        FloodEngine e = engineAtB(64);
        e.announceOver(Set.of(C), List.of(0x020000000001L), new byte[0]);
        assertEquals(List.of(C), sentTo);
        Frb toC = FrbCodec.decode(sentFrames.get(0)).frb();
        assertEquals(B, toC.root());
        assertEquals(A, toC.boundEnd(), "C covers [C, A), as in a whole-ring announcement");
        assertEquals(FrbType.LEAF_ANNOUNCEMENT, toC.type());
    }

    @Test
    void announcementsAreSplitAndNotCountedAsFloods() {
        FloodEngine e = engineAtB(64);
        List<Long> macs = new ArrayList<>();
        for (long i = 0; i < 500; i++) {
            macs.add(0x020000000000L + i);
        }
        e.announce(macs, new byte[0]);
        // 500 MACs -> 3 FRBs, each to both peers (B's bound is the whole ring).
        assertEquals(6, counters.announcementsSent.sum());
        assertEquals(0, counters.frbSent.sum());
    }

    @Test
    void leafAddressesRideInTheAnnouncementAndFillFurtherOnesOnlyWhenTheyDoNotFit() {
        FloodEngine e = engineAtB(64);
        e.announce(List.of(0x020000000001L), new byte[FrbCodec.ADDRESS_ENTRY]);
        assertEquals(2, counters.announcementsSent.sum(), "one announcement, to both peers");
        Frb one = FrbCodec.decode(sentFrames.get(0)).frb();
        assertEquals(6, one.payload().length);
        assertEquals(FrbCodec.ADDRESS_ENTRY, one.addresses().length);

        sentFrames.clear();
        List<Long> macs = new ArrayList<>();
        for (long i = 0; i < 240; i++) {
            macs.add(0x020000000000L + i);
        }
        byte[] addresses = new byte[200 * FrbCodec.ADDRESS_ENTRY];
        e.announce(macs, addresses);
        List<Frb> toA = new ArrayList<>();
        for (int i = 0; i < sentFrames.size(); i += 2) { // every FRB goes to both peers
            toA.add(FrbCodec.decode(sentFrames.get(i)).frb());
        }
        assertEquals(3, toA.size(), "240 MACs fill one; 200 addresses take two more: " + toA);
        int macBytes = 0;
        int addressBytes = 0;
        for (Frb f : toA) {
            assertTrue(f.payload().length + FrbCodec.ADDRESS_COUNT + f.addresses().length <= FloodEngine.ANNOUNCEMENT_BYTES + 2);
            macBytes += f.payload().length;
            addressBytes += f.addresses().length;
        }
        assertEquals(240 * 6, macBytes);
        assertEquals(addresses.length, addressBytes);
    }
}
