package org.symphonet.simulator.ring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Set;

import org.symphonet.ofcontroller.view.NodeId;

/**
 * One published presence snapshot: the online members in ring order. Immutable and shared by
 * every node that has seen it: its {@link #asSet()} is an unmodifiable set, which
 * {@code Adjacency} keeps as is instead of copying, so 100,000 bridges hold one member set, not
 * 100,000 copies of it.
 */
public final class Membership {

    private final long version;
    private final long publishedAt;
    private final NodeId[] sorted;
    private final Set<NodeId> set;
    private final BitSet indices;

    /** No member at all: what a bridge knows before its node has seen any presence. */
    public static Membership empty() {
        return new Membership(-1, Long.MIN_VALUE, new NodeId[0], new BitSet());
    }

    /** @param sortedIds distinct IDs in ascending order; the array is owned from now on */
    /** @param indices the members' simulation indices, when known (null: unknown) */
    Membership(long version, long publishedAt, NodeId[] sortedIds, BitSet indices) {
        this.version = version;
        this.publishedAt = publishedAt;
        this.sorted = sortedIds;
        this.set = Set.of(sortedIds);
        this.indices = indices;
    }

    /**
     * Membership by simulation index: a bit test instead of a hash probe into a set of 100,000,
     * which is most of a round's cost at that size. Falls back to the ID when indices are unknown.
     */
    public boolean contains(NodeId id, int index) {
        return indices != null && index >= 0 ? indices.get(index) : set.contains(id);
    }

    public long version() {
        return version;
    }

    public long publishedAt() {
        return publishedAt;
    }

    public int size() {
        return sorted.length;
    }

    public boolean contains(NodeId id) {
        return set.contains(id);
    }

    public NodeId get(int index) {
        return sorted[index];
    }

    public Set<NodeId> asSet() {
        return set;
    }

    /** Index of the first member at or after {@code point} in ID order; {@code size()} when none. */
    public int ceilingIndex(NodeId point) {
        int i = Arrays.binarySearch(sorted, point);
        return i >= 0 ? i : -i - 1;
    }

    /**
     * Up to {@code limit} members strictly clockwise after {@code from} and strictly before
     * {@code end} ({@code end == null}: the whole ring).
     */
    public List<NodeId> between(NodeId from, NodeId end, int limit) {
        List<NodeId> out = new ArrayList<>(Math.min(limit, sorted.length));
        if (sorted.length == 0) {
            return out;
        }
        int start = ceilingIndex(from);
        for (int step = 0; step < sorted.length && out.size() < limit; step++) {
            NodeId m = sorted[(start + step) % sorted.length];
            if (m.equals(from)) {
                continue;
            }
            if (end != null && !from.strictlyBetween(m, end)) {
                break;
            }
            out.add(m);
        }
        return out;
    }
}
