package org.symphonet.overlay.link;

import java.util.HashSet;
import java.util.Set;

import org.symphonet.ofcontroller.flood.MemberTest;
import org.symphonet.ofcontroller.view.NodeId;

/**
 * The member list the switch is given: presence, plus peers whose tunnel is up (even when their
 * presence is gone: an XMPP outage must not stop broadcasts over tunnels that still work), plus
 * self. Kept as its three parts so that publishing it costs O(links), not O(members).
 *
 * @param tunnels peers with a tunnel up
 */
public record Members(NodeId self, Presence online, Set<NodeId> tunnels) implements MemberTest {

    public Members {
        tunnels = Set.copyOf(tunnels);
    }

    @Override
    public boolean contains(NodeId id) {
        return id.equals(self) || online.contains(id) || tunnels.contains(id);
    }

    /** All members as one set: O(members). */
    public Set<NodeId> toSet() {
        Set<NodeId> all = new HashSet<>(online.toSet());
        all.addAll(tunnels);
        all.add(self);
        return Set.copyOf(all);
    }
}
