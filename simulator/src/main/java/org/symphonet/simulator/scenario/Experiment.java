package org.symphonet.simulator.scenario;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

import org.symphonet.overlay.topology.Admission;
import org.symphonet.overlay.link.LinkInfo;
import org.symphonet.overlay.topology.LinkRole;
import org.symphonet.simulator.bridge.LeafFrames;
import org.symphonet.simulator.event.NodeFails;
import org.symphonet.simulator.event.NodeJoins;
import org.symphonet.simulator.event.Originate;
import org.symphonet.simulator.overlay.Overlay;
import org.symphonet.simulator.overlay.SimNode;
import org.symphonet.simulator.report.HeapMeter;
import org.symphonet.simulator.report.RunResult;
import org.symphonet.simulator.report.Samples;

/**
 * One run, in phases: mass join until settled; quiet broadcasts and unicast walks; hot pairs for
 * on-demand links; f simultaneous crashes until healed; churn with broadcasts in flight. Each
 * phase starts from where the previous one left the overlay.
 */
public final class Experiment implements Overlay.Hooks {

    private static final long SEC = 1_000_000_000L;
    private static final long CHECK_NANOS = 250_000_000L;

    private static final long PROGRESS_NANOS = 10 * SEC;

    private final RunConfig cfg;
    private final Consumer<String> progress;
    private long lastProgress;
    private String phase = "join";
    private long wallStart;
    private final BroadcastLedger ledger = new BroadcastLedger();
    private final Random scenario;
    private Overlay overlay;
    private RingObserver observer;
    private boolean trackComponents;
    private int maxComponents;
    private long ringAt = -1;
    private long settledAt = -1;
    private long nextBroadcast = 1;
    private long checks;

    public Experiment(RunConfig cfg) {
        this(cfg, line -> { });
    }

    /** @param progress receives a line per phase and every 10 simulated seconds of a long phase */
    public Experiment(RunConfig cfg, Consumer<String> progress) {
        this.cfg = cfg;
        this.progress = progress;
        this.scenario = new Random(cfg.seed() ^ 0x2545F4914F6CDD1DL);
    }

