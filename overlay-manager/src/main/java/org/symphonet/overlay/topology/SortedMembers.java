package org.symphonet.overlay.topology;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

import org.symphonet.ofcontroller.view.NodeId;

/** {@link RingMembers} over a sorted array of distinct IDs: binary search, then a walk with wrap. */
final class SortedMembers implements RingMembers {

    private final NodeId self;
    private final NodeId[] sorted;

    private SortedMembers(NodeId self, NodeId[] sorted) {
        this.self = self;
        this.sorted = sorted;
    }

    static SortedMembers of(NodeId self, Collection<NodeId> members) {
        NodeId[] ids = members.stream().filter(m -> !m.equals(self)).distinct().sorted().toArray(NodeId[]::new);
        return new SortedMembers(self, ids);
    }

    @Override
    public NodeId self() {
        return self;
    }

    @Override
    public int size() {
        return sorted.length;
    }

    @Override
    public boolean contains(NodeId id) {
        return Arrays.binarySearch(sorted, id) >= 0;
    }

    @Override
    public List<NodeId> successors(int count) {
        int take = Math.min(count, sorted.length);
        List<NodeId> out = new ArrayList<>(take);
        // Self is not in the array, so its insertion point is the first member clockwise after it.
        int start = ceiling(self);
        for (int step = 0; step < take; step++) {
            out.add(sorted[(start + step) % sorted.length]);
        }
        return out;
    }

    @Override
    public NodeId firstAtOrAfter(NodeId point, Predicate<NodeId> skip) {
        int start = ceiling(point);
        for (int step = 0; step < sorted.length; step++) {
            NodeId p = sorted[(start + step) % sorted.length];
            if (!skip.test(p)) {
                return p;
            }
        }
        return null;
    }

    /** Index of the first member at or after {@code point} in ID order; the length when none is. */
    private int ceiling(NodeId point) {
        int i = Arrays.binarySearch(sorted, point);
        return i >= 0 ? i : -i - 1;
    }
}
