package org.symphonet.ofcontroller.traffic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;

import org.projectfloodlight.openflow.protocol.OFAggregateStatsReply;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsReply;
import org.projectfloodlight.openflow.protocol.OFFlowStatsRequest;
import org.projectfloodlight.openflow.protocol.OFStatsReply;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.protocol.OFStatsRequest;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.symphonet.ofcontroller.view.NodeId;

/**
 * Measures, for one bridge, how many bytes per second it forwards toward each remote node: every
 * period it asks the switch for the flow statistics of the forwarding table, whose unicast flows
 * match one destination MAC each, and attributes each flow's byte growth to the node that MAC sits
 * behind (learned from floods and leaf announcements). The overlay uses the result to open
 * on-demand links to busy, non-adjacent bridges.
 *
 * <p>Runs on the bridge's session thread, like everything else of that bridge; no lock. The bridge
 * calls {@link #onTick} every {@value #TICK_MILLIS} ms; every request goes out on a tick, so no two
 * measurements are closer than that (a rate over a few milliseconds would be one burst, not a
 * rate). One request is outstanding at a time; a reply that never comes is given up after a few
 * periods.
 *
 * <p>Traffic that starts between two polls shows diluted in the first (it ran for part of the
 * period), so a link would be asked for up to two periods after it started. A poll is therefore
 * followed up at the next tick, not a period later, when a node's rate has just risen (at least
 * {@value #WARM_BYTES_PER_SECOND} B/s and half again its last rate), or when the bridge installed a
 * flow toward a remote node (a new conversation, measured over the flow's own age). A rise seen by a
 * follow-up is followed up again (TCP's slow start rises over several ticks), so heavy traffic is
 * measured at its real rate one tick after the poll that first sees it. Each follow-up needs a rise
 * of half again or a new flow, so a steady load or chatter costs no extra request, a stream that
 * rises a handful, and a churn of new MACs at most one request a tick: never more than that.
 *
 * <p>While nothing flows (an idle overlay: the usual state of most nodes), a poll of all flows
 * would parse every flow of both tables each period only to find the counters where they were. So
 * with a leaf table the quiet period's poll is an aggregate request for the leaf table (one small
 * reply: the sum of its counters): no traffic toward a remote node without a leaf sending it. While
 * that sum stands still nothing is measured; the moment it moved the full poll goes out at once, so
 * resuming traffic is measured as early as a full quiet poll would have measured it. And no tick is
 * needed in between: {@link #nextTickMillis} lets the bridge's clock ({@link TrafficClock}) sleep
 * through the rest of the quiet period, and {@link #wake} tells it when something came up early.
 */
public final class TrafficPoller {

    /** Marks our requests, so a reply to someone else's flow-stats request is never mistaken for ours. */
    static final long XID = 0x7452_4146L; // "tRAF"
    private static final int GIVE_UP_AFTER_PERIODS = 3;
    /** How often the bridge calls {@link #onTick}: the shortest interval a rate is measured over. */
    public static final long TICK_MILLIS = 250;
    /** Below this a rise is chatter (ARP, pings, keepalives), not worth an early look. */
    static final double WARM_BYTES_PER_SECOND = 64_000;
    private static final double RISE = 1.5;
    /**
     * The regular period while the last measurement found nothing flowing toward any remote node
     * (an idle overlay). Each poll costs the switch a table dump and the controller's loop its
     * parsing: with polls every 500 ms the controller loop was an idle node's busiest thread (0.6%
     * of a core, 0.17% with the 1-s polls before). A new conversation installs a flow and is
     * polled at the next tick anyway; traffic resuming on a flow that stayed installed is seen a
     * little later: in the OVS model of the test, 0.80 s on average and 1.20 s at worst (0.76 / 1.09
     * with 500 ms), within the 1.25 s the on-demand switch-over allows.
     */
    public static final long QUIET_PERIOD_MILLIS = 750;

