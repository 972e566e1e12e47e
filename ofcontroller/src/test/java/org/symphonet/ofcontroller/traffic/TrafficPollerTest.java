package org.symphonet.ofcontroller.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsReply;
import org.projectfloodlight.openflow.protocol.OFFlowStatsRequest;
import org.projectfloodlight.openflow.protocol.OFAggregateStatsRequest;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.protocol.OFStatsRequest;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;
import org.symphonet.ofcontroller.pipeline.Pipeline;
import org.symphonet.ofcontroller.view.NodeId;

class TrafficPollerTest {

    private static final long S = 1_000_000_000L;
    private static final NodeId REMOTE = new NodeId(1, 2);
    private static final MacAddress REMOTE_LEAF = MacAddress.of("02:88:00:00:00:05");
    private static final MacAddress LOCAL_LEAF = MacAddress.of("02:88:00:00:00:01");

    private final OFFactory f = OFFactories.getFactory(OFVersion.OF_13);
    private final List<TrafficReport> reports = new ArrayList<>();
    private final TrafficPoller poller = new TrafficPoller(42, f, Pipeline.FORWARD, 2, reports::add,
            mac -> mac == REMOTE_LEAF.getLong() ? REMOTE : null);

    @Test
    void asksForTheForwardingTableOncePerPeriod() {
        assertTrue(poller.onTick().isEmpty());
        Optional<OFStatsRequest<?>> req = poller.onTick();
        assertTrue(req.isPresent());
        assertEquals(Pipeline.FORWARD, ((OFFlowStatsRequest) req.get()).getTableId());
        assertEquals(TrafficPoller.XID, req.get().getXid());
        assertTrue(poller.onTick().isEmpty() && poller.onTick().isEmpty(), "one request outstanding at a time");
    }

    @Test
    void reportsTheRateTowardTheNodeBehindTheDestinationMac() {
        poll(0, reply(false, flow(REMOTE_LEAF, 1_000, 5), flow(LOCAL_LEAF, 50, 5), miss()));
        assertTrue(reports.isEmpty(), "first poll is the baseline");
        poll(2 * S, reply(false, flow(REMOTE_LEAF, 2_001_000, 7), flow(LOCAL_LEAF, 9_999_999, 7), miss()));
        assertEquals(1, reports.size());
        TrafficReport r = reports.get(0);
        assertEquals(42, r.datapathId());
        assertEquals(1_000_000.0, r.bytesPerSecond().get(REMOTE), 1e-6);
        assertEquals(1, r.bytesPerSecond().size(), "the local leaf's flow is not attributed");
        assertEquals(2000, r.intervalMillis());
    }

    @Test
    void aTransitBridgeCountsOnlyWhatItsOwnLeavesSend() {
        // On the ring path of a busy pair: 1 MB/s toward the remote leaf passes through from a peer,
        // while its own leaf sends 10 kB/s. The forwarding flow counts both; the leaf table only
        // the leaf's (frames from peers skip it), and no node is taken above that.
        TrafficPoller transit = new TrafficPoller(42, f, Pipeline.FORWARD, 2, reports::add,
                mac -> mac == REMOTE_LEAF.getLong() ? REMOTE : null, Pipeline.LEARN);
        assertEquals(org.projectfloodlight.openflow.types.TableId.ALL, request(transit).getTableId(), "both tables in one request");
        transit.onReply(reply(false, flow(REMOTE_LEAF, 1_000, 5), source(LOCAL_LEAF, 1, 100, 5), learnMiss(50)), 0);
        request(transit);
        transit.onReply(reply(false, flow(REMOTE_LEAF, 2_001_000, 7), source(LOCAL_LEAF, 1, 20_100, 7), learnMiss(50)), 2 * S);
        assertEquals(10_000.0, reports.get(0).bytesPerSecond().get(REMOTE), 1e-6, "at most what the leaves sent");
        // Its own leaf sends the heavy traffic: counted in full.
        request(transit);
        transit.onReply(reply(false, flow(REMOTE_LEAF, 6_001_000, 9), source(LOCAL_LEAF, 1, 4_020_100, 9), learnMiss(50)), 4 * S);
        assertEquals(2_000_000.0, reports.get(1).bytesPerSecond().get(REMOTE), 1e-6);
        // Only transit: nothing at all.
        request(transit);
        transit.onReply(reply(false, flow(REMOTE_LEAF, 8_001_000, 11), source(LOCAL_LEAF, 1, 4_020_100, 11), learnMiss(50)), 6 * S);
        assertTrue(reports.get(2).bytesPerSecond().isEmpty(), "no link asked for by a transit bridge: " + reports.get(2));
    }

