package org.symphonet.simulator.overlay;

import org.symphonet.overlay.link.TunnelUpdate;
import org.symphonet.simulator.event.LinkTick;
import org.symphonet.simulator.event.SignalArrival;
import org.symphonet.simulator.event.TunnelLost;
import org.symphonet.simulator.event.TunnelReady;

/**
 * Hands the link managers what the node's signaling, tunnel agent and control timer would: a
 * negotiation message, a tunnel up or down, a deadline check. Everything the manager decides
 * (admission, the collision rule, busy, backoff, timeouts) is its own code.
 */
final class LinkEvents {

    private final Overlay overlay;

    LinkEvents(Overlay overlay) {
        this.overlay = overlay;
    }

    void onSignal(SignalArrival e) {
        SimNode node = overlay.node(e.to());
        if (node.alive) {
            node.manager.received(e.body(), overlay.nowMillis()); // an offline JID gets nothing
        }
    }

    void onTick(LinkTick e) {
        SimNode node = overlay.node(e.node());
        if (node.alive) {
            node.manager.tick(overlay.nowMillis());
        }
    }

    void onReady(TunnelReady e) {
        SimTunnel a = current(overlay.node(e.a()), overlay.node(e.b()), e.serialA());
        SimTunnel b = current(overlay.node(e.b()), overlay.node(e.a()), e.serialB());
        if (a == null || b == null) {
            return; // an end closed or died meanwhile; its survivor's connect timeout cleans up
        }
        a.up = true;
        b.up = true;
        long now = overlay.nowMillis();
        a.owner.manager.tunnel(new TunnelUpdate.Up(b.owner.id, a, overlay.portName(b.owner.index), "direct"), now);
        b.owner.manager.tunnel(new TunnelUpdate.Up(a.owner.id, b, overlay.portName(a.owner.index), "direct"), now);
    }

    void onLost(TunnelLost e) {
        SimNode node = overlay.node(e.node());
        SimTunnel t = current(node, overlay.node(e.peer()), e.serial());
        if (t != null && t.up) {
            node.manager.tunnel(new TunnelUpdate.Down(t.peerId(), t, "keepalive timeout"), overlay.nowMillis());
        }
    }

    /** The node's open tunnel end to {@code peer} if it is still the one with this serial. */
    private static SimTunnel current(SimNode node, SimNode peer, long serial) {
        if (!node.alive) {
            return null;
        }
        SimTunnel t = node.tunnels.get(peer.id);
        return t != null && t.serial == serial && !t.closed ? t : null;
    }
}
