package org.symphonet.simulator.overlay;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.symphonet.ofcontroller.flood.BoundRule;
import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.overlay.topology.DesiredLinks;
import org.symphonet.overlay.topology.LinkPlanner;
import org.symphonet.overlay.topology.LinkState;
import org.symphonet.overlay.topology.LinkStep;
import org.symphonet.overlay.topology.SymphonyParams;
import org.symphonet.simulator.event.Round;
import org.symphonet.simulator.ring.LinkChoice;
import org.symphonet.simulator.ring.Membership;
import org.symphonet.simulator.ring.RingView;

/**
 * A node's topology round, in the order {@code OverlayTopology.round} does it: the presence it
 * has seen plus live tunnels, the link choice, the real {@link LinkPlanner}, then the planner's
 * steps taken as {@code LinkManager.round} takes them (an Add waits for the peer's retry time).
 * Afterwards the controller's ring-gap check (the real {@link BoundRule#ringGap}).
 */
final class Rounds {

    private final Overlay overlay;
    private final LinkChoice choice;
    private final LinkPlanner planner;
    private final SymphonyParams params;

    Rounds(Overlay overlay, LinkChoice choice) {
        this.overlay = overlay;
        this.choice = choice;
        this.params = overlay.settings.params();
        this.planner = new LinkPlanner(overlay.settings.planner());
    }

    /** Schedules the first round of a node that just came online, at a random phase. */
    void startTimer(SimNode node, long delayNanos) {
        node.roundGeneration++;
        overlay.queue.after(delayNanos, new Round(node.index, node.roundGeneration));
    }

    void onRound(Round r) {
        SimNode node = overlay.node(r.node());
        if (!node.alive || r.generation() != node.roundGeneration) {
            return;
        }
        long now = overlay.queue.now();
        long nowMillis = now / 1_000_000L;
        Membership seen = overlay.presence.visibleAt(now - overlay.settings.presenceDelayNanos());
        node.view = seen;
        node.bridge.setMembers(seen);
        // OverlayTopology.round's contract: presence minus the peers in backoff (so a busy shortcut
        // is replaced). With backoffLeavesView off, LinkManager's present behaviour: they stay
        // wanted and their Add steps wait for the retry time.
        List<NodeId> backoff = new ArrayList<>();
        if (overlay.settings.backoffLeavesView()) {
            node.retryAt.forEach((peer, at) -> {
                if (at > now) {
                    backoff.add(peer);
                }
            });
        }
        List<NodeId> up = node.bridge.peers();
        RingView view = new RingView(node.id, seen, up, node.bridge.peerIndices(), backoff);
        node.traffic = node.traffic.expire(nowMillis);
        DesiredLinks desired = choice.select(view, node.shortcuts, node.traffic.wanted(nowMillis),
                roundSeed(node.seed, node.rounds++));
        LinkPlanner.Plan plan = planner.plan(node.links, desired, node.unwantedSince, params.maxLinks(), nowMillis);
        node.unwantedSince = plan.unwantedSince();
        node.shortcuts = rememberShortcuts(node.shortcuts, desired, view);
        node.desired = desired;

        int adds = 0;
        for (LinkStep step : plan.steps()) {
            if (step instanceof LinkStep.Add add) {
                if (!node.links.containsKey(add.peer()) && node.retryAt.getOrDefault(add.peer(), 0L) <= now) {
                    overlay.negotiation.start(node, add.peer(), add.role());
                    adds++;
                }
            } else if (step instanceof LinkStep.Remove remove) {
                overlay.negotiation.close(node, remove.peer());
            } else if (step instanceof LinkStep.Retag retag) {
                LinkState l = node.links.get(retag.peer());
                node.links.put(retag.peer(), new LinkState(retag.peer(), retag.role(), l.outbound(), l.up()));
            }
        }
        node.lastAdds = adds;
        checkRingGap(node, seen, up);
        overlay.queue.after(overlay.settings.roundNanos(), new Round(node.index, node.roundGeneration));
    }

    /**
     * The controller's check: a member between self and its first peer clockwise. Only the few
     * members in that window are passed, which gives ringGap's answer without an O(n) scan.
     */
    private static void checkRingGap(SimNode node, Membership seen, List<NodeId> peers) {
        NodeId first = null;
        for (NodeId p : peers) {
            if (first == null || node.id.distanceTo(p).compareTo(node.id.distanceTo(first)) < 0) {
                first = p;
            }
        }
        List<NodeId> window = seen.between(node.id, first, 4);
        boolean gap = BoundRule.ringGap(node.id, peers, window).isPresent();
        if (gap) {
            node.bridge.counters().ringGaps.increment();
        }
        node.ringGap = gap;
    }

    /**
     * Which shortcuts to offer the selector next round: this round's, then earlier ones still in
     * view. The same rule as OverlayTopology's private rememberShortcuts, which the simulator
     * cannot call because it drives the selector and planner separately (see RESULTS.md).
     */
    private List<NodeId> rememberShortcuts(List<NodeId> before, DesiredLinks desired, RingView view) {
        List<NodeId> keep = new ArrayList<>(desired.shortcuts());
        Set<NodeId> successors = Set.copyOf(desired.successors());
        for (NodeId p : before) {
            if (keep.size() < params.maxShortcuts() && view.contains(p) && !keep.contains(p) && !successors.contains(p)) {
                keep.add(p);
            }
        }
        return keep;
    }

    /** A seed per (node, round): splitmix64 of the pair, so replays need no stored generator. */
    static long roundSeed(long nodeSeed, long round) {
        long z = nodeSeed + (round + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
