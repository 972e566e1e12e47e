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

    record Down(NodeId peer, TunnelPort.Handle tunnel, String reason) implements TunnelUpdate {
    }

    record Stats(NodeId peer, TunnelPort.Handle tunnel, double rttMillis, long bytesIn, long bytesOut) implements TunnelUpdate {
    }
}