    public RunResult run() {
        long wall0 = System.nanoTime();
        wallStart = wall0;
        long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        HeapMeter heap = new HeapMeter();
        int joiners = cfg.churn() > 0 ? Math.max(1, (int) Math.round(cfg.churn() * cfg.n())) : 0;
        overlay = new Overlay(cfg.settings(), cfg.latency(), cfg.loss(), cfg.seed(), ledger, this, CHECK_NANOS);
        observer = new RingObserver(overlay, cfg.s());
        for (int i = 0; i < cfg.n(); i++) {
            overlay.startOnline(overlay.createNode());
        }
        // Joiners get their IDs now, so the join phase draws the same IDs whatever churn does later.
        List<SimNode> joining = new ArrayList<>();
        for (int i = 0; i < joiners; i++) {
            joining.add(overlay.createNode());
        }
        overlay.start();

        // 1. Mass join.
        long limit = (long) (cfg.limitSec() * SEC);
        awaitSettled(limit);
        double joinRing = seconds(ringAt, 0);
        double joinSettled = seconds(settledAt, 0);
        double heapLive = heap.liveMb();
        say("join: ring complete at " + fmt(joinRing) + " s, settled at " + fmt(joinSettled) + " s");
        phase = "broadcasts";
        Samples links = new Samples();
        for (SimNode node : overlay.nodes()) {
            if (node.alive()) {
                links.add(node.upLinkCount());
            }
        }

        // 2. Quiet broadcasts from distinct roots, then unicast back to each root along learned MACs.
        List<SimNode> live = observer.liveRing();
        List<SimNode> roots = pickDistinct(live, Math.min(cfg.broadcasts(), live.size()));
        long countersBefore = frbSentByCounters();
        Samples depth = new Samples();
        boolean frbsExact = true;
        boolean deliveriesExact = true;
        long frbTotal = 0;
        for (SimNode root : roots) {
            BroadcastLedger.Tally t = broadcastAndDrain(root);
            depth.addAll(t.depths());
            frbTotal += t.frbs();
            frbsExact &= t.frbs() == live.size() - 1;
            deliveriesExact &= t.exactlyOnce() && t.expectedCount() == live.size() - 1;
        }
        if (frbSentByCounters() - countersBefore != frbTotal) {
            throw new IllegalStateException("bridge counters and the wire disagree on FRBs sent");
        }
        UnicastProbe unicast = new UnicastProbe();
        Random sampler = new Random(cfg.seed() + 17);
        for (SimNode root : roots) {
            unicast.walkTo(overlay, root, live, cfg.unicastSamples(), sampler);
        }

        say("broadcasts: " + roots.size() + " quiet broadcasts, " + unicast.hops().size() + " unicast walks");
        phase = "hot pairs";
        // 3. Hot pairs: their switches report heavy traffic; the real tracker asks for on-demand links.
        int onDemandUp = 0;
        if (cfg.hotPairs() > 0 && live.size() > 3) {
            for (int i = 0; i < cfg.hotPairs(); i++) {
                List<SimNode> pair = pickDistinct(live, 2);
                overlay.reportTraffic(pair.get(0), pair.get(1).id(), 10.0 * overlay.settings().onDemandThreshold());
                overlay.reportTraffic(pair.get(1), pair.get(0).id(), 10.0 * overlay.settings().onDemandThreshold());
            }
            overlay.runUntil(overlay.now() + 5 * overlay.settings().roundNanos(), () -> false);
            awaitSettled(limit);
            for (SimNode node : overlay.nodes()) {
                for (LinkInfo l : node.links()) {
                    if ("up".equals(l.phase()) && l.outbound() && l.role() == LinkRole.ON_DEMAND) {
                        onDemandUp++;
                    }
                }
            }
        }

        // 4. f simultaneous crashes; the ring must never split and must heal.
        double heal = Double.NaN;
        double healRing = Double.NaN;
        int compFailure = 0;
        boolean postHealExact = true;
        if (cfg.failures() > 0) {
            phase = "heal";
            List<SimNode> ring = observer.liveRing();
            List<SimNode> victims = new ArrayList<>();
            if (cfg.consecutive()) {
                int start = scenario.nextInt(ring.size());
                for (int i = 0; i < cfg.failures(); i++) {
                    victims.add(ring.get((start + i) % ring.size()));
                }
            } else {
                victims.addAll(pickDistinct(ring, cfg.failures()));
            }
            long t0 = overlay.now();
            for (SimNode v : victims) {
                overlay.schedule(t0, new NodeFails(v.index()));
            }
            trackComponents = true;
            maxComponents = 0;
            overlay.runUntil(t0, () -> false); // the crashes themselves, before looking for the heal
            awaitSettled(limit);
            trackComponents = false;
            compFailure = Math.max(maxComponents, observer.components());
            heal = seconds(settledAt, t0);
            healRing = seconds(ringAt, t0);
            List<SimNode> after = observer.liveRing();
            BroadcastLedger.Tally t = broadcastAndDrain(after.get(scenario.nextInt(after.size())));
            postHealExact = t.frbs() == after.size() - 1 && t.exactlyOnce() && t.expectedCount() == after.size() - 1;
            say("heal: " + cfg.failures() + " crashed, ring complete after " + fmt(healRing) + " s, settled after "
                    + fmt(heal) + " s");
        }

        // 5. Churn: crashes and joins spread over a window, broadcasts in flight meanwhile.
        int churnBroadcasts = 0;
        long churnDup = 0;
        long churnMiss = 0;
        long churnExpected = 0;
        int compChurn = 0;
        if (joiners > 0) {
            phase = "churn";
            long t0 = overlay.now();
            long window = (long) (cfg.churnWindowSec() * SEC);
            List<SimNode> ring = observer.liveRing();
            List<SimNode> stay = new ArrayList<>(ring);
            List<SimNode> leaving = pickDistinct(ring, Math.min(joiners, ring.size() - 2));
            stay.removeAll(leaving);
            for (SimNode v : leaving) {
                overlay.schedule(t0 + (long) (scenario.nextDouble() * window), new NodeFails(v.index()));
            }
            for (SimNode j : joining) {
                overlay.schedule(t0 + (long) (scenario.nextDouble() * window), new NodeJoins(j.index()));
            }
            List<Long> ids = new ArrayList<>();
            for (int b = 0; b < cfg.churnBroadcasts(); b++) {
                long id = nextBroadcast++;
                ids.add(id);
                SimNode root = stay.get(scenario.nextInt(stay.size()));
                overlay.schedule(t0 + window * (b + 1) / (cfg.churnBroadcasts() + 1), new Originate(root.index(), id));
            }
            long dupBefore = duplicatesByCounters();
            trackComponents = true;
            maxComponents = 0;
            overlay.runUntil(t0 + window, () -> false);
            awaitSettled(limit);
            trackComponents = false;
            compChurn = maxComponents;
            churnDup = duplicatesByCounters() - dupBefore;
            for (long id : ids) {
                BroadcastLedger.Tally t = ledger.tally(id);
                if (t != null) {
                    churnBroadcasts++;
                    churnMiss += t.misses();
                    churnExpected += t.expectedCount();
                }
            }
            say("churn: " + leaving.size() + " crashed and " + joining.size() + " joined; missed " + churnMiss + " of "
                    + churnExpected + " deliveries");
        }
        double cpu = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0) / 1e9;

