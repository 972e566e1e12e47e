package org.symphonet.ofcontroller.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFAggregateStatsRequest;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsRequest;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.U64;
import org.symphonet.ofcontroller.pipeline.Pipeline;
import org.symphonet.ofcontroller.session.SwitchChannel;
import org.symphonet.ofcontroller.view.NodeId;

/**
 * The poller on its clock against a model of OVS and of the session's timers: how often an idle
 * bridge's thread wakes, and how soon traffic toward a remote node is measured at the on-demand
 * threshold, whatever the phases.
 */
class TrafficClockTest {

    private static final long S = 1_000_000_000L;
    private static final NodeId REMOTE = new NodeId(1, 2);
    private static final MacAddress REMOTE_LEAF = MacAddress.of("02:88:00:00:00:05");
    private static final MacAddress LOCAL_LEAF = MacAddress.of("02:88:00:00:00:01");
    private static final OFFactory F = OFFactories.getFactory(OFVersion.OF_13);

    /**
     * A switch whose flow counters show the bytes a leaf sent toward the remote leaf (from
     * {@code start} on, at {@code rate}) as of OVS's last refresh (every 0.5 s at {@code phase}); it
     * answers every request 1 ms after it, and runs the session's timers. Counts the bridge
     * thread's wake-ups: timer tasks and replies.
     */
    private static final class ModelSwitch implements SwitchChannel {
        private record Event(double at, long seq, Runnable task) {
        }

        private final PriorityQueue<Event> events = new PriorityQueue<>((a, b) -> a.at != b.at
                ? Double.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
        private final double rate;
        private final double start;
        private final double phase;
        private final List<TrafficReport> reports = new ArrayList<>();
        private final List<Double> reportTimes = new ArrayList<>();
        private final TrafficClock clock;
        private double now;
        private long seq;
        private int wakeUps;
        private int fullPolls;

        ModelSwitch(double rate, double start, double phase) {
            this.rate = rate;
            this.start = start;
            this.phase = phase;
            TrafficPoller poller = new TrafficPoller(42, F, Pipeline.FORWARD, TrafficPoller.ticksOf(500), r -> {
                reports.add(r);
                reportTimes.add(now);
            }, mac -> mac == REMOTE_LEAF.getLong() ? REMOTE : null, Pipeline.LEARN);
            clock = new TrafficClock(poller, this);
        }

        @Override
        public void send(OFMessage m) {
            double asked = now;
            long bytes = bytes(asked);
            if (m instanceof OFFlowStatsRequest) {
                fullPolls++;
            }
            at(asked + 0.001, () -> clock.onStatsReply(m instanceof OFAggregateStatsRequest
                    ? F.buildAggregateStatsReply().setXid(m.getXid()).setFlowCount(2).setByteCount(U64.of(bytes + 1_000))
                            .setPacketCount(U64.of(1)).setFlags(Set.of()).build()
                    : F.buildFlowStatsReply().setXid(m.getXid()).setFlags(Set.of()).setEntries(List.of(
                            forward(bytes), TrafficPollerTest.sourceFlow(F, LOCAL_LEAF, 1, bytes + 1_000, 600),
                            TrafficPollerTest.learnMissFlow(F, 0))).build(), (long) (now * S)));
        }

        @Override
        public void flush() {
        }

        @Override
        public void schedule(long millis, Runnable task) {
            at(now + millis / 1000.0, task);
        }

        private void at(double t, Runnable task) {
            events.add(new Event(t, seq++, task));
        }

        /** Runs until {@code until} s; returns when a report first put the remote node at or over {@code threshold}, or -1. */
        double runUntilSeen(double threshold, double until) {
            clock.start();
            while (!events.isEmpty() && events.peek().at <= until) {
                Event e = events.poll();
                now = e.at;
                int before = reports.size();
                e.task.run();
                wakeUps++;
                for (int i = before; i < reports.size(); i++) {
                    if (reports.get(i).bytesPerSecond().getOrDefault(REMOTE, 0.0) >= threshold && now >= start) {
                        return now - start;
                    }
                }
            }
            return -1;
        }

        private long bytes(double t) {
            double refreshed = phase + Math.floor((t - phase) / 0.5) * 0.5;
            return (long) (rate * Math.max(0, refreshed - start));
        }
    }

    @Test
    void anIdleBridgeWakesForOneLeafTableSumPerQuietPeriod() {
        ModelSwitch sw = new ModelSwitch(0, 1_000, 0.2);
        sw.runUntilSeen(1, 60);
        System.out.printf("idle bridge: %d wake-ups and %d full polls in 60 s%n", sw.wakeUps, sw.fullPolls);
        // First 1.5 s: full polls until the bridge knows it is quiet; then one tick and one small
        // reply per 0.75 s: 2.7 wake-ups a second (5.3 with a tick every 0.25 s and full polls).
        assertTrue(sw.wakeUps <= 2 * 60 / 0.75 + 6, "wake-ups in 60 s: " + sw.wakeUps);
        assertTrue(sw.fullPolls <= 3, "full polls while nothing flows: " + sw.fullPolls);
        assertEquals(1, sw.reports.size(), "silence reported once: " + sw.reports);
    }

    @Test
    void heavyTrafficStartingOnAnIdleBridgeIsSeenWithinOneAndAQuarterSeconds() {
        // As TrafficPollerTest's model, now with the clock parked between the quiet looks.
        TrafficPollerTest.assertSeenWithinOneAndAQuarterSeconds("parked clock",
                (start, phase) -> new ModelSwitch(2_500_000, start, phase).runUntilSeen(1_000_000, start + 5));
    }

    @Test
    void aSteadyFlowUnderTheThresholdNeverReadsOverIt() {
        for (double phase = 0; phase < 0.5; phase += 0.05) {
            assertEquals(-1, new ModelSwitch(700_000, 3, phase).runUntilSeen(1_000_000, 40), 1e-9, "refresh phase " + phase);
        }
    }

    @Test
    void aNewFlowWakesAParkedClockForTheNextTick() {
        ModelSwitch sw = new ModelSwitch(0, 1_000, 0);
        sw.runUntilSeen(1, 10.3); // parked by now
        int polls = sw.fullPolls;
        sw.now = 10.3;
        sw.clock.flowInstalled();
        double until = 10.3 + TrafficPoller.TICK_MILLIS / 1000.0 + 0.002;
        while (!sw.events.isEmpty() && sw.events.peek().at <= until) {
            Runnable task = sw.events.peek().task;
            sw.now = sw.events.poll().at;
            task.run();
        }
        assertEquals(polls + 1, sw.fullPolls, "a full poll at the next tick, not the next quiet look");
    }

    private static OFFlowStatsEntry forward(long bytes) {
        return F.buildFlowStatsEntry().setTableId(Pipeline.FORWARD).setPriority(100)
                .setMatch(F.buildMatch().setExact(MatchField.ETH_DST, REMOTE_LEAF).build())
                .setByteCount(U64.of(bytes)).setDurationSec(600).build();
    }

}
