package org.symphonet.ofcontroller.flood;

import java.util.Arrays;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.symphonet.ofcontroller.metrics.BridgeCounters;
import org.symphonet.ofcontroller.view.NodeId;

/**
 * Bounded flood for one bridge: originates FRBs for broadcasts entering from local leaves, and
 * accepts, de-duplicates and hands on FRBs from peers, each inside its bound. Knows nothing of
 * OpenFlow; a {@link FloodSink} does the sending. Not thread-safe: one engine per bridge, driven
 * by that bridge's thread.
 */
public final class FloodEngine {

    private static final Logger log = LoggerFactory.getLogger(FloodEngine.class);
    /** MACs per announcement FRB: 240 x 6 bytes keeps the FRB under a 1500-byte payload. */
    static final int MACS_PER_ANNOUNCEMENT = 240;
    /** Bytes of MACs and leaf addresses together per announcement FRB: as much as 240 MACs alone. */
    static final int ANNOUNCEMENT_BYTES = MACS_PER_ANNOUNCEMENT * 6;

    private final FloodSink sink;
    private final BridgeCounters counters;
    private final DuplicateCache duplicates;
    private final int hopLimit;
    private Adjacency adjacency;
    private long nextSeq;
    /** Dropped FRBs still described in the log (the first few per bridge: why, and how they looked). */
    private int dropsToLog = DROPS_LOGGED;
    static final int DROPS_LOGGED = 8;

    /**
     * @param firstSeq where this bridge's sequence numbers start; random, so a restarted controller
     *                 does not reuse numbers that peers' duplicate caches still remember
     */
    public FloodEngine(Adjacency adjacency, FloodSink sink, BridgeCounters counters, int hopLimit, long firstSeq) {
        this.adjacency = adjacency;
        this.sink = sink;
        this.counters = counters;
        this.hopLimit = hopLimit;
        this.duplicates = new DuplicateCache(65_536, 30_000);
        this.nextSeq = firstSeq & 0xffff_ffffL;
    }

    public void setAdjacency(Adjacency adjacency) {
        this.adjacency = adjacency;
    }

    public Adjacency adjacency() {
        return adjacency;
    }

    /** A broadcast, multicast or unknown-unicast frame entered the overlay at this bridge. */
    public void originate(byte[] frame) {
        counters.floodsOriginated.increment();
        send(new Frb(FrbType.FLOOD, 0, takeSeq(), adjacency.self(), adjacency.self(), frame), adjacency.self());
    }

    /**
     * Tells every other bridge which MACs sit behind this one and which IPv4 addresses they hold
     * ({@code addresses}: {@link FrbCodec#ADDRESS_ENTRY}-byte entries), in as few FRBs as fit
     * {@value #ANNOUNCEMENT_BYTES} bytes each: one for a bridge with a few leaves.
     */
    public void announce(List<Long> leafMacs, byte[] addresses) {
        announce(leafMacs, addresses, null);
    }

    /**
     * {@link #announce} on the slices of {@code peers} only: the FRBs the bound rule gives our other
     * peers are left out, so the announcement reaches those peers and the bridges behind them up to
     * our next peer, not the whole ring. For a new link: its far bridge (and its slice) learns the
     * way over it; the others keep their ways to our leaves, which still work. A whole-ring
     * announcement per link end and change was two thirds of all FRBs while 32 nodes formed.
     */
    public void announceOver(java.util.Set<NodeId> peers, List<Long> leafMacs, byte[] addresses) {
        announce(leafMacs, addresses, peers);
    }