    private final long datapathId;
    private final TableId forwardingTable;
    private final int periodTicks;
    private final int quietPeriodTicks;
    private final TrafficListener listener;
    private final LongFunction<NodeId> owner;
    /** The table only frames from the bridge's own leaves pass, or null (no cap). */
    private final TableId leafTable;
    /** The two requests, the same every time (immutable messages, one XID): built once. */
    private final OFFlowStatsRequest fullRequest;
    private final OFStatsRequest<?> leafSumRequest;
    private final RateMeter meter = new RateMeter();
    /** Bytes per second from the bridge's own leaves, all together (keyed by {@link #LEAVES}). */
    private final RateMeter leafMeter = new RateMeter();
    private final List<FlowCount> pending = new ArrayList<>();
    private final List<FlowCount> pendingLeaf = new ArrayList<>();
    /** Stands for "this bridge's leaves" in {@link #leafMeter}'s result: never a real node's ID. */
    private static final NodeId LEAVES = new NodeId(0, 0);
    private int ticks;
    private boolean outstanding;
    private int outstandingTicks;
    /** When the previous measurement completed; null before the first. */
    private Long lastMeasuredNanos;
    private Map<NodeId, Double> lastRates = Map.of();
    /** The last measurement with news saw a rate rise: every tick polls until one with news does not. */
    private boolean risen;
    /** The bridge installed a flow toward a remote node since the last request: the next tick polls. */
    private boolean newFlow;
    /** The last measurement (over an interval, not the baseline) found no traffic toward any remote node. */
    private boolean quiet;
    /** The outstanding request is the quiet period's aggregate of the leaf table, not a full poll. */
    private boolean aggregate;
    /** The leaf table's byte and flow counts as last seen (full poll or aggregate); -1: unknown. */
    private long leafBytes = -1;
    private long leafFlows = -1;
    /** Ticks the clock slept through since the last {@link #onTick} (see {@link #nextTickMillis}). */
    private int skipped;
    /** The clock sleeps past the next tick: news that needs a tick sooner must {@link #wake} it. */
    private boolean parked;

    /**
     * @param forwardingTable the table whose flows match one destination MAC each
     * @param periodTicks     ticks ({@value #TICK_MILLIS} ms each) between regular polls
     * @param owner           the remote node a MAC sits behind, or null
     */
    public TrafficPoller(long datapathId, OFFactory factory, TableId forwardingTable, int periodTicks,
                         TrafficListener listener, LongFunction<NodeId> owner) {
        this(datapathId, factory, forwardingTable, periodTicks, listener, owner, null);
    }

    /**
     * Measures only what the bridge's own leaves send: the forwarding table's flows also count frames
     * the bridge passes on between two peers (a transit bridge on the ring path of a busy pair), and
     * a transit bridge would ask for an on-demand link of its own toward the pair's far end. Frames
     * from peers skip {@code leafTable} (see the pipeline), so its flows' bytes are everything the
     * bridge's leaves sent, and no node's rate is taken above that.
     *
     * @param leafTable the table every frame from a leaf port and none from a peer passes
     */
    public TrafficPoller(long datapathId, OFFactory factory, TableId forwardingTable, int periodTicks,
                         TrafficListener listener, LongFunction<NodeId> owner, TableId leafTable) {
        if (periodTicks < 1) {
            throw new IllegalArgumentException("traffic poll period must be at least 1 tick, got " + periodTicks);
        }
        this.datapathId = datapathId;
        this.forwardingTable = forwardingTable;
        this.periodTicks = periodTicks;
        this.quietPeriodTicks = Math.max(periodTicks, (int) (QUIET_PERIOD_MILLIS / TICK_MILLIS));
        this.listener = listener;
        this.owner = owner;
        this.leafTable = leafTable;
        this.fullRequest = factory.buildFlowStatsRequest().setXid(XID).setTableId(leafTable == null ? forwardingTable : TableId.ALL)
                .setOutPort(OFPort.ANY).setOutGroup(OFGroup.ANY).setMatch(factory.buildMatch().build()).build();
        this.leafSumRequest = leafTable == null ? null : factory.buildAggregateStatsRequest().setXid(XID).setTableId(leafTable)
                .setOutPort(OFPort.ANY).setOutGroup(OFGroup.ANY).setMatch(factory.buildMatch().build()).build();
    }

