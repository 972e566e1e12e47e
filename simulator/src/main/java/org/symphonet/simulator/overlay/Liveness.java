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
        overlay.presence.add(node.id);
        overlay.rounds.startTimer(node, (long) (timing.nextDouble() * overlay.settings.roundNanos()));
    }

    void onFail(NodeFails e) {
        SimNode node = overlay.node(e.node());
        if (!node.alive) {
            return;
        }
        node.alive = false;
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
            overlay.negotiation.drop(node, peer);
            overlay.rounds.runSoon(node);
        }
    }

    void onPresenceLost(PresenceLost e) {
        overlay.presence.remove(overlay.node(e.node()).id);
    }

    void onTick(MembershipTick e) {
        if (overlay.presence.hasUnpublished()) {
            overlay.presence.publish(overlay.queue.now());
        }
        overlay.queue.after(overlay.settings.tickNanos(), e);
    }
}