        long busy = overlay.verdicts().getOrDefault(Admission.Verdict.REJECT_BUSY, 0L);
        long dupRejects = overlay.verdicts().getOrDefault(Admission.Verdict.REJECT_DUPLICATE, 0L);
        return new RunResult(cfg.n(), cfg.s(), cfg.kLabel(), cfg.shortcuts(), cfg.effectiveMaxLinks(), cfg.seed(),
                joinRing, joinSettled, links.mean(), links.max(), roots.isEmpty() ? 0
                : (double) frbTotal / roots.size(), frbsExact, deliveriesExact, roots.size(), depth, unicast.hops(),
                unicast.failures(), cfg.failures(), healRing, heal, compFailure, postHealExact, churnBroadcasts, churnDup,
                churnMiss, churnExpected, compChurn, onDemandUp, busy, dupRejects, overlay.eventsFired(),
                (System.nanoTime() - wall0) / 1e9, cpu, heapLive, heap.peakMb());
    }

    /** Runs until the observer sees the overlay settled, or {@code limit} of simulated time passes. */
    private void awaitSettled(long limit) {
        ringAt = -1;
        settledAt = -1;
        overlay.runUntil(overlay.now() + limit, () -> settledAt >= 0);
    }

    private BroadcastLedger.Tally broadcastAndDrain(SimNode root) {
        long id = nextBroadcast++;
        originate(root, id);
        overlay.runUntil(Long.MAX_VALUE, () -> overlay.frbInFlight() == 0);
        return ledger.tally(id);
    }

    @Override
    public void originate(SimNode root, long broadcast) {
        BitSet expected = new BitSet(overlay.nodes().size());
        for (SimNode node : overlay.nodes()) {
            if (node.alive() && node.everLinked() && node != root) {
                expected.set(node.index());
            }
        }
        ledger.begin(broadcast, root.index(), expected);
        root.bridge().originate(LeafFrames.broadcast(root.index(), broadcast));
    }

    @Override
    public void frbSent(long broadcast) {
        ledger.frbSent(broadcast);
    }

    @Override
    public void check() {
        if (overlay.now() - lastProgress >= PROGRESS_NANOS) {
            lastProgress = overlay.now();
            say(phase + " at " + fmt(overlay.now() / 1e9) + " s: " + observer.blockers());
        }
        // Connectivity costs O(n + links): once a simulated second is enough to catch a split,
        // which lasts until a dead interval has passed at the very least.
        if (trackComponents && ++checks % 4 == 0) {
            maxComponents = Math.max(maxComponents, observer.components());
        }
        if (settledAt >= 0) {
            return;
        }
        if (ringAt < 0 && observer.ringComplete()) {
            ringAt = overlay.now();
        }
        if (ringAt >= 0 && observer.settled()) {
            settledAt = overlay.now();
        }
    }

    private List<SimNode> pickDistinct(List<SimNode> from, int count) {
        Set<Integer> chosen = new HashSet<>();
        List<SimNode> out = new ArrayList<>(count);
        while (out.size() < count) {
            int i = scenario.nextInt(from.size());
            if (chosen.add(i)) {
                out.add(from.get(i));
            }
        }
        return out;
    }

    private long frbSentByCounters() {
        long sum = 0;
        for (SimNode node : overlay.nodes()) {
            sum += node.bridge().counters().frbSent.sum();
        }
        return sum;
    }

    private long duplicatesByCounters() {
        long sum = 0;
        for (SimNode node : overlay.nodes()) {
            sum += node.bridge().counters().frbDuplicates.sum();
        }
        return sum;
    }

    private void say(String line) {
        progress.accept(String.format(java.util.Locale.ROOT, "[n=%d k=%s, wall %.0f s, %,d events] %s", cfg.n(),
                cfg.kLabel(), (System.nanoTime() - wallStart) / 1e9, overlay.eventsFired(), line));
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.1f", v);
    }

    private static double seconds(long at, long from) {
        return at < 0 ? Double.NaN : (at - from) / 1e9;
    }

    /** The overlay after {@link #run}, for tests that look deeper than the result. */
    public Overlay overlay() {
        return overlay;
    }

}
