package org.symphonet.overlay.topology;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.overlay.config.OverlayConfig;

/**
 * The topology state of one overlay on one node, and the one call the node makes per round.
 * Immutable and free of clocks, threads and I/O: the caller passes time and randomness in and
 * keeps the returned state, so a simulator can drive thousands of these in one thread.
 */
public final class OverlayTopology {

    /** One round's outcome: what is wanted, what to do now, and the state for the next round. */
    public record Round(DesiredLinks desired, List<LinkStep> steps, OverlayTopology next) {
    }

    private final NodeId self;
    private final SymphonyParams params;
    private final LinkSelector selector;
    private final LinkPlanner planner;
    private final List<NodeId> shortcuts;
    private final OnDemandTracker traffic;
    private final Map<NodeId, Long> unwantedSince;

    private OverlayTopology(NodeId self, SymphonyParams params, LinkSelector selector, LinkPlanner planner,
                            List<NodeId> shortcuts, OnDemandTracker traffic, Map<NodeId, Long> unwantedSince) {
        this.self = self;
        this.params = params;
        this.selector = selector;
        this.planner = planner;
        this.shortcuts = List.copyOf(shortcuts);
        this.traffic = traffic;
        this.unwantedSince = Map.copyOf(unwantedSince);
    }

    public static OverlayTopology start(NodeId self, SymphonyParams params, PlannerSettings settings,
                                        long onDemandThreshold, Duration onDemandIdle) {
        return new OverlayTopology(self, params, new LinkSelector(params), new LinkPlanner(settings), List.of(),
                new OnDemandTracker(onDemandThreshold, onDemandIdle), Map.of());
    }

    public static OverlayTopology start(NodeId self, OverlayConfig config, PlannerSettings settings) {
        return start(self, SymphonyParams.of(config), settings, config.onDemand().threshold(),
                config.onDemand().idle());
    }

    public NodeId self() {
        return self;
    }

    public SymphonyParams params() {
        return params;
    }

    /** Feeds one traffic report from the switch (bytes per second toward {@code peer}'s bridge). */
    public OverlayTopology withTraffic(NodeId peer, double bytesPerSecond, long nowMillis) {
        if (peer.equals(self)) {
            return this;
        }
        return new OverlayTopology(self, params, selector, planner, shortcuts,
                traffic.report(peer, bytesPerSecond, nowMillis), unwantedSince);
    }

    /**
     * One round: recompute the wanted links and the steps toward them.
     *
     * @param online  members seen online by presence, minus peers the link manager is backing off
     *                from. Peers with a live tunnel count as online even if their presence is gone:
     *                a working tunnel is better evidence than an XMPP server's view.
     * @param current this overlay's links by peer (pending and up, both directions)
     */
    public Round round(Set<NodeId> online, Map<NodeId, LinkState> current, long nowMillis, Random random) {
        Set<NodeId> alive = new HashSet<>(online);
        current.values().stream().filter(LinkState::up).forEach(l -> alive.add(l.peer()));
        return round(RingMembers.of(self, alive), current, nowMillis, random);
    }

    /**
     * One round over a view the caller has built already: presence minus the peers in backoff,
     * plus peers with a live tunnel (what the other {@code round} builds from a set). A simulator
     * keeps one sorted presence snapshot for all its nodes and hands each of them a view of it.
     *
     * @param alive   the members this node can link to now, self left out
     * @param current this overlay's links by peer (pending and up, both directions)
     */
    public Round round(RingMembers alive, Map<NodeId, LinkState> current, long nowMillis, Random random) {
        if (!alive.self().equals(self)) {
            throw new IllegalArgumentException("view of " + alive.self() + " handed to the topology of " + self);
        }
        OnDemandTracker t = traffic.expire(nowMillis);
        DesiredLinks desired = selector.select(alive, shortcuts, t.wanted(nowMillis), random);
        LinkPlanner.Plan plan = planner.plan(current, desired, unwantedSince, params.maxLinks(), nowMillis);
        OverlayTopology next = new OverlayTopology(self, params, selector, planner,
                rememberShortcuts(desired, alive), t, plan.unwantedSince());
        return new Round(desired, plan.steps(), next);
    }

    /**
     * The shortcuts to prefer next round: this round's, then earlier ones that are still alive.
     * The surplus matters when {@code floor(log2 n)} dips for a moment (a peer blinks): when it
     * comes back up, the old shortcut is reused instead of a fresh random one.
     */
    private List<NodeId> rememberShortcuts(DesiredLinks desired, RingMembers alive) {
        List<NodeId> keep = new java.util.ArrayList<>(desired.shortcuts());
        for (NodeId p : shortcuts) {
            if (keep.size() < params.maxShortcuts() && alive.contains(p) && !keep.contains(p)
                    && !desired.successors().contains(p)) {
                keep.add(p);
            }
        }
        return keep;
    }

    /** The answer to an inbound link-request from {@code requester}. */
    public Admission.Verdict admit(NodeId requester, LinkRole role, Map<NodeId, LinkState> current) {
        return Admission.decide(self, requester, role, current, params.maxLinks());
    }
}
