package org.symphonet.overlay.signal;

import java.util.Objects;
import java.util.Set;

import org.symphonet.ofcontroller.view.NodeId;

/**
 * A trusted node seen online: the full JID link messages go to, and what its presence announced.
 *
 * @param jid      full JID ({@code user@domain/resource})
 * @param node     its node ID
 * @param overlays the overlay IDs it serves
 */
public record Peer(String jid, NodeId node, Set<String> overlays) {

    public Peer {
        Objects.requireNonNull(jid, "jid");
        Objects.requireNonNull(node, "node");
        overlays = Set.copyOf(overlays);
    }

    public boolean serves(String overlay) {
        return overlays.contains(overlay);
    }
}
