package org.symphonet.ofcontroller.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one bridge. Written by the bridge's event-loop thread, read by status and test
 * threads, hence adders rather than plain fields.
 */
public final class BridgeCounters {
    public final LongAdder packetIns = new LongAdder();
    public final LongAdder floodsOriginated = new LongAdder();
    public final LongAdder frbSent = new LongAdder();
    public final LongAdder frbReceived = new LongAdder();
    public final LongAdder frbDelivered = new LongAdder();
    public final LongAdder frbDuplicates = new LongAdder();
    public final LongAdder frbMalformed = new LongAdder();
    public final LongAdder frbHopLimit = new LongAdder();
    /** Of {@link #frbMalformed}: well-formed FRBs whose root or bound end this bridge's member list lacks. */
    public final LongAdder frbUnknownMember = new LongAdder();
    /** Of {@link #frbMalformed}: FRBs that reached the controller from a port that is not a peer port (now). */
    public final LongAdder frbOffPeer = new LongAdder();
    public final LongAdder announcementsSent = new LongAdder();
    public final LongAdder announcementsReceived = new LongAdder();
    /** Announcements brought forward because a flood asked for one of this bridge's leaves (its root did not know it). */
    public final LongAdder announcementsOnRequest = new LongAdder();
    /** Repeats of a links-changed announcement left out: every new link's far bridge had answered the first. */
    public final LongAdder announcementRepeatsSkipped = new LongAdder();
    public final LongAdder macsLearned = new LongAdder();
    public final LongAdder macMoves = new LongAdder();
    /** Extra barrier round trips a move drained through the controller (switch or controller behind, or frames still coming). */
    public final LongAdder drainRounds = new LongAdder();
    public final LongAdder ringGaps = new LongAdder();
    public final LongAdder resyncs = new LongAdder();
    public final LongAdder macTableFull = new LongAdder();
    /** MACs forgotten to make room in a full table (the one longest without a flow each time). */
    public final LongAdder macsEvicted = new LongAdder();
    /** Discovery probes sent out of this bridge's ports, and received on them (no file: topology discovery). */
    public final LongAdder probesSent = new LongAdder();
    public final LongAdder probesReceived = new LongAdder();
    /** Frames dropped because they came in on a port whose role discovery had not settled yet. */
    public final LongAdder unclassifiedDrops = new LongAdder();
    /** Unicast passed on toward its root bridge along the ring because the learned path to it was gone. */
    public final LongAdder ringRouted = new LongAdder();
    /** ARP requests from leaves for remote leaves that the bridge answered itself instead of flooding them. */
    public final LongAdder arpAnswered = new LongAdder();
    /** Leaves' ARP requests not flooded because one for the same address was flooded moments ago, unanswered. */
    public final LongAdder arpFloodsHeld = new LongAdder();
    /** Hold flows put in the switch: further requests for a just-flooded address stay there (see Pipeline#holdArp). */
    public final LongAdder arpHoldFlows = new LongAdder();
    /** Of {@link #floodsOriginated}: ARP frames. */
    public final LongAdder floodsArp = new LongAdder();
    /** Of {@link #floodsOriginated}: unicast frames whose destination had no learned port here. */
    public final LongAdder floodsUnknownUnicast = new LongAdder();
    /** Of {@link #floodsUnknownUnicast}: the bridge the destination sits behind was known (a member). */
    public final LongAdder floodsUnicastKnownBridge = new LongAdder();
    /** FRBs taken from a tunnel port the topology view does not name yet (its far end already does). */
    public final LongAdder frbFromPendingPort = new LongAdder();

    /** A snapshot by metric name, in a stable order, for JSON and Prometheus. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("packet_ins", packetIns.sum());
        m.put("floods_originated", floodsOriginated.sum());
        m.put("frb_sent", frbSent.sum());
        m.put("frb_received", frbReceived.sum());
        m.put("frb_delivered", frbDelivered.sum());
        m.put("frb_duplicates", frbDuplicates.sum());
        m.put("frb_malformed", frbMalformed.sum());
        m.put("frb_hop_limit", frbHopLimit.sum());
        m.put("frb_unknown_member", frbUnknownMember.sum());
        m.put("frb_off_peer", frbOffPeer.sum());
        m.put("announcements_sent", announcementsSent.sum());
        m.put("announcements_received", announcementsReceived.sum());
        m.put("announcements_on_request", announcementsOnRequest.sum());
        m.put("announcement_repeats_skipped", announcementRepeatsSkipped.sum());
        m.put("macs_learned", macsLearned.sum());
        m.put("mac_moves", macMoves.sum());
        m.put("drain_rounds", drainRounds.sum());
        m.put("ring_gaps", ringGaps.sum());
        m.put("resyncs", resyncs.sum());
        m.put("mac_table_full", macTableFull.sum());
        m.put("macs_evicted", macsEvicted.sum());
        m.put("probes_sent", probesSent.sum());
        m.put("probes_received", probesReceived.sum());
        m.put("unclassified_drops", unclassifiedDrops.sum());
        m.put("ring_routed", ringRouted.sum());
        m.put("arp_answered", arpAnswered.sum());
        m.put("arp_floods_held", arpFloodsHeld.sum());
        m.put("arp_hold_flows", arpHoldFlows.sum());
        m.put("floods_arp", floodsArp.sum());
        m.put("floods_unknown_unicast", floodsUnknownUnicast.sum());
        m.put("floods_unicast_known_bridge", floodsUnicastKnownBridge.sum());
        m.put("frb_from_pending_port", frbFromPendingPort.sum());
        return m;
    }
}
