package org.symphonet.simulator.ring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.overlay.topology.RingMembers;

/**
 * What one node hands its link selector: the presence snapshot it has seen, minus the peers its
 * link manager is backing off from, plus peers whose tunnel is up although their presence is
 * gone, minus itself (the rule of {@code OverlayTopology.round}). Built without copying the
 * snapshot, so a round at 100,000 members costs a few binary searches instead of a copy: this is
 * the {@link RingMembers} the node's own {@code LinkSelector} and {@code OverlayTopology} run on.
 */
public final class RingView implements RingMembers {

    private final NodeId self;
    private final Membership base;
    private final NodeId[] extras;
    private final Set<NodeId> excluded;
    private final int size;

    public RingView(NodeId self, Membership base, Collection<NodeId> upPeers, Collection<NodeId> backoff) {
        this(self, base, List.copyOf(upPeers), null, backoff);
    }

    /**
     * @param upIndices simulation indices of {@code upPeers}, same order, or null; they let the
     *                  presence check be a bit test instead of a hash probe
     */
    public RingView(NodeId self, Membership base, List<NodeId> upPeers, List<Integer> upIndices,
                    Collection<NodeId> backoff) {
        this.self = self;
        this.base = base;
        List<NodeId> outside = new ArrayList<>(0);
        for (int i = 0; i < upPeers.size(); i++) {
            NodeId p = upPeers.get(i);
            if (!p.equals(self) && !base.contains(p, upIndices == null ? -1 : upIndices.get(i))
                    && !outside.contains(p)) {
                outside.add(p);
            }
        }
        outside.sort(null);
        this.extras = outside.toArray(NodeId[]::new);
        Set<NodeId> ex = new HashSet<>();
        for (NodeId b : backoff) {
            if (!b.equals(self) && base.contains(b) && !upPeers.contains(b)) {
                ex.add(b);
            }
        }
        this.excluded = ex;
        this.size = base.size() - (base.contains(self) ? 1 : 0) - ex.size() + extras.length;
    }

    @Override
    public NodeId self() {
        return self;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean contains(NodeId p) {
        if (p.equals(self)) {
            return false;
        }
        return base.contains(p) ? !excluded.contains(p) : Arrays.binarySearch(extras, p) >= 0;
    }

    @Override
    public NodeId firstAtOrAfter(NodeId point, Predicate<NodeId> skip) {
        Cursor c = new Cursor(point);
        for (NodeId m = c.next(); m != null; m = c.next()) {
            if (c.acceptable(m) && !skip.test(m)) {
                return m;
            }
        }
        return null;
    }

    @Override
    public List<NodeId> successors(int count) {
        List<NodeId> out = new ArrayList<>(count);
        Cursor c = new Cursor(self);
        for (NodeId m = c.next(); m != null && out.size() < count; m = c.next()) {
            if (c.acceptable(m)) {
                out.add(m);
            }
        }
        return out;
    }

    /** Walks base and extras together in clockwise order from a point, each element once. */
    private final class Cursor {
        private final NodeId point;
        private int bi;
        private int bLeft;
        private int ei;
        private int eLeft;
        private boolean lastFromBase;

        Cursor(NodeId point) {
            this.point = point;
            this.bLeft = base.size();
            this.bi = base.size() == 0 ? 0 : base.ceilingIndex(point) % base.size();
            this.eLeft = extras.length;
            int e = Arrays.binarySearch(extras, point);
            this.ei = extras.length == 0 ? 0 : (e >= 0 ? e : -e - 1) % extras.length;
        }

        NodeId next() {
            NodeId b = bLeft > 0 ? base.get(bi) : null;
            NodeId e = eLeft > 0 ? extras[ei] : null;
            if (b == null && e == null) {
                return null;
            }
            boolean takeBase = e == null || (b != null && point.distanceTo(b).compareTo(point.distanceTo(e)) <= 0);
            lastFromBase = takeBase;
            if (takeBase) {
                bi = (bi + 1) % base.size();
                bLeft--;
                return b;
            }
            ei = (ei + 1) % extras.length;
            eLeft--;
            return e;
        }

        /** {@link #contains} for the element just returned, without probing the member set. */
        boolean acceptable(NodeId m) {
            if (m.equals(self)) {
                return false;
            }
            return !lastFromBase || excluded.isEmpty() || !excluded.contains(m);
        }
    }
}
