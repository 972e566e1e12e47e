package org.symphonet.simulator.overlay;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.symphonet.ofcontroller.flood.BoundRule;
import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.overlay.topology.LinkState;
import org.symphonet.overlay.topology.LinkStep;
import org.symphonet.overlay.topology.OverlayTopology;
import org.symphonet.simulator.event.Round;
import org.symphonet.simulator.ring.Membership;
import org.symphonet.simulator.ring.RingView;

/**
 * A node's topology round: the presence it has seen plus live tunnels, minus peers in backoff,
 * handed to the node's own {@link OverlayTopology#round} (the real {@code LinkSelector},
 * {@code LinkPlanner} and on-demand tracker), then the planner's steps taken as
 * {@code LinkManager.round} takes them (an Add waits for the peer's retry time). Afterwards the
 * controller's ring-gap check (the real {@link BoundRule#ringGap}).
 */
final class Rounds {

    private final Overlay overlay;

    Rounds(Overlay overlay) {
        this.overlay = overlay;
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
        // LinkManager.round: presence minus the peers in backoff (so a busy shortcut is replaced).
        // With backoffLeavesView off they stay wanted and their Add steps wait for the retry time.
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
        OverlayTopology.Round round = node.topology.round(view, node.links, nowMillis,
                new Random(roundSeed(node.seed, node.rounds++)));
        node.topology = round.next();
        node.desired = round.desired();

        int adds = 0;
        for (LinkStep step : round.steps()) {
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

    /** A seed per (node, round): splitmix64 of the pair, so replays need no stored generator. */
    static long roundSeed(long nodeSeed, long round) {
        long z = nodeSeed + (round + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
