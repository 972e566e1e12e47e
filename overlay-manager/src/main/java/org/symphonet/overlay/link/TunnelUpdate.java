package org.symphonet.overlay.link;

import org.symphonet.ofcontroller.view.NodeId;

/** A tunnel event, as the link manager needs it (converted from the tunnel agent's events by the node). */
public sealed interface TunnelUpdate {
    NodeId peer();

    record Up(NodeId peer, String portName, String linkType) implements TunnelUpdate {
    }

    record Down(NodeId peer, String reason) implements TunnelUpdate {
    }

    record Stats(NodeId peer, double rttMillis, long bytesIn, long bytesOut) implements TunnelUpdate {
    }
}
