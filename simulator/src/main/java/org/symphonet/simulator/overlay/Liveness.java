package org.symphonet.simulator.overlay;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.simulator.event.LinkDeadDetected;
import org.symphonet.simulator.event.MembershipTick;
import org.symphonet.simulator.event.NodeFails;
import org.symphonet.simulator.event.NodeJoins;
import org.symphonet.simulator.event.PresenceLost;

/**
 * Nodes coming and going, and how the others find out: a crash is noticed per tunnel when its
 * keepalives stop (dead interval), and overlay-wide when the XMPP server drops the session.
 */
final class Liveness {

    private final Overlay overlay;
    private final Random timing;

    Liveness(Overlay overlay, long seed) {
        this.overlay = overlay;
        this.timing = new Random(seed);
    }

    void onJoin(NodeJoins e) {
        SimNode node = overlay.node(e.node());
        if (node.alive) {
            return;
        }
        node.alive = true;
        overlay.aliveChanged();
        overlay.presence.add(node.id, node.index);
        overlay.rounds.startTimer(node, (long) (timing.nextDouble() * overlay.settings.roundNanos()));
    }

    void onFail(NodeFails e) {
        SimNode node = overlay.node(e.node());
        if (!node.alive) {
            return;
        }
        node.alive = false;
        overlay.aliveChanged();
        long dead = overlay.settings.deadNanos();
        for (NodeId peer : node.upPeers()) {
            // The last keepalive answered was up to one period before the crash.
            long jitter = (long) (timing.nextDouble() * overlay.settings.keepaliveNanos());
            overlay.queue.after(dead + jitter, new LinkDeadDetected(overlay.indexOf(peer), node.index));
        }
        overlay.queue.after(overlay.settings.presenceTimeoutNanos(), new PresenceLost(node.index));
        List<NodeId> all = new ArrayList<>(node.links.keySet());
        for (NodeId p : all) {
            overlay.negotiation.drop(node, p);
        }
    }

    void onDead(LinkDeadDetected e) {
        SimNode node = overlay.node(e.node());
        NodeId peer = overlay.node(e.peer()).id;
        if (node.alive && node.links.containsKey(peer)) {
            // LinkManager: tunnel down is a failure; the next regular round decides what to do.
            overlay.negotiation.drop(node, peer);
            overlay.negotiation.backoff(node, peer);
        }
    }

    void onPresenceLost(PresenceLost e) {
        overlay.presence.remove(overlay.node(e.node()).id, e.node());
    }

    void onTick(MembershipTick e) {
        if (overlay.presence.hasUnpublished()) {
            overlay.presence.publish(overlay.queue.now());
        }
        overlay.queue.after(overlay.settings.tickNanos(), e);
    }
}
