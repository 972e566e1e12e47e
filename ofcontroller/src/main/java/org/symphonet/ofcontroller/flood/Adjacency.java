package org.symphonet.ofcontroller.flood;

import java.util.List;
import java.util.Set;

import org.symphonet.ofcontroller.view.NodeId;

/**
 * One bridge's view of the ring at a moment: itself, the peers it has a live link to, and every
 * member it knows of. Replaced as a whole whenever a link or the member list changes.
 */
public record Adjacency(NodeId self, List<NodeId> peers, Set<NodeId> members) {
    public Adjacency {
        peers = List.copyOf(peers);
        members = Set.copyOf(members);
    }
}
