package org.symphonet.overlay.link;

import org.symphonet.ofcontroller.view.NodeId;

/**
 * A tunnel event, as the link manager needs it (converted from the tunnel agent's events by the node).
 * It names the tunnel it is about, not only the peer: when a link is replaced, the old tunnel's
 * down event arrives after the new link exists and must not take the new one with it.
 */
public sealed interface TunnelUpdate {
    NodeId peer();

    TunnelPort.Handle tunnel();

    record Up(NodeId peer, TunnelPort.Handle tunnel, String portName, String linkType) implements TunnelUpdate {
    }

    /**
     * An up tunnel stopped carrying frames; its teardown (the slow {@code ovs-vsctl del-port} among
     * it) runs now and ends with {@link Down}. The link is dropped on this one: its port leaves the
     * switch's view and a replacement is planned without waiting for the teardown.
     */
    record Lost(NodeId peer, TunnelPort.Handle tunnel, String reason) implements TunnelUpdate {
    }

    /** The tunnel is gone, port and TAP removed (or it never came up). */
    record Down(NodeId peer, TunnelPort.Handle tunnel, String reason) implements TunnelUpdate {
    }

    record Stats(NodeId peer, TunnelPort.Handle tunnel, double rttMillis, long bytesIn, long bytesOut) implements TunnelUpdate {
    }
}
