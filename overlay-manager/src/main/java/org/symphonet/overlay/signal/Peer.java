package org.symphonet.overlay.signal;

import java.util.Objects;
import java.util.Set;

import org.symphonet.ofcontroller.view.NodeId;

/**
 * A trusted node seen online: the full JID link messages go to, and what its presence announced.
 *
 * @param jid      full JID ({@code user@domain/resource})
 * @param node     its node ID
 * @param run      which run of the node process announced it (random per start; 0 when not said)
 * @param overlays the overlay IDs it serves
 */
public record Peer(String jid, NodeId node, long run, Set<String> overlays) {

    public Peer {
        Objects.requireNonNull(jid, "jid");
        Objects.requireNonNull(node, "node");
        overlays = Set.copyOf(overlays);
    }

    public Peer(String jid, NodeId node, Set<String> overlays) {
        this(jid, node, 0, overlays);
    }

    /** The account (bare JID) this session belongs to. */
    public String account() {
        int slash = jid.indexOf('/');
        return slash < 0 ? jid : jid.substring(0, slash);
    }

    /** True when both announced their run and they differ: the node restarted in between. */
    public boolean restartedSince(Peer earlier) {
        return earlier.node.equals(node) && earlier.run != 0 && run != 0 && earlier.run != run;
    }

    public boolean serves(String overlay) {
        return overlays.contains(overlay);
    }
}
