package org.symphonet.simulator.overlay;

import java.util.ArrayList;
import java.util.Random;

import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.simulator.event.MembershipTick;
import org.symphonet.simulator.event.NodeFails;
import org.symphonet.simulator.event.NodeJoins;
import org.symphonet.simulator.event.PresenceLost;
import org.symphonet.simulator.event.TunnelLost;

/**
 * Nodes coming and going, and how the others find out: a crash is noticed per tunnel when its
 * keepalives stop (dead interval), and overlay-wide when the XMPP server drops the session.
 */
final class Churn {

    private final Overlay overlay;
    private final Random timing;

    Churn(Overlay overlay, long seed) {
        this.overlay = overlay;
        this.timing = new Random(seed);
    }

    void onJoin(NodeJoins e) {
        SimNode node = overlay.node(e.node());
        if (node.alive) {
            return;
        }
        overlay.goOnline(node);
        overlay.rounds.startTimer(node, (long) (timing.nextDouble() * overlay.settings.roundNanos()));
    }

    /** The node's process dies: its state is gone, its peers notice when keepalives stop. */
    void onFail(NodeFails e) {
        SimNode node = overlay.node(e.node());
        if (!node.alive) {
            return;
        }
        node.alive = false;
        overlay.aliveChanged();
        long dead = overlay.settings.deadNanos();
        for (SimTunnel t : node.tunnels.values()) {
            SimTunnel far = t.peer.tunnels.get(node.id);
            if (t.up && far != null && far.up) {
                // The last keepalive answered was up to one period before the crash.
                long jitter = (long) (timing.nextDouble() * overlay.settings.keepaliveNanos());
                overlay.queue.after(dead + jitter, new TunnelLost(t.peer.index, node.index, far.serial));
            }
            t.closed = true;
        }
        node.tunnels.clear();
        for (NodeId p : new ArrayList<>(node.bridge.peers())) {
            node.bridge.detach(p);
        }
        node.manager = null;
        overlay.queue.after(overlay.settings.presenceTimeoutNanos(), new PresenceLost(node.index));
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
