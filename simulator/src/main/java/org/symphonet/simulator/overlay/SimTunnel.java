package org.symphonet.simulator.overlay;

import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.overlay.identity.Fingerprint;
import org.symphonet.overlay.link.TunnelPort;
import org.symphonet.overlay.signal.IceParams;
import org.symphonet.simulator.event.TunnelLost;
import org.symphonet.simulator.event.TunnelReady;

/**
 * One end of a simulated tunnel, as the link manager holds it: it connects once both ends have
 * called {@link #connect} (each side after it has the other's parameters), a few round trips of
 * the pair's underlay path later, unless either end closed or died meanwhile.
 */
final class SimTunnel implements TunnelPort.Handle {

    private final Overlay overlay;
    final SimNode owner;
    final SimNode peer;
    final long serial;
    boolean connected;
    boolean up;
    boolean closed;

    SimTunnel(Overlay overlay, SimNode owner, SimNode peer, long serial) {
        this.overlay = overlay;
        this.owner = owner;
        this.peer = peer;
        this.serial = serial;
    }

    @Override
    public IceParams localParameters() {
        return NodePorts.ICE;
    }

    @Override
    public void connect(Fingerprint peerFingerprint, IceParams remote) {
        if (closed || connected) {
            return;
        }
        connected = true;
        overlay.queue.after(overlay.settings.timers().connectTimeout().toNanos() + NodePorts.TICK_SLACK_NANOS,
                new org.symphonet.simulator.event.LinkTick(owner.index));
        SimTunnel other = peer.tunnels.get(owner.id);
        if (peer.alive && other != null && other.connected && !other.closed) {
            long latency = overlay.wire.pathLatency(owner.index, peer.index);
            overlay.queue.after(2L * overlay.settings.setupRoundTrips() * latency,
                    new TunnelReady(owner.index, serial, peer.index, other.serial, latency));
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        owner.tunnels.remove(peer.id, this);
        SimTunnel other = peer.tunnels.get(owner.id);
        if (up && other != null && other.up) {
            // No close message on the tunnel itself: the far end notices when keepalives stop.
            overlay.queue.after(overlay.settings.deadNanos(), new TunnelLost(peer.index, owner.index, other.serial));
        }
    }

    NodeId peerId() {
        return peer.id;
    }
}