    /**
     * Ticks of {@code periodMillis} ms (rounded, at least one tick) of {@value #TICK_MILLIS} ms each.
     */
    public static int ticksOf(long periodMillis) {
        if (periodMillis < TICK_MILLIS) {
            throw new IllegalArgumentException("traffic poll period must be at least " + TICK_MILLIS + " ms, got " + periodMillis);
        }
        return (int) Math.max(1, Math.round(periodMillis / (double) TICK_MILLIS));
    }

    /** Every {@value #TICK_MILLIS} ms: the request to send now, if one is due. */
    public Optional<OFStatsRequest<?>> onTick() {
        ticks += skipped;
        if (outstanding) {
            outstandingTicks += skipped;
        }
        skipped = 0;
        parked = false;
        if (outstanding) {
            if (++outstandingTicks < GIVE_UP_AFTER_PERIODS * periodTicks) {
                return Optional.empty();
            }
            // The switch dropped our request or a part of its reply: start a fresh baseline.
            outstanding = false;
            pending.clear();
            pendingLeaf.clear();
            meter.reset();
            leafMeter.reset();
            leafBytes = -1;
        }
        if (++ticks < (quiet ? quietPeriodTicks : periodTicks) && !risen && !newFlow) {
            return Optional.empty();
        }
        if (quiet && !newFlow && leafTable != null && leafBytes >= 0) {
            return Optional.of(aggregateRequest());
        }
        return Optional.of(request());
    }

    /**
     * The bridge just installed a flow toward a remote node's leaf: a new conversation, measured at
     * the next tick (over its own age) rather than at the next regular poll.
     */
    public void flowInstalled() {
        newFlow = true;
    }

    /**
     * When the next {@link #onTick} is wanted, in ms after the one just made: the next tick, or, when
     * nothing can be due before the quiet period's next look (nothing flows, no new flow, no rise,
     * nothing outstanding but that look's own aggregate), the rest of that period: an idle bridge's
     * clock wakes once per period, not every tick.
     */
    public long nextTickMillis() {
        if (quiet && !risen && !newFlow && leafTable != null && leafBytes >= 0 && (!outstanding || aggregate)) {
            int rest = Math.max(1, quietPeriodTicks - (outstanding ? 0 : ticks));
            skipped = rest - 1;
            parked = skipped > 0;
            return rest * TICK_MILLIS;
        }
        skipped = 0;
        parked = false;
        return TICK_MILLIS;
    }

    /**
     * Something needs a tick sooner than the clock's parked sleep (a new flow, or a full poll that a
     * leaf table's sum called for, whose rise is followed up a tick later): true when the clock
     * sleeps past the next tick and must be woken; the sleep is then not counted as ticks.
     */
    public boolean wake() {
        boolean was = parked;
        parked = false;
        skipped = 0;
        return was;
    }

    private OFFlowStatsRequest request() {
        sent(false);
        return fullRequest;
    }

    /** The sum of the leaf table's counters: whether any leaf sent anything since the last look. */
    private OFStatsRequest<?> aggregateRequest() {
        sent(true);
        return leafSumRequest;
    }

    private void sent(boolean isAggregate) {
        ticks = 0;
        newFlow = false;
        outstanding = true;
        outstandingTicks = 0;
        aggregate = isAggregate;
    }

    /**
     * A stats reply from the switch (ours or not): completes a measurement when it is the last part
     * of ours, and returns the full poll to send at once when a quiet period's aggregate shows that
     * a leaf sent something.
     */
    public Optional<OFFlowStatsRequest> onStatsReply(OFStatsReply reply, long nowNanos) {
        if (reply instanceof OFFlowStatsReply r) {
            onReply(r, nowNanos);
        } else if (reply instanceof OFAggregateStatsReply r && outstanding && aggregate && r.getXid() == XID) {
            outstanding = false;
            if (r.getByteCount().getValue() == leafBytes && r.getFlowCount() == leafFlows) {
                // No leaf sent anything up to now: growth the next poll sees happened after this.
                meter.unchangedUntil(nowNanos);
                leafMeter.unchangedUntil(nowNanos);
                return Optional.empty();
            }
            return Optional.of(request());
        }
        return Optional.empty();
    }

