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
 * @param peerWants on an outbound link: the responder said (link-want) that its own topology
 *                  wants this link too. The initiator then keeps it even when it no longer wants it
 *                  itself: a link stays while either end wants it, instead of being closed here and
 *                  at once re-requested by the peer.
 */
public record LinkState(NodeId peer, LinkRole role, boolean outbound, boolean up, boolean peerWants) {

    public LinkState {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(role, "role");
    }

    /** A link whose peer has not said it wants it (every inbound link, and outbound ones until told). */
    public LinkState(NodeId peer, LinkRole role, boolean outbound, boolean up) {
        this(peer, role, outbound, up, false);
    }
}
