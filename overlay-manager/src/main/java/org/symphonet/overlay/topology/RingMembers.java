package org.symphonet.overlay.topology;

import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

import org.symphonet.ofcontroller.view.NodeId;

/**
 * The members one node's link choice sees, in ring order, self left out: the only questions
 * {@link LinkSelector} asks of the membership. An interface so that the node can hand it a set it
 * sorts once per round ({@link #of}) while a simulator of 100,000 nodes hands it an index over one
 * shared presence snapshot, and both run the same selector.
 */
public interface RingMembers {

    /** The node whose view this is; never a member of it. */
    NodeId self();

    /** Members, self not counted. */
    int size();

    /** Whether {@code id} is a member; false for {@link #self()}. */
    boolean contains(NodeId id);

    /** The first {@code count} members clockwise after self, nearest first (fewer if there are fewer). */
    List<NodeId> successors(int count);

    /**
     * The first member at or clockwise after {@code point}, wrapping past the top of the ID space,
     * that {@code skip} does not reject; null when every member is rejected.
     */
    NodeId firstAtOrAfter(NodeId point, Predicate<NodeId> skip);

    /** {@code members} (self and duplicates ignored) as a sorted index: O(m log m) to build. */
    static RingMembers of(NodeId self, Collection<NodeId> members) {
        return SortedMembers.of(self, members);
    }
}