    private void announce(List<Long> leafMacs, byte[] addresses, java.util.Set<NodeId> onlyTo) {
        int from = 0;
        int addressFrom = 0;
        do { // an empty list still sends one (empty) announcement: "nothing behind me any more"
            int to = Math.min(leafMacs.size(), from + MACS_PER_ANNOUNCEMENT);
            byte[] payload = new byte[(to - from) * 6];
            for (int i = from; i < to; i++) {
                long mac = leafMacs.get(i);
                for (int b = 0; b < 6; b++) {
                    payload[(i - from) * 6 + b] = (byte) (mac >>> (40 - 8 * b));
                }
            }
            int room = Math.max(0, ANNOUNCEMENT_BYTES - payload.length - FrbCodec.ADDRESS_COUNT);
            int addressTo = Math.min(addresses.length, addressFrom + room / FrbCodec.ADDRESS_ENTRY * FrbCodec.ADDRESS_ENTRY);
            send(new Frb(FrbType.LEAF_ANNOUNCEMENT, 0, takeSeq(), adjacency.self(), adjacency.self(), payload,
                    Arrays.copyOfRange(addresses, addressFrom, addressTo)), adjacency.self(), onlyTo);
            from = to;
            addressFrom = addressTo;
        } while (from < leafMacs.size() || addressFrom < addresses.length);
    }

    /**
     * An FRB frame arrived from a peer. Malformed, foreign, looping and duplicate frames are
     * counted and dropped; never thrown on.
     */
    public void receive(byte[] frame, int ingress, long nowNanos) {
        FrbCodec.Result r = FrbCodec.decode(frame);
        if (!r.ok()) {
            counters.frbMalformed.increment();
            logDrop(r.problem().toString(), frame, ingress);
            return;
        }
        Frb frb = r.frb();
        NodeId self = adjacency.self();
        if (frb.root().equals(self) || frb.boundEnd().equals(self)
                || !adjacency.members().contains(frb.root()) || !adjacency.members().contains(frb.boundEnd())) {
            counters.frbMalformed.increment();
            if (!frb.root().equals(self) && !frb.boundEnd().equals(self)) {
                counters.frbUnknownMember.increment();
            }
            logDrop("root or bound not a member here: " + frb, frame, ingress);
            return;
        }
        if (frb.hops() >= hopLimit) {
            counters.frbHopLimit.increment();
            return;
        }
        if (!duplicates.firstSighting(frb.root(), frb.seq(), nowNanos)) {
            counters.frbDuplicates.increment();
            return;
        }
        if (frb.type() == FrbType.FLOOD) {
            counters.frbReceived.increment();
        } else {
            counters.announcementsReceived.increment();
        }
        sink.deliverLocally(frb, ingress);
        send(frb, frb.boundEnd());
    }

    private void send(Frb frb, NodeId boundEnd) {
        send(frb, boundEnd, null);
    }

    /** {@code onlyTo}: the peers whose handoffs go out (null: all of them). */
    private void send(Frb frb, NodeId boundEnd, java.util.Set<NodeId> onlyTo) {
        List<BoundRule.Handoff> handoffs = adjacency.plan().handoffs(adjacency.self(), frb.root(), boundEnd, adjacency.peers());
        boolean first = frb.root().equals(adjacency.self()) && frb.hops() == 0;
        for (BoundRule.Handoff h : handoffs) {
            if (onlyTo != null && !onlyTo.contains(h.peer())) {
                continue;
            }
            Frb copy = first ? new Frb(frb.type(), 0, frb.seq(), frb.root(), h.boundEnd(), frb.payload(), frb.addresses())
                    : frb.forwarded(h.boundEnd());
            sink.sendFrb(h.peer(), FrbCodec.encode(copy));
            if (frb.type() == FrbType.FLOOD) {
                counters.frbSent.increment();
            } else {
                counters.announcementsSent.increment();
            }
        }
    }

    private void logDrop(String why, byte[] frame, int ingress) {
        if (dropsToLog > 0) {
            dropsToLog--;
            log.info("bridge of node {} dropped an FRB from port {} ({} bytes): {}; head {}", adjacency.self().shortHex(),
                    ingress, frame == null ? 0 : frame.length, why, hexHead(frame, 64));
        } else {
            log.debug("dropped FRB at {}: {}", adjacency.self().shortHex(), why);
        }
    }

    /** The first {@code max} bytes as hex, for a log line. */
    static String hexHead(byte[] frame, int max) {
        if (frame == null) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(max, frame.length); i++) {
            b.append(Character.forDigit((frame[i] >> 4) & 0xf, 16)).append(Character.forDigit(frame[i] & 0xf, 16));
        }
        return b.toString();
    }

    private long takeSeq() {
        long s = nextSeq;
        nextSeq = (nextSeq + 1) & 0xffff_ffffL;
        return s;
    }
}