    private static OFFlowStatsRequest request(TrafficPoller p) {
        Optional<OFStatsRequest<?>> req;
        do {
            req = p.onTick();
        } while (req.isEmpty());
        return (OFFlowStatsRequest) req.get();
    }

    private OFFlowStatsEntry source(MacAddress src, int port, long bytes, long ageSeconds) {
        return sourceFlow(f, src, port, bytes, ageSeconds);
    }

    static OFFlowStatsEntry sourceFlow(OFFactory f, MacAddress src, int port, long bytes, long ageSeconds) {
        return f.buildFlowStatsEntry().setTableId(Pipeline.LEARN).setPriority(100)
                .setMatch(f.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(port)).setExact(MatchField.ETH_SRC, src).build())
                .setByteCount(U64.of(bytes)).setDurationSec(ageSeconds).build();
    }

    private OFFlowStatsEntry learnMiss(long bytes) {
        return learnMissFlow(f, bytes);
    }

    static OFFlowStatsEntry learnMissFlow(OFFactory f, long bytes) {
        return f.buildFlowStatsEntry().setTableId(Pipeline.LEARN).setPriority(0).setMatch(f.buildMatch().build())
                .setByteCount(U64.of(bytes)).setDurationSec(600).build();
    }

    @Test
    void aMultipartReplyIsMeasuredWhenItsLastPartArrives() {
        poll(0, reply(false, flow(REMOTE_LEAF, 0, 1)));
        poller.onTick();
        poller.onTick();
        poller.onReply(reply(true, flow(LOCAL_LEAF, 0, 3)), 2 * S);
        assertTrue(reports.isEmpty(), "nothing before the last part");
        poller.onReply(reply(false, flow(REMOTE_LEAF, 4_000, 3)), 2 * S);
        assertEquals(2_000.0, reports.get(0).bytesPerSecond().get(REMOTE), 1e-6);
    }

    @Test
    void repliesToOtherRequestsAreIgnored() {
        poller.onTick();
        poller.onTick();
        OFFlowStatsReply foreign = f.buildFlowStatsReply().setXid(7).setEntries(List.of(flow(REMOTE_LEAF, 1, 1)))
                .setFlags(Set.of()).build();
        poller.onReply(foreign, S);
        poller.onReply(reply(false, flow(REMOTE_LEAF, 10, 1)), S); // still ours to answer: baseline
        poll(3 * S, reply(false, flow(REMOTE_LEAF, 20, 3)));
        assertEquals(5.0, reports.get(0).bytesPerSecond().get(REMOTE), 1e-9, "the foreign reply did not set the baseline");
    }

    @Test
    void aLostReplyIsGivenUpAndTheBaselineStartsOver() {
        poll(0, reply(false, flow(REMOTE_LEAF, 0, 1)));
        poller.onTick();
        assertTrue(poller.onTick().isPresent());
        int ticks = 0;
        while (poller.onTick().isEmpty()) {
            ticks++;
            assertTrue(ticks < 20, "never asked again");
        }
        poller.onReply(reply(false, flow(REMOTE_LEAF, 9_000_000, 1)), 20 * S);
        assertTrue(reports.stream().allMatch(r -> r.bytesPerSecond().isEmpty()), "after a lost reply the next one is a"
                + " baseline, not a burst: " + reports);
    }

    @Test
    void aQuietIntervalIsReportedEmpty() {
        poll(0, reply(false, flow(REMOTE_LEAF, 100, 1)));
        poll(2 * S, reply(false, flow(REMOTE_LEAF, 100, 3)));
        assertEquals(1, reports.size());
        assertTrue(reports.get(0).bytesPerSecond().isEmpty());
    }

    @Test
    void silenceIsReportedOnceUntilTrafficFlowsAgain() {
        poll(0, reply(false, flow(REMOTE_LEAF, 100, 1)));
        poll(S, reply(false, flow(REMOTE_LEAF, 100, 2)));
        poll(2 * S, reply(false, flow(REMOTE_LEAF, 100, 3)));
        poll(3 * S, reply(false, flow(REMOTE_LEAF, 100, 4)));
        assertEquals(1, reports.size(), "one empty report, not one per poll: " + reports);
        poll(4 * S, reply(false, flow(REMOTE_LEAF, 4_100, 5)));
        poll(6 * S, reply(false, flow(REMOTE_LEAF, 4_100, 7)));
        assertEquals(3, reports.size(), "traffic, then its end: " + reports);
        assertEquals(4_000.0, reports.get(1).bytesPerSecond().get(REMOTE), 1e-6);
        assertTrue(reports.get(2).bytesPerSecond().isEmpty());
    }

    @Test
    void aBadPeriodIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TrafficPoller(1, f, Pipeline.FORWARD, 0, r -> { }, m -> null));
    }

    @Test
    void flowsOfOtherTablesAndGroupDestinationsAreSkipped() {
        OFFlowStatsEntry otherTable = f.buildFlowStatsEntry().setTableId(TableId.of(1))
                .setMatch(f.buildMatch().setExact(MatchField.ETH_DST, REMOTE_LEAF).build()).setByteCount(U64.of(1)).build();
        OFFlowStatsEntry broadcast = flow(MacAddress.BROADCAST, 5, 1);
        assertTrue(poller.toCount(otherTable).isEmpty());
        assertTrue(poller.toCount(broadcast).isEmpty());
        assertTrue(poller.toCount(miss()).isEmpty());
        assertEquals(new FlowCount(REMOTE_LEAF.getLong(), 77, 3 * S + 5), poller.toCount(flow(REMOTE_LEAF, 77, 3)).orElseThrow());
    }

    @Test
    void aRisingRateIsFollowedUpAtTheNextTickUntilItStopsRising() {
        poll(0, reply(false, flow(REMOTE_LEAF, 0, 5)));
        assertTrue(poller.onTick().isEmpty(), "nothing rose yet: the regular period");
        poller.onTick();
        // Traffic started 0.1 s before this poll (2 ticks of 0.25 s): 100 kB over 0.5 s reads as 200 kB/s.
        poller.onReply(reply(false, flow(REMOTE_LEAF, 100_000, 7)), S / 2);
        assertEquals(200_000.0, reports.get(0).bytesPerSecond().get(REMOTE), 1e-6);
        assertTrue(poller.onTick().isPresent(), "the rise is followed up at the next tick");
        assertTrue(poller.onTick().isEmpty(), "one request outstanding at a time");
        // OVS refreshes counters every 0.5 s: growth seen a tick after the last is spread over 0.5 s.
        poller.onReply(reply(false, flow(REMOTE_LEAF, 400_000, 7)), S * 3 / 4);
        assertEquals(600_000.0, reports.get(1).bytesPerSecond().get(REMOTE), 1e-6, "the real rate, a tick later");
        assertTrue(poller.onTick().isPresent(), "slow start: still rising, followed up again");
        poller.onReply(reply(false, flow(REMOTE_LEAF, 400_000, 7)), S * 7 / 8);
        assertEquals(600_000.0, reports.get(2).bytesPerSecond().get(REMOTE), 1e-6, "not refreshed yet: its last rate");
        assertTrue(poller.onTick().isPresent(), "no news is no end of the rise");
        poller.onReply(reply(false, flow(REMOTE_LEAF, 1_000_000, 7)), S);
        assertEquals(1_200_000.0, reports.get(3).bytesPerSecond().get(REMOTE), 1e-6);
        assertTrue(poller.onTick().isPresent(), "doubled: followed up again");
        poller.onReply(reply(false, flow(REMOTE_LEAF, 1_600_000, 7)), S * 5 / 4);
        assertTrue(poller.onTick().isEmpty(), "steady now: back to the regular period");
        assertTrue(poller.onTick().isPresent());
    }

    @Test
    void nothingFlowingStretchesThePeriodUntilTrafficOrANewFlow() {
        poll(0, reply(false, flow(REMOTE_LEAF, 100, 5)));
        poll(S / 2, reply(false, flow(REMOTE_LEAF, 100, 5)));
        assertEquals(3, ticksUntilRequest(), "nothing flowed: one poll every 3 ticks, not every 2");
        poller.onReply(reply(false, flow(REMOTE_LEAF, 100, 6)), 3 * S / 2);
        poller.flowInstalled();
        assertTrue(poller.onTick().isPresent(), "a new conversation is still polled at the next tick");
        poller.onReply(reply(false, flow(REMOTE_LEAF, 5_100, 6)), 7 * S / 4);
        assertEquals(2, ticksUntilRequest(), "traffic flows: the regular period again");
    }

    private int ticksUntilRequest() {
        int ticks = 1;
        while (poller.onTick().isEmpty()) {
            ticks++;
        }
        return ticks;
    }

    @Test
    void aSteadyRateOrChatterGetsNoFollowUp() {
        poll(0, reply(false, flow(REMOTE_LEAF, 0, 5)));
        poll(S / 2, reply(false, flow(REMOTE_LEAF, 25_000, 7))); // 50 kB/s: chatter
        assertTrue(poller.onTick().isEmpty(), "chatter is no rise");
        poller.onTick();
        poller.onReply(reply(false, flow(REMOTE_LEAF, 1_025_000, 9)), S);
        assertTrue(poller.onTick().isPresent(), "2 MB/s after 50 kB/s is a rise");
        poller.onReply(reply(false, flow(REMOTE_LEAF, 1_525_000, 9)), S * 5 / 4);
        assertTrue(poller.onTick().isEmpty(), "2 MB/s after 2 MB/s is steady");
    }

    @Test
    void aNewFlowTowardARemoteNodeIsMeasuredAtTheNextTick() {
        poll(0, reply(false));
        poller.flowInstalled();
        assertTrue(poller.onTick().isPresent(), "measured at the next tick, not a period later");
        poller.onReply(reply(false, flow(REMOTE_LEAF, 10_000, 0)), S / 4);
        assertEquals(40_000.0, reports.get(0).bytesPerSecond().get(REMOTE), 1e-6, "over at least a tick");
        assertTrue(poller.onTick().isEmpty(), "chatter: the regular period again");
        poller.flowInstalled();
        poller.flowInstalled();
        assertTrue(poller.onTick().isPresent(), "new flows since the last request: one request for all of them");
        assertTrue(poller.onTick().isEmpty());
    }

    @Test
    void aPeriodIsCountedInTicks() {
        assertEquals(2, TrafficPoller.ticksOf(500));
        assertEquals(1, TrafficPoller.ticksOf(TrafficPoller.TICK_MILLIS));
        assertEquals(4, TrafficPoller.ticksOf(1_000));
        assertThrows(IllegalArgumentException.class, () -> TrafficPoller.ticksOf(100));
    }

    /**
     * The poller against a model of OVS: a flow's counter shows its bytes as of the revalidator's
     * last refresh (every 0.5 s, at phase {@code refreshPhase}); the bridge ticks the poller every
     * 0.25 s and the switch answers at once. Returns when a report first put the remote node at or
     * over {@code threshold}, in seconds after {@code start}, or -1 within {@code untilSeconds}.
     */
    private static double firstSeenAtOrOver(double rate, double start, double refreshPhase, double threshold,
                                            double untilSeconds) {
        OFFactory f = OFFactories.getFactory(OFVersion.OF_13);
        List<TrafficReport> seen = new ArrayList<>();
        TrafficPoller p = new TrafficPoller(42, f, Pipeline.FORWARD, TrafficPoller.ticksOf(500), seen::add,
                mac -> mac == REMOTE_LEAF.getLong() ? REMOTE : null);
        double tick = TrafficPoller.TICK_MILLIS / 1000.0;
        for (int k = 1; k * tick <= untilSeconds + start; k++) {
            double now = k * tick;
            if (p.onTick().isEmpty()) {
                continue;
            }
            double refreshed = refreshPhase + Math.floor((now - refreshPhase) / 0.5) * 0.5;
            long bytes = (long) (rate * Math.max(0, refreshed - start));
            OFFlowStatsEntry e = f.buildFlowStatsEntry().setTableId(Pipeline.FORWARD).setPriority(100)
                    .setMatch(f.buildMatch().setExact(MatchField.ETH_DST, REMOTE_LEAF).build())
                    .setByteCount(U64.of(bytes)).setDurationSec(600).build();
            int before = seen.size();
            p.onReply(f.buildFlowStatsReply().setXid(TrafficPoller.XID).setEntries(List.of(e)).setFlags(Set.of()).build(),
                    (long) (now * S));
            if (seen.size() > before && seen.get(before).bytesPerSecond().getOrDefault(REMOTE, 0.0) >= threshold
                    && now >= start) {
                return now - start;
            }
        }
        return -1;
    }

    @Test
    void aQuietBridgeAsksOnlyForItsLeafTablesSumAndPollsAtOnceWhenALeafSent() {
        TrafficPoller p = new TrafficPoller(42, f, Pipeline.FORWARD, 2, reports::add,
                mac -> mac == REMOTE_LEAF.getLong() ? REMOTE : null, Pipeline.LEARN);
        request(p);
        p.onReply(reply(false, flow(REMOTE_LEAF, 1_000, 5), source(LOCAL_LEAF, 1, 900, 5), learnMiss(50)), 0);
        request(p);
        p.onReply(reply(false, flow(REMOTE_LEAF, 1_000, 6), source(LOCAL_LEAF, 1, 900, 6), learnMiss(50)), S / 2);
        assertTrue(reports.get(0).bytesPerSecond().isEmpty(), "nothing flowed");
        Optional<OFStatsRequest<?>> next;
        int ticks = 0;
        do {
            next = p.onTick();
            ticks++;
        } while (next.isEmpty());
        assertEquals(3, ticks, "the quiet period");
        OFAggregateStatsRequest agg = (OFAggregateStatsRequest) next.orElseThrow();
        assertEquals(Pipeline.LEARN, agg.getTableId(), "only the leaf table's sum");
        assertTrue(p.onStatsReply(aggregate(2, 950), S + S / 4).isEmpty(), "the same sum: nothing sent, no poll");
        assertEquals(1, reports.size(), "and no report");
        assertTrue(p.onTick().isEmpty() && p.onTick().isEmpty());
        assertTrue(p.onTick().orElseThrow() instanceof OFAggregateStatsRequest, "still quiet: the sum again");
        // The leaf sent 500 kB toward the remote leaf since: the full poll goes out at once.
        OFStatsRequest<?> full = p.onStatsReply(aggregate(2, 500_950), 2 * S).orElseThrow();
        assertEquals(TableId.ALL, ((OFFlowStatsRequest) full).getTableId());
        p.onReply(reply(false, flow(REMOTE_LEAF, 501_000, 7), source(LOCAL_LEAF, 1, 500_900, 7), learnMiss(50)), 2 * S + S / 1000);
        // Measured over the 1-s span an idle flow's growth is spread over, not the 1.5 s since the last full poll.
        assertEquals(500_000.0, reports.get(1).bytesPerSecond().get(REMOTE), 1e-6);
        assertTrue(p.onTick().orElseThrow() instanceof OFFlowStatsRequest, "a rise: followed up with full polls");
    }

    @Test
    void aQuietBridgeWithoutALeafTableKeepsPollingAllFlows() {
        poll(0, reply(false, flow(REMOTE_LEAF, 100, 5)));
        poll(S / 2, reply(false, flow(REMOTE_LEAF, 100, 5)));
        assertEquals(3, ticksUntilRequest());
        poller.onReply(reply(false, flow(REMOTE_LEAF, 100, 6)), 3 * S / 2);
        Optional<OFStatsRequest<?>> next;
        do {
            next = poller.onTick();
        } while (next.isEmpty());
        assertTrue(next.get() instanceof OFFlowStatsRequest r && r.getTableId().equals(Pipeline.FORWARD),
                "a flow-stats request of the forwarding table, not an aggregate: " + next.get());
    }

    private org.projectfloodlight.openflow.protocol.OFAggregateStatsReply aggregate(long flows, long bytes) {
        return f.buildAggregateStatsReply().setXid(TrafficPoller.XID).setFlowCount(flows).setByteCount(U64.of(bytes))
                .setPacketCount(U64.of(1)).setFlags(Set.of()).build();
    }

    @Test
    void heavyTrafficIsSeenAtTheThresholdWithinOneAndAQuarterSecondsWhateverThePhases() {
        // 20 Mbit/s (2.5 MB/s) against the default 1 MB/s, starting at any moment against the
        // poller's ticks (over a whole second: an idle flow is polled every 750 ms) and OVS's refreshes (issue 15: traffic start to flow on the link <= 2 s).
        // The bound: the first refresh after the start may show only a sliver (diluted over the
        // 1-s span of an idle flow), the next comes 0.5 s later, and a tick may pass before a poll
        // sees it. The 1-s polls with one 300-ms follow-up before took 0.96 s on average and up to
        // 1.54 s in this model.
        assertSeenWithinOneAndAQuarterSeconds("full polls", (start, phase) -> firstSeenAtOrOver(2_500_000, start, phase, 1_000_000, 5));
    }

    /**
     * {@code seenAfter(start, phase)}: when 2.5 MB/s starting at {@code start} s was first measured at
     * the 1 MB/s threshold with OVS's refreshes at {@code phase}; tried over a second of starts.
     */
    static void assertSeenWithinOneAndAQuarterSeconds(String model, java.util.function.DoubleBinaryOperator seenAfter) {
        double worst = 0;
        double sum = 0;
        int n = 0;
        for (double start = 5; start < 6; start += 0.01) {
            for (double phase = 0; phase < 0.5; phase += 0.05) {
                double t = seenAfter.applyAsDouble(start, phase);
                assertTrue(t >= 0, "never seen, start " + start + " refresh phase " + phase);
                worst = Math.max(worst, t);
                sum += t;
                n++;
            }
        }
        System.out.printf("%s: 2.5 MB/s seen at 1 MB/s after %.2f s on average, %.2f s at worst%n", model, sum / n, worst);
        assertTrue(worst <= 1.25, "worst " + worst + " s");
        assertTrue(sum / n <= 0.9, "average " + sum / n + " s");
    }

    @Test
    void aSteadyFlowUnderTheThresholdNeverReadsOverIt() {
        // 700 kB/s, steady: quantized refreshes must not read as 1 MB/s (a refresh's 0.5 s of bytes in
        // a shorter poll interval). The 300-ms follow-up before read it so at every refresh phase.
        for (double phase = 0; phase < 0.5; phase += 0.01) {
            assertEquals(-1, firstSeenAtOrOver(700_000, 0, phase, 1_000_000, 30), 1e-9, "refresh phase " + phase);
        }
    }

    private void poll(long nowNanos, OFFlowStatsReply reply) {
        Optional<OFStatsRequest<?>> req;
        do {
            req = poller.onTick();
        } while (req.isEmpty());
        poller.onReply(reply, nowNanos);
    }

    private OFFlowStatsReply reply(boolean more, OFFlowStatsEntry... entries) {
        return f.buildFlowStatsReply().setXid(TrafficPoller.XID).setEntries(List.of(entries))
                .setFlags(more ? Set.of(OFStatsReplyFlags.REPLY_MORE) : Set.of()).build();
    }

    private OFFlowStatsEntry flow(MacAddress dst, long bytes, long ageSeconds) {
        return f.buildFlowStatsEntry().setTableId(Pipeline.FORWARD).setPriority(100)
                .setMatch(f.buildMatch().setExact(MatchField.ETH_DST, dst).build())
                .setInstructions(List.of(f.instructions().applyActions(List.of(f.actions().output(OFPort.of(3), 0xffff)))))
                .setByteCount(U64.of(bytes)).setDurationSec(ageSeconds).setDurationNsec(ageSeconds == 3 ? 5 : 0).build();
    }

    private OFFlowStatsEntry miss() {
        return f.buildFlowStatsEntry().setTableId(Pipeline.FORWARD).setPriority(0).setMatch(f.buildMatch().build())
                .setByteCount(U64.of(123_456)).build();
    }
}