    /** A part of a flow-stats reply; the last part completes a measurement and reports it. */
    public void onReply(OFFlowStatsReply reply, long nowNanos) {
        if (!outstanding || aggregate || reply.getXid() != XID) {
            return;
        }
        for (OFFlowStatsEntry e : reply.getEntries()) {
            toCount(e).ifPresent(pending::add);
            leafCount(e).ifPresent(pendingLeaf::add);
        }
        if (reply.getFlags().contains(OFStatsReplyFlags.REPLY_MORE)) {
            return;
        }
        outstanding = false;
        Map<NodeId, Double> rates = meter.sample(List.copyOf(pending), owner, nowNanos);
        pending.clear();
        if (leafTable != null) {
            leafTotals();
            double leaves = leafMeter.sample(List.copyOf(pendingLeaf), k -> LEAVES, nowNanos).getOrDefault(LEAVES, 0.0);
            pendingLeaf.clear();
            rates.replaceAll((node, rate) -> Math.min(rate, leaves));
            rates.values().removeIf(rate -> rate <= 0);
        }
        Long previous = lastMeasuredNanos;
        lastMeasuredNanos = nowNanos;
        // No counter moved: OVS has not refreshed them since (see RateMeter), no news about a rise.
        if (meter.news()) {
            risen = false;
            for (var e : rates.entrySet()) {
                if (e.getValue() >= WARM_BYTES_PER_SECOND && e.getValue() > RISE * lastRates.getOrDefault(e.getKey(), 0.0)) {
                    risen = true;
                }
            }
        }
        lastRates = rates;
        boolean wasQuiet = quiet;
        quiet = previous != null && rates.isEmpty();
        // Reported even when empty: "no traffic any more" is news too, but only the first time (an
        // idle overlay's every poll would wake the node's control thread to hear nothing again).
        if (previous != null && !(quiet && wasQuiet)) {
            listener.report(new TrafficReport(datapathId, rates, (nowNanos - previous) / 1_000_000));
        }
    }

    /** Remembers the leaf table's counters as this full poll saw them, for the aggregates that follow. */
    private void leafTotals() {
        long bytes = 0;
        for (FlowCount c : pendingLeaf) {
            if (c.bytes() > 0) { // the switch's "unknown" (all ones) is left out of its aggregate too
                bytes += c.bytes();
            }
        }
        leafBytes = bytes;
        leafFlows = pendingLeaf.size();
    }

    /** A flow of the leaf table (source flows and its miss), keyed by its source and port; empty for other tables. */
    Optional<FlowCount> leafCount(OFFlowStatsEntry e) {
        if (leafTable == null || !e.getTableId().equals(leafTable)) {
            return Optional.empty();
        }
        MacAddress src = e.getMatch().get(MatchField.ETH_SRC);
        OFPort in = e.getMatch().get(MatchField.IN_PORT);
        long key = src == null ? Long.MIN_VALUE : src.getLong() | (in == null ? 0 : (long) in.getPortNumber() << 48);
        long age = e.getDurationSec() * 1_000_000_000L + e.getDurationNsec();
        return Optional.of(new FlowCount(key, e.getByteCount().getValue(), age));
    }

    /** A unicast forwarding flow's counter; table-miss and anything not keyed by one destination MAC is skipped. */
    Optional<FlowCount> toCount(OFFlowStatsEntry e) {
        if (!e.getTableId().equals(forwardingTable)) {
            return Optional.empty();
        }
        MacAddress dst = e.getMatch().get(MatchField.ETH_DST);
        // The group bit covers broadcast too (MacAddress.isMulticast() excludes broadcast).
        if (dst == null || (dst.getLong() & (1L << 40)) != 0 || e.getMatch().isPartiallyMasked(MatchField.ETH_DST)) {
            return Optional.empty();
        }
        long age = e.getDurationSec() * 1_000_000_000L + e.getDurationNsec();
        return Optional.of(new FlowCount(dst.getLong(), e.getByteCount().getValue(), age));
    }
}
