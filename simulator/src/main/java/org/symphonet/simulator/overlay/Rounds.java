package org.symphonet.simulator.overlay;

import java.util.List;

import org.symphonet.ofcontroller.flood.BoundRule;
import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.simulator.event.Round;
import org.symphonet.simulator.ring.Membership;

/**
 * A node's topology timer: the presence it has seen handed to its own {@code LinkManager}, whose
 * round runs the real {@code OverlayTopology} ({@code LinkSelector}, {@code LinkPlanner}, on-demand
 * tracker) and takes the planner's steps. Afterwards the controller's ring-gap check (the real
 * {@link BoundRule#ringGap}).
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
        Membership seen = overlay.presence.visibleAt(now - overlay.settings.presenceDelayNanos());
        node.view = seen;
        // The node hands its manager the roster on every presence change; here the change a node
        // has seen reaches its manager at the node's next round.
        node.manager.membership(new SimPresence(seen, node.bridge));
        node.ports.requests = 0;
        node.manager.round(overlay.nowMillis());
        node.lastAdds = node.ports.requests;
        checkRingGap(node, seen, node.bridge.peers());
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
}
