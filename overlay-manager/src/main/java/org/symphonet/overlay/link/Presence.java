package org.symphonet.overlay.link;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.overlay.topology.RingMembers;

/**
 * The members of an overlay that signaling shows online (self excluded), as the link manager
 * reads them. An interface so that the node hands over the set its roster gives, while a
 * simulator of 100,000 nodes hands every node a view of one shared snapshot: the link manager
 * must never copy it, or each node would hold the whole overlay.
 */
public interface Presence {

    /** No member seen yet. */
    Presence NONE = of(Set.of());

    boolean contains(NodeId id);

    /**
     * What the link selector may link to this round: these members minus {@code backoff}, plus
     * {@code live} (peers with a tunnel up count even when their presence is gone), self left out.
     */
    RingMembers candidates(NodeId self, Collection<NodeId> live, Collection<NodeId> backoff);

    /** Every member, for a switch that keeps its own copy: O(members). */
    Set<NodeId> toSet();

    /** The members of a roster; the set is copied. */
    static Presence of(Set<NodeId> members) {
        return new Roster(Set.copyOf(members));
    }

    /** A set of members. Value equality, so an unchanged roster is not published again. */
    record Roster(Set<NodeId> members) implements Presence {
        public Roster {
            members = Set.copyOf(members);
        }

        @Override
        public boolean contains(NodeId id) {
            return members.contains(id);
        }

        @Override
        public RingMembers candidates(NodeId self, Collection<NodeId> live, Collection<NodeId> backoff) {
            Set<NodeId> alive = new HashSet<>(members);
            alive.removeAll(backoff);
            alive.addAll(live);
            return RingMembers.of(self, alive);
        }

        @Override
        public Set<NodeId> toSet() {
            return members;
        }
    }
}
