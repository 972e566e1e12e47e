package org.symphonet.overlay.topology;

import java.util.Objects;

import org.symphonet.ofcontroller.view.NodeId;

/**
 * What the link manager tells the topology about one existing or pending link.
 *
 * @param peer      the other node
 * @param role      the role the link was requested with
 * @param outbound  true when this node sent the link-request. Only the initiator removes a link
 *                  for topology reasons; the responder keeps it until it is closed.
 * @param up        true once the tunnel carries traffic, false while negotiating
 */
public record LinkState(NodeId peer, LinkRole role, boolean outbound, boolean up) {

    public LinkState {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(role, "role");
    }
}
